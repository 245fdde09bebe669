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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from saq import CronJob, Worker
from saq.job import Job
from saq.queue.base import Queue

from ..specs import JobSpec

log = logging.getLogger(__name__)
T = TypeVar("T")

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


def shielded(ctx: Mapping[str, Any], awaitable: Awaitable[T]) -> Awaitable[T]:
    """``await shielded(ctx, work())`` in a job: ``work()`` runs to its end even if the job is
    cancelled (its timeout, or its worker stopping after the grace period: SAQ then re-queues
    the job). The job's worker still waits for it when stopping, up to its grace period, and
    cancels it after that: the section never outlives the worker, nor the engine it uses."""
    task = asyncio.ensure_future(awaitable)
    worker = ctx.get("worker")
    if isinstance(worker, GracefulWorker):
        worker.shielded.add(task)
        task.add_done_callback(worker.shielded.discard)
    return asyncio.shield(task)


def runnable(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped with a heartbeat, named ``name`` (SAQ keys cron jobs by qualname)."""

    async def run(ctx: dict[str, Any], **kwargs: Any) -> Any:
        async with heartbeat(ctx["job"]):
            return await function(ctx, **kwargs)

    run.__qualname__ = run.__name__ = name
    return run


class _Running(dict):  # type: ignore[type-arg]
    """SAQ's ``job_task_contexts`` (job -> its task), also noting which of the worker's
    ``process`` tasks holds each job: the others are only waiting for one."""

    def __init__(self) -> None:
        super().__init__()
        self.holders: dict[Any, asyncio.Task[Any] | None] = {}

    def __setitem__(self, job: Any, value: Any) -> None:
        super().__setitem__(job, value)
        self.holders[job] = asyncio.current_task()  # SAQ sets it from the job's process task

    def __delitem__(self, job: Any) -> None:
        super().__delitem__(job)
        self.holders.pop(job, None)

    def busy(self) -> set[asyncio.Task[Any]]:
        return {task for job, task in self.holders.items() if task is not None and job in self}


class GracefulWorker(Worker):
    """SAQ's worker, stopping with a grace period for running jobs.

    SAQ's ``start()`` runs ``stop()`` as soon as its stop event is set, and its own grace period
    waits for every task, idle dequeue loops included. So here ``stop()`` first cancels what
    only waits (dequeue loops holding no job), lets running jobs finish for up to ``grace``
    seconds, and only then lets SAQ cancel what is left: an idle worker stops at once, a busy one
    as soon as its jobs are done. (A job cancelled mid-statement is worse than a late stop: on
    SQLite the abandoned connection keeps its write lock for the life of the process.)

    Sections a job runs through :func:`shielded` survive the job's cancellation; ``stop()`` then
    waits for them too (``settle`` seconds at most) and cancels what is still left, so none of
    them outlives the worker and uses its engine after its owner disposed of it.
    """

    # Seconds a cancelled shielded section gets to unwind (roll back, return its connection).
    CANCEL_WAIT = 5.0
    # Seconds stop() waits for shielded sections to end on their own before cancelling them. Not
    # the (often short) grace: cancelling one mid-statement on SQLite can leave its connection's
    # rollback waiting forever on a driver thread the engine's disposal already stopped.
    settle = 30.0

    def __init__(self, *args: Any, grace: float, **kwargs: Any) -> None:
        super().__init__(*args, shutdown_grace_period_s=0, **kwargs)
        self.grace = grace
        self.job_task_contexts = _Running()
        self.shielded: set[asyncio.Task[Any]] = set()
        self._stopping: asyncio.Future[None] | None = None

    async def stop(self) -> None:
        if self._stopping is None:  # SAQ's start() and our owner may both call stop()
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        await self._drain()
        await super().stop()  # cancels what is left; SAQ re-queues cancelled jobs
        await self._settle()

    async def _settle(self) -> None:
        """Wait for the shielded sections of cancelled jobs (``settle`` seconds at most), then
        cancel those still running. Every wait is bounded: a stop always ends."""
        if not self.shielded:
            return
        wait = max(self.grace, self.settle)
        _, left = await asyncio.wait(set(self.shielded), timeout=wait)
        if not left:
            return
        log.warning("cancelling %d shielded job section(s) still running %.1f s after the jobs' stop",
                    len(left), wait)
        for task in left:
            task.cancel()
        _, stuck = await asyncio.wait(left, timeout=self.CANCEL_WAIT)
        if stuck:
            log.error("%d shielded job section(s) did not end after cancellation", len(stuck))

    async def _drain(self) -> None:
        self.event.set()  # no new process tasks from here on
        running: _Running = self.job_task_contexts  # type: ignore[assignment]
        busy = running.busy()
        for task in list(self.tasks):
            if task.get_name() == "process" and task not in busy:
                # Waiting in dequeue: it would only take a new job. (One that has just dequeued
                # a job but not yet registered it is cancelled too; SAQ's sweep re-queues a job
                # left in the active list; upkeep retries or fails one whose heartbeat stopped.)
                task.cancel()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        # A job leaves job_task_contexts once SAQ has also stored its outcome.
        while running and loop.time() < deadline:
            await asyncio.sleep(0.02)


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
        self.worker = GracefulWorker(
            queue,
            list(functions.items()),
            concurrency=concurrency,
            cron_jobs=cron_jobs,
            timers={"sweep": max(1, sweep_interval)},
            grace=grace,
        )
        # The hosting process owns SIGINT/SIGTERM (granian, pytest, the worker command).
        self.worker.SIGNALS = []
        self.worker.context.update(context)
        self._task: asyncio.Task[None] | None = None

    @property
    def grace(self) -> float:
        return self.worker.grace

    @grace.setter
    def grace(self, seconds: float) -> None:
        self.worker.grace = seconds

    async def start(self) -> None:
        self._task = asyncio.create_task(self.worker.start(), name="labelloom-worker")
        await asyncio.sleep(0)  # let the worker set itself up before anyone may stop it

    async def stop(self) -> None:
        await self.worker.stop()
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
