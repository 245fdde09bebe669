"""Stopping a worker: running jobs get their grace period, an idle worker stops at once."""

from __future__ import annotations

import asyncio
import time


async def test_a_running_job_finishes_within_the_grace_period(queue_backend, make_background, markers,
                                                              read_marker, wait_until):
    background = make_background(queue_backend)
    marker = markers("slow")
    async with background.running(workers=2):
        job = await background.jobs.enqueue("testjobs.slow", marker=str(marker), seconds=0.8)
        await wait_until(lambda: asyncio.sleep(0, marker.exists()), every=0.02)
        started = time.monotonic()
    stopped_after = time.monotonic() - started
    # The job was not cancelled: it ran to its end, once, and its outcome was stored.
    assert read_marker(marker) == [1, -1]
    reader = make_background(queue_backend)  # a fresh connection: the stopped one is closed
    async with reader.running(workers=0):
        job = await reader.jobs.get(job.key)
    assert job.status == "complete" and job.result == 0.8
    # The worker waited for the job, not for the whole grace period (10 s).
    assert stopped_after < 5, stopped_after


async def test_an_idle_worker_stops_at_once(queue_backend, make_background):
    background = make_background(queue_backend)
    async with background.running(workers=3):
        await asyncio.sleep(0.3)  # its dequeue loops are waiting now
        started = time.monotonic()
    assert time.monotonic() - started < 1.5


async def test_a_stopping_worker_takes_no_new_job(settings_for, make_background, markers, read_marker,
                                                 wait_until):
    background = make_background(settings_for())
    slow, later = markers("slow"), markers("later")
    async with background.running(workers=2):
        await background.jobs.enqueue("testjobs.slow", marker=str(slow), seconds=0.8)
        await wait_until(lambda: asyncio.sleep(0, slow.exists()), every=0.02)

        async def enqueue_while_stopping() -> None:
            await asyncio.sleep(0.2)
            await background.jobs.enqueue("testjobs.note_run", marker=str(later), n=1)

        enqueuing = asyncio.create_task(enqueue_while_stopping())
        # Leaving the block stops the worker while the slow job runs; the second worker slot
        # was idle and must not pick up the job enqueued meanwhile.
    await enqueuing
    assert read_marker(slow) == [1, -1]
    assert read_marker(later) == []
