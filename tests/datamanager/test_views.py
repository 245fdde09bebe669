"""Views (tabs) over the API, and the columns the data manager offers."""

import json

from .conftest import f

LABELED = {"conjunction": "and", "items": [f("total_annotations", "greater", 0, "Number")]}


async def test_views_crud_order_reset(client, admin, project):
    h, p = admin.headers, project["id"]
    data = {"title": "Labeled", "filters": LABELED, "ordering": ["-tasks:id"], "hiddenColumns": {"explore": ["tasks:inner_id"], "labeling": []},
            "columnsWidth": {}, "type": "list", "target": "tasks"}
    r = await client.post("/api/dm/views/", headers=h, json={"project": p, "data": data})
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["project"], first["data"], first["ordering"]) == (p, data, ["-tasks:id"])
    assert first["filter_group"] == {"conjunction": "and", "filters": [
        {"column": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0, "index": 0}]}
    second = (await client.post("/api/dm/views/", headers=h, json={"project": p, "data": {"title": "All"}})).json()
    assert second["filter_group"] is None
    assert second["order"] > first["order"]
    listed = (await client.get("/api/dm/views/", headers=h, params={"project": p})).json()
    assert [v["id"] for v in listed] == [first["id"], second["id"]]
    r = await client.patch(f"/api/dm/views/{first['id']}/", headers=h, json={"data": {"title": "Done"}})
    assert r.json()["data"]["title"] == "Done" and r.json()["data"]["filters"] == LABELED  # PATCH merges
    r = await client.put(f"/api/dm/views/{first['id']}/", headers=h, json={"project": p, "data": {"title": "Only"}})
    assert r.json()["data"] == {"title": "Only"}  # PUT replaces
    assert (await client.post("/api/dm/views/order/", headers=h, json={"project": p, "ids": [second["id"], first["id"]]})).status_code == 200
    listed = (await client.get("/api/dm/views/", headers=h, params={"project": p})).json()
    assert [v["id"] for v in listed] == [second["id"], first["id"]]
    assert (await client.delete(f"/api/dm/views/{second['id']}/", headers=h)).status_code == 204
    assert (await client.get(f"/api/dm/views/{second['id']}/", headers=h)).status_code == 404
    assert (await client.post("/api/dm/views/reset/", headers=h, json={"project": p})).status_code == 204
    assert (await client.get("/api/dm/views/", headers=h, params={"project": p})).json() == []


async def test_view_with_bad_filter_is_400(client, admin, project):
    bad = {"conjunction": "and", "items": [{"filter": "tasks:id", "operator": "equal", "value": 1}]}
    r = await client.post("/api/dm/views/", headers=admin.headers, json={"project": project["id"], "data": {"filters": bad}})
    assert r.status_code == 400 and "filters.items[0].filter" in r.json()["validation_errors"]


async def test_tasks_of_a_view_and_query_override(client, admin, seeded):
    h, p, ids = admin.headers, seeded["project"]["id"], seeded["ids"]
    view = (await client.post("/api/dm/views/", headers=h, json={"project": p, "data": {
        "filters": LABELED, "ordering": ["-tasks:id"]}})).json()
    body = (await client.get("/api/tasks/", headers=h, params={"view": view["id"]})).json()
    assert [t["id"] for t in body["tasks"]] == [ids[2], ids[0]]
    assert (body["total"], body["total_annotations"], body["total_predictions"]) == (2, 3, 1)
    # ``query=`` replaces what it names (here the ordering) and keeps the view's filters.
    query = json.dumps({"ordering": ["tasks:id"]})
    body = (await client.get("/api/tasks/", headers=h, params={"view": view["id"], "query": query})).json()
    assert [t["id"] for t in body["tasks"]] == [ids[0], ids[2]]
    assert (await client.get("/api/tasks/", headers=h, params={"view": 999999})).status_code == 404


async def test_columns(client, admin, seeded):
    r = await client.get("/api/dm/columns/", headers=admin.headers, params={"project": seeded["project"]["id"]})
    columns = r.json()["columns"]
    by_id = {c["id"]: c for c in columns}
    assert columns[0]["id"] == "text" and columns[0]["type"] == "Text" and columns[0]["parent"] == "data"
    assert by_id["score"]["type"] == "Unknown" and by_id["flag"]["parent"] == "data"
    assert set(by_id["data"]["children"]) == {"text", "score", "ratio", "flag", "when", "num_str", "tags"}
    for name, kind in (("id", "Number"), ("completed_at", "Datetime"), ("total_annotations", "Number"),
                       ("cancelled_annotations", "Number"), ("total_predictions", "Number"), ("annotators", "List"),
                       ("annotations_results", "String"), ("predictions_score", "Number"),
                       ("predictions_model_versions", "List"), ("created_at", "Datetime"), ("updated_at", "Datetime"),
                       ("avg_lead_time", "Number"), ("draft_exists", "Boolean"), ("file_upload", "String")):
        assert by_id[name]["type"] == kind and by_id[name]["target"] == "tasks", name
        assert set(by_id[name]["visibility_defaults"]) == {"explore", "labeling"}
    assert (await client.get("/api/dm/columns/", headers=admin.headers)).status_code == 400


async def test_dm_project_state(client, admin, seeded):
    h, p = admin.headers, seeded["project"]["id"]
    r = await client.get("/api/dm/project/", headers=h, params={"project": p})
    assert r.status_code == 200, r.text
    body = r.json()
    project = (await client.get(f"/api/projects/{p}/", headers=h)).json()
    assert {k: body[k] for k in project} == project
    assert body["data_types"] == {"text": "Text"}
    assert (body["task_count"], body["annotation_count"], body["config_has_control_tags"]) == (5, 3, True)
    assert body["can_manage_tasks"] is True
    assert (await client.get("/api/dm/project/", headers=h)).status_code == 400
    assert (await client.get("/api/dm/project/", headers=h, params={"project": 999})).status_code == 404
