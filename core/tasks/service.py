"""Tasks: reading one (with its project), deleting. Paging in data-manager order is
``datamanager.selection.page_of_tasks``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, delete, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.direct import DirectRead, read_direct, take_read_ahead
from ..errors import NotFound
from ..events import record_event
from ..projects.models import Project, ProjectCounters
from ..projects.service import lock_counters, lock_project
from . import payloads
from .models import Task


async def get_task(db: AsyncSession, task_id: int) -> Task:
    task = await db.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} not found.")
    return task


_COUNTERS = ProjectCounters.__table__.c
_TASK_ROW = (
    select(
        Task.__table__,
        # No counters row (never expected): ask, as before the flags.
        func.coalesce(_COUNTERS.has_drafts | _COUNTERS.has_assignments, true()).label("drafts_or_assignments"),
    )
    .join_from(Task.__table__, ProjectCounters.__table__, _COUNTERS.project_id == Task.__table__.c.project_id,
               isouter=True)
    .where(Task.__table__.c.id == bindparam("task_id"))
)


async def get_task_row(db: AsyncSession, task_id: int) -> Any:
    """A task's columns as a plain row, for read-only serialising (a Core statement: no ORM
    object or identity-map entry to build), plus ``drafts_or_assignments``: whether its project
    ever had drafts or task assignments (its counters' flags, migration 0019), which lets
    ``tasks_json`` skip that query."""
    row = (await db.execute(_TASK_ROW, {"task_id": task_id})).first()
    if row is None:
        raise NotFound(f"Task {task_id} not found.")
    return row


_TASK_AND_PROJECT = select(Task, Project).join(Project, Project.id == Task.project_id).where(Task.id == bindparam("task_id"))


async def get_task_and_project(db: AsyncSession, task_id: int) -> tuple[Task, Project]:
    """A task and its project in one query (every annotation write needs both)."""
    row = (await db.execute(_TASK_AND_PROJECT, {"task_id": task_id})).first()
    if row is None:
        raise NotFound(f"Task {task_id} not found.")
    return row[0], row[1]


_P = Project.__table__.c
_ANNOTATION_TARGET = (
    select(
        Task.__table__.c.id, Task.__table__.c.project_id,
        _P.label_config, _P.enable_empty_annotation, _P.skip_queue,
    )
    .join(Project.__table__, _P.id == Task.__table__.c.project_id)
    .where(Task.__table__.c.id == bindparam("task_id"))
)


_ANNOTATION_TARGET_DIRECT = DirectRead(_ANNOTATION_TARGET)


def annotation_target_ahead(scope: Any, user_id: int) -> tuple[DirectRead, dict[str, Any]]:
    """:func:`get_annotation_target`'s read, made with the credential epochs (users/auth.py)."""
    return _ANNOTATION_TARGET_DIRECT, {"task_id": scope["path_params"]["task_id"]}


async def get_annotation_target(db: AsyncSession, task_id: int) -> tuple[Any, Any]:
    """What creating an annotation reads of its task (``id``, ``project_id``) and project (``id``,
    ``label_config``, ``enable_empty_annotation``, ``skip_queue``), as plain values in one
    statement: loading both ORM objects cost ~0.3 ms of the hottest write (issue 17). Webhook
    payloads load the full objects, only when something listens."""
    ahead = take_read_ahead(db, _ANNOTATION_TARGET_DIRECT, {"task_id": task_id})
    if ahead is not None:
        found = ahead[1]  # read with the credential epochs (annotation_target_ahead)
    else:
        found = await read_direct(db, _ANNOTATION_TARGET_DIRECT, {"task_id": task_id})  # no SQLAlchemy round
    row = (await db.execute(_ANNOTATION_TARGET, {"task_id": task_id})).first() if found is None else next(iter(found), None)
    if row is None:
        raise NotFound(f"Task {task_id} not found.")
    task = SimpleNamespace(id=row.id, project_id=row.project_id)
    project = SimpleNamespace(
        id=row.project_id, label_config=row.label_config, enable_empty_annotation=row.enable_empty_annotation,
        skip_queue=row.skip_queue,
    )
    return task, project


async def delete_task(db: AsyncSession, task: Task) -> None:
    await lock_project(db, task.project_id)
    await lock_counters(db, task.project_id)  # before the task row, as the quality jobs do
    project = await db.get(Project, task.project_id)
    task_id = task.id
    await db.delete(task)
    await db.flush()
    record_event(db, "TASKS_DELETED", payloads.tasks_deleted([task_id], project))


async def delete_all_tasks(db: AsyncSession, project: Project) -> int:
    await lock_project(db, project.id)
    await lock_counters(db, project.id)
    ids = list((await db.execute(select(Task.id).where(Task.project_id == project.id))).scalars())
    await db.execute(delete(Task).where(Task.project_id == project.id))
    if ids:
        record_event(db, "TASKS_DELETED", payloads.tasks_deleted(ids, project))
    return len(ids)
