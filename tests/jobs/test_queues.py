"""The same jobs run through the embedded queue, Redis and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from labelloom.core.jobs import JobRecord, UnknownJob


async def record_of(background, record_id: int) -> JobRecord:
    async with background.sessionmaker() as db:
        return await db.get(JobRecord, record_id)


async def test_job_runs_and_returns_its_result(queue_backend, make_background):
    background = make_background(queue_backend)
    async with background.running(workers=1):
        job = await background.jobs.enqueue("testjobs.add", a=2, b=3)
        await job.refresh(until_complete=10)
    assert job.status == "complete"
    assert job.result == 5


async def test_failing_job_is_retried_with_backoff_and_records_its_error(
    queue_backend, make_background, wait_until
):
    background = make_background(queue_backend)
    async with background.running(workers=1):
        job = await background.jobs.enqueue("testjobs.fail", message="bad row 3")
        record_id = job.meta["record"]  # the spec says track=True

        async def failed():
            record = await record_of(background, record_id)
            return record if record.status == "failed" else None

        record = await wait_until(failed)  # the record is written before the queue's state
        await job.refresh(until_complete=5)
    assert record.attempts == 3  # retries=3: all attempts used
    assert record.error == "ValueError: bad row 3"
    assert record.finished_at is not None
    assert job.status == "failed" and "Traceback" in job.error


async def test_progress_and_result_are_recorded(queue_backend, make_background, wait_until):
    background = make_background(queue_backend)
    async with background.running(workers=1):
        job = await background.jobs.enqueue("testjobs.progress", steps=4)
        await job.refresh(until_complete=10)
    record = await record_of(background, job.meta["record"])
    assert (record.status, record.progress, record.message, record.result) == ("complete", 1.0, "step 4 of 4", 4)
    assert record.attempts == 1 and record.started_at is not None


async def test_a_key_is_enqueued_once_while_unfinished(queue_backend, make_background):
    background = make_background(queue_backend)
    async with background.running(workers=0):
        key = f"only-once-{uuid.uuid4()}"  # SAQ's PostgreSQL keys are unique across queues
        first = await background.jobs.enqueue("testjobs.add", key=key, a=1, b=1)
        second = await background.jobs.enqueue("testjobs.add", key=key, a=1, b=1)
        assert first is not None and second is None
        assert (await background.jobs.get(key)).status == "queued"


async def test_bad_job_calls_fail_in_the_caller(settings_for, make_background):
    background = make_background(settings_for())
    with pytest.raises(UnknownJob, match="testjobs.add"):
        await background.jobs.enqueue("testjobs.nope")
    with pytest.raises(TypeError, match="JSON"):
        await background.jobs.enqueue("testjobs.add", a=object(), b=1)


async def test_submit_enqueues_only_after_commit(queue_backend, make_background):
    background = make_background(queue_backend)
    async with background.running(workers=0):
        async with background.sessionmaker() as db:
            dropped = await background.jobs.submit(db, "testjobs.add", a=1, b=2)
            await db.rollback()
        async with background.sessionmaker() as db:
            kept = await background.jobs.submit(db, "testjobs.add", a=1, b=2)
            assert await background.jobs.get(kept.key) is None  # not before the commit
            await db.commit()
        await background.events.drain()
        assert await background.jobs.get(dropped.key) is None
        assert (await background.jobs.get(kept.key)).kwargs == {"a": 1, "b": 2}
        async with background.sessionmaker() as db:
            keys = (await db.execute(select(JobRecord.key))).scalars().all()
        assert keys == [kept.key]


async def test_embedded_workers_of_two_processes_run_each_job_once(
    settings_for, make_background, markers, read_marker, wait_until
):
    """Two backgrounds on one database stand for two processes sharing the embedded queue."""
    settings = settings_for()
    first, second = make_background(settings), make_background(settings)
    marker = markers("runs")
    async with first.running(workers=3), second.running(workers=3):
        for n in range(30):
            await first.jobs.enqueue("testjobs.note_run", marker=str(marker), n=n)

        async def all_ran():
            return len(read_marker(marker)) >= 30

        await wait_until(all_ran)
        await asyncio.sleep(0.3)  # a double run would show up now
    assert sorted(read_marker(marker)) == list(range(30))


async def test_stopping_a_worker_requeues_its_running_job(settings_for, make_background, markers, wait_until):
    background = make_background(settings_for())
    marker = markers("hang")
    async with background.running(workers=1):
        job = await background.jobs.enqueue("testjobs.hang", marker=str(marker))
        await wait_until(lambda: asyncio.sleep(0, marker.exists()))
        background.worker.grace = 0.1
    await background.queue.connect()
    job = await background.jobs.get(job.key)
    assert job.status == "queued" and job.error == "cancelled"


async def test_a_waiting_embedded_dequeue_always_obeys_cancellation(settings_for, make_background):
    """A cancel arriving just as a wake-up ends the wait must still stop the worker's dequeue
    (asyncio.wait_for on Python 3.11 can swallow it; a stopping worker then polls on)."""
    background = make_background(settings_for())
    queue = background.queue
    for ticks in range(8):
        task = asyncio.create_task(queue.dequeue())
        await asyncio.sleep(0.05)  # it is waiting now
        queue._wake()
        for _ in range(ticks):
            await asyncio.sleep(0)
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=2)
        assert done and task.cancelled(), f"dequeue ignored a cancel {ticks} loop turns after a wake-up"
