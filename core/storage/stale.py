"""Storages whose sync job died: a worker killed mid-sync never writes the storage's end, so a
storage still saying ``queued``/``in_progress`` is compared with its job and, when that job is
over (its ``jobs`` row finished, the queue forgot it, or no heartbeat for longer than the job's
``heartbeat``), marked ``failed`` with a message a user can act on.

Checked when storages are read through the API and by core's periodic upkeep.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from saq.job import Status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..jobs.models import JobRecord
from ..jobs.service import JobService
from .models import Storage

log = logging.getLogger(__name__)

RUNNING = ("queued", "in_progress")
# A job row "active" for less than this may be a job the queue is still starting: left alone.
START_GRACE = timedelta(minutes=1)
BEAT_SLACK = 30.0  # seconds beyond the job's heartbeat before a silent job counts as dead
SETTLE_LIMIT = 100  # storages settled per upkeep run


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


async def _dead_reason(record: JobRecord | None, jobs: JobService | None, now: datetime) -> str | None:
    """Why the storage's job is no longer running, or None while it may still run."""
    if record is None:
        return "its job record is gone"
    if record.status in ("complete", "failed", "aborted"):
        error = f" ({record.error})" if record.error else ""
        return f"its job ended as {record.status}{error} before the storage recorded the end"
    if record.status != "active" or jobs is None:
        return None  # queued: lost enqueues are sent again by the upkeep
    updated = _aware(record.updated_at) or now
    queued = await jobs.get(record.key)
    if queued is None:
        return "its worker stopped and the queue no longer has the job" if now - updated > START_GRACE else None
    if queued.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
        return f"its job ended as {queued.status.value} before the storage recorded the end"
    beat = float(queued.heartbeat or 0)
    silent = time.time() - (queued.touched or 0) / 1000
    if queued.status == Status.ACTIVE and beat and silent > beat + BEAT_SLACK:
        return f"its worker has sent no heartbeat for {int(silent)} s (killed or crashed)"
    return None


async def settle_stalled(db: AsyncSession, jobs: JobService | None, storages: list[Storage]) -> int:
    """Mark ``failed`` (with the reason in ``traceback``) each of ``storages`` whose status says a
    sync is queued or running while its job is over. Changes stay in ``db``'s transaction;
    returns how many storages changed."""
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
        reason = await _dead_reason(record, jobs, now)
        if reason is None:
            continue
        log.warning("storage %s was left %s by job %s: %s", storage.id, storage.status, job, reason)
        storage.status = "failed"
        storage.traceback = (
            f"The sync stopped without finishing: {reason}. What it added before stopping stays; "
            "sync again to continue."
        )
        storage.meta = {**(storage.meta or {}), "cancel_requested": False}
        changed += 1
    if changed:
        await db.flush()
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
