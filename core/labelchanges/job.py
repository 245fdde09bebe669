"""``core.label_changes``: a big project's label changes, applied by a tracked job in one
transaction (``GET /api/jobs/{id}`` shows its progress; a failure changes nothing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import ValidationFailed
from ..jobs.worker import set_progress
from ..projects.service import get_project
from ..specs import JobSpec
from . import service

LABEL_CHANGES_JOB = "core.label_changes"


async def apply_label_changes(ctx: dict[str, Any], *, project: int, label_config: str, changes: list[Any],
                              config_digest: str) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    registries = ctx["host"].registries

    async def progress(share: float, message: str) -> None:
        await set_progress(ctx, 0.1 + 0.85 * share, message)

    async with sessions() as db:
        target = await get_project(db, project)
        if service.config_digest(target.label_config) != config_digest:
            raise ValidationFailed("The project's config changed since these label changes were previewed.")
        await set_progress(ctx, 0.02, "Checking the new config against the annotations")
        # SQLite has one writer: the job's progress row cannot be written while this transaction
        # holds the lock, so progress is reported only before and after it there.
        live = db.get_bind().dialect.name != "sqlite"
        outcome = await service.apply(db, registries, target, label_config, changes, progress=progress if live else None)
        if live:
            await set_progress(ctx, 0.97, "Saving")
        await db.commit()
    return outcome


def label_change_job_specs() -> list[JobSpec]:
    return [JobSpec(name=LABEL_CHANGES_JOB, function=apply_label_changes, timeout=36000, retries=1, heartbeat=120,
                    track=True)]
