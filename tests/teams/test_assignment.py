"""Project members, task assignment (per task, bulk over a selection, data-manager actions) and
what annotators see: projects, the data manager, the task API and the label stream."""

from __future__ import annotations

from .conftest import add_member


async def _assign(client, admin, project_id, users, selected, kind="AN"):
    response = await client.post(f"/api/projects/{project_id}/tasks/assignees", headers=admin.headers,
                                 json={"type": kind, "users": users, "selectedItems": selected})
    assert response.status_code == 200, response.text
    return response.json()["assignments"]


async def _task_ids(client, member, project_id):
    response = await client.get(f"/api/tasks?project={project_id}", headers=member.headers)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["tasks"]]


async def test_members_add_list_remove(client, admin, project, people):
    pid, annotator = project["id"], people["AN"]
    await add_member(client, admin, pid, annotator.id)
    await add_member(client, admin, pid, annotator.id)  # twice: still one membership
    listed = (await client.get(f"/api/projects/{pid}/members", headers=admin.headers)).json()
    assert [(m["user"]["id"], m["role"]) for m in listed] == [(annotator.id, "AN")]
    paginated = (await client.get(f"/api/projects/{pid}/members/paginated/", headers=admin.headers)).json()
    assert paginated["count"] == 1 and paginated["results"][0]["email"] == annotator.email
    removed = await client.request("DELETE", f"/api/projects/{pid}/members/", headers=admin.headers, json={"user": annotator.id})
    assert removed.status_code == 204
    assert (await client.get(f"/api/projects/{pid}/members", headers=admin.headers)).json() == []
    bad = await client.post(f"/api/projects/{pid}/members/", headers=admin.headers, json={"user": 4242})
    assert bad.status_code == 400 and "users" in bad.json()["validation_errors"]


async def test_annotator_sees_only_member_projects_and_assigned_tasks(client, admin, project, task_ids, people):
    pid, annotator, reviewer = project["id"], people["AN"], people["RE"]
    other = (await client.post("/api/projects/", headers=admin.headers, json={"title": "Other"})).json()
    # not a member yet: no projects, and the project itself is closed
    assert (await client.get("/api/projects/", headers=annotator.headers)).json()["count"] == 0
    assert (await client.get(f"/api/projects/{pid}", headers=annotator.headers)).status_code == 403
    await add_member(client, admin, pid, annotator.id)
    await add_member(client, admin, pid, reviewer.id)
    listed = (await client.get("/api/projects/", headers=annotator.headers)).json()
    assert [p["id"] for p in listed["results"]] == [pid]
    assert (await client.get(f"/api/projects/{other['id']}", headers=annotator.headers)).status_code == 403
    assert await _task_ids(client, annotator, pid) == []
    made = await _assign(client, admin, pid, [annotator.id], {"all": False, "included": task_ids[:2]})
    assert made == 2
    assert await _task_ids(client, annotator, pid) == task_ids[:2]
    totals = (await client.get(f"/api/tasks?project={pid}", headers=annotator.headers)).json()
    assert totals["total"] == 2
    assert (await client.get(f"/api/tasks/{task_ids[0]}", headers=annotator.headers)).status_code == 200
    assert (await client.get(f"/api/tasks/{task_ids[3]}", headers=annotator.headers)).status_code == 403
    # reviewers see every task of their projects; a manager everything
    assert len(await _task_ids(client, reviewer, pid)) == 6
    assert len(await _task_ids(client, people["MA"], pid)) == 6
    # annotators cannot list across projects, assign, or manage
    assert (await client.get("/api/tasks", headers=annotator.headers)).status_code == 403
    denied = await client.post(f"/api/projects/{pid}/tasks/assignees", headers=annotator.headers,
                               json={"type": "AN", "users": [annotator.id], "selectedItems": {"all": True}})
    assert denied.status_code == 403 and denied.json()["permission"] == "tasks.assign"


