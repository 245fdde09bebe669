"""Recovery of tracked jobs whose enqueue was lost (part of core's periodic upkeep, which
``labelloom.core.builtin_jobs`` registers with core's other jobs)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import JobRecord
from .service import FINISHED_JOB_TTL, JobService

log = logging.getLogger(__name__)

LOST_AFTER = timedelta(minutes=1)  # a tracked job still unknown to the queue after this was lost


async def resend_lost_jobs(ctx: dict[str, Any]) -> int:
    """Enqueue again tracked jobs whose enqueue never happened (the process died between the
    commit that created them and the enqueue right after it)."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    jobs: JobService = ctx["jobs"]
    now = datetime.now(UTC)
    async with sessions() as db:
        records = (
            await db.execute(
                select(JobRecord)
                .where(
                    JobRecord.status == "queued",
                    JobRecord.created_at < now - LOST_AFTER,
                    # Older rows may be finished jobs the queue has already forgotten.
                    JobRecord.created_at > now - timedelta(seconds=FINISHED_JOB_TTL),
                )
                .order_by(JobRecord.id)
                .limit(100)
            )
        ).scalars().all()
    resent = 0
    for record in records:
        if record.function in jobs.specs and await jobs.get(record.key) is None:
            log.warning("job %s (%s) was never enqueued; enqueueing it now", record.id, record.function)
            await jobs.resend(record)
            resent += 1
    return resent
