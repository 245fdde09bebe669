"""The label stream limited to a data-manager tab's filters or to chosen tasks ("Label 3 tasks")."""

from tests.api.helpers import TEXT_CONFIG


async def make(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "S", "label_config": TEXT_CONFIG})
    project = r.json()["id"]
    rows = [{"text": "apple"}, {"text": "banana"}, {"text": "apple pie"}, {"text": "cherry"}]
    r = await client.post(f"/api/projects/{project}/import?return_task_ids=true", headers=admin.headers, json=rows)
    return project, r.json()["task_ids"]


async def test_a_tabs_filters_scope_the_stream(client, admin):
    project, ids = await make(client, admin)
    filters = {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "apple"}]}
    r = await client.post("/api/dm/views/", headers=admin.headers, json={"project": project, "data": {"filters": filters}})
    view = r.json()["id"]
    seen = []
    for _ in range(3):
        r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": view})
        if r.status_code == 404:
            break
        seen.append(r.json()["id"])
        skip = await client.post(f"/api/tasks/{seen[-1]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
        assert skip.status_code == 201
    assert seen == [ids[0], ids[2]]


async def test_chosen_tasks_scope_the_stream(client, admin):
    project, ids = await make(client, admin)
    r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"tasks": f"{ids[3]},{ids[1]}"})
    assert r.json()["id"] == ids[1]
    r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": 999999})
    assert r.status_code == 404
