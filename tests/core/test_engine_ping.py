"""PostgreSQL pool connections are pinged only after sitting idle (core/db/engine.py): a busy
pool pays no round trip per request, and a connection the server closed while it was idle is
replaced before a request sees it."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from labelloom.core.db.engine import make_engine
from labelloom.core.testing import postgres_url


@pytest.fixture
async def engine_and_pings():
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL here")  # never in CI: postgres_url() raises there
    engine = make_engine(url)
    pings: list[int] = []
    original = engine.dialect.do_ping
    engine.dialect.do_ping = lambda connection: pings.append(1) or original(connection)  # type: ignore[method-assign]
    yield engine, pings
    await engine.dispose()


async def backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()


def idle_for(records, seconds: float) -> None:
    """Make these pooled connections look checked in ``seconds`` ago."""
    for record in records:
        record.info["idle_since"] -= seconds


async def test_a_connection_used_moments_ago_is_not_pinged(engine_and_pings):
    engine, pings = engine_and_pings
    first = await backend_pid(engine)
    for _ in range(5):
        assert await backend_pid(engine) == first  # the same hot connection (LIFO)
    assert pings == []


async def test_an_idle_connection_closed_by_the_server_is_replaced_before_use(engine_and_pings):
    engine, pings = engine_and_pings
    checked_in = []
    event.listen(engine.sync_engine.pool, "checkin", lambda _connection, record: checked_in.append(record))
    dead = await backend_pid(engine)
    killer = make_engine(postgres_url())
    async with killer.connect() as other:
        assert (await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})).scalar_one()
    await killer.dispose()
    idle_for(checked_in, 60)
    replaced = await backend_pid(engine)  # no error: the ping found it closed, the pool reconnected
    assert replaced != dead
    assert pings  # pinged because it had been idle
    pings.clear()
    assert await backend_pid(engine) == replaced and pings == []
