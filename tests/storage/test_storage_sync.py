"""Source sync of task files: JSON object, JSON array, JSONL, with annotations and predictions;
failing objects and rows reported by key without losing the others; cancel."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from labelloom.core.storage import service, sync
from labelloom.core.storage.models import Storage

from . import memstore
from .conftest import task_list, wait_sync

CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]


async def make_storage(client, admin, project, **fields):
    response = await client.post("/api/storages/mem", json={"project": project, "bucket": "b", **fields}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return f"/api/storages/mem/{response.json()['id']}"


async def test_task_files_of_every_shape(client, admin, project):
    memstore.BUCKETS["b"] = {
        "one.json": json.dumps({"image": "mem://b/x.png"}).encode(),
        "many.json": json.dumps([
            {"data": {"image": "mem://b/1.png"}, "annotations": [{"result": CAT}]},
            {"data": {"image": "mem://b/2.png"}, "predictions": [{"result": CAT, "score": 0.5, "model_version": "m1"}]},
        ]).encode(),
        "lines.jsonl": b'{"image": "mem://b/l0.png"}\n\n{"image": "mem://b/l1.png"}\n{"image": "mem://b/l2.png"}\n',
    }
    path = await make_storage(client, admin, project)
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 6), done
    assert done["meta"]["annotations_created"] == 1 and done["meta"]["predictions_created"] == 1
    tasks = await task_list(client, admin, project)
    assert len({t["data"]["image"] for t in tasks}) == 6
    annotated = [t for t in tasks if t["total_annotations"]]
    assert len(annotated) == 1 and annotated[0]["annotations"][0]["result"][0]["value"]["choices"] == ["Cat"]
    assert [t["storage_filename"] for t in tasks].count("lines.jsonl") == 3

    await client.post(f"{path}/sync", headers=admin.headers)
    assert (await wait_sync(client, admin, path))["last_sync_count"] == 0
    assert len(await task_list(client, admin, project)) == 6


async def test_failing_objects_and_rows_are_reported_by_key(client, admin, project):
    memstore.BUCKETS["b"] = {
        "a_good.json": json.dumps([{"image": "mem://b/1.png"}]).encode(),
        "b_broken.json": b"[{\"image\": ",
        "c_photo.png": b"\x89PNG",
        "d_rows.jsonl": b'{"image": "mem://b/ok.png"}\n{"text": "no image key"}\n{"image": "mem://b/ok2.png"}\n',
        "e_unreadable.json": b"[]",
        "f_last.json": json.dumps({"image": "mem://b/last.png"}).encode(),
    }
    memstore.FAIL["open:e_unreadable.json"] = "access denied for key e_unreadable.json"
    path = await make_storage(client, admin, project)
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert done["status"] == "completed_with_errors", done
    assert done["last_sync_count"] == 4  # a_good, two rows of d_rows, f_last
    errors = "\n".join(done["meta"]["errors"])
    assert done["meta"]["error_count"] == 4, errors
    for expected in ("b_broken.json", "c_photo.png", "d_rows.jsonl' item 1", "access denied for key e_unreadable.json"):
        assert expected in errors
    assert "Treat every object as a source file" in errors
    assert "b_broken.json" in done["traceback"]


async def test_cancel_stops_after_the_current_batch(client, admin, project, monkeypatch):
    monkeypatch.setattr(sync, "PAGE", 5)
    memstore.BUCKETS["b"] = {f"img/{i:03}.jpg": b"x" for i in range(60)}
    memstore.DELAY["list"] = 0.03
    path = await make_storage(client, admin, project, use_blob_urls=True, prefix="img")
    await client.post(f"{path}/sync", headers=admin.headers)
    cancelled = await client.post(f"{path}/cancel", headers=admin.headers)
    assert cancelled.status_code == 200
    done = await wait_sync(client, admin, path)
    assert done["status"] == "cancelled", done
    assert 0 <= done["last_sync_count"] < 60
    memstore.DELAY.clear()
    await client.post(f"{path}/sync", headers=admin.headers)
    resumed = await wait_sync(client, admin, path)
    assert resumed["status"] == "completed"
    assert done["last_sync_count"] + resumed["last_sync_count"] == 60
    assert len(await task_list(client, admin, project)) == 60


async def test_a_cancel_asked_while_the_sync_saves_its_progress_is_not_lost(client, admin, project, monkeypatch):
    """The job reads the storage row, then writes its progress back; a cancel committed in
    between was overwritten (a flaky CI failure: the sync ran to "completed"). Here the cancel
    is sent exactly there, and the job's commit waits for it as long as it is not blocked."""
    monkeypatch.setattr(sync, "PAGE", 5)
    memstore.BUCKETS["b"] = {f"img/{i:03}.jpg": b"x" for i in range(60)}
    memstore.DELAY["list"] = 0.02  # pages apart: SQLite's waiting writer gets the lock between them
    path = await make_storage(client, admin, project, use_blob_urls=True, prefix="img")
    write_status, cancels = sync.StorageSync._write_status, []

    async def cancel(sessions):  # what POST .../cancel does (the job runs on the app's loop)
        async with sessions() as db:
            await service.cancel_sync(db, await db.get(Storage, int(path.rsplit("/", 1)[1])))
            await db.commit()

    async def cancel_before_the_commit(self, **values):
        if cancels:
            return await write_status(self, **values)
        sessions = self.sessions

        def session_cancelled_before_commit():
            session = sessions()
            commit = session.commit

            async def commit_after_the_cancel():
                cancels.append(asyncio.create_task(cancel(sessions)))
                await asyncio.wait(cancels, timeout=0.5)  # done unless the job's lock holds it off
                await commit()

            session.commit = commit_after_the_cancel
            return session

        self.sessions = session_cancelled_before_commit
        try:
            return await write_status(self, **values)
        finally:
            self.sessions = sessions

    monkeypatch.setattr(sync.StorageSync, "_write_status", cancel_before_the_commit)
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert cancels[0].done() and cancels[0].exception() is None
    assert done["status"] == "cancelled", done
    assert 5 <= done["last_sync_count"] < 60


