"""Fixtures for the teams tests: a project with tasks, and one user per role with a token."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from labelloom.core.users import service as users
from labelloom.core.users.models import User

from ..api.helpers import TEXT_CONFIG, import_texts

ROLES = ["OW", "AD", "MA", "RE", "AN"]


@dataclass
class Member:
    id: int
    email: str
    token: str
    role: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


async def make_member(client, admin, email: str, role: str | None) -> Member:
    response = await client.post(
        "/api/users/", headers=admin.headers, json={"email": email, "password": "correct horse battery"}
    )
    assert response.status_code == 201, response.text
    user_id = response.json()["id"]
    if role is not None:
        response = await client.patch(
            "/api/organizations/1/memberships", headers=admin.headers, json={"user_id": user_id, "role": role}
        )
        assert response.status_code == 200, response.text
    async with client.app.state.sessionmaker() as db:
        user = (await db.execute(select(User).where(User.id == user_id))).scalar_one()
        token = await users.api_token(db, user)
        await db.commit()
    return Member(user_id, email, token, role or "")


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Team", "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def task_ids(client, admin, project):
    return await import_texts(client, admin, project["id"], [f"text {i}" for i in range(6)])


@pytest.fixture
async def people(client, admin) -> dict[str, Member]:
    """One member per role (the owner is the set-up administrator), none in any project yet."""
    found = {"OW": Member(admin.id, admin.email, admin.token, "OW")}
    for role in ROLES[1:]:
        found[role] = await make_member(client, admin, f"{role.lower()}@example.com", role)
    return found


async def add_member(client, admin, project_id: int, user_id: int) -> None:
    response = await client.post(f"/api/projects/{project_id}/members/", headers=admin.headers, json={"user": user_id})
    assert response.status_code == 201, response.text
