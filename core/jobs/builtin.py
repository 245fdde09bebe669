"""Core's own jobs: webhook delivery and the periodic upkeep that recovers lost work."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..specs import JobSpec
from .models import JobRecord
from .service import FINISHED_JOB_TTL, JobService
from .worker import UPKEEP_JOB

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


async def upkeep(ctx: dict[str, Any]) -> dict[str, Any]:
    """``core.upkeep``, every minute on one worker: recover what crashes may have stranded."""
    from ..webhooks.delivery import resume_stalled

    return {"jobs_resent": await resend_lost_jobs(ctx), "webhooks_resumed": len(await resume_stalled(ctx))}


def core_job_specs() -> list[JobSpec]:
    from ..datamanager.tuning import tuning_job_specs
    from ..export.snapshots import export_job_specs
    from ..webhooks.delivery import deliver_webhook
    from ..webhooks.fanout import DELIVER_JOB

    return [
        # Attempts of single requests are counted per delivery; these retries only cover a
        # worker dying mid-run (the lease then expires and the rows are picked up again).
        JobSpec(name=DELIVER_JOB, function=deliver_webhook, timeout=900, retries=3, retry_delay=5.0, heartbeat=30),
        JobSpec(name=UPKEEP_JOB, function=upkeep, timeout=300, retries=1, heartbeat=60),
        *export_job_specs(),
        *tuning_job_specs(),
    ]
