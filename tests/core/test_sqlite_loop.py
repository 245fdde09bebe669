"""Issue 17: SQLite reads (and marked short writes) run on the event loop, everything that could
hold it runs on aiosqlite's thread, and transactions behave exactly as before (db/sqlite_loop.py)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from sqlalchemy import text

from labelloom.core.db import sqlite_loop
from labelloom.core.db.engine import make_engine
from labelloom.core.db.sqlite_loop import short_writes

# Counting to a few million in a recursive CTE: seconds of work, no table needed.
SLOW_READ = (
    "SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :top) "
    "SELECT i FROM n)"
)


@pytest.fixture
async def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'loop.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"))
    yield engine
    await engine.dispose()


class Hops:
    """Counts calls that cross to the connection's thread."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        original = sqlite_loop.LoopConnection._execute

        async def counted(connection, fn, *args, **kwargs):
            self.calls.append(getattr(fn, "__name__", repr(fn)))
            return await original(connection, fn, *args, **kwargs)

        monkeypatch.setattr(sqlite_loop.LoopConnection, "_execute", counted)


async def test_short_reads_and_idle_commits_stay_on_the_loop(engine, monkeypatch):
    hops = Hops(monkeypatch)
    async with engine.connect() as conn:
        for i in range(5):
            assert (await conn.execute(text("SELECT :i + 1"), {"i": i})).scalar() == i + 1
        await conn.commit()  # nothing written: no transaction to end
    assert hops.calls == []


async def test_a_long_read_moves_to_the_thread_and_the_loop_keeps_running(engine, monkeypatch):
    hops = Hops(monkeypatch)
    ticks = 0
    stop = asyncio.Event()

    async def ticker():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    running = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    before = ticks
    async with engine.connect() as conn:
        count = (await conn.execute(text(SLOW_READ), {"top": 3_000_000})).scalar()
    after = ticks
    stop.set()
    await running
    assert count == 3_000_000
    assert "_execute_all" in hops.calls  # stopped on the loop after its budget, finished on the thread
    assert after - before >= 3  # the loop served the ticker while the read ran
    # Remembered: the same statement goes to the thread at once next time.
    assert SLOW_READ.replace(":top", "?") in sqlite_loop._slow


async def test_an_interrupted_read_keeps_the_transaction(engine):
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO items (name) VALUES ('kept')"))
        assert (await conn.execute(text(SLOW_READ.replace(":top", "2500000")))).scalar() == 2_500_000
        await conn.commit()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT name FROM items"))).scalars().all() == ["kept"]


async def test_writes_go_to_the_thread_unless_marked_short(engine, monkeypatch):
    hops = Hops(monkeypatch)
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO items (name) VALUES ('a')"))
        assert hops.calls == ["_execute_all"]
        with short_writes():
            await conn.execute(text("INSERT INTO items (name) VALUES ('b')"))
            await conn.execute(text("UPDATE items SET name = 'c' WHERE name = 'b'"))
        assert hops.calls == ["_execute_all"]
        await conn.rollback()
        assert hops.calls == ["_execute_all", "rollback"]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM items"))).scalar() == 0  # all rolled back


async def test_a_short_write_waits_for_another_writer_off_the_loop(engine, tmp_path, monkeypatch):
    hops = Hops(monkeypatch)
    holder = sqlite3.connect(tmp_path / "loop.sqlite3", check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    holder.execute("INSERT INTO items (name) VALUES ('theirs')")
    release = threading.Timer(0.4, holder.commit)
    release.start()
    ticks = 0

    async def ticker():
        nonlocal ticks
        while release.is_alive():
            ticks += 1
            await asyncio.sleep(0.005)

    running = asyncio.create_task(ticker())
    async with engine.connect() as conn:
        with short_writes():
            await conn.execute(text("INSERT INTO items (name) VALUES ('mine')"))
        await conn.commit()
    await running
    release.join()
    holder.close()
    assert hops.calls[0] == "_execute_all"  # refused at once on the loop, waited on the thread
    assert ticks >= 3
    async with engine.connect() as conn:
        assert sorted((await conn.execute(text("SELECT name FROM items"))).scalars()) == ["mine", "theirs"]


async def test_a_caller_progress_handler_is_not_replaced(engine, monkeypatch):
    """time_limit (data-manager filters) installs its own handler: those reads use the thread."""
    from labelloom.core.db.time_limit import TooSlow, time_limit
    from sqlalchemy.ext.asyncio import AsyncSession

    async with AsyncSession(engine) as db:
        with pytest.raises(TooSlow):
            async with time_limit(db, 0.05, "the test filter"):
                await db.execute(text(SLOW_READ.replace(":top", "50000000")))


async def test_short_transactions_commit_on_the_loop_and_checkpoint_on_the_thread(engine, tmp_path, monkeypatch):
    hops = Hops(monkeypatch)
    monkeypatch.setattr(sqlite_loop, "CHECKPOINT_EVERY", 3)
    monkeypatch.setattr(sqlite_loop, "_loop_commits", 0)
    for i in range(4):
        async with engine.connect() as conn:
            with short_writes():
                await conn.execute(text("INSERT INTO items (name) VALUES (:n)"), {"n": f"n{i}"})
            await conn.commit()
    assert hops.calls == ["commit"]  # three on the loop, the fourth on the thread
    other = sqlite3.connect(tmp_path / "loop.sqlite3")  # committed for everybody
    assert other.execute("SELECT count(*) FROM items").fetchone() == (4,)
    other.close()
