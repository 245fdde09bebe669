"""Roles and the permission matrix: the ONE place that says who may do what.

Stable API (other packages import these names; keep them):

- ``Role``: ``OWNER``, ``ADMINISTRATOR``, ``MANAGER``, ``REVIEWER``, ``ANNOTATOR``,
  ``DEACTIVATED`` (string values as Label Studio Enterprise spells them in memberships).
- ``PERMISSIONS``: every permission name, e.g. ``"tasks.view"``, ``"annotations.create"``,
  ``"annotations.review"``, ``"comments.create"``, ``"projects.manage"``.
- ``MATRIX``: ``{role: frozenset(permission names)}``.
- ``role_allows(role, permission) -> bool``: the matrix lookup, no database.
- ``await role_of(session, user) -> Role``: the caller's organization role.
- ``await require(session, user, project_id | None, permission) -> None``: raises
  ``PermissionDenied`` (403) unless the user's role grants ``permission`` and, when
  ``project_id`` is given, the user may see that project (owners, administrators and managers
  see every project; reviewers and annotators only the projects they are members of).
- ``await allowed(session, user, project_id | None, permission) -> bool``: the same, answering.
- ``requires(permission, project_param=None)``: a Litestar guard; put it on a handler as
  ``guards=[requires("annotations.review", project_param="project_id")]``. ``project_param``
  names the path parameter holding the project id (omit for organization-level checks).
- ``await sees_all_projects(session, user) -> bool`` and ``await member_project_ids(session,
  user)``: for scoping lists (projects, tasks) to what the caller may see.
- ``await projects_filter(session, user, Project.id)`` / ``await tasks_filter(session, user,
  Task.id)``: a WHERE condition (or None = no restriction) keeping what the caller may see.

Open-edition default: a user without an explicit role has one derived from the account, so an
installation where nobody set roles behaves as before: a superuser is an ``owner``, everyone else
gets the organization's default role (``manager`` unless an administrator changes it), which may
do everything in every project.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotAuthenticated, PermissionDenied
from ..users.models import User
from .rolenames import ORGANIZATION_WIDE, ROLE_LABELS, Role

__all__ = [
    "MATRIX",
    "ORGANIZATION_WIDE",
    "PERMISSIONS",
    "PUBLIC",
    "ROLE_LABELS",
    "Role",
    "allowed",
    "member_project_ids",
    "permissions_of",
    "projects_filter",
    "require",
    "requires",
    "role_allows",
    "role_of",
    "sees_all_projects",
    "tasks_filter",
]


# Every permission, with what it allows (docs/permissions.md is checked against this).
PERMISSIONS: dict[str, str] = {
    "account.use": "Use one's own account: profile, tokens, sign out, list own projects.",
    "organization.view": "See the organization's members and their roles.",
    "organization.manage": "Invite, create and deactivate users; change roles; org settings.",
    "projects.view": "Open a project and read its settings, label config and counts.",
    "projects.create": "Create projects.",
    "projects.manage": "Change or delete a project, its settings, members, storages, ML backends, webhooks.",
    "tasks.view": "See tasks (data manager, task API) in a visible project.",
    "tasks.manage": "Import, change and delete tasks; data-manager actions; views.",
    "tasks.assign": "Assign annotators and reviewers to tasks.",
    "annotations.view": "See annotations and predictions of visible tasks.",
    "annotations.create": "Label: create, update, skip and draft one's own annotations.",
    "annotations.manage": "Change or delete anyone's annotations; manage predictions.",
    "annotations.review": "Review annotations: accept, reject, fix and accept.",
    "comments.view": "Read comments on tasks and regions.",
    "comments.create": "Write comments and resolve them.",
    "data.export": "Export annotations and create export snapshots.",
    "jobs.view": "See background jobs.",
}

_ANNOTATOR = frozenset(
    {
        "account.use",
        "projects.view",
        "tasks.view",
        "annotations.view",
        "annotations.create",
        "comments.view",
        "comments.create",
    }
)
_REVIEWER = _ANNOTATOR | {"annotations.review"}
_MANAGER = _REVIEWER | {
    "organization.view",
    "projects.create",
    "projects.manage",
    "tasks.manage",
    "tasks.assign",
    "annotations.manage",
    "data.export",
    "jobs.view",
}
_ADMINISTRATOR = frozenset(PERMISSIONS)

MATRIX: dict[Role, frozenset[str]] = {
    Role.OWNER: _ADMINISTRATOR,
    Role.ADMINISTRATOR: _ADMINISTRATOR,
    Role.MANAGER: frozenset(_MANAGER),
    Role.REVIEWER: frozenset(_REVIEWER),
    Role.ANNOTATOR: _ANNOTATOR,
    Role.DEACTIVATED: frozenset(),
}

# The pseudo-permission of routes anyone may call (sign-in, health): no check at all.
PUBLIC = "public"


def role_allows(role: Role | str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in MATRIX[Role(role)]


async def role_of(session: AsyncSession, user: User) -> Role:
    """The user's role in the (one) organization, explicit or derived (see module doc)."""
    from .roles import effective_role

    return await effective_role(session, user)


async def sees_all_projects(session: AsyncSession, user: User) -> bool:
    return await role_of(session, user) in ORGANIZATION_WIDE


async def member_project_ids(session: AsyncSession, user: User) -> set[int]:
    from .members import project_ids_of

    return await project_ids_of(session, user.id)


async def projects_filter(session: AsyncSession, user: User, project_id: Any) -> Any:
    """A condition on ``project_id`` (a column) keeping the projects ``user`` may see, or None
    when they see every project (for listing queries)."""
    if await sees_all_projects(session, user):
        return None
    from .members import member_projects_clause

    return member_projects_clause(user.id, project_id)


async def tasks_filter(session: AsyncSession, user: User, task_id: Any) -> Any:
    """A condition on ``task_id`` (a column) keeping the tasks ``user`` may see within the
    projects they see, or None when that is all of them (annotators see only their own)."""
    from .visibility import task_filter_needed, visible_tasks_clause

    if not task_filter_needed(await role_of(session, user)):
        return None
    return visible_tasks_clause(user.id, task_id)


async def allowed(session: AsyncSession, user: User | None, project_id: int | None, permission: str) -> bool:
    if user is None:
        return False
    role = await role_of(session, user)
    if not role_allows(role, permission):
        return False
    if project_id is None or role in ORGANIZATION_WIDE:
        return True
    from .members import is_member

    return await is_member(session, project_id, user.id)


async def require(session: AsyncSession, user: User | None, project_id: int | None, permission: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``permission`` (in ``project_id``)."""
    if user is None:
        raise NotAuthenticated("Authentication credentials were not provided.")
    if not await allowed(session, user, project_id, permission):
        role = await role_of(session, user)
        where = f" in project {project_id}" if project_id is not None else ""
        raise PermissionDenied(
            f"Your role ({role.label}) does not allow {PERMISSIONS[permission][0].lower()}"
            f"{PERMISSIONS[permission][1:].rstrip('.')}{where}.",
            permission=permission,
        )


def requires(permission: str, project_param: str | None = None) -> Any:
    """A Litestar guard checking ``permission`` (in the project named by a path parameter)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        project_id = None
        if project_param is not None:
            project_id = int(connection.path_params[project_param])
        await require(connection.scope["state"]["db"], connection.scope.get("user"), project_id, permission)

    guard.permission = permission  # type: ignore[attr-defined]
    return guard


def permissions_of(role: Role | str) -> Iterable[str]:
    return sorted(MATRIX[Role(role)])
