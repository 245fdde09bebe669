"""Snapshots: created by the API, built and converted by background jobs, downloaded."""

import asyncio
import json

from .helpers import export


async def wait_for(client, admin, url, done, timeout=20.0):
    for _ in range(int(timeout / 0.1)):
        response = await client.get(url, headers=admin.headers)
        assert response.status_code == 200, response.text
        if done(response.json()):
            return response.json()
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting on {url}: {response.json()}")


async def test_snapshot_lifecycle(client, admin, project, data_dir):
    pid = project["id"]
    base = f"/api/projects/{pid}/exports"
    response = await client.post(f"{base}/", headers=admin.headers, json={"title": "first"})
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] in ("created", "in_progress", "completed")
    assert created["title"] == "first" and created["created_by"]["id"] == admin.id
    snapshot = await wait_for(client, admin, f"{base}/{created['id']}", lambda e: e["status"] == "completed")
    assert snapshot["counters"] == {"task_number": 3, "annotation_number": 2, "prediction_number": 1}
    assert snapshot["finished_at"] and len(snapshot["md5"]) == 32
    files = list((__import__("pathlib").Path(data_dir) / "export").rglob("*.json"))
    assert len(files) == 1

    # the snapshot is the JSON export of the same tasks
    response = await client.get(f"{base}/{created['id']}/download?exportType=JSON", headers=admin.headers)
    assert response.status_code == 200
    easy = await export(client, admin, pid, "JSON", download_all_tasks="true")
    assert json.loads(response.content) == easy.json()
    assert "attachment" in response.headers["content-disposition"]
    partial = await client.get(f"{base}/{created['id']}/download?exportType=JSON",
                               headers={**admin.headers, "Range": "bytes=0-1"})
    assert partial.status_code == 206 and partial.content == b"[\n"

    # other formats: convert first (a job), then download
    response = await client.get(f"{base}/{created['id']}/download?exportType=CSV", headers=admin.headers)
    assert response.status_code == 404
    response = await client.post(f"{base}/{created['id']}/convert", headers=admin.headers, json={"export_type": "CSV"})
    assert response.status_code == 200, response.text
    assert response.json() == {"export_type": "CSV", "converted_format": 1}
    await wait_for(client, admin, f"{base}/{created['id']}",
                   lambda e: e["converted_formats"] and e["converted_formats"][0]["status"] == "completed")
    converted = await client.get(f"{base}/{created['id']}/download?exportType=CSV", headers=admin.headers)
    direct = await export(client, admin, pid, "CSV", download_all_tasks="true")
    assert converted.status_code == 200 and converted.content == direct.content

    listing = await client.get(f"{base}/", headers=admin.headers)
    assert [e["id"] for e in listing.json()] == [created["id"]]
    response = await client.delete(f"{base}/{created['id']}", headers=admin.headers)
    assert response.status_code == 204
    assert (await client.get(f"{base}/{created['id']}", headers=admin.headers)).status_code == 404
    assert not list((__import__("pathlib").Path(data_dir) / "export").rglob("*.*"))


async def test_snapshot_filters(client, admin, project):
    pid = project["id"]
    t1, t2, t3 = project["task_ids"]
    base = f"/api/projects/{pid}/exports"

    async def snapshot(body):
        response = await client.post(f"{base}/", headers=admin.headers, json=body)
        assert response.status_code == 201, response.text
        eid = response.json()["id"]
        await wait_for(client, admin, f"{base}/{eid}", lambda e: e["status"] == "completed")
        return (await client.get(f"{base}/{eid}/download", headers=admin.headers)).json()

    tasks = await snapshot({"task_filter_options": {"only_with_annotations": True}})
    assert [t["id"] for t in tasks] == [t1, t3]
    tasks = await snapshot({"task_filter_options": {"skipped": "exclude", "annotated": "only"}})
    assert [t["id"] for t in tasks] == [t1]
    response = await client.post(f"{base}/", headers=admin.headers, json={"task_filter_options": {"view": 99999}})
    assert response.status_code == 404
    tasks = await snapshot({"task_filter_options": {"finished": "exclude"}})
    assert [t["id"] for t in tasks] == [t2, t3]
    # imported annotations are ground truth: "usual" alone keeps none of them
    tasks = await snapshot({"annotation_filter_options": {"usual": True, "ground_truth": False, "skipped": False}})
    assert [len(t["annotations"]) for t in tasks] == [0, 0, 0]
    tasks = await snapshot({"annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": False}})
    assert [len(t["annotations"]) for t in tasks] == [1, 0, 1]  # the skipped one is ground truth too
    tasks = await snapshot({"annotation_filter_options": {"usual": False, "ground_truth": False, "skipped": True}})
    assert [[a["was_cancelled"] for a in t["annotations"]] for t in tasks] == [[], [], [True]]
    tasks = await snapshot({"serialization_options": {"predictions": {"only_id": True},
                                                      "annotations__completed_by": {"only_id": False}}})
    assert isinstance(tasks[0]["predictions"][0], int)
    assert tasks[0]["annotations"][0]["completed_by"]["email"] == admin.email


async def test_snapshot_errors(client, admin, project):
    base = f"/api/projects/{project['id']}/exports"
    response = await client.post(f"{base}/", headers=admin.headers, json={"task_filter_options": {"skipped": "maybe"}})
    assert response.status_code == 400
    assert (await client.get(f"{base}/999", headers=admin.headers)).status_code == 404
    response = await client.post(f"{base}/", headers=admin.headers, json={})
    eid = response.json()["id"]
    await wait_for(client, admin, f"{base}/{eid}", lambda e: e["status"] == "completed")
    response = await client.post(f"{base}/{eid}/convert", headers=admin.headers, json={"export_type": "NOPE"})
    assert response.status_code == 400


async def test_snapshot_of_a_view(client, admin, project):
    """``task_filter_options.view``: the data manager compiles the view's filters to SQL."""
    t1, t2, t3 = project["task_ids"]
    view = {"project": project["id"], "data": {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "Paris"}]}}}
    response = await client.post("/api/dm/views/", headers=admin.headers, json=view)
    assert response.status_code == 201, response.text
    base = f"/api/projects/{project['id']}/exports"
    response = await client.post(f"{base}/", headers=admin.headers,
                                 json={"task_filter_options": {"view": response.json()["id"]}})
    eid = response.json()["id"]
    await wait_for(client, admin, f"{base}/{eid}", lambda e: e["status"] == "completed")
    tasks = (await client.get(f"{base}/{eid}/download", headers=admin.headers)).json()
    assert [t["id"] for t in tasks] == [t1]
    response = await client.post(f"{base}/", headers=admin.headers, json={"task_filter_options": {"view": 99999}})
    assert response.status_code == 404
