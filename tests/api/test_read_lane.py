"""PostgreSQL's read lane (core/db/read_lane.py): a request that only reads by key (a held
``next``) never checks a connection out of SQLAlchemy's pool, a lane connection the server
dropped is replaced, and the lane's connections close with the app."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from labelloom.core.db import read_lane
from labelloom.core.db.engine import make_engine

from .helpers import import_texts

POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _lane(client):
    lane = read_lane.lane_of(client.app.state.engine.sync_engine)
    assert lane is not None
    return lane


@POSTGRES_ONLY
async def test_a_held_next_checks_nothing_out_of_the_pool(client, admin, project):
    await import_texts(client, admin, project["id"], ["one", "two"])
    first = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    assert first.status_code == 200, first.text
    checkouts = []
    pool = client.app.state.engine.sync_engine.pool
    listener = lambda *args: checkouts.append(args)  # noqa: E731
    event.listen(pool, "checkout", listener)
    try:
        again = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
        whoami = await client.get("/api/current-user/whoami", headers=admin.headers)
    finally:
        event.remove(pool, "checkout", listener)
    assert again.json()["id"] == first.json()["id"]  # the held task, read on the lane
    assert whoami.status_code == 200
    assert checkouts == []


@POSTGRES_ONLY
async def test_a_lane_connection_the_server_dropped_is_replaced(client, admin, project, database_url):
    await import_texts(client, admin, project["id"], ["one"])
    assert (await client.get("/api/current-user/whoami", headers=admin.headers)).status_code == 200
    lane = _lane(client)
    [connection] = lane._idle
    killer = make_engine(database_url)
    try:
        async with killer.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": connection.info.backend_pid})
    finally:
        await killer.dispose()
    response = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    assert response.status_code == 200, response.text  # the read was tried again on a new connection
    assert connection.closed and lane._idle and lane._idle[0] is not connection


@POSTGRES_ONLY
async def test_the_lanes_connections_close_with_the_app(make_app, database_url):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(make_app()) as client:
        made = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "correct horse battery"})
        assert made.status_code == 201, made.text
        token = (await client.get("/api/current-user/token")).json()["token"]
        client.cookies.clear()
        assert (await client.get("/api/current-user/whoami", headers={"Authorization": f"Token {token}"})).status_code == 200
        lane = _lane(client)
        opened = list(lane._idle)
        assert opened
    assert all(connection.closed for connection in opened) and lane._idle == []
