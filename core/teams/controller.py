"""Team routes in Label Studio Enterprise's shapes: organization memberships with roles,
project members, per-task assignees, the project's assignment settings, and the caller's own
role and permissions (``/api/current-user/permissions``, for the web app)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import delete as sql_delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..input_limits import Id
from ..paging import page_links
from ..users import service as users
from ..users.models import User
from . import assignments, service
from .models import ORGANIZATION_ID, ProjectMember, TaskAssignment
from .permissions import ORGANIZATION_WIDE, permissions_of, requires, role_of
from .roles import effective_role
from .scope import PROJECTS, TASKS


def _organization(organization_id: int) -> None:
    if organization_id != ORGANIZATION_ID:
        raise NotFound(f"Organization {organization_id} not found; Labelloom has organization {ORGANIZATION_ID}.")


class MembershipUpdate(msgspec.Struct, forbid_unknown_fields=False):
    user_id: Id
    role: str


class OrganizationUpdate(msgspec.Struct, forbid_unknown_fields=False):
    default_role: str | msgspec.UnsetType = msgspec.UNSET


class OrganizationController(Controller):
    path = "/api/organizations/{organization_id:int}"
    tags = ["Organizations"]

    @get("/", operation_id="organization_get", guards=[requires("account.use")])
    async def get_one(self, db: AsyncSession, organization_id: int) -> dict[str, Any]:
        _organization(organization_id)
        return await service.organization_json(db)

    @patch("/", operation_id="organization_update", guards=[requires("organization.manage")])
    async def update(self, db: AsyncSession, organization_id: int, data: OrganizationUpdate) -> dict[str, Any]:
        """``default_role``: the role of users nobody gave one (``MA``, ``RE`` or ``AN``)."""
        _organization(organization_id)
        if data.default_role is not msgspec.UNSET:
            return await service.set_default_role(db, service.parse_role(data.default_role, "default_role"))
        return await service.organization_json(db)

    @get("/memberships", operation_id="organization_memberships_list", guards=[requires("organization.view")])
    async def memberships(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        organization_id: int,
        role: str | None = None,
        search: str | None = None,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=100, ge=1, le=1000),
    ) -> dict[str, Any]:
        """Members and roles; ``role=AN,RE`` keeps those roles, ``search`` matches name or email."""
        _organization(organization_id)
        roles = [service.parse_role(r.strip()) for r in role.split(",") if r.strip()] if role else None
        total, results = await service.list_memberships(db, roles=roles, search=search, page=page, page_size=page_size)
        previous, following = page_links(request, page, page_size, total)
        return {"count": total, "next": following, "previous": previous, "results": results}

    @patch(
        "/memberships", operation_id="organization_memberships_update", guards=[requires("organization.manage")],
        status_code=HTTP_200_OK,
    )
    async def set_role(self, db: AsyncSession, user: User, organization_id: int, data: MembershipUpdate) -> dict[str, Any]:
        _organization(organization_id)
        return await service.set_role(db, data.user_id, service.parse_role(data.role), by=user)

    @get("/memberships/{user_id:int}", operation_id="organization_membership_get", guards=[requires("organization.view")])
    async def membership(self, db: AsyncSession, organization_id: int, user_id: int) -> dict[str, Any]:
        _organization(organization_id)
        return await service.get_membership(db, user_id)

    @delete(
        "/memberships/{user_id:int}", operation_id="organization_membership_delete",
        guards=[requires("organization.manage")], status_code=HTTP_204_NO_CONTENT,
    )
    async def deactivate(self, db: AsyncSession, user: User, organization_id: int, user_id: int) -> None:
        """Label Studio removes the member; here the account is deactivated (its work stays)."""
        _organization(organization_id)
        await service.set_role(db, user_id, service.Role.DEACTIVATED, by=user)


class PermissionsController(Controller):
    path = "/api/current-user/permissions"
    tags = ["Users"]

    @get("/", operation_id="current_user_permissions", guards=[requires("account.use")])
    async def mine(self, db: AsyncSession, user: User) -> dict[str, Any]:
        """The caller's role, what it allows, and whether they see every project."""
        role = await role_of(db, user)
        return {
            "role": role.value,
            "role_label": role.label,
            "permissions": list(permissions_of(role)),
            "all_projects": role in ORGANIZATION_WIDE,
        }


class MemberIn(msgspec.Struct, forbid_unknown_fields=False):
    user: Id  # an unbounded int would reach the database and overflow there


