"""Issue 16: a password change needs the current password and ends every older credential."""

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from labelloom.core.users.models import LoginThrottle, User


async def _login(client, email, password):
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    cookie, csrf = client.cookies.get("sessionid"), response.json()["csrf_token"]
    client.cookies.clear()
    return {"Cookie": f"sessionid={cookie}", "X-CSRFToken": csrf}


async def _personal_token(client, headers):
    refresh = (await client.post("/api/token/", headers=headers)).json()["token"]
    access = (await client.post("/api/token/refresh", json={"refresh": refresh})).json()["access"]
    return refresh, {"Authorization": f"Bearer {access}"}


async def _whoami(client, headers):
    return (await client.get("/api/current-user/whoami", headers=headers)).status_code


async def test_self_service_password_change_needs_the_current_password(client, admin):
    missing = await client.patch("/api/current-user", json={"password": "a new long password"}, headers=admin.headers)
    assert missing.status_code == 400 and "current_password" in missing.json()["validation_errors"]
    wrong = await client.patch(
        "/api/current-user",
        json={"password": "a new long password", "current_password": "not my password"},
        headers=admin.headers,
    )
    assert wrong.status_code == 400 and "current_password" in wrong.json()["validation_errors"]
    # PATCH /api/users/<own id> is self-service too.
    own = await client.patch(f"/api/users/{admin.id}", json={"password": "a new long password"}, headers=admin.headers)
    assert own.status_code == 400 and "current_password" in own.json()["validation_errors"]
    # Nothing changed: the old password still signs in.
    assert (await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})).status_code == 200
    client.cookies.clear()
    # Other profile fields need no password.
    assert (await client.patch("/api/current-user", json={"first_name": "Ada"}, headers=admin.headers)).status_code == 200


async def test_password_change_ends_every_other_credential(client, admin):
    other_browser = await _login(client, admin.email, admin.password)
    this_browser = await _login(client, admin.email, admin.password)
    refresh, bearer = await _personal_token(client, admin.headers)
    assert {await _whoami(client, h) for h in (other_browser, this_browser, bearer, admin.headers)} == {200}

    changed = await client.patch(
        "/api/current-user",
        json={"password": "a brand new password", "current_password": admin.password},
        headers=this_browser,
    )
    assert changed.status_code == 200, changed.text

    assert await _whoami(client, this_browser) == 200  # the browser that changed it stays in
    assert await _whoami(client, other_browser) == 401
    assert await _whoami(client, bearer) == 401  # access tokens: the credential version moved on
    assert await _whoami(client, admin.headers) == 401  # the legacy token was rotated
    assert (await client.post("/api/token/refresh", json={"refresh": refresh})).status_code == 401
    assert (await client.get("/api/token/", headers=this_browser)).json() == []

    new_key = (await client.get("/api/current-user/token", headers=this_browser)).json()["token"]
    assert new_key != admin.token
    assert await _whoami(client, {"Authorization": f"Token {new_key}"}) == 200
    # New personal access tokens work under the new version.
    _, fresh_bearer = await _personal_token(client, {"Authorization": f"Token {new_key}"})
    assert await _whoami(client, fresh_bearer) == 200
    assert (await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})).status_code == 401


async def test_password_endpoint_rotates_too(client, admin):
    refresh, bearer = await _personal_token(client, admin.headers)
    other_browser = await _login(client, admin.email, admin.password)
    r = await client.post(
        "/api/current-user/password",
        json={"current_password": admin.password, "new_password": "a brand new password"},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    for headers in (admin.headers, bearer, other_browser):
        assert await _whoami(client, headers) == 401
    assert (await client.post("/api/token/refresh", json={"refresh": refresh})).status_code == 401


async def test_admin_reset_and_cli_reset_revoke_the_users_credentials(client, admin, make_settings):
    from labelloom.core.commands import db as commands

    created = await client.post(
        "/api/users/", headers=admin.headers, json={"email": "bob@example.com", "password": "bob's password"}
    )
    bob_id = created.json()["id"]
    bob_browser = await _login(client, "bob@example.com", "bob's password")
    bob_token = (await client.get("/api/current-user/token", headers=bob_browser)).json()["token"]
    _, bob_bearer = await _personal_token(client, bob_browser)

    # An administrator resets Bob's password: no current password needed, Bob's credentials end.
    reset = await client.patch(f"/api/users/{bob_id}", json={"password": "set by the admin"}, headers=admin.headers)
    assert reset.status_code == 200, reset.text
    for headers in (bob_browser, bob_bearer, {"Authorization": f"Token {bob_token}"}):
        assert await _whoami(client, headers) == 401
    assert await _whoami(client, admin.headers) == 200  # the administrator's own are untouched

    bob_browser = await _login(client, "bob@example.com", "set by the admin")
    _, bob_bearer = await _personal_token(client, bob_browser)
    await commands.reset_password(make_settings(), "bob@example.com", "set on the command line")
    assert await _whoami(client, bob_browser) == 401
    assert await _whoami(client, bob_bearer) == 401
    await _login(client, "bob@example.com", "set on the command line")


async def test_the_only_administrator_cannot_drop_their_admin_rights(client, admin):
    for path in ("/api/current-user", f"/api/users/{admin.id}"):
        r = await client.patch(path, json={"is_superuser": False}, headers=admin.headers)
        assert r.status_code == 400 and "is_superuser" in r.json()["validation_errors"], r.text
    assert (await client.get("/api/current-user", headers=admin.headers)).json()["is_superuser"] is True

    other = await client.post(
        "/api/users/", headers=admin.headers, json={"email": "eve@example.com", "password": "eve's password"}
    )
    promoted = await client.patch(f"/api/users/{other.json()['id']}", json={"is_superuser": True}, headers=admin.headers)
    assert promoted.status_code == 200
    # With a second administrator, stepping down is fine.
    r = await client.patch("/api/current-user", json={"is_superuser": False}, headers=admin.headers)
    assert r.status_code == 200 and r.json()["is_superuser"] is False
