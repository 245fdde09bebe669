"""Authentication: legacy tokens, personal access tokens (JWT), browser sessions with CSRF."""

import re
import time

import jwt
import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from labelloom.core.webapp import APP_PATHS

PUBLIC = {"/", "/health", "/api/version", "/api/auth/login", "/api/auth/setup",
          "/api/token/refresh", "/api/token/blacklist", "/api/token/rotate",
          "/api/auth/signup", "/api/auth/invite"} | set(APP_PATHS)


async def test_every_route_requires_auth_unless_public(make_app):
    app = make_app()
    checked = 0
    async with AsyncTestClient(app) as client:
        for route in app.routes:
            if not isinstance(route, HTTPRoute) or route.path.startswith(("/static", "/docs")):
                continue
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            for handler in route.route_handlers:
                assert isinstance(handler, HTTPRouteHandler)
                if handler.http_methods <= {"OPTIONS", "HEAD"}:
                    continue
                public = bool(handler.opt.get("public"))
                assert public == (route.path in PUBLIC), f"{route.path} public={public}"
                if public:
                    continue
                for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                    response = await client.request(method, path)
                    assert response.status_code == 401, f"{method} {path} -> {response.status_code}"
                    assert response.json()["detail"]
                    checked += 1
    assert checked >= 10


async def test_token_auth(client, admin):
    response = await client.get("/api/current-user/whoami", headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["email"] == admin.email
    bad = await client.get("/api/current-user/whoami", headers={"Authorization": "Token nope"})
    assert bad.status_code == 401 and bad.json()["detail"] == "Invalid token."


async def test_reset_token_revokes_old_key(client, admin):
    response = await client.post("/api/current-user/reset-token/", headers=admin.headers)
    assert response.status_code == 201
    new = response.json()["token"]
    assert new != admin.token
    assert (await client.get("/api/current-user/whoami", headers=admin.headers)).status_code == 401
    fresh = {"Authorization": f"Token {new}"}
    assert (await client.get("/api/current-user/token", headers=fresh)).json()["token"] == new


async def test_legacy_tokens_can_be_disabled(make_app, admin):
    async with AsyncTestClient(make_app(legacy_tokens_enabled=False)) as client:
        response = await client.get("/api/current-user/whoami", headers=admin.headers)
    assert response.status_code == 401


async def test_personal_access_token_flow(client, admin):
    created = await client.post("/api/token/", headers=admin.headers)
    assert created.status_code == 201
    refresh = created.json()["token"]
    claims = jwt.decode(refresh, options={"verify_signature": False})
    assert claims["token_type"] == "refresh" and claims["exp"] > time.time()

    access = (await client.post("/api/token/refresh/", json={"refresh": refresh})).json()["access"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert (await client.get("/api/current-user/whoami", headers=bearer)).json()["email"] == admin.email

    # A refresh token is not an access token.
    wrong = await client.get("/api/current-user/whoami", headers={"Authorization": f"Bearer {refresh}"})
    assert wrong.status_code == 401

    listed = (await client.get("/api/token/", headers=admin.headers)).json()
    assert len(listed) == 1 and listed[0]["token"] is None  # the secret is shown only once

    rotated = (await client.post("/api/token/rotate/", json={"refresh": refresh})).json()["refresh"]
    assert (await client.post("/api/token/refresh/", json={"refresh": refresh})).status_code == 401
    assert (await client.post("/api/token/refresh/", json={"refresh": rotated})).status_code == 200

    assert (await client.post("/api/token/blacklist/", json={"refresh": rotated})).status_code == 204
    assert (await client.post("/api/token/refresh/", json={"refresh": rotated})).status_code == 401


async def test_expired_or_forged_access_token(client, admin):
    forged = jwt.encode({"token_type": "access", "user_id": admin.id, "jti": "x", "exp": time.time() + 60},
                        "not-the-secret-key-but-just-as-long-as-it", algorithm="HS256")
    r = await client.get("/api/current-user/whoami", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    expired = jwt.encode({"token_type": "access", "user_id": admin.id, "jti": "x", "exp": time.time() - 1},
                         "test-secret-key-of-a-reasonable-length", algorithm="HS256")
    r = await client.get("/api/current-user/whoami", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401


async def test_session_cookie_with_csrf(client, admin):
    login = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})
    assert login.status_code == 200
    csrf = login.json()["csrf_token"]
    assert client.cookies.get("csrftoken") == csrf
    assert (await client.get("/api/current-user/whoami")).json()["email"] == admin.email

    # Cookie-authenticated writes need the CSRF token.
    refused = await client.patch("/api/current-user", json={"first_name": "Ada"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = await client.patch("/api/current-user", json={"first_name": "Ada"}, headers={"X-CSRFToken": "x"})
    assert wrong.status_code == 403
    ok = await client.patch("/api/current-user", json={"first_name": "Ada"}, headers={"X-CSRFToken": csrf})
    assert ok.status_code == 200 and ok.json()["first_name"] == "Ada"

    # A refused write changed nothing; logout ends the session for good.
    cookie = client.cookies.get("sessionid")
    assert (await client.post("/api/auth/logout", headers={"X-CSRFToken": csrf})).status_code == 204
    client.cookies.clear()
    client.cookies.set("sessionid", cookie)
    assert (await client.get("/api/current-user/whoami")).status_code == 401


async def test_wrong_password(client, admin):
    r = await client.post("/api/auth/login", json={"email": admin.email, "password": "wrong password"})
    assert r.status_code == 401 and r.json()["detail"] == "Invalid email or password."
    assert "sessionid" not in client.cookies


async def test_first_run_setup_only_once(client):
    assert (await client.get("/api/auth/setup")).json() == {"needs_admin": True}
    short = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "short"})
    assert short.status_code == 400 and "password" in short.json()["validation_errors"]
    first = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "long enough"})
    assert first.status_code == 201 and first.json()["user"]["is_superuser"] is True
    client.cookies.clear()
    assert (await client.get("/api/auth/setup")).json() == {"needs_admin": False}
    again = await client.post("/api/auth/setup", json={"email": "b@example.com", "password": "long enough"})
    assert again.status_code == 403


async def test_password_change_signs_out_browsers(client, admin):
    login = await client.post("/api/auth/login", json={"email": admin.email, "password": admin.password})
    cookie = client.cookies.get("sessionid")
    client.cookies.clear()
    r = await client.patch("/api/current-user", json={"password": "another long one", "current_password": admin.password}, headers=admin.headers)
    assert r.status_code == 200
    client.cookies.set("sessionid", cookie)
    assert (await client.get("/api/current-user/whoami")).status_code == 401
    assert login.status_code == 200
