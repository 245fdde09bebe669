"""Tasks: reading one (with its project), deleting. Paging in data-manager order is
``datamanager.selection.page_of_tasks``."""

from __future__ import annotations


from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..events import record_event
from ..projects.models import Project
from ..projects.service import lock_counters, lock_project
from . import payloads
from .models import Task


async def get_task(db: AsyncSession, task_id: int) -> Task:
    task = await db.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} not found.")
    return task


_TASK_AND_PROJECT = select(Task, Project).join(Project, Project.id == Task.project_id).where(Task.id == bindparam("task_id"))


async def get_task_and_project(db: AsyncSession, task_id: int) -> tuple[Task, Project]:
    """A task and its project in one query (every annotation write needs both)."""
    row = (await db.execute(_TASK_AND_PROJECT, {"task_id": task_id})).first()
    if row is None:
        raise NotFound(f"Task {task_id} not found.")
    return row[0], row[1]


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
