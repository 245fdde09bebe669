"""A snapshot whose worker was killed never stays "in_progress": core's upkeep compares it with
its job and marks it failed with a readable reason; exports whose job may still run are left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from labelloom.core.export.models import Export
from labelloom.core.export.snapshots import SNAPSHOT_JOB
from labelloom.core.export.stale import settle_stalled_exports
from labelloom.core.jobs.models import JobRecord


async def _left(app, project_id: int, *, key: str, job_status: str, export_status: str = "in_progress",
                error: str | None = None) -> int:
    """What a worker killed mid-snapshot leaves: the export running, its job row in ``job_status``."""
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    async with app.state.sessionmaker() as db:
        export = Export(project_id=project_id, status=export_status, options={}, counters={}, converted_formats=[])
        db.add(export)
        await db.flush()
        db.add(JobRecord(key=key, function=SNAPSHOT_JOB, status=job_status, error=error, attempts=1,
                         arguments={"export_id": export.id}, project_id=project_id,
                         created_at=long_ago, updated_at=long_ago, started_at=long_ago))
        await db.commit()
        return export.id


async def test_upkeep_fails_snapshots_whose_job_died_and_leaves_live_ones(client, admin, project):
    pid = project["id"]
    dead = await _left(client.app, pid, key="dead-export", job_status="failed",
                       error="interrupted: the worker running this job stopped")
    forgotten = await _left(client.app, pid, key="forgotten-export", job_status="active")
    waiting = await _left(client.app, pid, key="waiting-export", job_status="queued", export_status="created")
    ctx = {"sessionmaker": client.app.state.sessionmaker, "jobs": client.app.state.jobs}
    assert await settle_stalled_exports(ctx) == 2
    assert await settle_stalled_exports(ctx) == 0
    listed = {e["id"]: e for e in (await client.get(f"/api/projects/{pid}/exports", headers=admin.headers)).json()}
    assert listed[dead]["status"] == "failed" and listed[forgotten]["status"] == "failed"
    assert listed[waiting]["status"] == "created"
    async with client.app.state.sessionmaker() as db:
        failed = await db.get(Export, dead)
        assert "interrupted: the worker" in failed.traceback and "Create the export again" in failed.traceback
        assert "queue no longer has the job" in (await db.get(Export, forgotten)).traceback


async def test_a_snapshot_that_ends_while_upkeep_reads_it_is_not_marked_failed(client, admin, project, monkeypatch):
    """Upkeep read the export running; its job then recorded the end and finished before the job
    row was judged: the finished export must stay as the job left it."""
    from labelloom.core.export import stale

    finished = await _left(client.app, project["id"], key="finishing-export", job_status="complete")
    judge = stale.dead_reason

    async def the_job_ends_first(record, jobs, now, what):
        async with client.app.state.sessionmaker() as db:
            (await db.get(Export, finished)).status = "completed"
            await db.commit()
        return await judge(record, jobs, now, what)

    monkeypatch.setattr(stale, "dead_reason", the_job_ends_first)
    ctx = {"sessionmaker": client.app.state.sessionmaker, "jobs": client.app.state.jobs}
    assert await stale.settle_stalled_exports(ctx) == 0
    async with client.app.state.sessionmaker() as db:
        assert (await db.get(Export, finished)).status == "completed"
