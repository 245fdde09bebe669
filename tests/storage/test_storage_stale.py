"""A sync whose job died (worker killed) never leaves its storage "in_progress": reading the
storage, or core's upkeep, marks it failed with a readable reason, and a new sync can start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saq.job import Job

from labelloom.core.jobs.models import JobRecord
from labelloom.core.storage.models import Storage
from labelloom.core.storage.stale import settle_stalled_storages

from . import memstore
from .conftest import wait_sync


async def _storage(client, admin, project, role_path="/api/storages/mem") -> int:
    memstore.BUCKETS.setdefault("b", {})
    response = await client.post(role_path, json={"project": project, "bucket": "b"}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _left_running(app, storage_id: int, *, key: str, job_status: str, error: str | None = None,
                        minutes_ago: int = 5, storage_status: str = "in_progress") -> int:
    """What a worker killed mid-sync leaves: the storage running, its job row in ``job_status``."""
    long_ago = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    async with app.state.sessionmaker() as db:
        record = JobRecord(key=key, function="core.storage_sync", status=job_status, error=error, attempts=1,
                           created_at=long_ago, updated_at=long_ago, started_at=long_ago)
        db.add(record)
        await db.flush()
        storage = await db.get(Storage, storage_id)
        storage.status, storage.last_sync_job = storage_status, str(record.id)
        await db.commit()
        return record.id


async def test_reading_a_storage_whose_job_failed_shows_it_failed(client, admin, project):
    storage_id = await _storage(client, admin, project)
    await _left_running(client.app, storage_id, key="dead-sync", job_status="failed",
                        error="interrupted: the worker running this job stopped")
    got = (await client.get(f"/api/storages/mem/{storage_id}", headers=admin.headers)).json()
    assert got["status"] == "failed", got
    assert "stopped without finishing" in got["traceback"] and "interrupted: the worker" in got["traceback"]
    assert "sync again" in got["traceback"]
    # Stored, not only shown: the list says the same.
    listed = (await client.get(f"/api/storages/?project={project}", headers=admin.headers)).json()
    assert listed[0]["status"] == "failed"
    # And a new sync starts (and finishes) instead of reporting the dead one.
    memstore.BUCKETS["b"] = {"one.json": b'{"image": "mem://b/1.png"}'}
    await client.post(f"/api/storages/mem/{storage_id}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, f"/api/storages/mem/{storage_id}")
    assert (done["status"], done["last_sync_count"], done["traceback"]) == ("completed", 1, None), done


async def test_active_job_the_queue_forgot_fails_the_target_too(client, admin, project):
    storage_id = await _storage(client, admin, project, "/api/storages/export/mem")
    await _left_running(client.app, storage_id, key="forgotten", job_status="active")
    got = (await client.get(f"/api/storages/export/mem/{storage_id}", headers=admin.headers)).json()
    assert got["status"] == "failed" and "queue no longer has the job" in got["traceback"], got
    async with client.app.state.sessionmaker() as db:  # saved by the read, not only shown
        assert (await db.get(Storage, storage_id)).status == "failed"


async def test_live_and_just_started_syncs_are_left_alone(client, admin, project):
    queued_id = await _storage(client, admin, project)
    await _left_running(client.app, queued_id, key="waiting", job_status="queued", storage_status="queued")
    fresh_id = await _storage(client, admin, project)
    await _left_running(client.app, fresh_id, key="starting", job_status="active", minutes_ago=0)
    running_id = await _storage(client, admin, project)
    await _left_running(client.app, running_id, key="running", job_status="active")
    queue = client.app.state.jobs.queue
    job = await queue.enqueue(Job(function="core.storage_sync", key="running", heartbeat=120, scheduled=2**31))
    assert job is not None
    listed = {s["id"]: s["status"] for s in
              (await client.get(f"/api/storages/mem?project={project}", headers=admin.headers)).json()}
    assert listed == {queued_id: "queued", fresh_id: "in_progress", running_id: "in_progress"}


async def test_upkeep_settles_storages_nobody_reads(client, admin, project):
    storage_id = await _storage(client, admin, project)
    await _left_running(client.app, storage_id, key="dead-upkeep", job_status="aborted")
    ctx = {"sessionmaker": client.app.state.sessionmaker, "jobs": client.app.state.jobs}
    assert await settle_stalled_storages(ctx) == 1
    assert await settle_stalled_storages(ctx) == 0
    async with client.app.state.sessionmaker() as db:
        storage = await db.get(Storage, storage_id)
        assert storage.status == "failed" and "ended as aborted" in storage.traceback


async def test_a_sync_that_ends_while_its_storage_is_read_is_not_marked_failed(client, admin, project):
    """The read sees the storage running, then the job records its end and finishes before the
    job row is read: the job row says "complete", but the storage must stay as the job left it."""
    from labelloom.core.storage.stale import settle_stalled

    storage_id = await _storage(client, admin, project)
    record_id = await _left_running(client.app, storage_id, key="just-finished", job_status="active", minutes_ago=0)
    async with client.app.state.sessionmaker() as db:
        storage = await db.get(Storage, storage_id)  # read while it runs
        assert storage.status == "in_progress"
        async with client.app.state.sessionmaker() as job:  # the job ends meanwhile
            (await job.get(Storage, storage_id)).status = "completed"
            (await job.get(Storage, storage_id)).last_sync_count = 7
            (await job.get(JobRecord, record_id)).status = "complete"
            await job.commit()
        assert await settle_stalled(db, client.app.state.jobs, [storage]) == 0
        assert (storage.status, storage.last_sync_count) == ("completed", 7)  # refreshed, not overwritten
        await db.commit()
    async with client.app.state.sessionmaker() as db:
        assert (await db.get(Storage, storage_id)).status == "completed"
