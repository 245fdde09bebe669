"""Which project (and task) a request is about, read from its path and query parameters.

Lightweight table definitions (no domain imports): teams sits below the domains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

PROJECTS = table("projects", column("id"))
TASKS = table("tasks", column("id"), column("project_id"))
ANNOTATIONS = table("annotations", column("id"), column("task_id"), column("project_id"), column("completed_by_id"))
DRAFTS = table("drafts", column("id"), column("task_id"), column("project_id"), column("user_id"))
PREDICTIONS = table("predictions", column("id"), column("task_id"), column("project_id"))
VIEWS = table("views", column("id"), column("project_id"))
FILE_UPLOADS = table("file_uploads", column("id"), column("project_id"))
WEBHOOKS = table("webhooks", column("id"), column("project_id"))
STORAGES = table("storages", column("id"), column("project_id"))
ML_BACKENDS = table("ml_backends", column("id"), column("project_id"))

# path parameter -> (table, its task column or None, its owner column or None)
_OBJECTS: dict[str, tuple[Any, str | None, str | None]] = {
    "task_id": (TASKS, "id", None),
    "annotation_id": (ANNOTATIONS, "task_id", "completed_by_id"),
    "draft_id": (DRAFTS, "task_id", "user_id"),
    "prediction_id": (PREDICTIONS, "task_id", None),
    "view_id": (VIEWS, None, None),
    "upload_id": (FILE_UPLOADS, None, None),
    "webhook_id": (WEBHOOKS, None, None),
    "storage_id": (STORAGES, None, None),
    "backend_id": (ML_BACKENDS, None, None),
}


@dataclass(frozen=True)
class Target:
    """What a request touches: its project, task and the owner of the object, when known."""

    project_id: int | None = None
    task_id: int | None = None
    owner_id: int | None = None
    found: bool = True  # False: the object named by the path does not exist (the handler 404s)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _object_query(tbl: Any, task_col: str | None, owner_col: str | None) -> Any:
    """project, task (or project again), owner (or project again) of one row, by id."""
    columns = [tbl.c.project_id, tbl.c[task_col] if task_col else tbl.c.project_id,
               tbl.c[owner_col] if owner_col else tbl.c.project_id]
    return select(*columns).where(tbl.c.id == bindparam("id"))


# Built once: every guarded request of an object route runs one of these.
_OBJECT_QUERIES = {name: _object_query(*spec) for name, spec in _OBJECTS.items()}
_VIEW_PROJECT = select(VIEWS.c.project_id).where(VIEWS.c.id == bindparam("id"))
_TASK_PROJECT = select(TASKS.c.project_id).where(TASKS.c.id == bindparam("id"))


async def resolve(session: AsyncSession, path_params: dict[str, Any], query: Any) -> Target:
    if "project_id" in path_params:
        return Target(project_id=_int(path_params["project_id"]))
    for name, (_, task_col, owner_col) in _OBJECTS.items():
        if name not in path_params:
            continue
        row = (await session.execute(_OBJECT_QUERIES[name], {"id": _int(path_params[name])})).first()
        if row is None:
            return Target(found=False)
        return Target(
            project_id=row[0], task_id=row[1] if task_col else None, owner_id=row[2] if owner_col else None
        )
    for key in ("project", "project_id"):
        project = _int(query.get(key))
        if project is not None:
            return Target(project_id=project)
    view = _int(query.get("view"))
    if view is not None:
        project = (await session.execute(_VIEW_PROJECT, {"id": view})).scalar_one_or_none()
        return Target(project_id=project, found=project is not None)
    task = _int(query.get("task"))
    if task is not None:
        project = (await session.execute(_TASK_PROJECT, {"id": task})).scalar_one_or_none()
        return Target(project_id=project, task_id=task, found=project is not None)
    return Target()
