"""Issue 17: credentials, roles and memberships are served from a per-process cache that a change
made by ANY process ends (the ``auth`` cache epoch, bumped by triggers, migration 0018).

Two applications on one database stand for two server processes: each has its own cache. Every
change is made through one and must be seen by the other on its very next request.
"""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from labelloom.core.db.engine import make_engine

from ..teams.conftest import add_member, make_member


@pytest.fixture
async def other(make_app):
    """A second server process: its own app, engine and credential cache."""
    async with AsyncTestClient(make_app()) as second:
        yield second


async def _status(client, path, headers):
    return (await client.get(path, headers=headers)).status_code


async def _login(client, email, password):
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    cookie, csrf = client.cookies.get("sessionid"), response.json()["csrf_token"]
    client.cookies.clear()
    return {"Cookie": f"sessionid={cookie}", "X-CSRFToken": csrf}


async def test_a_role_change_elsewhere_reaches_the_cached_credential(client, other, admin, project):
    pid = project["id"]
    bob = await make_member(client, admin, "bob@example.com", None)  # the default role: manager
    for _ in range(2):  # the second answer comes from the other process's cache
        assert await _status(other, f"/api/projects/{pid}", bob.headers) == 200

    demoted = await client.patch(
        "/api/organizations/1/memberships", headers=admin.headers, json={"user_id": bob.id, "role": "AN"}
    )
    assert demoted.status_code == 200, demoted.text
    assert await _status(other, f"/api/projects/{pid}", bob.headers) == 403  # not a member

    await add_member(client, admin, pid, bob.id)
    assert await _status(other, f"/api/projects/{pid}", bob.headers) == 200
    assert await _status(other, f"/api/projects/{pid}", bob.headers) == 200  # cached membership
    removed = await client.request("DELETE", f"/api/projects/{pid}/members/", headers=admin.headers, json={"user": bob.id})
    assert removed.status_code == 204
    assert await _status(other, f"/api/projects/{pid}", bob.headers) == 403


async def test_token_reset_and_deactivation_elsewhere_end_the_cached_credential(client, other, admin):
    bob = await make_member(client, admin, "bob@example.com", "AN")
    assert await _status(other, "/api/current-user/whoami", bob.headers) == 200
    new_key = (await client.post("/api/current-user/reset-token", headers=bob.headers)).json()["token"]
    assert await _status(other, "/api/current-user/whoami", bob.headers) == 401
    fresh = {"Authorization": f"Token {new_key}"}
    assert await _status(other, "/api/current-user/whoami", fresh) == 200

    deactivated = await client.patch(f"/api/users/{bob.id}", headers=admin.headers, json={"is_active": False})
    assert deactivated.status_code == 200, deactivated.text
    assert await _status(other, "/api/current-user/whoami", fresh) == 401
    # Profile changes show at once too (the cached user is a copy of the row).
    await client.patch("/api/current-user", headers=admin.headers, json={"first_name": "Ada"})
    assert (await other.get("/api/current-user", headers=admin.headers)).json()["first_name"] == "Ada"


async def test_sign_out_and_raw_sql_elsewhere_end_cached_sessions_and_bearers(client, other, admin, database_url):
    browser = await _login(client, admin.email, admin.password)
    refresh = (await client.post("/api/token/", headers=admin.headers)).json()["token"]
    access = (await client.post("/api/token/refresh", json={"refresh": refresh})).json()["access"]
    bearer = {"Authorization": f"Bearer {access}"}
    for headers in (browser, bearer, browser, bearer):
        assert await _status(other, "/api/current-user/whoami", headers) == 200

    out = await client.post("/api/auth/logout", headers=browser)
    assert out.status_code == 204, out.text
    assert await _status(other, "/api/current-user/whoami", browser) == 401

    # A change no server process made (a script, the CLI, another machine): the trigger still
    # moves the epoch, so cached bearer tokens of an older credential version end.
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE users SET credential_version = credential_version + 1 WHERE id = :id"),
                           {"id": admin.id})
    await engine.dispose()
    assert await _status(other, "/api/current-user/whoami", bearer) == 401
    assert await _status(client, "/api/current-user/whoami", bearer) == 401


async def test_a_handler_changing_its_user_does_not_change_the_cache(client, admin):
    for name in ("Ada", "Grace"):
        r = await client.patch("/api/current-user", headers=admin.headers, json={"first_name": name})
        assert r.status_code == 200, r.text
        assert (await client.get("/api/current-user", headers=admin.headers)).json()["first_name"] == name
