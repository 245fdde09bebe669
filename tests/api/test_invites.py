"""Invite links and sign-up: an administrator shares a link; its token is the only way in.

Also the account endpoints the browser's account and organization pages use: password change
with the current password, "keep me logged in", deactivation, revoking a token by id.
"""

from urllib.parse import parse_qs, urlparse

from litestar.testing import AsyncTestClient


def token_of(invite):
    return parse_qs(urlparse(invite["invite_url"]).query)["token"][0]


async def test_invite_link_is_stable_until_reset(client, admin):
    first = await client.get("/api/invite", headers=admin.headers)
    assert first.status_code == 200
    invite = first.json()
    assert set(invite) == {"invite_url", "token"}
    assert invite["invite_url"].startswith("/user/signup?token=") and token_of(invite) == invite["token"]
    assert (await client.get("/api/invite", headers=admin.headers)).json() == invite

    reset = await client.post("/api/invite/reset-token", headers=admin.headers)
    assert reset.status_code == 200 and reset.json()["token"] != invite["token"]
    assert (await client.get(f"/api/auth/invite?token={invite['token']}")).json() == {"valid": False}
    assert (await client.get(f"/api/auth/invite?token={reset.json()['token']}")).json() == {"valid": True}


async def test_sign_up_with_token_creates_a_signed_in_user(client, admin):
    token = (await client.get("/api/invite", headers=admin.headers)).json()["token"]
    r = await client.post("/api/auth/signup", json={"email": "New@Example.com", "password": "a long password", "token": token,
                                                    "first_name": "Nia"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user"]["email"] == "new@example.com" and body["user"]["is_superuser"] is False
    assert body["user"]["first_name"] == "Nia" and body["user"]["is_active"] is True
    assert client.cookies.get("sessionid")
    assert (await client.get("/api/current-user/whoami")).json()["email"] == "new@example.com"
    # The link keeps working for the next colleague.
    client.cookies.clear()
    again = await client.post("/api/auth/signup", json={"email": "two@example.com", "password": "a long password", "token": token})
    assert again.status_code == 201


async def test_sign_up_is_refused_without_a_live_token(client, admin):
    old = (await client.get("/api/invite", headers=admin.headers)).json()["token"]
    await client.post("/api/invite/reset-token", headers=admin.headers)
    for token in ("", "made-up", old):
        r = await client.post("/api/auth/signup", json={"email": "x@example.com", "password": "a long password", "token": token})
        assert r.status_code == 403, token
        assert "invite link" in r.json()["detail"]
    missing = await client.post("/api/auth/signup", json={"email": "x@example.com", "password": "a long password"})
    assert missing.status_code == 400
    assert "sessionid" not in client.cookies
    users = (await client.get("/api/users/", headers=admin.headers)).json()
    assert [u["email"] for u in users] == [admin.email]


async def test_sign_up_validates_like_account_creation(client, admin):
    token = (await client.get("/api/invite", headers=admin.headers)).json()["token"]
    short = await client.post("/api/auth/signup", json={"email": "s@example.com", "password": "short", "token": token})
    assert short.status_code == 400 and "password" in short.json()["validation_errors"]
    taken = await client.post("/api/auth/signup", json={"email": admin.email, "password": "a long password", "token": token})
    assert taken.status_code == 400 and "email" in taken.json()["validation_errors"]


async def test_only_admins_manage_the_invite_link(client, admin):
    await client.post("/api/users/", headers=admin.headers, json={"email": "bob@example.com", "password": "bob's password"})
    login = await client.post("/api/auth/login", json={"email": "bob@example.com", "password": "bob's password"})
    csrf = {"X-CSRFToken": login.json()["csrf_token"]}
    assert (await client.get("/api/invite")).status_code == 403
    assert (await client.post("/api/invite/reset-token", headers=csrf)).status_code == 403


async def test_keep_me_logged_in_controls_the_cookie_lifetime(client, admin):
    kept = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})
    assert "Max-Age=" in kept.headers["set-cookie"]
    client.cookies.clear()
    session = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password, "remember": False})
    assert session.status_code == 200
    cookies = session.headers.get_list("set-cookie")
    assert cookies and all("Max-Age" not in c and "expires" not in c.lower() for c in cookies)
    assert (await client.get("/api/current-user/whoami")).status_code == 200


async def test_password_change_needs_the_current_password_and_keeps_this_browser(client, admin):
    login = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})
    csrf = {"X-CSRFToken": login.json()["csrf_token"]}
    wrong = await client.post("/api/current-user/password", headers=csrf,
                              json={"current_password": "nope", "new_password": "brand new password"})
    assert wrong.status_code == 400 and "current_password" in wrong.json()["validation_errors"]
    weak = await client.post("/api/current-user/password", headers=csrf,
                             json={"current_password": admin.password, "new_password": "x"})
    assert weak.status_code == 400 and "password" in weak.json()["validation_errors"]
    ok = await client.post("/api/current-user/password", headers=csrf,
                           json={"current_password": admin.password, "new_password": "brand new password"})
    assert ok.status_code == 200
    # This browser got a new session; the old password no longer works.
    assert (await client.get("/api/current-user/whoami")).status_code == 200
    client.cookies.clear()
    old = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})
    assert old.status_code == 401
    new = await client.post("/api/auth/login", json={"email": admin.email, "password": "brand new password"})
    assert new.status_code == 200


async def test_deactivated_user_is_signed_out_and_cannot_log_in(client, make_app, admin):
    admin_client = client
    # Bob's browser: its own client (own cookies) on a second app over the same database.
    async with AsyncTestClient(make_app()) as bob_client:
        bob = (await admin_client.post("/api/users/", headers=admin.headers,
                                       json={"email": "bob@example.com", "password": "bob's password"})).json()
        assert bob.get("is_active") is True, bob
        assert (await bob_client.post("/api/auth/login", json={"email": "bob@example.com", "password": "bob's password"})).status_code == 200
        off = await admin_client.patch(f"/api/users/{bob['id']}/", headers=admin.headers, json={"is_active": False})
        assert off.status_code == 200 and off.json()["is_active"] is False
        assert (await bob_client.get("/api/current-user/whoami")).status_code == 401
        relog = await bob_client.post("/api/auth/login", json={"email": "bob@example.com", "password": "bob's password"})
        assert relog.status_code == 401
        me = await admin_client.patch(f"/api/users/{admin.id}/", headers=admin.headers, json={"is_active": False})
        assert me.status_code == 409
        on = await admin_client.patch(f"/api/users/{bob['id']}/", headers=admin.headers, json={"is_active": True})
        assert on.json()["is_active"] is True


async def test_personal_token_revoked_by_id(client, admin):
    created = (await client.post("/api/token/", headers=admin.headers)).json()
    assert created["token"]
    listed = (await client.get("/api/token/", headers=admin.headers)).json()
    assert [t["id"] for t in listed] == [created["id"]] and listed[0]["token"] is None
    assert (await client.delete(f"/api/token/{created['id']}", headers=admin.headers)).status_code == 204
    assert (await client.get("/api/token/", headers=admin.headers)).json() == []
    refresh = await client.post("/api/token/refresh", json={"refresh": created["token"]})
    assert refresh.status_code == 401
    assert (await client.delete(f"/api/token/{created['id']}", headers=admin.headers)).status_code == 404