async def test_bulk_assignment_over_filters_is_idempotent_and_reported_in_columns(client, admin, project, task_ids, people):
    pid, annotator, reviewer = project["id"], people["AN"], people["RE"]
    everything = {"all": True, "excluded": [task_ids[0]]}
    assert await _assign(client, admin, pid, [annotator.id, people["MA"].id], everything) == 10
    assert await _assign(client, admin, pid, [annotator.id, people["MA"].id], everything) == 0  # already there
    assert await _assign(client, admin, pid, [reviewer.id], {"all": False, "included": [task_ids[0]]}, "RE") == 1
    tasks = (await client.get(f"/api/tasks?project={pid}", headers=admin.headers)).json()["tasks"]
    by_id = {t["id"]: t for t in tasks}
    assert by_id[task_ids[0]]["assigned_annotators"] == [] and by_id[task_ids[0]]["assigned_reviewers"] == [reviewer.id]
    assert sorted(by_id[task_ids[1]]["assigned_annotators"]) == sorted([annotator.id, people["MA"].id])
    # the data-manager filter on the new column
    query = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:assigned_annotators", "operator": "contains", "type": "List", "value": annotator.id}]}}
    import json

    filtered = (await client.get(f"/api/tasks?project={pid}&query={json.dumps(query)}", headers=admin.headers)).json()
    assert sorted(t["id"] for t in filtered["tasks"]) == task_ids[1:]
    query["filters"]["items"][0].update(operator="empty", value=True)
    unassigned = (await client.get(f"/api/tasks?project={pid}&query={json.dumps(query)}", headers=admin.headers)).json()
    assert [t["id"] for t in unassigned["tasks"]] == [task_ids[0]]
    columns = (await client.get(f"/api/dm/columns?project={pid}", headers=admin.headers)).json()["columns"]
    assert {"assigned_annotators", "assigned_reviewers"} <= {c["id"] for c in columns}
    # assigning made them members
    members = {m["user"]["id"] for m in (await client.get(f"/api/projects/{pid}/members", headers=admin.headers)).json()}
    assert members == {annotator.id, people["MA"].id, reviewer.id}


async def test_bad_assignment_input_is_400_and_changes_nothing(client, admin, project, task_ids, people):
    pid = project["id"]
    for body, field in [
        ({"type": "XX", "users": [people["AN"].id], "selectedItems": {"all": True}}, "type"),
        ({"type": "AN", "users": [], "selectedItems": {"all": True}}, "users"),
        ({"type": "AN", "users": ["a"], "selectedItems": {"all": True}}, "users"),
        ({"type": "AN", "users": [4242], "selectedItems": {"all": True}}, "users"),
        ({"type": "AN", "users": [people["AN"].id]}, "selectedItems"),
        ({"type": "AN", "users": [people["AN"].id], "selectedItems": {"all": False, "included": "x"}}, "selectedItems.included"),
    ]:
        response = await client.post(f"/api/projects/{pid}/tasks/assignees", headers=admin.headers, json=body)
        assert response.status_code == 400, (body, response.text)
        assert field in response.json()["validation_errors"], response.json()
    settings = (await client.get(f"/api/projects/{pid}/assignment-settings", headers=admin.headers)).json()
    assert settings["assigned_tasks"] == {"AN": 0, "RE": 0}
    bad_mode = await client.patch(f"/api/projects/{pid}/assignment-settings", headers=admin.headers,
                                  json={"label_stream_task_distribution": "whatever"})
    assert bad_mode.status_code == 400


async def test_per_task_assignees_api(client, admin, project, task_ids, people):
    pid, task = project["id"], task_ids[2]
    url = f"/api/projects/{pid}/tasks/{task}/assignees/"
    added = await client.post(url, headers=admin.headers, json={"type": "AN", "users": [people["AN"].id]})
    assert added.status_code == 201
    assert (added.json()["task"], added.json()["assignee"], added.json()["type"]) == (task, people["AN"].id, "AN")
    replaced = await client.patch(url, headers=admin.headers, json={"type": "AN", "users": [people["MA"].id]})
    assert replaced.json()["assignee"] == people["MA"].id
    assert [a["assignee"] for a in (await client.get(url, headers=admin.headers)).json()] == [people["MA"].id]
    await client.post(url, headers=admin.headers, json={"type": "RE", "users": [people["RE"].id]})
    removed = await client.request("DELETE", url, headers=admin.headers, json={"type": "AN", "users": [people["MA"].id]})
    assert removed.status_code == 204
    assert [a["type"] for a in (await client.get(url, headers=admin.headers)).json()] == ["RE"]
    elsewhere = await client.get(f"/api/projects/{pid}/tasks/999999/assignees/", headers=admin.headers)
    assert elsewhere.status_code == 404


