"""Storages whose sync job died: a worker killed mid-sync never writes the storage's end, so a
storage still saying ``queued``/``in_progress`` is compared with its job and, when that job is
over (``jobs.liveness``), marked ``failed`` with a message a user can act on.

Checked when storages are read through the API and by core's periodic upkeep.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..jobs.liveness import dead_reason
from ..jobs.models import JobRecord
from ..jobs.service import JobService
from .models import Storage

log = logging.getLogger(__name__)

RUNNING = ("queued", "in_progress")
SETTLE_LIMIT = 100  # storages settled per upkeep run


async def settle_stalled(db: AsyncSession, jobs: JobService | None, storages: list[Storage]) -> int:
    """Mark ``failed`` (with the reason in ``traceback``) each of ``storages`` whose status says a
    sync is queued or running while its job is over, and refresh those objects. Changes stay in
    ``db``'s transaction; returns how many storages changed."""
    running = [s for s in storages if s.status in RUNNING]
    if not running:
        return 0
    job_ids = {int(s.last_sync_job) for s in running if s.last_sync_job and s.last_sync_job.isdigit()}
    records = {r.id: r for r in (await db.execute(select(JobRecord).where(JobRecord.id.in_(job_ids)))).scalars()} \
        if job_ids else {}
    now = datetime.now(UTC)
    changed = 0
    for storage in running:
        job = storage.last_sync_job
        record = records.get(int(job)) if job and job.isdigit() else None
        reason = await dead_reason(record, jobs, now, "the storage")
        if reason is None:
            continue
        # Only while the row still says this job runs: the job may have recorded its end after
        # the storage was read and before its job row was (each read sees the latest commit).
        settled = await db.execute(
            update(Storage)
            .where(Storage.id == storage.id, Storage.status.in_(RUNNING), Storage.last_sync_job == job)
            .values(status="failed", meta={**(storage.meta or {}), "cancel_requested": False}, traceback=(
                f"The sync stopped without finishing: {reason}. What it added before stopping stays; "
                "sync again to continue."
            ))
            .execution_options(synchronize_session=False)
        )
        if settled.rowcount:
            log.warning("storage %s was left %s by job %s: %s", storage.id, storage.status, job, reason)
            changed += 1
        await db.refresh(storage)  # what the row says now, settled or finished meanwhile
    return changed


async def settle_stalled_storages(ctx: dict[str, Any]) -> int:
    """Core's upkeep step: settle storages left running by dead jobs (oldest first)."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        storages = list((await db.execute(
            select(Storage).where(Storage.status.in_(RUNNING)).order_by(Storage.id).limit(SETTLE_LIMIT)
        )).scalars())
        changed = await settle_stalled(db, ctx.get("jobs"), storages)
        await db.commit()
    return changed


__all__ = ["settle_stalled", "settle_stalled_storages"]
