"""Local files: a folder under LABELLOOM_LOCAL_FILES_ROOT as a source (tasks served at
/data/local-files/?d=) and a target; nothing outside the root or the storage's folder is served."""

from __future__ import annotations

import json

from .conftest import task_list, wait_sync


def make_tree(files_root):
    images = files_root / "cats"
    (images / "deeper").mkdir(parents=True)
    (images / "a.png").write_bytes(b"A" * 1000)
    (images / "b.png").write_bytes(b"B" * 10)
    (images / "deeper" / "c.png").write_bytes(b"C")
    (files_root / "private.txt").write_text("secret")
    return images


async def test_local_source_sync_and_serving(client, admin, project, files_root):
    images = make_tree(files_root)
    response = await client.post("/api/storages/localfiles", json={"project": project, "path": str(images),
                                                                   "use_blob_urls": True, "regex_filter": r".*\.png"},
                                 headers=admin.headers)
    assert response.status_code == 201, response.text
    path = f"/api/storages/localfiles/{response.json()['id']}"
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 2), done
    tasks = await task_list(client, admin, project)
    urls = sorted(t["data"]["image"] for t in tasks)
    assert urls == ["/data/local-files/?d=cats/a.png", "/data/local-files/?d=cats/b.png"]

    served = await client.get(urls[0], headers=admin.headers)
    assert served.status_code == 200 and served.content == b"A" * 1000
    assert served.headers["content-type"] == "image/png"
    part = await client.get(urls[0], headers={**admin.headers, "Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == b"A" * 10
    assert part.headers["content-range"] == "bytes 0-9/1000"

    # Label Studio's rule: only files inside a local storage's folder; never outside the root.
    for bad in ("/data/local-files/?d=private.txt", "/data/local-files/?d=cats/../private.txt",
                "/data/local-files/?d=../../etc/passwd", "/data/local-files/?d=/etc/passwd", "/data/local-files/"):
        assert (await client.get(bad, headers=admin.headers)).status_code == 404, bad
    assert (await client.get(urls[0])).status_code == 401
    missing = await client.get("/data/local-files/?d=cats/nope.png", headers=admin.headers)
    assert missing.status_code == 400 and "does not exist" in missing.json()["detail"]


async def test_local_folder_must_be_inside_the_root(client, admin, project, files_root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    for folder in (str(outside), str(files_root / ".." / "outside"), str(files_root / "missing")):
        response = await client.post("/api/storages/localfiles", json={"project": project, "path": folder},
                                     headers=admin.headers)
        assert response.status_code == 400, folder
    assert "outside the allowed folder" in (await client.post(
        "/api/storages/localfiles", json={"project": project, "path": str(outside)}, headers=admin.headers)).text


async def test_local_task_files_and_target(client, admin, project, files_root):
    source = files_root / "tasks"
    source.mkdir()
    (source / "batch.json").write_text(json.dumps([{"image": "/data/local-files/?d=tasks/x.png"}] * 3))
    target = files_root / "out"
    target.mkdir()
    src = (await client.post("/api/storages/localfiles", json={"project": project, "path": str(source)},
                             headers=admin.headers)).json()
    await client.post(f"/api/storages/localfiles/{src['id']}/sync", headers=admin.headers)
    assert (await wait_sync(client, admin, f"/api/storages/localfiles/{src['id']}"))["last_sync_count"] == 3
    dst = (await client.post("/api/storages/export/localfiles", json={"project": project, "path": str(target)},
                             headers=admin.headers)).json()
    task_id = (await task_list(client, admin, project))[0]["id"]
    result = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
    annotation = (await client.post(f"/api/tasks/{task_id}/annotations/", json={"result": result},
                                    headers=admin.headers)).json()
    await client.post(f"/api/storages/export/localfiles/{dst['id']}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, f"/api/storages/export/localfiles/{dst['id']}")
    assert done["status"] == "completed"
    written = json.loads((target / str(annotation["id"])).read_text())
    assert written["task"]["id"] == task_id and written["result"] == result


async def test_local_files_off_without_a_root(client, admin, project, monkeypatch, tmp_path):
    monkeypatch.delenv("LABELLOOM_LOCAL_FILES_ROOT")
    response = await client.post("/api/storages/localfiles", json={"project": project, "path": str(tmp_path)},
                                 headers=admin.headers)
    assert response.status_code == 400 and "LABELLOOM_LOCAL_FILES_ROOT" in response.json()["detail"]
