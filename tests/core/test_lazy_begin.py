"""Read-only requests on PostgreSQL run without a transaction until they write
(core/db/lazy_begin.py): no BEGIN/COMMIT round trips for reads, and every write still inside a
transaction that the request's commit or rollback covers."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

from labelloom.core.db.engine import make_engine, make_sessionmaker
from labelloom.core.db.lazy_begin import plain_read, read_mostly
from labelloom.core.testing import postgres_url


@pytest.fixture
async def sessionmaker():
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL here")  # never in CI: postgres_url() raises there
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS lazy_begin_probe"))
        await conn.execute(text("CREATE TABLE lazy_begin_probe (n integer)"))
    yield make_sessionmaker(engine)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE lazy_begin_probe"))
    await engine.dispose()


async def status(db) -> TransactionStatus:
    connection = await db.connection()
    return connection.sync_connection.connection.driver_connection.info.transaction_status


async def test_reads_open_no_transaction(sessionmaker):
    async with sessionmaker() as db:
        await read_mostly(db)
        assert (await db.execute(text("SELECT count(*) FROM lazy_begin_probe"))).scalar_one() == 0
        assert await status(db) == TransactionStatus.IDLE  # no BEGIN was sent
        await db.commit()


async def test_the_first_write_begins_a_transaction_that_rollback_undoes(sessionmaker):
    async with sessionmaker() as db:
        await read_mostly(db)
        await db.execute(text("SELECT 1"))
        await db.execute(text("INSERT INTO lazy_begin_probe VALUES (1)"))
        assert await status(db) == TransactionStatus.INTRANS
        await db.execute(text("INSERT INTO lazy_begin_probe VALUES (2)"))
        await db.rollback()
    async with sessionmaker() as db:
        assert (await db.execute(text("SELECT count(*) FROM lazy_begin_probe"))).scalar_one() == 0
        assert await status(db) == TransactionStatus.INTRANS  # a plain session: a transaction as always


async def test_locks_and_local_settings_get_their_transaction(sessionmaker):
    async with sessionmaker() as db:
        await read_mostly(db)
        await db.execute(text("SET LOCAL statement_timeout = 1234"))
        assert (await db.execute(text("SHOW statement_timeout"))).scalar_one() == "1234ms"  # held
        await db.commit()
    async with sessionmaker() as db:
        await read_mostly(db)
        await db.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        assert await status(db) == TransactionStatus.INTRANS  # the lock lasts to the end of the request
        await db.commit()


async def test_a_connection_goes_back_to_the_pool_with_transactions_on(sessionmaker):
    async with sessionmaker() as db:
        await read_mostly(db)
        await db.execute(text("SELECT 1"))
        await db.commit()
    async with sessionmaker() as db:
        await db.execute(text("INSERT INTO lazy_begin_probe VALUES (1)"))
        assert await status(db) == TransactionStatus.INTRANS
        await db.rollback()


def test_what_counts_as_a_plain_read():
    assert plain_read("SELECT tasks.id FROM tasks WHERE tasks.project_id = %(p)s")
    assert plain_read("  select 1")
    for statement in (
        "UPDATE tasks SET overlap = 1", "WITH x AS (DELETE FROM t RETURNING id) SELECT id FROM x",
        "SELECT id FROM tasks FOR UPDATE SKIP LOCKED", "SELECT id FROM tasks FOR NO KEY UPDATE",
        "SELECT 1 FROM t FOR SHARE", "SELECT pg_advisory_xact_lock(1)", "SELECT set_config('a.b', '1', true)",
        "SET LOCAL statement_timeout = 5", "SELECT nextval('s')",
    ):
        assert not plain_read(statement), statement


async def test_a_copy_through_the_driver_begins_the_transaction_first(sessionmaker):
    from labelloom.core.db.bulk import bulk_insert
    from sqlalchemy import Column, Integer, MetaData, Table

    probe = Table("lazy_begin_probe", MetaData(), Column("n", Integer))
    async with sessionmaker() as db:
        await read_mostly(db)
        await bulk_insert(db, probe, ["n"], [(1,), (2,)])
        assert await status(db) == TransactionStatus.INTRANS
        await db.rollback()  # undoes the COPY
    async with sessionmaker() as db:
        assert (await db.execute(text("SELECT count(*) FROM lazy_begin_probe"))).scalar_one() == 0
