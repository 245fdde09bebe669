"""PostgreSQL's read lane (core/db/read_lane.py): a request that only reads by key (a held
``next``) never checks a connection out of SQLAlchemy's pool, a lane connection the server
dropped is replaced, and the lane's connections close with the app. A route's first read is
made in the round trip of the credential check (``read_ahead``), and only kept when the
credential stands."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from labelloom.core.db import read_lane
from labelloom.core.users import auth
from labelloom.core.db.engine import make_engine

from .helpers import choice, import_texts

POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _count_lane_reads(monkeypatch, lane) -> list[str]:
    """What the lane is asked for: ``fetch`` (one read) or ``fetch_two`` (two in one round trip)."""
    calls: list[str] = []
    for name in ("fetch", "fetch_two"):
        original = getattr(lane, name)

        async def counted(*args, _original=original, _name=name):
            calls.append(_name)
            return await _original(*args)

        monkeypatch.setattr(lane, name, counted)
    return calls


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


@POSTGRES_ONLY
async def test_a_held_next_and_a_create_read_ahead_in_the_credential_round_trip(client, admin, project, monkeypatch):
    ids = await import_texts(client, admin, project["id"], ["one", "two"])
    first = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    assert first.status_code == 200, first.text
    calls = _count_lane_reads(monkeypatch, _lane(client))
    again = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    assert again.json()["id"] == first.json()["id"]  # the held task, read with the epochs
    assert calls == ["fetch_two"]
    calls.clear()
    made = await client.post(f"/api/tasks/{ids[1]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert made.status_code == 201, made.text
    assert made.json()["task"] == ids[1] and made.json()["project"] == project["id"]
    assert calls == ["fetch_two"]  # the task and its project, read with the epochs
    calls.clear()
    missing = await client.post("/api/tasks/999999/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert missing.status_code == 404 and calls == ["fetch_two"]  # read ahead, found nothing


@POSTGRES_ONLY
async def test_a_read_ahead_is_dropped_when_the_credential_does_not_stand(client, admin, project, monkeypatch, database_url):
    await import_texts(client, admin, project["id"], ["one", "two"])
    first = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    calls = _count_lane_reads(monkeypatch, _lane(client))
    forgotten = []
    original_forget = auth.forget_read_ahead
    monkeypatch.setattr(auth, "forget_read_ahead", lambda db: forgotten.append(db) or original_forget(db))
    bump = make_engine(database_url)
    try:
        async with bump.begin() as conn:  # what any change of users, tokens or memberships does
            await conn.execute(text("UPDATE cache_epochs SET epoch = epoch + 1 WHERE name = 'auth'"))
        again = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
        # Made for the cached user, then dropped: the user is loaded again, and with it the
        # session holds a connection, where the task is read again (no lane read).
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert calls == ["fetch_two"] and len(forgotten) == 1
        async with bump.begin() as conn:
            await conn.execute(text("DELETE FROM api_tokens"))  # every token revoked
        calls.clear()
        revoked = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
        assert revoked.status_code == 401 and calls == ["fetch_two"] and len(forgotten) == 2  # never used
    finally:
        await bump.dispose()
