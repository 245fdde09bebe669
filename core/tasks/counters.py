"""Keeps the denormalised task counters exact with set-based SQL (never row by row).

Counters are recomputed from the annotation and prediction tables for the touched tasks, so
they cannot drift whatever path changed them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..db.direct import DirectWrite
from ..predictions.models import Prediction
from ..projects.models import Project
from .models import Task

CHUNK = 5000  # stays below SQLite's bound-parameter limit

# session.info key: {project id: task ids} whose annotations or predictions this transaction
# changed; the quality package recomputes their agreement in a job after the commit.
TOUCHED_TASKS = "labelloom.touched_tasks"


def touch_tasks(db: AsyncSession, project_id: int, task_ids: Iterable[int]) -> None:
    """Note that these tasks' annotations or predictions changed in ``db``'s transaction."""
    session = getattr(db, "sync_session", db)  # an AsyncSession, or a plain Session
    session.info.setdefault(TOUCHED_TASKS, {}).setdefault(project_id, set()).update(task_ids)


def _refresh_statement(scope: object, ignore_skipped: bool) -> object:
    """One UPDATE recounting the scoped tasks; built once, reused (SQLAlchemy caches its SQL).
    Over the tables, not the mapped classes: a Core UPDATE skips the ORM's bulk-update stage
    (every annotation write runs this, issue 17); the SQL is the same."""
    t, a, p = Task.__table__.c, Annotation.__table__.c, Prediction.__table__.c
    annotations = select(func.count()).where(a.task_id == t.id)
    total = annotations.where(a.was_cancelled.is_(False)).scalar_subquery()
    cancelled = annotations.where(a.was_cancelled.is_(True)).scalar_subquery()
    # SET expressions see the old row, so is_labeled is computed from the fresh counts.
    done = total + cancelled if ignore_skipped else total
    return (
        update(Task.__table__)
        .where(scope)
        .values(
            total_annotations=total,
            cancelled_annotations=cancelled,
            total_predictions=select(func.count()).where(p.task_id == t.id).scalar_subquery(),
            predictions_score=select(func.avg(p.score)).where(p.task_id == t.id).scalar_subquery(),
            completed_at=select(func.max(a.created_at))
            .where(a.task_id == t.id, a.was_cancelled.is_(False))
            .scalar_subquery(),
            is_labeled=case((done >= t.overlap, True), else_=False),
        )
    )


_TASKS = Task.__table__.c
_BY_IDS = {flag: _refresh_statement(_TASKS.id.in_(bindparam("scope_ids", expanding=True)), flag) for flag in (False, True)}
_BY_PROJECT = {flag: _refresh_statement(_TASKS.project_id == bindparam("scope_project_id"), flag) for flag in (False, True)}
# One task (every single annotation write): a plain parameter, not an expanding list rendered
# again at each execution.
_BY_ID = {flag: _refresh_statement(_TASKS.id == bindparam("scope_id"), flag) for flag in (False, True)}
_BY_ID_DIRECT = {flag: DirectWrite(statement) for flag, statement in _BY_ID.items()}


async def _autoflush(db: AsyncSession) -> None:
    """What the ORM UPDATE these statements once were did first: write the session's pending
    changes (an annotation deleted through the ORM must not be counted). Nothing to write: no
    statement."""
    session = getattr(db, "sync_session", None)
    # Checked here: an empty flush still cost a greenlet round and the flush machinery.
    if session is not None and session.autoflush and (session.new or session.deleted or session.dirty):
        await db.flush()


async def refresh_tasks(db: AsyncSession, project: Project, task_ids: Iterable[int]) -> None:
    """Recount annotations/predictions of these tasks and their ``is_labeled`` flag."""
    ids = sorted(set(task_ids))
    touch_tasks(db, project.id, ids)
    await _autoflush(db)
    ignore_skipped = project.skip_queue == "IGNORE_SKIPPED"
    if len(ids) == 1:
        await db.execute(_BY_ID[ignore_skipped], {"scope_id": ids[0]})
        return
    statement = _BY_IDS[ignore_skipped]
    for start in range(0, len(ids), CHUNK):
        await db.execute(statement, {"scope_ids": ids[start : start + CHUNK]})


async def refresh_task_direct(db: AsyncSession, project: Project | Any, task_id: int) -> tuple[DirectWrite, dict[str, Any]]:
    """:func:`refresh_tasks` of one task as a write for ``db.direct.run_direct``: the
    bookkeeping now, the statement to run with the caller's other writes."""
    touch_tasks(db, project.id, [task_id])
    await _autoflush(db)
    return _BY_ID_DIRECT[project.skip_queue == "IGNORE_SKIPPED"], {"scope_id": task_id}


async def refresh_project(db: AsyncSession, project: Project) -> None:
    """Recount every task of a project (after bulk actions that touch many tasks)."""
    await _autoflush(db)
    await db.execute(_BY_PROJECT[project.skip_queue == "IGNORE_SKIPPED"], {"scope_project_id": project.id})


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
