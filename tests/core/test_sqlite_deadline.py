"""Issue 17: time_limit on SQLite is a deadline on the connection (db/sqlite_loop.py): no thread
hop to set or clear it, fast reads under it stay on the event loop, slow ones move to the
thread and are still stopped at the deadline with the 400."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from labelloom.core.db import sqlite_loop
from labelloom.core.db.engine import make_engine
from labelloom.core.db.sqlite_loop import LoopConnection, short_writes
from labelloom.core.db.time_limit import TooSlow, time_limit

SLOW_READ = (
    "SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :top) "
    "SELECT i FROM n)"
)


@pytest.fixture
async def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'deadline.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"))
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
def no_slow_statements(monkeypatch):
    """Reads other tests found slow would go straight to the thread."""
    monkeypatch.setattr(sqlite_loop, "_slow", {})


@pytest.fixture
def hops(monkeypatch):
    calls: list[str] = []
    original = LoopConnection._execute

    async def counted(connection, fn, *args, **kwargs):
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(connection, fn, *args, **kwargs)

    monkeypatch.setattr(LoopConnection, "_execute", counted)
    return calls


async def _driver(db: AsyncSession) -> LoopConnection:
    return (await (await db.connection()).get_raw_connection()).driver_connection


async def test_fast_reads_under_a_time_limit_cross_no_thread(engine, hops):
    async with AsyncSession(engine) as db:
        async with time_limit(db, 5, "quick"):
            assert (await db.execute(text("SELECT 1"))).scalar() == 1
            assert (await db.execute(text("SELECT count(*) FROM items"))).scalar() == 0
            assert (await _driver(db)).deadline is not None
        assert (await _driver(db)).deadline is None  # cleared with the block
    assert hops == []


async def test_a_read_past_the_deadline_is_stopped_on_the_loop_with_the_400(engine, hops, monkeypatch):
    monkeypatch.setattr(sqlite_loop, "INLINE_BUDGET", 10.0)  # the deadline comes first
    async with AsyncSession(engine) as db:
        with pytest.raises(TooSlow, match="the test filter took longer than 0.05 s"):
            async with time_limit(db, 0.05, "the test filter"):
                await db.execute(text(SLOW_READ), {"top": 50_000_000})
        await db.rollback()
        assert (await db.execute(text("SELECT 2"))).scalar() == 2
    assert hops == []
    assert SLOW_READ.replace(":top", "?") not in sqlite_loop._slow  # not mistaken for a slow-on-the-loop read


async def test_a_read_past_the_loop_budget_finishes_on_the_thread_under_the_deadline(engine, hops):
    async with AsyncSession(engine) as db:
        async with time_limit(db, 30, "roomy"):
            count = (await db.execute(text(SLOW_READ), {"top": 2_000_000})).scalar()
        assert count == 2_000_000
        assert hops == ["_execute_all"]  # one hop: handler in, statement, handler out
        with pytest.raises(TooSlow):  # the same statement, now known slow, still meets the deadline
            async with time_limit(db, 0.05, "tight"):
                await db.execute(text(SLOW_READ), {"top": 50_000_000})
        await db.rollback()
        # the handler went with the hop: without a budget the slow read runs to its end
        assert (await db.execute(text(SLOW_READ), {"top": 2_000_000})).scalar() == 2_000_000


async def test_writes_under_a_time_limit_run_on_the_thread_within_it(engine, hops):
    async with AsyncSession(engine) as db:
        async with time_limit(db, 5, "writes"):
            with short_writes():
                await db.execute(text("INSERT INTO items (name) VALUES ('a')"))
        assert hops == ["_execute_all"]
        await db.commit()
        assert (await db.execute(text("SELECT name FROM items"))).scalars().all() == ["a"]


async def test_nested_time_limits_keep_the_sooner_deadline(engine):
    async with AsyncSession(engine) as db:
        async with time_limit(db, 0.05, "outer"):
            outer = (await _driver(db)).deadline
            async with time_limit(db, 60, "inner"):
                assert (await _driver(db)).deadline == outer
            assert (await _driver(db)).deadline == outer


async def test_a_read_known_slow_comes_back_to_the_loop_when_fast_however_slow_the_hop(engine, monkeypatch):
    """Fast again is judged by the statement's time on the thread, not by the hop's round trip
    (on a busy machine a hop alone can outlast the threshold)."""
    import asyncio

    original = LoopConnection._execute

    async def slow_hop(connection, fn, *args, **kwargs):
        await asyncio.sleep(0.01)
        return await original(connection, fn, *args, **kwargs)

    monkeypatch.setattr(LoopConnection, "_execute", slow_hop)
    statement = "SELECT count(*) FROM items"
    sqlite_loop._slow[statement] = None
    async with engine.connect() as conn:
        assert (await conn.execute(text(statement))).scalar() == 0
    assert statement not in sqlite_loop._slow
