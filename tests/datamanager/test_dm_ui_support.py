"""Server behaviour the data-manager page relies on: exact annotator filters, export of a view."""

import json

from tests.datamanager.conftest import f, query_ids


async def test_annotated_by_contains_means_that_user_not_shared_digits(client, admin, project):
    h = admin.headers
    users = []
    for n in range(11):
        r = await client.post("/api/users/", headers=h, json={"email": f"u{n}@example.com", "password": "a long password"})
        assert r.status_code in (200, 201), r.text
        users.append(r.json()["id"])
    # Two users whose ids share a digit string (e.g. 2 and 12) annotate one task each.
    short = next(u for u in users if any(str(v) != str(u) and str(u) in str(v) for v in users))
    long = next(v for v in users if str(v) != str(short) and str(short) in str(v))
    tasks = [
        {"data": {"text": "a"}, "annotations": [{"result": [], "completed_by": short}]},
        {"data": {"text": "b"}, "annotations": [{"result": [], "completed_by": long}]},
    ]
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=h, json=tasks)
    assert r.status_code == 201, r.text
    ids = r.json()["task_ids"]
    assert await query_ids(client, admin, project["id"], [f("annotators", "contains", short, "List")]) == [ids[0]]
    assert await query_ids(client, admin, project["id"], [f("annotators", "not_contains", short, "List")]) == [ids[1]]


async def test_easy_export_of_a_view_keeps_only_its_tasks(client, admin, project):
    h = admin.headers
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=h,
                          json=[{"text": "apple"}, {"text": "banana"}, {"text": "apple pie"}])
    ids = r.json()["task_ids"]
    view = await client.post("/api/dm/views/", headers=h, json={"project": project["id"], "data": {
        "filters": {"conjunction": "and", "items": [f("data.text", "contains", "apple")]}}})
    assert view.status_code == 201, view.text
    r = await client.get(f"/api/projects/{project['id']}/export", headers=h,
                         params={"exportType": "JSON", "download_all_tasks": "true", "view": view.json()["id"]})
    assert r.status_code == 200, r.text
    assert sorted(t["id"] for t in json.loads(r.content)) == [ids[0], ids[2]]
    missing = await client.get(f"/api/projects/{project['id']}/export", headers=h, params={"view": 999999})
    assert missing.status_code == 404, missing.text


async def test_import_formats_list_task_files_and_media_per_data_type(client, admin, project):
    r = await client.get(f"/api/projects/{project['id']}/import/formats", headers=admin.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {".csv", ".json", ".tsv", ".txt"} <= set(body["task_formats"])
    kinds = {d["name"]: d["extensions"] for d in body["data_types"]}
    assert ".png" in kinds["Image"]
