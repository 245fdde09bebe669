"""The label stream limited to a data-manager tab's filters or to chosen tasks ("Label 3 tasks")."""

from types import SimpleNamespace

import pytest

from tests.api.helpers import TEXT_CONFIG


@pytest.fixture
def make_user(client, admin):
    """Another annotator, calling with their own API token."""

    async def make(email):
        r = await client.post("/api/users/", headers=admin.headers, json={"email": email, "password": "annotator password"})
        assert r.status_code == 201, r.text
        await client.post("/api/auth/login", json={"email": email, "password": "annotator password"})
        token = (await client.get("/api/current-user/token")).json()["token"]
        client.cookies.clear()
        return SimpleNamespace(headers={"Authorization": f"Token {token}"})

    return make


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


async def label_all(client, admin, project, view, count):
    """Take ``count`` tasks from the stream of ``view``, skipping each (a finished annotation)."""
    seen = []
    for _ in range(count):
        r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": view})
        if r.status_code == 404:
            break
        assert r.status_code == 200, r.text
        seen.append((r.json()["id"], r.json()["queue"]))
        skip = await client.post(f"/api/tasks/{seen[-1][0]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
        assert skip.status_code == 201
    return seen


async def test_a_sorted_tab_serves_tasks_in_its_order(client, admin):
    """Issue 15: "Label all tasks" from a tab sorted by text descending followed task ids."""
    project, ids = await make(client, admin)  # apple, banana, apple pie, cherry
    r = await client.post("/api/dm/views/", headers=admin.headers,
                          json={"project": project, "data": {"ordering": ["-tasks:data.text"]}})
    seen = await label_all(client, admin, project, r.json()["id"], 5)
    assert [task for task, _ in seen] == [ids[3], ids[1], ids[2], ids[0]]
    assert {queue for _, queue in seen} == {"Data manager queue"}


async def test_a_sorted_and_filtered_tab_and_a_selection_keep_the_order(client, admin):
    project, ids = await make(client, admin)
    filters = {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "a"}]}
    r = await client.post("/api/dm/views/", headers=admin.headers, json={
        "project": project, "data": {"filters": filters, "ordering": ["-tasks:data.text"]}})
    view = r.json()["id"]
    # A chosen subset of the tab ("Label 2 tasks") comes in the tab's order too.
    r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers,
                         params={"view": view, "tasks": f"{ids[0]},{ids[2]}"})
    assert r.json()["id"] == ids[2]  # "apple pie" > "apple"
    await client.post(f"/api/tasks/{ids[2]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
    seen = await label_all(client, admin, project, view, 5)
    assert [task for task, _ in seen] == [ids[1], ids[0]]  # banana, apple (cherry has no "a")


async def test_a_sorted_tab_keeps_locks_and_overlap(client, admin, make_user):
    """Two annotators on a sorted tab: each gets the next free task in the tab's order, and a
    task locked by one is not served to the other while its overlap is used up."""
    project, ids = await make(client, admin)
    r = await client.post("/api/dm/views/", headers=admin.headers,
                          json={"project": project, "data": {"ordering": ["tasks:data.text"]}})
    view = r.json()["id"]
    other = await make_user("other@example.com")
    first = (await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": view})).json()
    again = (await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": view})).json()
    theirs = (await client.get(f"/api/projects/{project}/next/", headers=other.headers, params={"view": view})).json()
    assert first["id"] == again["id"] == ids[0]  # apple: held by admin
    assert theirs["id"] == ids[2]  # apple pie: the next one with room


async def test_sorting_on_a_column_and_breadth_first(client, admin, make_user):
    project, ids = await make(client, admin)
    await client.patch(f"/api/projects/{project}/", headers=admin.headers, json={"maximum_annotations": 2})
    r = await client.post("/api/dm/views/", headers=admin.headers,
                          json={"project": project, "data": {"ordering": ["-tasks:id"]}})
    view = r.json()["id"]
    other = await make_user("breadth@example.com")
    r = await client.get(f"/api/projects/{project}/next/", headers=other.headers, params={"view": view})
    assert r.json()["id"] == ids[3]
    await client.post(f"/api/tasks/{ids[3]}/annotations/", headers=other.headers, json={"result": []})
    r = await client.get(f"/api/projects/{project}/next/", headers=admin.headers, params={"view": view})
    # Breadth first: the task another annotator started comes before the tab's order.
    assert r.json()["id"] == ids[3] and r.json()["queue"] == "Breadth first queue"
