"""The quality jobs: ``core.quality_tasks`` (some tasks, after their annotations changed) and
``core.quality_recompute`` (a whole project, tracked: a project's first scoring, a settings or
label change).

Every project is tracked: annotation writes enqueue ``core.quality_tasks`` whatever the project.
A project never fully computed (``recomputed_at`` unset: new, or from before quality existed)
gets one full recompute, requested by its first tasks job or its first dashboard visit,
whichever comes first; :func:`request_recompute` keeps that to one pending job.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import NotFound
from ..jobs.models import JobRecord
from ..jobs.service import JobService
from ..jobs.worker import set_progress, shielded
from ..projects.service import get_project
from ..specs import JobSpec
from . import store

TASKS_JOB = "core.quality_tasks"
RECOMPUTE_JOB = "core.quality_recompute"


async def quality_tasks(ctx: dict[str, Any], *, project: int, task_ids: list[int]) -> dict[str, Any]:
    # Shielded: SAQ cancels running jobs once its worker's grace period is over. A cancellation
    # that lands while an aiosqlite statement is in flight makes SQLAlchemy invalidate the
    # connection (an "exit exception"), and the abandoned connection keeps its open write
    # transaction, so SQLite stays locked for every other connection of the process. The job is
    # short (its tasks' own annotations), so it runs to its commit or rollback instead; the
    # worker waits for it (bounded) before its owner disposes of the engine (see ``shielded``).
    return await shielded(ctx, _score_tasks(ctx, project, task_ids))


async def _score_tasks(ctx: dict[str, Any], project: int, task_ids: list[int]) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    started = time.perf_counter()
    async with sessions() as db:
        try:
            target = await get_project(db, project)
        except NotFound:
            return {"tasks": 0, "detail": "project deleted"}
        count = await store.recompute_tasks(db, ctx["host"].registries, target, task_ids)
        first = await store.never_recomputed(db, project)
        await db.commit()
    if first:  # the project's other tasks have no figures yet: score them all once
        async with sessions() as db:
            await request_recompute(db, ctx["jobs"], project)
            await db.commit()
    return {"tasks": count, "ms": round((time.perf_counter() - started) * 1000, 2)}


PENDING = ("queued", "running")


async def request_recompute(db: AsyncSession, jobs: JobService, project_id: int,
                            user_id: int | None = None) -> JobRecord:
    """The project's pending full recompute, or a new one (enqueued when ``db`` commits)."""
    found = (await db.execute(
        select(JobRecord)
        .where(JobRecord.project_id == project_id, JobRecord.function == RECOMPUTE_JOB,
               JobRecord.status.in_(PENDING))
        .order_by(JobRecord.id.desc())
        .limit(1)
    )).scalar_one_or_none()
    if found is not None:
        return found
    return await jobs.submit(db, RECOMPUTE_JOB, project_id=project_id, user_id=user_id, project=project_id)


async def quality_recompute(ctx: dict[str, Any], *, project: int) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        try:
            target = await get_project(db, project)
        except NotFound:
            return {"tasks": 0, "detail": "project deleted"}
        live = db.get_bind().dialect.name != "sqlite"  # SQLite: the progress row waits for our lock

        async def progress(share: float, message: str) -> None:
            await set_progress(ctx, share, message)

        outcome = await store.recompute_project(db, ctx["host"].registries, target, progress if live else None,
                                                overlap_reads=True)
        await db.commit()
        # The data manager's column, in short transactions of its own (see the function).
        outcome["column_updates"] = await store.sync_agreement_column(db, project)
    return outcome


def quality_job_specs() -> list[JobSpec]:
    return [
        JobSpec(name=TASKS_JOB, function=quality_tasks, timeout=600, retries=3, retry_delay=1.0),
        JobSpec(name=RECOMPUTE_JOB, function=quality_recompute, timeout=36000, retries=2, heartbeat=120, track=True),
    ]
