"""Which tasks an annotator sees: those assigned to them, those they annotated, and the one the
label stream reserved for them. Other roles see every task of the projects they see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, column, exists, or_, select, table, union
from sqlalchemy.ext.asyncio import AsyncSession

from .models import TaskAssignment
from .rolenames import Role

_ANNOTATIONS = table("annotations", column("id"), column("task_id"), column("project_id"), column("completed_by_id"))
_LOCKS = table("task_locks", column("task_id"), column("user_id"))

ANNOTATE = "AN"
REVIEW = "RE"


def task_filter_needed(role: Role) -> bool:
    return role is Role.ANNOTATOR


def visible_tasks_clause(user_id: int, task_id: Any, project_id: int | None = None) -> ColumnElement[bool]:
    """A condition on ``task_id`` (a column): the task is an annotator's to see. One ``IN``
    over a union, which the planners run once (hashed) rather than per task row; ``project_id``
    narrows the annotations part to the project's index."""
    assigned = select(TaskAssignment.task_id).where(TaskAssignment.user_id == user_id, TaskAssignment.type == ANNOTATE)
    annotated = select(_ANNOTATIONS.c.task_id).where(_ANNOTATIONS.c.completed_by_id == user_id)
    if project_id is not None:
        assigned = assigned.where(TaskAssignment.project_id == project_id)
        annotated = annotated.where(_ANNOTATIONS.c.project_id == project_id)
    reserved = select(_LOCKS.c.task_id).where(_LOCKS.c.user_id == user_id)
    return task_id.in_(union(assigned, annotated, reserved))


async def task_visible(session: AsyncSession, user_id: int, task_id: int) -> bool:
    """One task: three indexed lookups by task id."""
    found = await session.execute(
        select(
            or_(
                exists().where(
                    TaskAssignment.task_id == task_id, TaskAssignment.user_id == user_id, TaskAssignment.type == ANNOTATE
                ),
                exists().where(_ANNOTATIONS.c.task_id == task_id, _ANNOTATIONS.c.completed_by_id == user_id),
                exists().where(_LOCKS.c.task_id == task_id, _LOCKS.c.user_id == user_id),
            )
        )
    )
    return bool(found.scalar())


def own_annotations_only(role: Role) -> bool:
    """Annotators see only their own annotations (and drafts, history, reviews of them) on the
    tasks they see; reviewers and above see everyone's. No role set: a derived role, never this."""
    return role is Role.ANNOTATOR


async def annotation_visible(session: AsyncSession, user_id: int, role: Role, annotation_id: int | None) -> bool:
    """One annotation (None: a task-level object): the user may see it."""
    if annotation_id is None or not own_annotations_only(role):
        return True
    owner = await session.scalar(select(_ANNOTATIONS.c.completed_by_id).where(_ANNOTATIONS.c.id == annotation_id))
    return owner is None or owner == user_id
