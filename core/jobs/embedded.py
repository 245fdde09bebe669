"""The embedded queue: SAQ's ``Queue`` interface on the application's own database.

Used when LABELLOOM_QUEUE_URL is unset, so a laptop install needs nothing but SQLite, yet a
crashed web process loses no job: jobs are rows of ``queue_jobs`` and the next worker that
starts sweeps the ones whose heartbeat stopped. Several processes may share the table
(``labelloom start --processes N``, or ``labelloom worker`` next to the web server): a job is
claimed with a conditional UPDATE, so exactly one of them gets it. Waiting workers are woken at
once by jobs enqueued in their own process and poll for the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import typing as t
from collections.abc import AsyncIterator, Iterable

from saq.job import TERMINAL_STATUSES, Job, Status
from saq.queue.base import Queue
from saq.utils import now, now_seconds
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from .models import QueueJob

if t.TYPE_CHECKING:
    from saq.types import CountKind, QueueInfo, WorkerInfo

log = logging.getLogger(__name__)

TABLE = QueueJob.__table__
TERMINAL = [s.value for s in TERMINAL_STATUSES]
RUNNING = [Status.ACTIVE.value, Status.ABORTING.value]


class DatabaseQueue(Queue):
    """A SAQ queue whose jobs live in the ``queue_jobs`` table of ``engine``'s database.

    :param poll_interval: seconds between looks for jobs enqueued by other processes.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        name: str = "default",
        *,
        poll_interval: float = 0.5,
        swept_error_message: str | None = None,
    ) -> None:
        super().__init__(name=name, dump=None, load=None, swept_error_message=swept_error_message)
        self.engine = engine
        self.poll_interval = poll_interval
        self._wakeup = asyncio.Event()
        self._workers: dict[str, tuple[float, WorkerInfo]] = {}

    def __repr__(self) -> str:
        return f"DatabaseQueue<{self.engine.url.render_as_string(hide_password=True)}, name={self.name!r}>"

    async def disconnect(self) -> None:
        """Nothing to close: the engine belongs to the application."""

    # -- waking waiting workers ----------------------------------------------------------------
    def _wake(self) -> None:
        # Set-and-replace wakes every current waiter; later waiters wait on the fresh event.
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    # -- enqueue / dequeue ---------------------------------------------------------------------
    async def _enqueue(self, job: Job) -> Job | None:
        values = {
            "queue": self.name,
            "function": job.function,
            "status": job.status.value,
            "priority": job.priority,
            "scheduled": float(job.scheduled or now_seconds()),
            "expire_at": None,
            "job": self.serialize(job),
        }
        try:
            async with self.engine.begin() as conn:
                existing = (
                    await conn.execute(select(TABLE.c.status, TABLE.c.scheduled).where(TABLE.c.key == job.key))
                ).first()
                if existing is None:
                    await conn.execute(insert(TABLE).values(key=job.key, **values))
                elif existing.status in TERMINAL and values["scheduled"] > existing.scheduled:
                    # Same rule as SAQ's PostgresQueue: a finished key may be enqueued again
                    # (cron jobs do this), an unfinished one is a duplicate.
                    await conn.execute(
                        update(TABLE)
                        .where(TABLE.c.key == job.key, TABLE.c.status == existing.status)
                        .values(**values)
                    )
                else:
                    return None
        except IntegrityError:
            return None  # another process inserted the same key first
        log.debug("Enqueued %s", job.info())
        self._wake()
        return job

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout if timeout > 0 else None
        interval = poll_interval if poll_interval > 0 else self.poll_interval
        while True:
            wakeup = self._wakeup
            job, next_due = await self._claim()
            if job is not None:
                return job
            wait = interval if next_due is None else max(0.01, min(interval, next_due - now_seconds()))
            if deadline is not None:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                wait = min(wait, remaining)
            # Not asyncio.wait_for: on Python 3.11 it can swallow a cancellation that arrives
            # as the wait ends, and a stopping worker would then keep polling.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await wakeup.wait()

    async def _claim(self) -> tuple[Job | None, float | None]:
        """Take the next due job, marking it active in the same statement that checks it; else
        say when the next scheduled job falls due."""
        current = now_seconds()
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(TABLE.c.key, TABLE.c.job)
                    .where(TABLE.c.queue == self.name, TABLE.c.status == Status.QUEUED.value)
                    .where(TABLE.c.scheduled <= current)
                    .order_by(TABLE.c.priority, TABLE.c.scheduled, TABLE.c.key)
                    .limit(5)
                )
            ).all()
            for key, payload in rows:
                job = self.deserialize(payload, Status.ACTIVE)
                if job is None:
                    continue
                # A fresh "touched" keeps the sweeper off the job until the worker's own update.
                job.started = job.touched = now()
                claimed = await conn.execute(
                    update(TABLE)
                    .where(TABLE.c.key == key, TABLE.c.status == Status.QUEUED.value)
                    .values(status=Status.ACTIVE.value, job=self.serialize(job))
                )
                if claimed.rowcount == 1:
                    return job, None
            next_due = (
                await conn.execute(
                    select(func.min(TABLE.c.scheduled)).where(
                        TABLE.c.queue == self.name, TABLE.c.status == Status.QUEUED.value
                    )
                )
            ).scalar()
        return None, next_due

    # -- state changes -------------------------------------------------------------------------
    async def _update(self, job: Job, status: Status | None = None, **kwargs: t.Any) -> None:
        expire_at = kwargs.pop("expire_at", -1)
        async with self.engine.begin() as conn:
            if status is None:
                stored = (await conn.execute(select(TABLE.c.status).where(TABLE.c.key == job.key))).scalar()
                status = Status(stored) if stored else job.status
            job.status = status
            values: dict[str, t.Any] = {
                "job": self.serialize(job),
                "status": job.status.value,
                "scheduled": float(job.scheduled or 0),
            }
            if expire_at != -1:
                values["expire_at"] = expire_at
            await conn.execute(update(TABLE).where(TABLE.c.key == job.key).values(**values))

    async def _retry(self, job: Job, error: str | None) -> None:
        delay = job.next_retry_delay()
        scheduled = time.time() + delay if delay else (job.scheduled or now_seconds())
        await self.update(job, status=Status.QUEUED, scheduled=scheduled, expire_at=None)
        self._wake()

    async def _finish(
        self, job: Job, status: Status, *, result: t.Any = None, error: str | None = None
    ) -> None:
        if job.ttl >= 0:
            expire_at = now_seconds() + job.ttl if job.ttl > 0 else None
            await self.update(job, status=status, expire_at=expire_at)
        else:
            async with self.engine.begin() as conn:
                await conn.execute(delete(TABLE).where(TABLE.c.key == job.key))

    async def abort(self, job: Job, error: str, ttl: float = 5) -> None:
        stored = await self._status(job.key)
        if stored is None or stored == Status.QUEUED:
            await self.finish(job, Status.ABORTED, error=error)
        else:
            await self.update(job, status=Status.ABORTING, error=error)

    async def _status(self, key: str) -> Status | None:
        async with self.engine.connect() as conn:
            stored = (await conn.execute(select(TABLE.c.status).where(TABLE.c.key == key))).scalar()
        return Status(stored) if stored else None

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        """Delete expired finished jobs; retry (or fail) running jobs whose heartbeat stopped."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(TABLE).where(
                    TABLE.c.queue == self.name,
                    TABLE.c.status.in_(TERMINAL),
                    TABLE.c.expire_at.is_not(None),
                    TABLE.c.expire_at <= now_seconds(),
                )
            )
            rows = (
                await conn.execute(
                    select(TABLE.c.key, TABLE.c.job, TABLE.c.status).where(
                        TABLE.c.queue == self.name, TABLE.c.status.in_(RUNNING)
                    )
                )
            ).all()
        swept = []
        for key, payload, status in rows:
            job = self.deserialize(payload, status)
            if job is None or not job.stuck:
                continue
            # Several processes may sweep at once: only the one whose view is still current
            # (no heartbeat or state change since it read the row) handles the job.
            job.status, job.error = Status.ABORTING, self.swept_error_message
            async with self.engine.begin() as conn:
                taken = await conn.execute(
                    update(TABLE)
                    .where(TABLE.c.key == key, TABLE.c.job == payload)
                    .values(status=Status.ABORTING.value, job=self.serialize(job))
                )
            if taken.rowcount != 1:
                continue
            swept.append(key)
            log.info("Sweeping %s", job.info())
            try:
                # A live but stuck worker notices "aborting", cancels the job and finishes it.
                await job.refresh(abort or 0.1)
            except asyncio.TimeoutError:
                log.info("Could not abort job %s: its worker is gone", key)
            if job.retryable:
                await self.retry(job, error=self.swept_error_message)
            else:
                await self.finish(job, Status.ABORTED, error=self.swept_error_message)
        return swept

    # -- reading -------------------------------------------------------------------------------
    async def job(self, job_key: str) -> Job | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(TABLE.c.job, TABLE.c.status).where(TABLE.c.key == job_key, TABLE.c.queue == self.name)
                )
            ).first()
        return self.deserialize(row.job, row.status) if row else None

    async def jobs(self, job_keys: Iterable[str]) -> list[Job | None]:
        keys = list(job_keys)
        if not keys:
            return []
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(TABLE.c.key, TABLE.c.job, TABLE.c.status).where(
                        TABLE.c.key.in_(keys), TABLE.c.queue == self.name
                    )
                )
            ).all()
        found = {row.key: self.deserialize(row.job, row.status) for row in rows}
        return [found.get(key) for key in keys]

    async def iter_jobs(
        self, statuses: list[Status] = list(Status), batch_size: int = 100
    ) -> AsyncIterator[Job]:
        last_key = ""
        wanted = [Status(s).value for s in statuses]
        while True:
            async with self.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(TABLE.c.key, TABLE.c.job, TABLE.c.status)
                        .where(TABLE.c.queue == self.name, TABLE.c.status.in_(wanted), TABLE.c.key > last_key)
                        .order_by(TABLE.c.key)
                        .limit(batch_size)
                    )
                ).all()
            if not rows:
                return
            for row in rows:
                last_key = row.key
                job = self.deserialize(row.job, row.status)
                if job is not None:
                    yield job

    async def count(self, kind: CountKind) -> int:
        query = select(func.count()).select_from(TABLE).where(TABLE.c.queue == self.name)
        if kind == "queued":
            query = query.where(TABLE.c.status == Status.QUEUED.value, TABLE.c.scheduled <= now_seconds())
        elif kind == "active":
            query = query.where(TABLE.c.status == Status.ACTIVE.value)
        elif kind == "incomplete":
            query = query.where(TABLE.c.status.in_([Status.NEW.value, Status.QUEUED.value, *RUNNING]))
        else:
            raise ValueError(f"Can't count unknown type {kind}")
        async with self.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def info(self, jobs: bool = False, offset: int = 0, limit: int = 10) -> QueueInfo:
        current = time.time()
        workers = {wid: info for wid, (expires, info) in self._workers.items() if expires > current}
        queued = await self.count("queued")
        active = await self.count("active")
        incomplete = await self.count("incomplete")
        job_info: list[dict[str, t.Any]] = []
        if jobs:
            async with self.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(TABLE.c.job, TABLE.c.status)
                        .where(TABLE.c.queue == self.name, TABLE.c.status.in_([Status.QUEUED.value, *RUNNING]))
                        .order_by(TABLE.c.scheduled)
                        .offset(offset)
                        .limit(limit)
                    )
                ).all()
            job_info = [job.to_dict() for row in rows if (job := self.deserialize(row.job, row.status))]
        return {
            "workers": workers,
            "name": self.name,
            "queued": queued,
            "active": active,
            "scheduled": incomplete - queued - active,
            "jobs": job_info,
        }

    async def write_worker_info(self, worker_id: str, info: WorkerInfo, ttl: int) -> None:
        # Only this process's workers are listed: the information is for `info()` alone.
        self._workers[worker_id] = (time.time() + ttl, info)