class ProjectMembersController(Controller):
    path = "/api/projects/{project_id:int}/members"
    tags = ["Project members"]

    @get("/", operation_id="project_members_list", guards=[requires("projects.view", "project_id")])
    async def list_members(self, db: AsyncSession, project_id: int) -> list[dict[str, Any]]:
        """``[{id, user: {...}, role}]``: the project's members with their organization roles."""
        return await _members(db, project_id)

    @get("/paginated", operation_id="project_members_paginated", guards=[requires("projects.view", "project_id")])
    async def paginated(
        self, request: Request[Any, Any, Any], db: AsyncSession, project_id: int,
        page: int = Parameter(default=1, ge=1), page_size: int = Parameter(default=100, ge=1, le=1000),
    ) -> dict[str, Any]:
        members = await _members(db, project_id)
        chunk = members[(page - 1) * page_size : page * page_size]
        previous, following = page_links(request, page, page_size, len(members))
        return {"count": len(members), "next": following, "previous": previous, "results": [m["user"] for m in chunk]}

    @post("/", operation_id="project_members_add", guards=[requires("projects.manage", "project_id")], status_code=HTTP_201_CREATED)
    async def add(self, db: AsyncSession, project_id: int, request: Request[Any, Any, Any]) -> dict[str, Any]:
        # Decoded here: Litestar reports a bad field named ``user`` (its own reserved name) as a 500.
        data = _member_in(await request.body())
        await _project(db, project_id)
        user_ids = await assignments.check_users(db, [data.user])
        await assignments.add_members(db, project_id, user_ids)
        return {"user": data.user}

    @delete("/", operation_id="project_members_remove", guards=[requires("projects.manage", "project_id")], status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self, db: AsyncSession, project_id: int, request: Request[Any, Any, Any],
        member: int | None = Parameter(query="user", default=None),
    ) -> None:
        """The member is ``?user=<id>`` or the JSON body ``{"user": id}`` (the SDK's form).
        Their task assignments in the project end with the membership."""
        user = member
        if user is None:
            body = await request.body()
            user = _member_in(body).user if body else None
        if user is None:
            raise ValidationFailed("Name the member to remove: {\"user\": <id>}.", validation_errors={"user": ["required"]})
        await db.execute(sql_delete(ProjectMember).where(ProjectMember.project_id == project_id, ProjectMember.user_id == user))
        await db.execute(sql_delete(TaskAssignment).where(TaskAssignment.project_id == project_id, TaskAssignment.user_id == user))


def _member_in(body: bytes) -> MemberIn:
    try:
        return msgspec.json.decode(body, type=MemberIn)
    except msgspec.DecodeError as error:
        raise ValidationFailed(f"Invalid body: {error}", validation_errors={"user": [str(error)]}) from None


async def _project(db: AsyncSession, project_id: int) -> None:
    if (await db.execute(select(PROJECTS.c.id).where(PROJECTS.c.id == project_id))).first() is None:
        raise NotFound(f"Project {project_id} not found.")


async def _members(db: AsyncSession, project_id: int) -> list[dict[str, Any]]:
    await _project(db, project_id)
    rows = await db.execute(
        select(ProjectMember.id, User).join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == project_id).order_by(ProjectMember.id)
    )
    out = []
    for member_id, member in rows:
        role = await effective_role(db, member)
        out.append({"id": member_id, "user": msgspec.to_builtins(users.user_out(member)), "role": role.value})
    return out


class AssigneesIn(msgspec.Struct, forbid_unknown_fields=False):
    type: str = "AN"
    users: list[Id] | None = None


