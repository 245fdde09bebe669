"""Issue 16: sign-in throttling with back-off, no account enumeration, JSON only."""

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import update

from labelloom.core.users import passwords
from labelloom.core.users.models import LoginThrottle


async def _login(client, email, password, **kwargs):
    return await client.post("/api/auth/login", json={"email": email, "password": password}, **kwargs)


async def _set_up(client):
    r = await client.post("/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
    assert r.status_code == 201
    client.cookies.clear()


async def test_fifty_wrong_passwords_lock_the_account_with_back_off(make_app):
    app = make_app(login_lockout_base=60.0, login_failures_per_address=1000)
    async with AsyncTestClient(app) as client:
        await _set_up(client)
        answers = [(await _login(client, "admin@example.com", f"guess {i}")).status_code for i in range(50)]
        assert answers[:5] == [401] * 5
        assert set(answers[5:]) == {429}
        # The right password is refused too while the account is locked, with a Retry-After.
        locked = await _login(client, "admin@example.com", "correct horse battery")
        assert locked.status_code == 429
        assert 0 < int(locked.headers["retry-after"]) <= 60
        assert "Too many failed sign-ins" in locked.json()["detail"]
        assert "sessionid" not in client.cookies

        # Back-off: once the lock has passed, one more failure locks for twice as long.
        async with app.state.sessionmaker() as db:
            await db.execute(update(LoginThrottle).values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
            await db.commit()
        assert (await _login(client, "admin@example.com", "guess again")).status_code == 401
        again = await _login(client, "admin@example.com", "correct horse battery")
        assert again.status_code == 429 and 60 < int(again.headers["retry-after"]) <= 120

        # After the lock, the right password signs in and clears the account's failures.
        async with app.state.sessionmaker() as db:
            await db.execute(update(LoginThrottle).values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
            await db.commit()
        assert (await _login(client, "admin@example.com", "correct horse battery")).status_code == 200
        client.cookies.clear()
        assert [(await _login(client, "admin@example.com", "x")).status_code for _ in range(5)] == [401] * 5


async def test_one_address_trying_many_accounts_is_throttled(make_app):
    app = make_app(login_failures_per_address=3, login_lockout_base=60.0)
    async with AsyncTestClient(app) as client:
        await _set_up(client)
        answers = [(await _login(client, f"user{i}@example.com", "a password")).status_code for i in range(5)]
        assert answers == [401, 401, 401, 429, 429]
        # Another account from the same address is refused too.
        assert (await _login(client, "admin@example.com", "correct horse battery")).status_code == 429


async def test_unknown_and_inactive_accounts_hash_a_password_too(client, admin, monkeypatch):
    calls = []
    real = passwords.verify_password

    def counting(password_hash, password):
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    assert (await _login(client, "nobody@example.com", "a password")).status_code == 401
    assert len(calls) == 1 and calls[0].startswith("$argon2")
    assert (await _login(client, admin.email, "a wrong password")).status_code == 401
    assert len(calls) == 2

    created = await client.post("/api/users/", headers=admin.headers, json={"email": "ina@example.com", "password": "ina's password"})
    await client.patch(f"/api/users/{created.json()['id']}", json={"is_active": False}, headers=admin.headers)
    calls.clear()
    inactive = await _login(client, "ina@example.com", "ina's password")
    assert inactive.status_code == 401 and inactive.json()["detail"] == "Invalid email or password."
    assert len(calls) == 1 and calls[0].startswith("$argon2")


async def test_login_answers_json_requests_only(client, admin):
    body = '{"email": "admin@example.com", "password": "correct horse battery"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        r = await client.post("/api/auth/login", content=body, headers={"Content-Type": content_type})
        assert r.status_code == 415, (content_type, r.text)
        assert "application/json" in r.json()["detail"]
    assert "sessionid" not in client.cookies
    r = await client.post("/api/auth/login", content=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 200
