"""Background jobs on SAQ: Redis, PostgreSQL or the embedded database queue, same functions.

From a request handler or service::

    from labelloom.core import jobs

    await jobs.enqueue(request, "myplugin.reindex", project_id=3)        # now
    jobs.jobs_of(request).enqueue_after_commit(db, "myplugin.reindex", project_id=3)
    record = await jobs.jobs_of(request).submit(db, "myplugin.import", project_id=3, user_id=user.id,
                                                upload_id=9)           # tracked: GET /api/jobs/{id}

Inside a job function ``async def fn(ctx, **kwargs)``: ``await jobs.set_progress(ctx, 0.5, "half")``.

A process's wiring (queue, job service, event bus, worker: ``Background``, ``build_background``,
``run_worker``) is ``labelloom.core.background``: it composes this package with events and
webhooks, which sit above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saq.job import Job

from .models import JobRecord, QueueJob
from .service import JobService, UnknownJob
from .worker import set_progress


def jobs_of(source: Any) -> JobService:
    """The job service of a Litestar app or request, its ``app.state``, or a job's ``ctx``."""
    if isinstance(source, JobService):
        return source
    if isinstance(source, Mapping) and isinstance(source.get("jobs"), JobService):
        return source["jobs"]
    app = getattr(source, "app", None)  # a Request
    state = getattr(app if app is not None else source, "state", source)
    jobs = getattr(state, "jobs", None)
    if not isinstance(jobs, JobService):
        raise TypeError(f"no job service on {type(source).__name__}")
    return jobs


async def enqueue(source: Any, name: str, /, **kwargs: Any) -> Job | None:
    """Enqueue job ``name`` now; see :meth:`JobService.enqueue` for ``key``/``delay``."""
    return await jobs_of(source).enqueue(name, **kwargs)


__all__ = [
    "JobRecord",
    "JobService",
    "QueueJob",
    "UnknownJob",
    "enqueue",
    "jobs_of",
    "set_progress",
]
