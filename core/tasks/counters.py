"""Keeps the denormalised task counters exact with set-based SQL (never row by row).

Counters are recomputed from the annotation and prediction tables for the touched tasks, so
they cannot drift whatever path changed them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..predictions.models import Prediction
from ..projects.models import Project
from .models import Task

CHUNK = 5000  # stays below SQLite's bound-parameter limit


def _recount_values() -> dict[str, object]:
    annotations = select(func.count()).where(Annotation.task_id == Task.id)
    return {
        "total_annotations": annotations.where(Annotation.was_cancelled.is_(False)).scalar_subquery(),
        "cancelled_annotations": annotations.where(Annotation.was_cancelled.is_(True)).scalar_subquery(),
        "total_predictions": select(func.count()).where(Prediction.task_id == Task.id).scalar_subquery(),
        "predictions_score": select(func.avg(Prediction.score)).where(Prediction.task_id == Task.id).scalar_subquery(),
        "completed_at": select(func.max(Annotation.created_at))
        .where(Annotation.task_id == Task.id, Annotation.was_cancelled.is_(False))
        .scalar_subquery(),
    }


def _is_labeled(ignore_skipped: bool) -> object:
    done = Task.total_annotations + (Task.cancelled_annotations if ignore_skipped else literal(0))
    return case((done >= Task.overlap, True), else_=False)


async def refresh_tasks(db: AsyncSession, project: Project, task_ids: Iterable[int]) -> None:
    """Recount annotations/predictions of these tasks and their ``is_labeled`` flag."""
    ids = sorted(set(task_ids))
    ignore_skipped = project.skip_queue == "IGNORE_SKIPPED"
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        await db.execute(
            update(Task).where(Task.id.in_(chunk)).values(**_recount_values()),
            execution_options={"synchronize_session": False},
        )
        await db.execute(
            update(Task).where(Task.id.in_(chunk)).values(is_labeled=_is_labeled(ignore_skipped)),
            execution_options={"synchronize_session": False},
        )


async def refresh_project(db: AsyncSession, project: Project) -> None:
    """Recount every task of a project (after bulk actions that touch many tasks)."""
    ignore_skipped = project.skip_queue == "IGNORE_SKIPPED"
    await db.execute(
        update(Task).where(Task.project_id == project.id).values(**_recount_values()),
        execution_options={"synchronize_session": False},
    )
    await db.execute(
        update(Task).where(Task.project_id == project.id).values(is_labeled=_is_labeled(ignore_skipped)),
        execution_options={"synchronize_session": False},
    )


def overlap_for(inner_id: int, project: Project) -> int:
    """Label Studio's overlap cohort: that share of tasks gets the full overlap, the rest 1.

    Spread by inner id so the cohort is deterministic and evenly interleaved.
    """
    if project.maximum_annotations <= 1:
        return 1
    return project.maximum_annotations if inner_id % 100 < project.overlap_cohort_percentage else 1


async def apply_project_overlap(db: AsyncSession, project: Project) -> None:
    """Re-assign every task's overlap after the project's overlap settings change."""
    full = project.maximum_annotations
    in_cohort = (Task.inner_id % 100) < project.overlap_cohort_percentage
    await db.execute(
        update(Task)
        .where(Task.project_id == project.id)
        .values(overlap=case((and_(literal(full > 1), in_cohort), full), else_=1)),
        execution_options={"synchronize_session": False},
    )
    await refresh_project(db, project)
