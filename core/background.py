"""Wiring: the queue, job service, event bus and worker of one process.

It composes the jobs, events and webhooks packages (and the plugin host), so it sits on top of
them, next to ``app``: none of them imports it.

The web app builds a :class:`Background` in ``create_app`` and runs it in its lifespan (with
``settings.workers`` jobs at a time in-process); ``labelloom worker`` runs the same thing with
no web server (:func:`run_worker`). Both see the same jobs, events and webhooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from saq.queue.base import Queue
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .db.engine import make_engine, make_sessionmaker
from .events import EventBus
from .host import PluginHost
from .jobs.queues import SWEPT_ERROR, make_queue
from .jobs.records import JobRecords
from .jobs.service import JobService
from .jobs.worker import WorkerRunner
from .manager import plugin_host_for
from .quality.trigger import QualityTrigger
from .settings import Settings
from .specs import JobSpec
from .storage.targets import TargetStage
from .webhooks.fanout import WebhookStage
from .ml.train import TrainingStage

log = logging.getLogger(__name__)


@dataclass
class Background:
    """Everything background work of one process needs."""

    settings: Settings
    host: PluginHost
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    queue: Queue
    jobs: JobService
    events: EventBus
    worker: WorkerRunner | None = None
    quality: QualityTrigger | None = None

    def job_context(self) -> dict[str, Any]:
        """What every job function finds in ``ctx`` (plus SAQ's ``job`` and ``worker``)."""
        return {"settings": self.settings, "host": self.host, "sessionmaker": self.sessionmaker, "jobs": self.jobs}

    @contextlib.asynccontextmanager
    async def running(self, workers: int = 0) -> AsyncIterator[Background]:
        """Connect the queue and, if ``workers`` > 0, run that many jobs at a time here."""
        await self.queue.connect()
        try:
            if workers > 0:
                self.worker = WorkerRunner(
                    self.queue,
                    self.jobs.specs,
                    self.job_context(),
                    concurrency=workers,
                    sweep_interval=self.settings.job_sweep_interval,
                )
                await self.worker.start()
            yield self
        finally:
            if self.worker is not None:
                await self.worker.stop()
                self.worker = None
            if self.quality is not None:
                await self.quality.drain()  # agreement updates gathered, not yet sent
            await self.events.drain()  # enqueue what committed requests left behind
            await self.queue.disconnect()


def job_specs(host: PluginHost) -> dict[str, JobSpec]:
    """Every registered job, core's own included (the ``core`` plugin registers those)."""
    return {spec.name: spec for spec in host.registries.jobs}


def build_background(
    settings: Settings,
    host: PluginHost,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> Background:
    """Create (not yet connect) the queue, job service and event bus; bind the bus to the
    sessionmaker so that its sessions dispatch their events after commit."""
    host.register_all()  # job specs come from the registries (idempotent)
    sessionmaker = sessionmaker or make_sessionmaker(engine)
    records = JobRecords(engine, SWEPT_ERROR)
    queue = make_queue(settings.queue_url, engine, name=settings.queue_name, records=records)
    jobs = JobService(queue, job_specs(host), records)
    events = EventBus(host, stages=[WebhookStage(jobs, batch_size=settings.webhook_batch_size), TrainingStage(jobs),
                                          TargetStage(jobs)])
    events.bind(sessionmaker)
    quality = QualityTrigger(jobs)
    quality.bind(sessionmaker)  # agreement jobs for changed annotations
    return Background(settings, host, engine, sessionmaker, queue, jobs, events, quality=quality)


async def run_worker(
    settings: Settings,
    *,
    concurrency: int = 4,
    host: PluginHost | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """``labelloom worker``: run jobs until SIGINT/SIGTERM (or ``stop`` is set)."""
    if host is None:
        host = plugin_host_for(settings)
    host.register_all()
    engine = make_engine(settings.resolved_database_url)
    background = build_background(settings, host, engine)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with AsyncExitStack() as stack:
            for context in host.lifespans(settings):
                await stack.enter_async_context(context)
            await stack.enter_async_context(background.running(workers=concurrency))
            log.info("worker running %d jobs at a time on %r", concurrency, background.queue)
            await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await engine.dispose()