async def test_a_sync_leaves_the_hooks_cache_valid(client, admin, project):
    """A sync writes its storage row at every page (progress, the lock against a lost cancel),
    never a column the hooks cache watches: every process would otherwise reload its webhooks."""
    memstore.BUCKETS["b"] = {f"img/{i:03}.jpg": b"x" for i in range(12)}
    path = await make_storage(client, admin, project, use_blob_urls=True, prefix="img")

    async def hooks_epoch():
        async with client.app.state.sessionmaker() as db:
            return (await db.execute(text("SELECT epoch FROM cache_epochs WHERE name = 'hooks'"))).scalar_one()

    before = await hooks_epoch()
    await client.post(f"{path}/sync", headers=admin.headers)
    assert (await wait_sync(client, admin, path))["status"] == "completed"
    assert (await client.post(f"{path}/cancel", headers=admin.headers)).status_code == 200
    assert await hooks_epoch() == before


async def test_listing_failure_marks_the_storage_failed(client, admin, project):
    memstore.BUCKETS["b"] = {"x.json": b"{}"}
    path = await make_storage(client, admin, project)
    del memstore.BUCKETS["b"]
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert done["status"] == "failed" and "bucket 'b' does not exist" in done["traceback"]


async def test_a_task_file_whose_read_failed_halfway_resumes_after_its_last_row(client, admin, project, monkeypatch):
    monkeypatch.setattr(sync, "ROWS", 1)  # rows read one at a time: the failure loses none
    monkeypatch.setattr(sync, "BATCH", 10)
    lines = b"".join(json.dumps({"image": f"mem://b/{i:02}.png"}).encode() + b"\n" for i in range(40))
    memstore.BUCKETS["b"] = {"rows.jsonl": lines, "whole.json": json.dumps({"image": "mem://b/w.png"}).encode()}
    memstore.FAIL["stream:rows.jsonl"] = "connection reset while reading rows.jsonl"
    path = await make_storage(client, admin, project)
    await client.post(f"{path}/sync", headers=admin.headers)
    first = await wait_sync(client, admin, path)
    assert first["status"] == "completed_with_errors" and "connection reset" in first["traceback"], first
    assert 1 < first["last_sync_count"] < 41
    assert first["meta"]["partial_files"] == ["rows.jsonl"]

    memstore.FAIL.clear()
    await client.post(f"{path}/sync", headers=admin.headers)
    second = await wait_sync(client, admin, path)
    assert second["status"] == "completed", second
    assert first["last_sync_count"] + second["last_sync_count"] == 41  # the rest, no row twice
    assert second["meta"]["partial_files"] == []
    images = [t["data"]["image"] for t in await task_list(client, admin, project)]
    assert len(images) == len(set(images)) == 41  # (shown as resolve links: compared by count)

    await client.post(f"{path}/sync", headers=admin.headers)
    assert (await wait_sync(client, admin, path))["last_sync_count"] == 0


async def test_a_sync_that_died_partway_through_a_task_file_resumes_it(client, admin, project, monkeypatch):
    monkeypatch.setattr(sync, "BATCH", 10)
    memstore.BUCKETS["b"] = {"tasks.json": json.dumps([{"image": f"mem://b/{i:02}.png"} for i in range(25)]).encode()}
    flush = sync.StorageSync._flush
    calls = []

    async def dies_on_the_second_batch(self):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        await flush(self)

    monkeypatch.setattr(sync.StorageSync, "_flush", dies_on_the_second_batch)
    path = await make_storage(client, admin, project)
    await client.post(f"{path}/sync", headers=admin.headers)
    died = await wait_sync(client, admin, path)
    assert (died["status"], died["last_sync_count"], died["meta"]["partial_files"]) == ("failed", 10, ["tasks.json"])

    monkeypatch.setattr(sync.StorageSync, "_flush", flush)
    await client.post(f"{path}/sync", headers=admin.headers)
    resumed = await wait_sync(client, admin, path)
    assert (resumed["status"], resumed["last_sync_count"]) == ("completed", 15), resumed
    images = [t["data"]["image"] for t in await task_list(client, admin, project)]
    assert len(images) == len(set(images)) == 25


async def test_a_partial_file_deleted_from_the_storage_is_forgotten(client, admin, project):
    from labelloom.core.storage.models import Storage

    memstore.BUCKETS["b"] = {"kept.json": json.dumps({"image": "mem://b/k.png"}).encode()}
    path = await make_storage(client, admin, project)
    async with client.app.state.sessionmaker() as db:
        storage = await db.get(Storage, int(path.rsplit("/", 1)[1]))
        storage.meta = {**storage.meta, "partial_files": ["gone.json"]}
        await db.commit()
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert (done["status"], done["last_sync_count"], done["meta"]["partial_files"]) == ("completed", 1, []), done
