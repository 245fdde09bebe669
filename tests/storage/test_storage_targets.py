"""Target storages: each annotation written as Label Studio's object (key ``<prefix>/<id>``,
body with the nested task and completed_by), updates rewritten, deletions mirrored only with
can_delete_objects, a manual sync writing all, and a failing target showing its error."""

from __future__ import annotations

import asyncio
import json

from . import memstore
from .conftest import wait_sync

CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
DOG = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Dog"]}}]


async def eventually(check, timeout: float = 15.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def make_task(client, admin, project) -> int:
    await client.post(f"/api/projects/{project}/import", json=[{"image": "https://example.com/a.png"}], headers=admin.headers)
    return (await client.get(f"/api/tasks/?project={project}", headers=admin.headers)).json()["tasks"][0]["id"]


async def make_target(client, admin, project, **fields) -> str:
    memstore.BUCKETS.setdefault("out", {})
    response = await client.post("/api/storages/export/mem", json={"project": project, "bucket": "out", "prefix": "ann/",
                                                                   **fields}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return f"/api/storages/export/mem/{response.json()['id']}"


async def test_annotations_are_written_updated_and_deleted(client, admin, project):
    task_id = await make_task(client, admin, project)
    await make_target(client, admin, project, can_delete_objects=True)
    created = await client.post(f"/api/tasks/{task_id}/annotations/", json={"result": CAT}, headers=admin.headers)
    assert created.status_code == 201, created.text
    annotation_id = created.json()["id"]
    key = f"ann/{annotation_id}"
    out = memstore.BUCKETS["out"]
    await eventually(lambda: key in out)
    body = json.loads(out[key])
    assert body["id"] == annotation_id and body["result"][0]["value"]["choices"] == ["Cat"]
    assert body["task"]["id"] == task_id and body["task"]["data"] == {"image": "https://example.com/a.png"}
    assert "annotations" not in body["task"]
    assert body["completed_by"]["email"] == admin.email

    await client.patch(f"/api/annotations/{annotation_id}/", json={"result": DOG}, headers=admin.headers)
    await eventually(lambda: json.loads(out[key])["result"][0]["value"]["choices"] == ["Dog"])

    await client.delete(f"/api/annotations/{annotation_id}/", headers=admin.headers)
    await eventually(lambda: key not in out)


async def test_deletions_stay_without_can_delete_objects_and_manual_sync_writes_all(client, admin, project):
    task_id = await make_task(client, admin, project)
    ids = []
    for result in (CAT, DOG):
        ids.append((await client.post(f"/api/tasks/{task_id}/annotations/", json={"result": result},
                                      headers=admin.headers)).json()["id"])
    path = await make_target(client, admin, project)  # created after the annotations
    out = memstore.BUCKETS["out"]
    assert out == {}
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 2), done
    assert sorted(out) == sorted(f"ann/{i}" for i in ids)
    await client.delete(f"/api/annotations/{ids[0]}/", headers=admin.headers)
    await asyncio.sleep(0.5)
    assert f"ann/{ids[0]}" in out  # can_delete_objects is off


async def test_a_failing_target_shows_its_error(client, admin, project):
    task_id = await make_task(client, admin, project)
    path = await make_target(client, admin, project)
    memstore.FAIL["write"] = "access denied for bucket out"
    await client.post(f"/api/tasks/{task_id}/annotations/", json={"result": CAT}, headers=admin.headers)

    async def failed() -> bool:
        return (await client.get(path, headers=admin.headers)).json()["status"] == "failed"

    deadline = asyncio.get_running_loop().time() + 15
    while not await failed():
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    storage = (await client.get(path, headers=admin.headers)).json()
    assert "access denied for bucket out" in storage["traceback"]
    # The retry (with back-off) succeeds once the storage works again and clears the error.
    memstore.FAIL.clear()
    out = memstore.BUCKETS["out"]
    await eventually(lambda: len(out) == 1, timeout=30)


async def test_cancel_stops_a_running_target_sync(client, admin, project, monkeypatch):
    from labelloom.core.storage import targets

    tasks = [{"data": {"image": f"https://example.com/{i}.png"}, "annotations": [{"result": CAT}]} for i in range(30)]
    imported = await client.post(f"/api/projects/{project}/import", json=tasks, headers=admin.headers)
    assert imported.status_code == 201, imported.text
    path = await make_target(client, admin, project)
    monkeypatch.setattr(targets, "BATCH", 3)
    memstore.DELAY["write"] = 0.05  # 1.5 s for all 30: the cancel lands while it runs
    await client.post(f"{path}/sync", headers=admin.headers)
    cancelled = await client.post(f"{path}/cancel", headers=admin.headers)
    assert cancelled.status_code == 200
    done = await wait_sync(client, admin, path)
    assert done["status"] == "cancelled", done
    out = memstore.BUCKETS["out"]
    assert done["last_sync_count"] == len(out) < 30 and len(out) % 3 == 0  # stopped between batches
    assert done["meta"]["cancel_requested"] is False
    memstore.DELAY.clear()
    await client.post(f"{path}/sync", headers=admin.headers)  # the next sync is not cancelled
    again = await wait_sync(client, admin, path)
    assert (again["status"], again["last_sync_count"], len(out)) == ("completed", 30, 30), again.get("traceback")
