"""A worker killed with SIGKILL mid-job: its jobs are retried, or failed with a reason once
their attempts are used up; never left "active". Real processes, real signals."""

from __future__ import annotations

import asyncio
import json
import signal

import pytest
from litestar.testing import AsyncTestClient

from labelloom.core.jobs import JobRecord
from labelloom.core.jobs.queues import SWEPT_ERROR


async def records(background, *ids):
    async with background.sessionmaker() as db:
        return [await db.get(JobRecord, i) for i in ids]


@pytest.mark.parametrize("queue_settings", ["redis", "postgres"], indirect=True)
async def test_killed_worker_jobs_are_retried_or_failed(
    queue_backend, make_background, spawn, markers, read_marker, wait_until
):
    """`labelloom worker` on Redis or PostgreSQL (the embedded queue: the next test)."""
    crash, hang = markers("crash"), markers("hang")
    client = make_background(queue_backend)
    async with client.running(workers=0):
        async with client.sessionmaker() as db:
            retried = await client.jobs.submit(db, "testjobs.crash_once", marker=str(crash))
            failed = await client.jobs.submit(db, "testjobs.hang", marker=str(hang))
            await db.commit()
        await client.events.drain()

    worker = spawn("worker_proc.py", queue_backend)

    async def both_running():
        return read_marker(crash) == [1] and read_marker(hang) == [1]

    await wait_until(both_running, timeout=30)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    assert [r.status for r in await records(client, retried.id, failed.id)] == ["active", "active"]

    rescuer = make_background(queue_backend)  # another worker, started after the crash
    rescuer.queue.sweep_abort_wait = 0.2
    async with rescuer.running(workers=2):

        async def settled():
            found = await records(rescuer, retried.id, failed.id)
            return found if [r.status for r in found] == ["complete", "failed"] else None

        done, gave_up = await wait_until(settled, timeout=30)
    assert (done.attempts, done.result, done.error) == (2, 2, None)
    assert read_marker(crash) == [1, 2]
    assert gave_up.attempts == 1 and gave_up.error == SWEPT_ERROR
    assert "interrupted" in gave_up.error
    assert read_marker(hang) == [1]  # retries=1: no second attempt


async def test_crashed_web_process_jobs_recover_at_next_start(
    settings_for, jobs_host, make_app, spawn, markers, read_marker, wait_until
):
    """Embedded mode: the queue lives in the database, so a killed web process's jobs are still
    there when the next one starts, which retries them or fails them with a reason."""
    crash, hang = markers("crash"), markers("hang")
    settings = settings_for()
    submissions = [["testjobs.crash_once", {"marker": str(crash)}], ["testjobs.hang", {"marker": str(hang)}]]
    process = spawn("app_proc.py", settings, json.dumps(submissions))
    line = ""
    while not line.startswith("["):  # the ids of the submitted jobs, after any log lines
        line = await asyncio.to_thread(process.stdout.readline)
        assert line, "the web process ended early"
    retried_id, failed_id = json.loads(line)

    async def both_running():
        return read_marker(crash) == [1] and read_marker(hang) == [1]

    await wait_until(both_running, timeout=30)
    process.send_signal(signal.SIGKILL)
    process.wait(10)

    app = make_app(host=jobs_host, job_sweep_interval=1)
    app.state.background.queue.sweep_abort_wait = 0.2
    async with AsyncTestClient(app) as client:
        setup = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "pw-12345678"})
        assert setup.status_code == 201, setup.text

        async def settled():
            jobs = [(await client.get(f"/api/jobs/{i}")).json() for i in (retried_id, failed_id)]
            return jobs if [job["status"] for job in jobs] == ["complete", "failed"] else None

        done, gave_up = await wait_until(settled, timeout=30)
        listing = (await client.get("/api/jobs", params={"status": "complete"})).json()
    assert done["attempts"] == 2 and done["result"] == 2 and done["function"] == "testjobs.crash_once"
    assert gave_up["attempts"] == 1 and gave_up["error"] == SWEPT_ERROR
    assert read_marker(crash) == [1, 2] and read_marker(hang) == [1]
    assert listing["count"] == 1 and listing["results"][0]["id"] == retried_id