async def test_dm_actions_assign_distribute_unassign(client, admin, project, task_ids, people):
    pid = project["id"]
    a, b = people["AN"].id, people["MA"].id
    form = (await client.get(f"/api/dm/actions/distribute_annotators/form?project={pid}", headers=admin.headers)).json()
    options = {o["value"] for o in form[0]["fields"][0]["options"]}
    assert {a, b, people["RE"].id} <= options
    run = await client.post(f"/api/dm/actions?id=distribute_annotators&project={pid}", headers=admin.headers,
                            json={"selectedItems": {"all": True}, "users": [a, b]})
    assert run.status_code == 200 and run.json()["processed_items"] == 6
    tasks = (await client.get(f"/api/tasks?project={pid}", headers=admin.headers)).json()["tasks"]
    spread = [t["assigned_annotators"] for t in sorted(tasks, key=lambda t: t["id"])]
    assert spread == [[a], [b], [a], [b], [a], [b]]
    again = await client.post(f"/api/dm/actions?id=distribute_annotators&project={pid}", headers=admin.headers,
                              json={"selectedItems": {"all": True}, "users": [a, b]})
    assert again.json()["processed_items"] == 0  # every task has an annotator already
    reviewers = await client.post(f"/api/dm/actions?id=assign_reviewers&project={pid}", headers=admin.headers,
                                  json={"selectedItems": {"all": False, "included": task_ids[:3]}, "users": str(people["RE"].id)})
    assert reviewers.json()["processed_items"] == 3
    gone = await client.post(f"/api/dm/actions?id=unassign_users&project={pid}", headers=admin.headers,
                             json={"selectedItems": {"all": True}, "users": [a], "type": "AN"})
    assert gone.json()["processed_items"] == 3
    # an annotator may not run the action
    denied = await client.post(f"/api/dm/actions?id=assign_annotators&project={pid}", headers=people["AN"].headers,
                               json={"selectedItems": {"all": True}, "users": [a]})
    assert denied.status_code == 403


async def test_stream_serves_only_assigned_tasks_in_assigned_only_projects(client, admin, project, task_ids, people):
    pid, annotator = project["id"], people["AN"]
    await add_member(client, admin, pid, annotator.id)
    mode = await client.patch(f"/api/projects/{pid}/assignment-settings", headers=admin.headers,
                              json={"label_stream_task_distribution": "assigned_only"})
    assert mode.status_code == 200 and mode.json()["label_stream_task_distribution"] == "assigned_only"
    assert (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).status_code == 404
    await _assign(client, admin, pid, [annotator.id], {"all": False, "included": [task_ids[4], task_ids[2]]})
    served = []
    for _ in range(2):
        task = (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).json()
        served.append(task["id"])
        done = await client.post(f"/api/tasks/{task['id']}/annotations/", headers=annotator.headers, json={"result": []})
        assert done.status_code == 201
    assert sorted(served) == [task_ids[2], task_ids[4]]
    assert (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).status_code == 404
    # auto distribution (the default) serves any task with room
    await client.patch(f"/api/projects/{pid}/assignment-settings", headers=admin.headers,
                       json={"label_stream_task_distribution": "auto_distribution"})
    assert (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).status_code == 200


async def test_annotators_change_only_their_own_annotations(client, admin, project, task_ids, people):
    pid = project["id"]
    one, two = people["AN"], people["RE"]
    for member in (one, two):
        await add_member(client, admin, pid, member.id)
    await _assign(client, admin, pid, [one.id], {"all": False, "included": [task_ids[0]]})
    mine = (await client.post(f"/api/tasks/{task_ids[0]}/annotations/", headers=one.headers, json={"result": []})).json()
    theirs = await client.patch(f"/api/annotations/{mine['id']}", headers=two.headers, json={"result": []})
    assert theirs.status_code == 403
    assert (await client.patch(f"/api/annotations/{mine['id']}", headers=one.headers, json={"result": []})).status_code == 200
    assert (await client.patch(f"/api/annotations/{mine['id']}", headers=people["MA"].headers, json={"result": []})).status_code == 200
