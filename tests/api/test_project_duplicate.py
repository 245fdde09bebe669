"""Duplicating a project: settings only, or settings and tasks (copied set-based)."""

from .helpers import TEXT_CONFIG, choice, import_texts


async def make_project(client, admin, **fields):
    body = {"title": "Source", "label_config": TEXT_CONFIG, "description": "about", "color": "#FF8800",
            "sampling": "Uniform sampling", "maximum_annotations": 2, "show_skip_button": False,
            "expert_instruction": "<b>Be careful</b>", **fields}
    r = await client.post("/api/projects/", headers=admin.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


SETTINGS = ("label_config", "description", "color", "sampling", "maximum_annotations", "show_skip_button",
            "expert_instruction", "parsed_label_config", "skip_queue")


async def test_duplicate_settings_only(client, admin):
    source = await make_project(client, admin)
    await import_texts(client, admin, source["id"], ["a", "b"])
    r = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers,
                          json={"title": "Copy", "mode": "settings_only"})
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["id"] != source["id"] and copy["title"] == "Copy"
    for key in SETTINGS:
        assert copy[key] == source[key], key
    assert copy["task_number"] == 0 and copy["created_by"]["id"] == admin.id
    tasks = (await client.get(f"/api/tasks/?project={copy['id']}", headers=admin.headers)).json()
    assert tasks["total"] == 0
    # The source is untouched.
    again = (await client.get(f"/api/projects/{source['id']}", headers=admin.headers)).json()
    assert again["task_number"] == 2 and again["title"] == "Source"


async def test_duplicate_with_tasks_copies_data_not_annotations(client, admin):
    source = await make_project(client, admin, maximum_annotations=1)
    ids = await import_texts(client, admin, source["id"], ["one", "two", "three"])
    r = await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201
    r = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers,
                          json={"title": "With tasks", "mode": "settings_and_tasks"})
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["task_number"] == 3 and copy["finished_task_number"] == 0 and copy["total_annotations_number"] == 0
    tasks = (await client.get(f"/api/tasks/?project={copy['id']}", headers=admin.headers)).json()["tasks"]
    assert sorted(t["data"]["text"] for t in tasks) == ["one", "three", "two"]
    assert sorted(t["inner_id"] for t in tasks) == [1, 2, 3]
    assert all(t["project"] == copy["id"] and t["total_annotations"] == 0 and not t["is_labeled"] for t in tasks)
    assert not set(t["id"] for t in tasks) & set(ids)
    # New imports continue the numbering; counters stay exact through later changes.
    more = await import_texts(client, admin, copy["id"], ["four"])
    task = (await client.get(f"/api/tasks/{more[0]}", headers=admin.headers)).json()
    assert task["inner_id"] == 4
    await client.post(f"/api/tasks/{tasks[0]['id']}/annotations/", headers=admin.headers, json={"result": choice("Negative")})
    after = (await client.get(f"/api/projects/{copy['id']}", headers=admin.headers)).json()
    assert after["task_number"] == 4 and after["total_annotations_number"] == 1 and after["finished_task_number"] == 1
    src = (await client.get(f"/api/projects/{source['id']}", headers=admin.headers)).json()
    assert src["task_number"] == 3 and src["total_annotations_number"] == 1


async def test_duplicate_defaults_and_errors(client, admin):
    source = await make_project(client, admin)
    r = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers, json={})
    assert r.status_code == 201 and r.json()["title"] == "Source (copy)"
    # Label Studio's own mode spelling works too.
    legacy = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers,
                               json={"title": "L", "mode": "settings,data"})
    assert legacy.status_code == 201
    bad = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers, json={"mode": "everything"})
    assert bad.status_code == 400 and "mode" in bad.json()["validation_errors"]
    blank = await client.post(f"/api/projects/{source['id']}/duplicate", headers=admin.headers, json={"title": "  "})
    assert blank.status_code == 400
    missing = await client.post("/api/projects/999999/duplicate", headers=admin.headers, json={})
    assert missing.status_code == 404
    listed = (await client.get("/api/projects/", headers=admin.headers)).json()
    assert listed["count"] == 3
