"""Issue 16: a tracked job left "active" by a killed worker ends as failed with a reason, even
when the queue no longer has it or its end never reached the ``jobs`` row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saq.job import Job, Status

from labelloom.core.jobs.models import JobRecord
from labelloom.core.jobs.recovery import ORPHANED_ERROR, resend_lost_jobs, settle_stale_jobs


async def _record(app, key, *, minutes_ago=5):
    long_ago = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    async with app.state.sessionmaker() as db:
        record = JobRecord(
            key=key, function="core.upkeep", status="active", attempts=1, started_at=long_ago,
            created_at=long_ago, updated_at=long_ago,
        )
        db.add(record)
        await db.commit()
        return record.id


async def test_upkeep_fails_active_jobs_no_worker_runs(make_app):
    from litestar.testing import AsyncTestClient

    app = make_app(workers=0)
    async with AsyncTestClient(app) as client:
        setup = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "pw-12345678"})
        assert setup.status_code == 201
        queue = app.state.jobs.queue

        orphaned = await _record(app, "forgotten-by-the-queue")
        fresh = await _record(app, "just-started", minutes_ago=0)  # may still be starting: left alone
        running = await _record(app, "still-queued")
        await queue.enqueue(Job(function="core.upkeep", key="still-queued"))
        ended = await _record(app, "ended-unrecorded")
        job = await queue.enqueue(Job(function="core.upkeep", key="ended-unrecorded"))
        await queue.finish(job, Status.FAILED, error="Traceback ...\nValueError: row 3 is broken")

        ctx = {"sessionmaker": app.state.sessionmaker, "jobs": app.state.jobs}
        await resend_lost_jobs(ctx)  # core.upkeep's step, which settles stale jobs too

        async def status(job_id):
            r = await client.get(f"/api/jobs/{job_id}")
            assert r.status_code == 200, r.text
            return r.json()

        gone = await status(orphaned)
        assert gone["status"] == "failed" and gone["error"] == ORPHANED_ERROR and gone["finished_at"]
        assert "killed or crashed" in gone["error"]
        assert (await status(fresh))["status"] == "active"
        assert (await status(running))["status"] == "active"
        finished = await status(ended)
        assert finished["status"] == "failed" and finished["error"] == "ValueError: row 3 is broken"

        assert await settle_stale_jobs(ctx) == 0  # nothing left to settle
