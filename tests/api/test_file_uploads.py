"""Uploaded files as Label Studio keeps them (issue 15): FileUpload rows, each task's
``file_upload``, ``GET/DELETE /api/projects/{id}/file-uploads`` and ``/api/import/file-upload/{id}``."""

import io

from .helpers import choice


async def upload(client, admin, project_id, *files):
    return await client.post(f"/api/projects/{project_id}/import?return_task_ids=true", headers=admin.headers,
                             files=[("file", (name, io.BytesIO(content))) for name, content in files])


async def tasks_of(client, admin, project_id):
    r = await client.get("/api/tasks", params={"project": project_id}, headers=admin.headers)
    return r.json()["tasks"]


async def test_each_file_is_an_upload_its_tasks_point_at(client, admin, project):
    pid = project["id"]
    r = await upload(client, admin, pid, ("reviews.csv", b"text\nnice\nbad\n"), ("more.json", b'[{"text": "x"}]'))
    assert r.status_code == 201, r.text
    first, second = r.json()["file_upload_ids"]
    r = await client.get(f"/api/projects/{pid}/file-uploads", headers=admin.headers, params={"ids": f"[{first},{second}]"})
    assert r.status_code == 200, r.text
    listed = r.json()
    assert [u["id"] for u in listed] == [first, second]
    assert listed[0]["file"].startswith(f"upload/{pid}/") and listed[0]["file"].endswith("-reviews.csv")
    assert listed[0]["size"] == len(b"text\nnice\nbad\n")
    tasks = await tasks_of(client, admin, pid)
    names = [t["file_upload"] for t in tasks]
    assert names[0] == names[1] == listed[0]["file"].rsplit("/", 1)[1]
    assert names[2] == listed[1]["file"].rsplit("/", 1)[1]
    # A JSON body makes no upload.
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=[{"text": "inline"}])
    assert r.json()["file_upload_ids"] == []
    assert (await tasks_of(client, admin, pid))[3]["file_upload"] is None


async def test_list_forms_and_all(client, admin, project):
    pid = project["id"]
    ids = [(await upload(client, admin, pid, (f"f{i}.txt", b"line\n"))).json()["file_upload_ids"][0] for i in range(3)]
    get = lambda **params: client.get(f"/api/projects/{pid}/file-uploads", headers=admin.headers, params=params)  # noqa: E731
    assert [u["id"] for u in (await get(ids=f"{ids[0]},{ids[2]}")).json()] == [ids[0], ids[2]]
    assert [u["id"] for u in (await get(ids=[str(ids[1]), str(ids[2])])).json()] == [ids[1], ids[2]]
    assert [u["id"] for u in (await get(all="true")).json()] == ids
    assert [u["id"] for u in (await get(all="true", ordering="-id")).json()] == ids[::-1]
    assert (await get()).json() == []  # Label Studio: only the queried ids unless all=true
    r = await get(ids="[1,")
    assert r.status_code == 400 and "ids" in r.json()["validation_errors"]
    r = await get(ids="abc")
    assert r.status_code == 400
    r = await client.get(f"/api/import/file-upload/{ids[1]}", headers=admin.headers)
    assert r.json() == {"id": ids[1], "file": r.json()["file"], "size": 5}


async def test_delete_keeps_tasks_and_clears_their_upload(client, admin, project):
    pid = project["id"]
    a = (await upload(client, admin, pid, ("a.txt", b"one\ntwo\n"))).json()["file_upload_ids"][0]
    b = (await upload(client, admin, pid, ("b.txt", b"three\n"))).json()["file_upload_ids"][0]
    c = (await upload(client, admin, pid, ("c.txt", b"four\n"))).json()["file_upload_ids"][0]
    task = (await tasks_of(client, admin, pid))[0]
    await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    r = await client.request("DELETE", f"/api/projects/{pid}/file-uploads", headers=admin.headers,
                             json={"file_upload_ids": [a]})
    assert r.status_code == 200 and r.json() == {"deleted": 1}
    tasks = await tasks_of(client, admin, pid)
    assert [t["data"]["text"] for t in tasks] == ["one", "two", "three", "four"]
    assert tasks[0]["file_upload"] is None and tasks[0]["total_annotations"] == 1
    assert tasks[2]["file_upload"] is not None
    r = await client.request("DELETE", f"/api/projects/{pid}/file-uploads", headers=admin.headers,
                             json={"file_upload_ids": "x"})
    assert r.status_code == 400 and "file_upload_ids" in r.json()["validation_errors"]
    r = await client.delete(f"/api/import/file-upload/{b}", headers=admin.headers)
    assert r.status_code == 204
    assert (await client.get(f"/api/import/file-upload/{b}", headers=admin.headers)).status_code == 404
    r = await client.delete(f"/api/projects/{pid}/file-uploads", headers=admin.headers)  # no body: all
    assert r.json() == {"deleted": 1}
    r = await client.get(f"/api/projects/{pid}/file-uploads", headers=admin.headers, params={"all": "true"})
    assert r.json() == [] and c


async def test_a_failed_import_leaves_no_upload(client, admin, project):
    pid = project["id"]
    r = await upload(client, admin, pid, ("good.txt", b"fine\n"), ("bad.csv", b'text,other\n"open,1\n'))
    assert r.status_code == 400 and "bad.csv line 2: a quoted field is never closed" in r.json()["detail"]
    r = await client.get(f"/api/projects/{pid}/file-uploads", headers=admin.headers, params={"all": "true"})
    assert r.json() == []


async def test_annotation_updated_by(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers, json=[{"text": "t"}])
    task = r.json()["task_ids"][0]
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    annotation = r.json()
    assert annotation["updated_by"] == admin.id
    r = await client.patch(f"/api/annotations/{annotation['id']}/", headers=admin.headers, json={"result": choice("Negative")})
    assert r.status_code == 200 and r.json()["updated_by"] == admin.id
    assert (await client.get(f"/api/annotations/{annotation['id']}/", headers=admin.headers)).json()["updated_by"] == admin.id


def test_sdk_file_calls(live_server):
    import httpx
    from label_studio_sdk import LabelStudio

    from .helpers import TEXT_CONFIG

    admin = live_server.sign_up_admin()
    ls = LabelStudio(base_url=live_server.url, api_key=admin.token)
    project = ls.projects.create(title="uploads", label_config=TEXT_CONFIG)
    ids = []
    for name in ("a.txt", "b.txt"):
        r = httpx.post(f"{live_server.url}/api/projects/{project.id}/import", headers={"Authorization": f"Token {admin.token}"},
                       files={"file": (name, b"one line\n")})
        ids += r.json()["file_upload_ids"]
    assert [f.id for f in ls.files.list(id=project.id, all_=True)] == ids
    assert [f.id for f in ls.files.list(id=project.id, ids=[str(ids[1])])] == [ids[1]]
    one = ls.files.get(id=ids[0])
    assert one.file.endswith("-a.txt") and one.size == len(b"one line\n")
    ls.files.delete(id=ids[0])
    assert [f.id for f in ls.files.list(id=project.id, all_=True)] == [ids[1]]
    ls.files.delete_many(id=project.id)
    assert ls.files.list(id=project.id, all_=True) == []
    assert [t.file_upload for t in ls.tasks.list(project=project.id)] == [None, None]
