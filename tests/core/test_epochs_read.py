"""The per-request epoch read goes straight to the driver (core/db/epochs.py): it must read the
same rows as SQLAlchemy would, on both databases, and on SQLite never wait on the event loop
for a busy database."""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import select

from labelloom.core.db.engine import make_engine, make_sessionmaker
from labelloom.core.db.epochs import CacheEpoch, _sqlite_rows, ensure_epochs, read_epochs, remembered
from labelloom.core.db.migrate import upgrade


async def test_read_epochs_reads_every_row_and_remembers_them(database_url):
    engine = make_engine(database_url)
    await upgrade(engine)
    await ensure_epochs(engine)
    async with make_sessionmaker(engine)() as db:
        expected = dict((await db.execute(select(CacheEpoch.name, CacheEpoch.epoch))).all())
        found = await read_epochs(db)
        assert found == expected and set(found) == {"auth", "hooks"}
        assert remembered(db, "auth") == expected["auth"]
    await engine.dispose()


def test_a_busy_sqlite_database_is_not_waited_for_on_the_loop(tmp_path):
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE cache_epochs (name TEXT PRIMARY KEY, epoch INTEGER)")
    holder.execute("INSERT INTO cache_epochs VALUES ('auth', 1)")
    reader = sqlite3.connect(path, isolation_level=None)
    assert _sqlite_rows(reader) == [("auth", 1)]
    reader.close()
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # in exclusive locking mode even WAL readers get SQLITE_BUSY
    holder.execute("UPDATE cache_epochs SET epoch = 2")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("PRAGMA busy_timeout=10000")
    started = time.monotonic()
    assert _sqlite_rows(reader) is None  # at once, not after the 10 s busy timeout
    assert time.monotonic() - started < 5
    assert reader.execute("PRAGMA busy_timeout").fetchone() == (10000,)  # restored
    holder.execute("ROLLBACK")
    holder.close()
    reader.close()
