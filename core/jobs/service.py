"""Enqueueing jobs: the API request handlers, services, plugins and other jobs call.

``enqueue`` sends a job now; ``enqueue_after_commit`` and ``submit`` wait for the caller's
transaction to commit, so a worker never runs before the data it needs is visible and a
rolled-back request leaves no job behind.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

from saq.job import Job
from saq.queue.base import Queue
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import LabelloomError
from ..events import after_commit
from ..specs import JobSpec
from .models import JobRecord
from .records import RECORD_META, JobRecords

FINISHED_JOB_TTL = 24 * 3600  # seconds the queue keeps a finished job's state and result


class UnknownJob(LabelloomError):
    """No job function is registered under the name."""


class JobService:
    """Enqueues registered jobs with their spec's timeout, retries, back-off and heartbeat."""

    def __init__(self, queue: Queue, specs: Mapping[str, JobSpec], records: JobRecords | None = None) -> None:
        self.queue = queue
        self.specs = dict(specs)
        self.records = records

    def spec(self, name: str) -> JobSpec:
        try:
            return self.specs[name]
        except KeyError:
            known = ", ".join(sorted(self.specs)) or "none"
            raise UnknownJob(f"unknown job {name!r} (registered: {known})") from None

    def build(
        self,
        name: str,
        kwargs: dict[str, Any],
        *,
        key: str | None = None,
        delay: float | None = None,
        scheduled: float | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Job:
        """A SAQ job for ``name`` (built explicitly so job arguments never clash with SAQ's own
        ``key``/``timeout``/... keywords)."""
        spec = self.spec(name)
        try:
            json.dumps(kwargs)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"arguments of job {name!r} must be JSON-serialisable: {exc}") from None
        if delay:
            scheduled = time.time() + delay
        return Job(
            function=name,
            kwargs=kwargs or None,
            key=key or str(uuid.uuid4()),
            timeout=spec.timeout,
            retries=max(1, spec.retries),
            retry_delay=spec.retry_delay,
            retry_backoff=spec.retry_backoff,
            heartbeat=spec.heartbeat,
            ttl=FINISHED_JOB_TTL,
            # Whole seconds: SAQ's PostgreSQL queue stores an integer.
            scheduled=int(scheduled + 0.999) if scheduled else 0,
            meta=dict(meta or {}),
        )

    async def enqueue(
        self,
        name: str,
        /,
        *,
        key: str | None = None,
        delay: float | None = None,
        scheduled: float | None = None,
        **kwargs: Any,
    ) -> Job | None:
        """Enqueue job ``name`` with ``kwargs`` now.

        :param key: a unique key; while a job with this key is queued or running, enqueueing the
            same key again does nothing and returns None.
        :param delay: seconds to wait before the job may start (or ``scheduled``: epoch seconds).

        A job whose spec says ``track=True`` gets its ``jobs`` row here (use :meth:`submit` to
        set its project and user, or inside a request).
        """
        job = self.build(name, kwargs, key=key, delay=delay, scheduled=scheduled)
        spec = self.spec(name)
        if spec.track and self.records is not None:
            job.meta[RECORD_META] = await self.records.create(
                job, max_attempts=max(1, spec.retries), arguments=kwargs
            )
        return await self.queue.enqueue(job)

    def enqueue_after_commit(self, db: AsyncSession, name: str, /, **kwargs: Any) -> None:
        """Enqueue job ``name`` once ``db``'s transaction has committed (never on rollback)."""
        self.spec(name)  # fail now, in the request, on a typo

        async def send() -> None:
            await self.enqueue(name, **kwargs)

        after_commit(db, send)

    async def submit(
        self,
        db: AsyncSession,
        name: str,
        /,
        *,
        project_id: int | None = None,
        user_id: int | None = None,
        **kwargs: Any,
    ) -> JobRecord:
        """Create a tracked job: its ``jobs`` row is part of ``db``'s transaction and the job is
        enqueued after the commit. Returns the row (its ``id`` is set) for the response."""
        spec = self.spec(name)
        job = self.build(name, kwargs)
        record = JobRecord(
            key=job.key,
            function=name,
            status="queued",
            max_attempts=max(1, spec.retries),
            arguments=kwargs,
            project_id=project_id,
            created_by_id=user_id,
        )
        db.add(record)
        await db.flush()
        job.meta[RECORD_META] = record.id

        async def send() -> None:
            await self.queue.enqueue(job)

        after_commit(db, send)
        return record

    async def resend(self, record: JobRecord) -> Job | None:
        """Enqueue a tracked job again under its key (recovers an enqueue lost in a crash)."""
        job = self.build(record.function, dict(record.arguments or {}), key=record.key, meta={RECORD_META: record.id})
        return await self.queue.enqueue(job)

    async def get(self, key: str) -> Job | None:
        """The queue's view of a job (status, attempts, result) while the queue keeps it."""
        return await self.queue.job(key)
