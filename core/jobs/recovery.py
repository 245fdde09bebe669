"""Recovery of tracked jobs (part of core's periodic upkeep, which ``labelloom.core.builtin_jobs``
registers with core's other jobs): jobs whose enqueue was lost are enqueued again, and jobs
left "active" by a killed process that the queue no longer runs end as failed with a reason.

The queue's own sweeper retries or fails a running job whose heartbeat stopped and mirrors that
into the ``jobs`` row. Two kill -9 windows escape it: the process dies after the queue stored
the job's end but before the row was written (the row stays "active" while the queue says
finished), or the queue lost the job (a flushed Redis, an expired entry). Both end here.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from saq.job import Status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import JobRecord
from .records import JobRecords
from .service import FINISHED_JOB_TTL, JobService

log = logging.getLogger(__name__)

LOST_AFTER = timedelta(minutes=1)  # a tracked job still unknown to the queue after this was lost
STALE_AFTER = timedelta(minutes=1)  # an "active" row untouched this long is checked with the queue
ORPHANED_ERROR = (
    "The job's worker stopped (the process was killed or crashed) and the queue no longer has the "
    "job, so it did not finish. Start it again."
)
FINISHED = {Status.COMPLETE, Status.FAILED, Status.ABORTED}


async def _first_records(ctx: dict[str, Any], *conditions: Any) -> list[JobRecord]:
    """Up to 100 tracked jobs matching ``conditions``, oldest first."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        query = select(JobRecord).where(*conditions).order_by(JobRecord.id).limit(100)
        return list((await db.execute(query)).scalars().all())


async def resend_lost_jobs(ctx: dict[str, Any]) -> int:
    """Enqueue again tracked jobs whose enqueue never happened (the process died between the
    commit that created them and the enqueue right after it)."""
    jobs: JobService = ctx["jobs"]
    now = datetime.now(UTC)
    records = await _first_records(
        ctx,
        JobRecord.status == "queued",
        JobRecord.created_at < now - LOST_AFTER,
        # Older rows may be finished jobs the queue has already forgotten.
        JobRecord.created_at > now - timedelta(seconds=FINISHED_JOB_TTL),
    )
    resent = 0
    for record in records:
        if record.function in jobs.specs and await jobs.get(record.key) is None:
            log.warning("job %s (%s) was never enqueued; enqueueing it now", record.id, record.function)
            await jobs.resend(record)
            resent += 1
    await settle_stale_jobs(ctx)
    return resent


async def settle_stale_jobs(ctx: dict[str, Any]) -> int:
    """End tracked jobs whose row says "active" although no worker runs them any more.

    A row untouched for ``STALE_AFTER`` is compared with the queue: a job the queue finished
    gets the queue's outcome; a job the queue no longer knows fails with ``ORPHANED_ERROR``.
    A job the queue still runs is left to the queue's heartbeat sweeper. Returns how many
    rows changed.
    """
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    jobs: JobService = ctx["jobs"]
    now = datetime.now(UTC)
    records = await _first_records(ctx, JobRecord.status == "active", JobRecord.updated_at < now - STALE_AFTER)
    settled = 0
    for record in records:
        queued = await jobs.get(record.key)
        if queued is not None and queued.status not in FINISHED:
            continue  # still queued or running: the queue's sweeper watches its heartbeat
        if queued is None:
            log.warning("job %s (%s) was left active by a dead worker; failing it", record.id, record.function)
            values: dict[str, Any] = {"status": "failed", "error": ORPHANED_ERROR, "finished_at": now}
        else:
            values = (jobs.records or JobRecords(None, "")).values_for(queued)  # type: ignore[arg-type]
        async with sessions() as db:
            changed = await db.execute(
                update(JobRecord)
                .where(JobRecord.id == record.id, JobRecord.status == "active")
                .values(**values)
            )
            await db.commit()
        settled += changed.rowcount or 0
    return settled
