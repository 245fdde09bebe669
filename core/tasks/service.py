"""Tasks: paging, reading one with its annotations, creating, editing and deleting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..events import record_event
from ..webhooks import payloads
from ..projects.models import Project
from .models import Task


async def get_task(db: AsyncSession, task_id: int) -> Task:
    task = await db.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} not found.")
    return task


async def get_task_and_project(db: AsyncSession, task_id: int) -> tuple[Task, Project]:
    """A task and its project in one query (every annotation write needs both)."""
    row = (await db.execute(select(Task, Project).join(Project, Project.id == Task.project_id).where(Task.id == task_id))).first()
    if row is None:
        raise NotFound(f"Task {task_id} not found.")
    return row[0], row[1]


async def page_of_tasks(db: AsyncSession, project: Project, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    """One page in data-manager order (id), and the totals over the project.

    A page past the end is a 404 "Invalid page." — the SDK's pager stops on it.
    """
    # The project's stored sums (kept by database triggers) instead of a scan of its tasks.
    totals_row = (
        await db.execute(
            select(Project.task_number, Project.total_annotations_number, Project.total_predictions_number).where(
                Project.id == project.id
            )
        )
    ).one()
    totals = {"total": totals_row[0], "total_annotations": totals_row[1], "total_predictions": totals_row[2]}
    if page > 1 and (page - 1) * page_size >= totals["total"]:
        raise NotFound("Invalid page.")
    table = Task.__table__
    query = (
        select(table)
        .where(table.c.project_id == project.id)
        .order_by(table.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(await db.execute(query)), totals


def check_data(data: Any, field: str = "data") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed(f"{field} must be a JSON object", validation_errors={field: ["must be a JSON object"]})
    return data


async def delete_task(db: AsyncSession, task: Task) -> None:
    project = await db.get(Project, task.project_id)
    task_id = task.id
    await db.delete(task)
    await db.flush()
    record_event(db, "TASKS_DELETED", payloads.tasks_deleted([task_id], project))


async def delete_all_tasks(db: AsyncSession, project: Project) -> int:
    ids = list((await db.execute(select(Task.id).where(Task.project_id == project.id))).scalars())
    await db.execute(delete(Task).where(Task.project_id == project.id))
    if ids:
        record_event(db, "TASKS_DELETED", payloads.tasks_deleted(ids, project))
    return len(ids)
