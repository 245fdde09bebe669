"""A plugin with jobs for the job-system tests (also loaded by the worker subprocesses)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from labelloom.core.jobs import set_progress
from labelloom.core.plugin import JobSpec, hookimpl


async def add(ctx, *, a, b):
    return a + b


async def fail(ctx, *, message):
    raise ValueError(message)


async def progress(ctx, *, steps):
    for step in range(1, steps + 1):
        await set_progress(ctx, step / steps, f"step {step} of {steps}")
    return steps


def _mark(marker: str, attempt: int) -> None:
    with Path(marker).open("a") as fh:
        fh.write(f"{attempt}\n")


async def crash_once(ctx, *, marker):
    """Runs "forever" on its first attempt (the test kills the worker then), returns later."""
    attempt = ctx["job"].attempts
    _mark(marker, attempt)
    if attempt == 1:
        await asyncio.sleep(600)
    return attempt


async def note_run(ctx, *, marker, n):
    _mark(marker, n)
    return n


async def slow(ctx, *, marker, seconds):
    """Notes its start, sleeps, then notes its end (attempt numbers; the end as a negative)."""
    _mark(marker, ctx["job"].attempts)
    await asyncio.sleep(seconds)
    _mark(marker, -ctx["job"].attempts)
    return seconds


async def hang(ctx, *, marker):
    _mark(marker, ctx["job"].attempts)
    await asyncio.sleep(600)


@hookimpl
def labelloom_register_jobs(registry):
    registry.add(JobSpec(name="testjobs.add", function=add, retries=1))
    registry.add(
        JobSpec(name="testjobs.fail", function=fail, retries=3, retry_delay=0.2, retry_backoff=1.0, track=True)
    )
    registry.add(JobSpec(name="testjobs.progress", function=progress, track=True))
    # heartbeat=3: a killed worker's job counts as interrupted three seconds later. (With 1 s, a
    # worker process still busy starting up on a loaded machine missed its beats and its jobs
    # were swept while it ran them.)
    registry.add(JobSpec(name="testjobs.crash_once", function=crash_once, retries=2, retry_delay=0, heartbeat=3))
    registry.add(JobSpec(name="testjobs.hang", function=hang, retries=1, heartbeat=3))
    registry.add(JobSpec(name="testjobs.slow", function=slow, retries=1))
    registry.add(JobSpec(name="testjobs.note_run", function=note_run, retries=1))

