"""Running jobs: SAQ's own Worker, fed with the registered job functions.

Each job function runs with a heartbeat, so a sweeper can tell a job whose worker was killed
(no beat for ``JobSpec.heartbeat`` seconds) from a slow one, and retry or fail it. A stopping
worker takes no new job, gives running ones a grace period, then cancels them; SAQ re-queues a
cancelled job, so a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from saq import CronJob, Worker
from saq.job import Job
from saq.queue.base import Queue

from ..specs import JobSpec

log = logging.getLogger(__name__)

UPKEEP_JOB = "core.upkeep"
UPKEEP_CRON = "* * * * *"  # every minute


@contextlib.asynccontextmanager
async def heartbeat(job: Job) -> AsyncIterator[None]:
    """Touch ``job`` every third of its heartbeat while the block runs."""
    if not job.heartbeat:
        yield
        return

    async def beat() -> None:
        while True:
            await asyncio.sleep(max(0.2, job.heartbeat / 3))
            try:
                await job.update()
            except Exception:
                log.warning("heartbeat of job %s failed", job.key, exc_info=True)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        # Wait, so no late heartbeat overwrites the finished job.
        with contextlib.suppress(asyncio.CancelledError):
            await task


def runnable(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped with a heartbeat, named ``name`` (SAQ keys cron jobs by qualname)."""

    async def run(ctx: dict[str, Any], **kwargs: Any) -> Any:
        async with heartbeat(ctx["job"]):
            return await function(ctx, **kwargs)

    run.__qualname__ = run.__name__ = name
    return run


class WorkerRunner:
    """One SAQ worker inside the current event loop (a web process or ``labelloom worker``).

    :param context: what job functions find in ``ctx`` besides ``job`` and ``worker``.
    :param grace: seconds running jobs get to finish when the worker stops.
    """

    def __init__(
        self,
        queue: Queue,
        specs: Mapping[str, JobSpec],
        context: Mapping[str, Any],
        *,
        concurrency: int,
        sweep_interval: int,
        grace: float = 10.0,
    ) -> None:
        functions = {name: runnable(name, spec.function) for name, spec in specs.items()}
        cron_jobs = []
        if UPKEEP_JOB in functions:
            spec = specs[UPKEEP_JOB]
            cron_jobs.append(
                CronJob(functions[UPKEEP_JOB], cron=UPKEEP_CRON, timeout=spec.timeout, retries=1, heartbeat=spec.heartbeat)
            )
        self.worker = Worker(
            queue,
            list(functions.items()),
            concurrency=concurrency,
            cron_jobs=cron_jobs,
            timers={"sweep": max(1, sweep_interval)},
            shutdown_grace_period_s=0,
        )
        # The hosting process owns SIGINT/SIGTERM (granian, pytest, the worker command).
        self.worker.SIGNALS = []
        self.worker.context.update(context)
        self.grace = grace
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.worker.start(), name="labelloom-worker")
        await asyncio.sleep(0)  # let the worker set itself up before anyone may stop it

    async def stop(self) -> None:
        worker = self.worker
        worker.event.set()  # no new jobs from here on
        # A job leaves job_task_contexts once SAQ has also stored its outcome.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        while worker.job_task_contexts and loop.time() < deadline:
            await asyncio.sleep(0.02)
        await worker.stop()  # cancels what is left; SAQ re-queues cancelled jobs
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def set_progress(ctx: Mapping[str, Any], progress: float, message: str | None = None) -> None:
    """Report a running job's progress (0..1) and an optional message; tracked jobs show both
    at ``GET /api/jobs/{id}``. Also counts as a heartbeat."""
    job: Job = ctx["job"]
    meta = dict(job.meta or {})
    if message is not None:
        meta["message"] = message
    await job.update(progress=min(1.0, max(0.0, float(progress))), meta=meta)
