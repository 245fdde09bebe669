import pytest

from labelloom.core.testing import SignedUp

from ..api.helpers import TEXT_CONFIG, choice, import_texts


async def make_user(client, admin, email, role=None):
    """A user with a token; ``role`` (LSE code: AN, RE, MA...) set through the memberships API."""
    password = "a long enough password"
    created = await client.post("/api/users/", headers=admin.headers, json={"email": email, "password": password})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    login = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    token = (await client.get("/api/current-user/token")).json()["token"]
    await client.post("/api/auth/logout", headers={"X-CSRFToken": login.json().get("csrf_token", "")})
    client.cookies.clear()
    if role:
        r = await client.patch("/api/organizations/1/memberships", headers=admin.headers, json={"user_id": user_id, "role": role})
        assert r.status_code == 200, r.text
    return SignedUp(user_id, email, password, token)


@pytest.fixture
async def project(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Review", "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
async def annotator(client, admin):
    return await make_user(client, admin, "ann@example.com")


@pytest.fixture
async def reviewer(client, admin):
    return await make_user(client, admin, "rev@example.com")


async def submit(client, who, task_id, label="Positive"):
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=who.headers, json={"result": choice(label), "lead_time": 2.5})
    assert r.status_code == 201, r.text
    return r.json()


__all__ = ["choice", "import_texts", "make_user", "submit"]
