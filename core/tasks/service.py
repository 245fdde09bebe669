"""Tasks: paging, reading one with its annotations, creating, editing and deleting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..datamanager.query import DMQuery
from ..datamanager.selection import filtered_totals, page_query
from ..errors import NotFound
from ..events import record_event
from ..webhooks import payloads
from ..projects.models import Project
from ..projects.service import lock_project
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


async def page_of_tasks(
    db: AsyncSession, project: Project, page: int, page_size: int, query: DMQuery | None = None
) -> tuple[list[Any], dict[str, int]]:
    """One page in data-manager order, and the totals over the tasks the query selects.

    Without a query: id order and the project's stored sums (kept by database triggers).
    With one: its filters, selection and ordering, compiled to SQL (``labelloom.core.datamanager``).
    A page past the end is a 404 "Invalid page." — the SDK's pager stops on it.
    """
    query = query or DMQuery()
    totals = await filtered_totals(db, project, query)
    if page > 1 and (page - 1) * page_size >= totals["total"]:
        raise NotFound("Invalid page.")
    return list(await db.execute(page_query(db, project.id, query, page, page_size))), totals


async def delete_task(db: AsyncSession, task: Task) -> None:
    await lock_project(db, task.project_id)
    project = await db.get(Project, task.project_id)
    task_id = task.id
    await db.delete(task)
    await db.flush()
    record_event(db, "TASKS_DELETED", payloads.tasks_deleted([task_id], project))


async def delete_all_tasks(db: AsyncSession, project: Project) -> int:
    await lock_project(db, project.id)
    ids = list((await db.execute(select(Task.id).where(Task.project_id == project.id))).scalars())
    await db.execute(delete(Task).where(Task.project_id == project.id))
    if ids:
        record_event(db, "TASKS_DELETED", payloads.tasks_deleted(ids, project))
    return len(ids)
