"""Permission guards of the review, history and comment routes.

Their paths name objects the app-wide guard (teams.guard) cannot place in a project (a review,
a comment, a history row), so each route carries its own guard: a ``locate`` function finds the
project (and task) the request is about, then ``teams.permissions.require`` decides. The guard
has a ``permission`` attribute, which tells the app-wide guard the route checks for itself.
History is the lowest of the three packages, so the helper lives here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotAuthenticated, PermissionDenied
from ..teams.permissions import ORGANIZATION_WIDE, member_project_ids, require, role_of
from ..teams.visibility import task_filter_needed, task_visible

# (found, project id, task id): found=False lets the handler answer 404.
Located = tuple[bool, int | None, int | None]
Locate = Callable[[AsyncSession, dict[str, Any], Any], Awaitable[Located]]

_TASKS = table("tasks", column("id"), column("project_id"))
_ANNOTATIONS = table("annotations", column("id"), column("task_id"), column("project_id"))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


async def _row(db: AsyncSession, tbl: Any, object_id: int | None) -> Located:
    if object_id is None:
        return False, None, None
    row = (await db.execute(select(tbl.c.project_id, tbl.c.task_id).where(tbl.c.id == object_id))).first()
    return (False, None, None) if row is None else (True, row[0], row[1])


def by_path(param: str, table_name: str) -> Locate:
    """The object named by path parameter ``param`` is a row of ``table_name`` (project_id, task_id)."""
    tbl = table(table_name, column("id"), column("project_id"), column("task_id"))

    async def locate(db: AsyncSession, path: dict[str, Any], query: Any) -> Located:
        return await _row(db, tbl, _int(path.get(param)))

    return locate


async def by_query(db: AsyncSession, path: dict[str, Any], query: Any) -> Located:
    """Lists: ``?project=`` (or LSE's ``annotation__task__project``), ``?task=``, ``?annotation=``."""
    for key in ("annotation",):
        if query.get(key) is not None:
            return await _row(db, _ANNOTATIONS, _int(query.get(key)))
    task = _int(query.get("task"))
    if task is not None:
        row = (await db.execute(select(_TASKS.c.project_id).where(_TASKS.c.id == task))).first()
        return (False, None, None) if row is None else (True, row[0], task)
    for key in ("project", "annotation__task__project"):
        project = _int(query.get(key))
        if project is not None:
            return True, project, None
    return True, None, None


async def by_task_path(db: AsyncSession, path: dict[str, Any], query: Any) -> Located:
    task = _int(path.get("task_id"))
    row = (await db.execute(select(_TASKS.c.project_id).where(_TASKS.c.id == task))).first()
    return (False, None, None) if row is None else (True, row[0], task)


async def by_project_path(db: AsyncSession, path: dict[str, Any], query: Any) -> Located:
    return True, _int(path.get("project_id")), None


async def check(db: AsyncSession, user: Any, permission: str, located: Located) -> None:
    found, project_id, task_id = located
    if user is None:
        raise NotAuthenticated("Authentication credentials were not provided.")
    if not found:
        return
    await require(db, user, project_id, permission)
    if task_id is not None:
        role = await role_of(db, user)
        if task_filter_needed(role) and not await task_visible(db, user.id, task_id):
            raise PermissionDenied("This task is not assigned to you.")


def guard(permission: str, locate: Locate) -> Any:
    async def check_request(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        db = connection.scope["state"]["db"]
        located = await locate(db, connection.path_params, connection.query_params)
        await check(db, connection.scope.get("user"), permission, located)

    check_request.permission = permission  # type: ignore[attr-defined]
    return check_request


async def visible_projects(db: AsyncSession, user: Any) -> set[int] | None:
    """None: every project; else the ids of the projects the user is a member of."""
    if await role_of(db, user) in ORGANIZATION_WIDE:
        return None
    return await member_project_ids(db, user)