class TaskAssigneesController(Controller):
    path = "/api/projects/{project_id:int}/tasks/{task_id:int}/assignees"
    tags = ["Task assignments"]

    @get("/", operation_id="task_assignees_list", guards=[requires("tasks.view", "project_id")])
    async def list_assignees(self, db: AsyncSession, project_id: int, task_id: int) -> list[dict[str, Any]]:
        await _task(db, project_id, task_id)
        return await assignments.task_assignments(db, task_id)

    @post("/", operation_id="task_assignees_add", guards=[requires("tasks.assign", "project_id")], status_code=HTTP_201_CREATED)
    async def add(self, db: AsyncSession, project_id: int, task_id: int, data: AssigneesIn) -> dict[str, Any] | None:
        """Assign ``users``; answers the first one's assignment (Label Studio's ``TaskAssignment``)."""
        kind, user_ids = await _assignees(db, project_id, task_id, data)
        await assignments.assign(db, project_id, select(TASKS.c.id).where(TASKS.c.id == task_id), user_ids, kind)
        return _first(await assignments.task_assignments(db, task_id), kind, user_ids)

    @patch("/", operation_id="task_assignees_replace", guards=[requires("tasks.assign", "project_id")])
    async def replace(self, db: AsyncSession, project_id: int, task_id: int, data: AssigneesIn) -> dict[str, Any] | None:
        """The task's assignees of ``type`` become exactly ``users``; answers the first one's."""
        kind, user_ids = await _assignees(db, project_id, task_id, data, allow_empty=True)
        one = select(TASKS.c.id).where(TASKS.c.id == task_id)
        await assignments.unassign(db, project_id, one, None, kind)
        if user_ids:
            await assignments.assign(db, project_id, one, user_ids, kind)
        return _first(await assignments.task_assignments(db, task_id), kind, user_ids)

    @delete("/", operation_id="task_assignees_remove", guards=[requires("tasks.assign", "project_id")], status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self, db: AsyncSession, request: Request[Any, Any, Any], project_id: int, task_id: int,
        type: str | None = None, users: str | None = None,
    ) -> None:
        """Remove assignees: ``type`` and ``users`` from the query or the JSON body; none = all."""
        await _task(db, project_id, task_id)
        body = await request.body()
        data = msgspec.json.decode(body, type=AssigneesIn) if body else AssigneesIn(type=type or "", users=None)
        kind = assignments.check_type(data.type) if data.type else None
        user_ids = data.users
        if user_ids is None and users:
            user_ids = [int(u) for u in users.split(",") if u.strip().isdigit()]
        await assignments.unassign(db, project_id, select(TASKS.c.id).where(TASKS.c.id == task_id), user_ids, kind)


def _first(rows: list[dict[str, Any]], kind: str, user_ids: list[int]) -> dict[str, Any] | None:
    return next((r for r in rows if r["type"] == kind and user_ids and r["assignee"] == user_ids[0]), None)


async def _task(db: AsyncSession, project_id: int, task_id: int) -> None:
    found = await db.execute(select(TASKS.c.id).where(TASKS.c.id == task_id, TASKS.c.project_id == project_id))
    if found.first() is None:
        raise NotFound(f"Task {task_id} not found in project {project_id}.")


async def _assignees(
    db: AsyncSession, project_id: int, task_id: int, data: AssigneesIn, *, allow_empty: bool = False
) -> tuple[str, list[int]]:
    await _task(db, project_id, task_id)
    kind = assignments.check_type(data.type)
    return kind, await assignments.check_users(db, data.users or [], allow_empty=allow_empty)


class AssignmentSettingsIn(msgspec.Struct, forbid_unknown_fields=False):
    label_stream_task_distribution: str


class AssignmentSettingsController(Controller):
    path = "/api/projects/{project_id:int}/assignment-settings"
    tags = ["Task assignments"]

    @get("/", operation_id="assignment_settings_get", guards=[requires("projects.view", "project_id")])
    async def get_settings(self, db: AsyncSession, project_id: int) -> dict[str, Any]:
        """``label_stream_task_distribution``: ``auto_distribution`` or ``assigned_only``."""
        return await _settings_json(db, project_id)

    @patch("/", operation_id="assignment_settings_update", guards=[requires("projects.manage", "project_id")])
    async def update(self, db: AsyncSession, project_id: int, data: AssignmentSettingsIn) -> dict[str, Any]:
        await _project(db, project_id)
        await assignments.set_distribution(db, project_id, data.label_stream_task_distribution)
        return await _settings_json(db, project_id)


async def _settings_json(db: AsyncSession, project_id: int) -> dict[str, Any]:
    await _project(db, project_id)
    counts = await db.execute(
        select(TaskAssignment.type, func.count(func.distinct(TaskAssignment.task_id)))
        .where(TaskAssignment.project_id == project_id).group_by(TaskAssignment.type)
    )
    assigned = dict(counts.all())
    return {
        "project": project_id,
        "label_stream_task_distribution": await assignments.distribution(db, project_id),
        "assigned_tasks": {"AN": assigned.get("AN", 0), "RE": assigned.get("RE", 0)},
    }


TEAM_ROUTES = [
    OrganizationController,
    PermissionsController,
    ProjectMembersController,
    TaskAssigneesController,
    AssignmentSettingsController,
]
