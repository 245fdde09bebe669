"""Keeps each tracked job's row in ``jobs`` in step with what the queue does to the job.

The queue (any backend) calls :meth:`JobRecords.mirror` when a job starts, reports progress, is
retried or finishes, including when a sweeper retries or fails a job whose worker died. A job is
tracked when its SAQ ``meta`` carries the row id under ``"record"``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from saq.job import Job, Status
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from .models import JobRecord

log = logging.getLogger(__name__)

RECORD_META = "record"
MESSAGE_META = "message"
MAX_RESULT_BYTES = 64 * 1024

STATUS_NAMES = {
    Status.NEW: "queued",
    Status.QUEUED: "queued",
    Status.ACTIVE: "active",
    Status.ABORTING: "active",
    Status.COMPLETE: "complete",
    Status.FAILED: "failed",
    Status.ABORTED: "aborted",
}


def record_id(job: Job) -> int | None:
    value = (job.meta or {}).get(RECORD_META)
    return int(value) if value else None


def short_error(error: str | None) -> str | None:
    """The last line of a traceback ("ValueError: bad row 3"), which is what a user can act on."""
    if not error:
        return None
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else error)[:2000]


def _time(millis: int) -> datetime | None:
    return datetime.fromtimestamp(millis / 1000, UTC) if millis else None


def _small(result: Any) -> Any:
    try:
        return result if len(json.dumps(result)) <= MAX_RESULT_BYTES else None
    except (TypeError, ValueError):
        return None


class JobRecords:
    """Writes queue state changes of tracked jobs into the ``jobs`` table."""

    def __init__(self, engine: AsyncEngine, swept_error: str) -> None:
        self.engine = engine
        self.swept_error = swept_error

    def values_for(self, job: Job) -> dict[str, Any]:
        status = STATUS_NAMES[job.status]
        values: dict[str, Any] = {
            "status": status,
            "attempts": job.attempts,
            "progress": float(job.progress or 0.0),
            "message": str((job.meta or {}).get(MESSAGE_META, ""))[:1000],
            "error": short_error(job.error),
        }
        if job.status == Status.ACTIVE:
            values["started_at"] = _time(job.started)
        if job.status == Status.ABORTED and job.error == self.swept_error:
            values["status"] = "failed"  # its worker died and no attempt is left: a failure
        if status in {"complete", "failed", "aborted"}:
            values["finished_at"] = _time(job.completed) or datetime.now(UTC)
        if job.status == Status.COMPLETE:
            values["result"] = _small(job.result)
            values["progress"] = 1.0
        return values

    async def create(self, job: Job, *, max_attempts: int, arguments: dict[str, Any] | None = None) -> int:
        """Insert the row of a job enqueued outside a request transaction; returns its id."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                insert(JobRecord)
                .values(key=job.key, function=job.function, max_attempts=max_attempts, arguments=arguments)
                .returning(JobRecord.id)
            )
            return int(result.scalar_one())

    async def mirror(self, job: Job) -> None:
        row_id = record_id(job)
        if row_id is None:
            return
        async with self.engine.begin() as conn:
            await conn.execute(update(JobRecord).where(JobRecord.id == row_id).values(**self.values_for(job)))
