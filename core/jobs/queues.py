"""Which SAQ queue a deployment uses, chosen by LABELLOOM_QUEUE_URL.

``redis://...`` -> SAQ's RedisQueue, ``postgresql://...`` -> SAQ's PostgresQueue, unset -> the
embedded :class:`~.embedded.DatabaseQueue`. All three get the same two additions: tracked jobs
are mirrored into the ``jobs`` table, and a sweeper waits only briefly for a dead worker to
acknowledge an abort before it retries the job.
"""

from __future__ import annotations

import logging
import typing as t
from urllib.parse import urlsplit

from saq.job import Job, Status
from saq.utils import now
from saq.queue.base import Queue
from sqlalchemy.ext.asyncio import AsyncEngine

from .embedded import DatabaseQueue
from .records import JobRecords, record_id

log = logging.getLogger(__name__)

SWEPT_ERROR = (
    "interrupted: the worker running this job stopped (killed, crashed or restarted) before it finished"
)


class QueueAdditions:
    """Mixed into every SAQ queue class Labelloom uses (must come before the SAQ class)."""

    records: JobRecords | None = None
    # SAQ waits 5 s per swept job for a worker that, after SIGKILL, will never answer.
    sweep_abort_wait: float = 1.0

    async def sweep(self, lock: int = 60, abort: float | None = None) -> list[str]:
        wait = self.sweep_abort_wait if abort is None else abort
        return await super().sweep(lock, wait)  # type: ignore[misc]

    async def update(self, job: Job, **kwargs: t.Any) -> None:
        await super().update(job, **kwargs)  # type: ignore[misc]
        # Starts and progress reports; heartbeats (no arguments) are not worth a write.
        if kwargs.get("status") == Status.ACTIVE or "progress" in kwargs:
            await self._mirror(job)

    async def retry(self, job: Job, error: str | None) -> None:
        await super().retry(job, error)  # type: ignore[misc]
        await self._mirror(job)

    async def finish(
        self, job: Job, status: Status, *, result: t.Any = None, error: str | None = None, **kwargs: t.Any
    ) -> None:
        # Record first: the queue announces the outcome, and whoever waits for it may read the
        # record at once.
        job.status, job.result, job.error, job.completed = status, result, error, now()
        if status == Status.COMPLETE:
            job.progress = 1.0
        await self._mirror(job)
        await super().finish(job, status, result=result, error=error, **kwargs)  # type: ignore[misc]

    async def _mirror(self, job: Job) -> None:
        if self.records is None or record_id(job) is None:
            return
        try:
            await self.records.mirror(job)
        except Exception:
            log.exception("could not record the state of job %s", job.key)


class EmbeddedJobQueue(QueueAdditions, DatabaseQueue):
    pass


def redis_queue_class() -> type[Queue]:
    # Imported on demand: the redis client costs ~18 MB that an embedded deployment never uses.
    from saq.queue.redis import RedisQueue

    return type("RedisJobQueue", (QueueAdditions, RedisQueue), {"__module__": __name__})


def postgres_queue_class() -> type[Queue]:
    # Imported on demand, like Redis: psycopg's pool is ~23 MB on a SQLite deployment.
    from saq.queue.postgres import PostgresQueue

    return type("PostgresJobQueue", (QueueAdditions, PostgresQueue), {"__module__": __name__})


def plain_postgres_url(url: str) -> str:
    """SAQ hands the URL to psycopg, which knows no SQLAlchemy driver suffix."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


def make_queue(
    queue_url: str | None, engine: AsyncEngine, *, name: str, records: JobRecords | None = None
) -> Queue:
    """The queue for ``queue_url`` (None = embedded in ``engine``'s database)."""
    queue: Queue
    scheme = urlsplit(queue_url).scheme.lower() if queue_url else ""
    if not queue_url:
        queue = EmbeddedJobQueue(engine, name=name, swept_error_message=SWEPT_ERROR)
    elif scheme.startswith("redis"):
        queue = redis_queue_class().from_url(queue_url, name=name, swept_error_message=SWEPT_ERROR)
    elif scheme.startswith("postgres"):
        queue = postgres_queue_class()(
            url=plain_postgres_url(queue_url), name=name, min_size=1, max_size=10, swept_error_message=SWEPT_ERROR
        )
    else:
        raise ValueError(f"LABELLOOM_QUEUE_URL must be redis://... or postgresql://..., not {queue_url!r}")
    t.cast(QueueAdditions, queue).records = records
    return queue
