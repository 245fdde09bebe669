"""``GET /api/projects/{id}/next/``: the next task for this annotator, reserved with a lock.

Choosing and locking happen under a per-project write lock (a no-op UPDATE of the project row),
so concurrent annotators never receive the same task beyond its overlap, on SQLite and
PostgreSQL alike. A task has room while its finished annotations plus other annotators' live
locks are fewer than its overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..db.sqlite_loop import short_writes
from ..ml.uncertainty import uncertainty_order
from ..projects.models import Project
from ..projects.service import lock_project
from ..review.service import rejected_task_for
from ..tasks.models import Task, TaskLock
from ..users.models import User

QUEUES = {
    "Sequential sampling": "Sequence queue",
    "Uniform sampling": "Uniform queue",
    "Uncertainty sampling": "Uncertainty queue",
}


def _done_by(user: User) -> object:
    return exists().where(Annotation.task_id == Task.id, Annotation.completed_by_id == user.id)


def _postponed_by(user: User) -> object:
    return exists().where(Draft.task_id == Task.id, Draft.user_id == user.id, Draft.was_postponed.is_(True))


async def next_task(
    db: AsyncSession, project: Project, user: User, lock_ttl: int, scope: Sequence[Any] = (),
    tab_order: Sequence[Any] = (),
) -> tuple[Task | None, str]:
    """``scope``: extra conditions on tasks (a data-manager tab's filters, chosen task ids), so
    "Label all tasks" from a filtered tab streams only that tab's tasks. ``tab_order``: a
    sorted tab's ORDER BY terms; as in Label Studio, they replace the sampling ("Data manager queue":
    the first task with room in the tab's order), after breadth-first and overlap-first."""
    # End the read-only transaction the request started, so the write lock below sees
    # everything committed before it (SQLite cannot upgrade a stale read snapshot).
    await db.commit()
    with short_writes():  # one row, by key: no thread hop on SQLite unless another writer holds the lock
        await lock_project(db, project.id)
    now = datetime.now(UTC)

    # 1. A task this user already holds and has not finished.
    held = await db.execute(
        select(Task)
        .join(TaskLock, TaskLock.task_id == Task.id)
        .where(
            Task.project_id == project.id,
            TaskLock.user_id == user.id,
            TaskLock.expire_at > now,
            ~_done_by(user),
            *scope,
        )
        .order_by(TaskLock.id)
        .limit(1)
    )
    task = held.scalar_one_or_none()
    if task is not None:
        return task, QUEUES.get(project.sampling, "Sequence queue")

    # 2. A task whose annotation by this user a reviewer rejected (when the project requeues
    # rejected tasks to their annotators): they update it, and it returns to the review stream.
    task = await rejected_task_for(db, project, user, scope)
    if task is not None:
        return task, "Rejected queue"

    others_locks = (
        select(func.count())
        .where(TaskLock.task_id == Task.id, TaskLock.expire_at > now, TaskLock.user_id != user.id)
        .scalar_subquery()
    )
    done = Task.total_annotations + (Task.cancelled_annotations if project.skip_queue == "IGNORE_SKIPPED" else 0)
    query = select(Task).where(
        Task.project_id == project.id,
        Task.is_labeled.is_(False),
        ~_done_by(user),
        ~_postponed_by(user),
        done + others_locks < Task.overlap,
        *scope,
    )
    order = []
    queue = QUEUES.get(project.sampling, "Sequence queue")
    if project.show_overlap_first:
        order.append(Task.overlap.desc())
    if project.maximum_annotations > 1:
        # Breadth first: finish tasks others started before opening new ones.
        order.append(Task.total_annotations.desc())
        queue = "Breadth first queue"
    if tab_order:
        order.extend(tab_order)  # ends with a unique key (the tab's own or tasks:id)
        if project.maximum_annotations <= 1:
            queue = "Data manager queue"
    else:
        if project.sampling == "Uniform sampling":
            order.append(func.random())
        elif project.sampling == "Uncertainty sampling":
            order.extend(uncertainty_order(project))  # the current model version's scores
        order.append(Task.id)
    task = (await db.execute(query.order_by(*order).limit(1))).scalar_one_or_none()

    if task is None:
        task, queue = await _post_queues(db, project, user, scope)
        if task is None:
            return None, ""

    with short_writes():  # this user's few expired locks and the new one
        await db.execute(delete(TaskLock).where(TaskLock.user_id == user.id, TaskLock.expire_at <= now))
        db.add(TaskLock(task_id=task.id, user_id=user.id, expire_at=now + timedelta(seconds=lock_ttl)))
        await db.flush()
    return task, queue


async def _post_queues(db: AsyncSession, project: Project, user: User, scope: Sequence[Any]) -> tuple[Task | None, str]:
    """After the main queue: the user's postponed drafts, then (REQUEUE_FOR_ME) their skips."""
    postponed = await db.execute(
        select(Task)
        .join(Draft, and_(Draft.task_id == Task.id, Draft.user_id == user.id, Draft.was_postponed.is_(True)))
        .where(Task.project_id == project.id, ~_done_by(user), *scope)
        .order_by(Draft.updated_at)
        .limit(1)
    )
    task = postponed.scalar_one_or_none()
    if task is not None:
        return task, "Postponed queue"
    if project.skip_queue == "REQUEUE_FOR_ME":
        skipped = await db.execute(
            select(Task)
            .join(Annotation, and_(Annotation.task_id == Task.id, Annotation.completed_by_id == user.id))
            .where(Task.project_id == project.id, Annotation.was_cancelled.is_(True), Task.is_labeled.is_(False), *scope)
            .order_by(Annotation.id)
            .limit(1)
        )
        task = skipped.scalar_one_or_none()
        if task is not None:
            return task, "Skipped queue"
    return None, ""
