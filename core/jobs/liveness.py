"""Is a tracked job still running? For rows whose status a job writes at its end (a storage's
sync, an export snapshot): a worker killed mid-job never writes that end, so the row is compared
with its job and settled when the job is over (its ``jobs`` row finished, the queue forgot it,
or no heartbeat for longer than the job's ``heartbeat``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from saq.job import Status

from .models import JobRecord
from .service import JobService

# A job row "active" for less than this may be a job the queue is still starting: left alone.
START_GRACE = timedelta(minutes=1)
BEAT_SLACK = 30.0  # seconds beyond the job's heartbeat before a silent job counts as dead


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


async def dead_reason(record: JobRecord | None, jobs: JobService | None, now: datetime, what: str) -> str | None:
    """Why the job is no longer running, or None while it may still run. ``what`` names the row
    the job should have finished ("the storage", "the export")."""
    if record is None:
        return "its job record is gone"
    if record.status in ("complete", "failed", "aborted"):
        error = f" ({record.error})" if record.error else ""
        return f"its job ended as {record.status}{error} before {what} recorded the end"
    if record.status != "active" or jobs is None:
        return None  # queued: lost enqueues are sent again by the upkeep
    updated = _aware(record.updated_at) or now
    queued = await jobs.get(record.key)
    if queued is None:
        return "its worker stopped and the queue no longer has the job" if now - updated > START_GRACE else None
    if queued.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
        return f"its job ended as {queued.status.value} before {what} recorded the end"
    beat = float(queued.heartbeat or 0)
    silent = time.time() - (queued.touched or 0) / 1000
    if queued.status == Status.ACTIVE and beat and silent > beat + BEAT_SLACK:
        return f"its worker has sent no heartbeat for {int(silent)} s (killed or crashed)"
    return None
