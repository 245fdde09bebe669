"""The quality jobs: ``core.quality_tasks`` (some tasks, after their annotations changed) and
``core.quality_recompute`` (a whole project, tracked, after a settings or label change)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import NotFound
from ..jobs.worker import set_progress
from ..projects.service import get_project
from ..specs import JobSpec
from . import store

TASKS_JOB = "core.quality_tasks"
RECOMPUTE_JOB = "core.quality_recompute"


async def quality_tasks(ctx: dict[str, Any], *, project: int, task_ids: list[int]) -> dict[str, Any]:
    # Shielded: SAQ cancels running jobs the moment its worker stops. A cancellation that lands
    # while an aiosqlite statement is in flight makes SQLAlchemy invalidate the connection
    # (an "exit exception"), and the abandoned connection keeps its open write transaction, so
    # SQLite stays locked for every other connection of the process. The job is short (its
    # tasks' own annotations), so it runs to its commit or rollback instead.
    return await asyncio.shield(_score_tasks(ctx, project, task_ids))


async def _score_tasks(ctx: dict[str, Any], project: int, task_ids: list[int]) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    started = time.perf_counter()
    async with sessions() as db:
        try:
            target = await get_project(db, project)
        except NotFound:
            return {"tasks": 0, "detail": "project deleted"}
        count = await store.recompute_tasks(db, ctx["host"].registries, target, task_ids)
        await db.commit()
    return {"tasks": count, "ms": round((time.perf_counter() - started) * 1000, 2)}


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

        outcome = await store.recompute_project(db, ctx["host"].registries, target, progress if live else None)
        await db.commit()
    return outcome


def quality_job_specs() -> list[JobSpec]:
    return [
        JobSpec(name=TASKS_JOB, function=quality_tasks, timeout=600, retries=3, retry_delay=1.0),
        JobSpec(name=RECOMPUTE_JOB, function=quality_recompute, timeout=36000, retries=2, heartbeat=120, track=True),
    ]
