"""Annotators see only their own annotations (and the reviews, comments and states of them) on
their tasks, through every route that shows annotations; reviewers and managers see everyone's;
with no roles set (the open-edition default) everyone still sees everything. SQLite and PostgreSQL."""

from __future__ import annotations

from ..api.helpers import choice
from .conftest import add_member, make_member


async def _annotate(client, who, task_id, label="Positive"):
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=who.headers, json={"result": choice(label)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_annotators_see_only_their_own_annotations(client, admin, project, task_ids, people):
    pid, reviewer = project["id"], people["RE"]
    first, second = people["AN"], await make_member(client, admin, "an2@example.com", "AN")
    for member in (first, second, reviewer):
        await add_member(client, admin, pid, member.id)
    task = task_ids[0]
    r = await client.post(f"/api/projects/{pid}/tasks/{task}/assignees/", headers=admin.headers,
                          json={"type": "AN", "users": [first.id, second.id]})
    assert r.status_code == 201, r.text
    mine, theirs = await _annotate(client, first, task), await _annotate(client, second, task, "Negative")

    def ids(annotations):
        return sorted(a["id"] for a in annotations)

    # Task detail (the labeling view), the task lists, the annotation routes.
    assert ids((await client.get(f"/api/tasks/{task}", headers=first.headers)).json()["annotations"]) == [mine]
    listed = (await client.get("/api/tasks/", headers=first.headers, params={"project": pid, "fields": "all"})).json()["tasks"]
    row = next(t for t in listed if t["id"] == task)
    assert ids(row["annotations"]) == [mine] and row["annotators"] == [first.id] and row["annotations_ids"] == str(mine)
    assert "Negative" not in row["annotations_results"]
    project_tasks = (await client.get(f"/api/projects/{pid}/tasks/", headers=first.headers)).json()
    assert ids(next(t for t in project_tasks if t["id"] == task)["annotations"]) == [mine]
    assert ids((await client.get(f"/api/tasks/{task}/annotations/", headers=first.headers)).json()) == [mine]
    assert (await client.get(f"/api/annotations/{theirs}/", headers=first.headers)).status_code == 403
    assert (await client.get(f"/api/annotations/{mine}/", headers=first.headers)).status_code == 200
    assert (await client.patch(f"/api/annotations/{theirs}/", headers=first.headers, json={"result": []})).status_code == 403
    # Reviews, review states and comments of the other annotation stay hidden.
    rejected = await client.post("/api/annotation-reviews/", headers=reviewer.headers,
                                 json={"annotation": theirs, "accepted": False, "comment": "about theirs"})
    assert rejected.status_code == 201, rejected.text
    r = await client.post("/api/comments/", headers=reviewer.headers, json={"task": task, "text": "for everyone"})
    assert r.status_code == 201
    assert (await client.get("/api/annotation-reviews/", headers=first.headers, params={"task": task})).json() == []
    assert (await client.get(f"/api/annotation-reviews/{rejected.json()['id']}/", headers=first.headers)).status_code == 403
    states = (await client.get(f"/api/projects/{pid}/review/states", headers=first.headers, params={"task": task})).json()
    assert list(states["annotations"]) == [str(mine)]
    comments = (await client.get("/api/comments/", headers=first.headers, params={"task": task})).json()
    assert [c["text"] for c in comments] == ["for everyone"]
    assert [c["text"] for c in (await client.get("/api/comments/", headers=first.headers, params={"project": pid})).json()] == ["for everyone"]
    hidden = rejected.json()["comment_id"]
    assert (await client.get(f"/api/comments/{hidden}/", headers=first.headers)).status_code == 403
    assert (await client.post("/api/comments/", headers=first.headers, json={"annotation": theirs, "text": "x"})).status_code == 403
    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=first.headers)).json() == {str(task): 1}
    listed = (await client.get("/api/tasks/", headers=first.headers, params={"project": pid})).json()["tasks"]
    row = next(t for t in listed if t["id"] == task)
    assert (row["comment_count"], row["unread_comments"], row["comment_authors"]) == (1, 1, [reviewer.id])
    # The other annotator sees their rejection; annotators cannot export.
    assert [c["text"] for c in (await client.get("/api/comments/", headers=second.headers, params={"task": task})).json()] == [
        "about theirs", "for everyone"]
    assert (await client.get(f"/api/projects/{pid}/export", headers=first.headers)).status_code == 403
    # History: their own annotation's versions only, in every history route.
    history = "/api/annotation-history/"
    assert (await client.get(history, headers=first.headers, params={"annotation": theirs})).status_code == 403
    own_versions = (await client.get(history, headers=first.headers, params={"annotation": mine})).json()
    assert own_versions and {v["annotation_id"] for v in own_versions} == {mine}
    their_version = (await client.get(history, headers=admin.headers, params={"annotation": theirs})).json()[0]["id"]
    assert (await client.get(f"{history}{their_version}", headers=first.headers)).status_code == 403
    assert (await client.get(f"{history}{own_versions[0]['id']}", headers=first.headers)).status_code == 200
    page = (await client.get(f"/api/projects/{pid}/annotation-history", headers=first.headers)).json()
    assert page["count"] == len(own_versions) and {v["annotation_id"] for v in page["results"]} == {mine}
    everyone = (await client.get(f"/api/projects/{pid}/annotation-history", headers=reviewer.headers)).json()
    assert {v["annotation_id"] for v in everyone["results"]} == {mine, theirs}

    # Reviewers and managers see everyone's.
    for who in (reviewer, people["MA"], admin):
        assert ids((await client.get(f"/api/tasks/{task}", headers=who.headers)).json()["annotations"]) == [mine, theirs]
        assert len((await client.get("/api/comments/", headers=who.headers, params={"task": task})).json()) == 2


async def test_without_roles_everyone_sees_every_annotation(client, admin, project, task_ids):
    """The open-edition default: users without a role (derived manager) see each other's work."""
    pid, task = project["id"], task_ids[0]
    one, two = (await make_member(client, admin, "one@example.com", None), await make_member(client, admin, "two@example.com", None))
    a, b = await _annotate(client, one, task), await _annotate(client, two, task)
    for who in (one, two):
        assert sorted(x["id"] for x in (await client.get(f"/api/tasks/{task}", headers=who.headers)).json()["annotations"]) == [a, b]
        assert (await client.get(f"/api/annotations/{b if who is one else a}/", headers=who.headers)).status_code == 200


async def test_annotators_project_counts_are_their_own(client, admin, project, task_ids, people):
    pid, annotator = project["id"], people["AN"]
    other = await make_member(client, admin, "an2@example.com", "AN")
    for member in (annotator, other):
        await add_member(client, admin, pid, member.id)
    r = await client.post(f"/api/projects/{pid}/tasks/assignees", headers=admin.headers,
                          json={"type": "AN", "users": [annotator.id], "selectedItems": {"all": False, "included": task_ids[:3]}})
    assert r.status_code == 200, r.text
    await _annotate(client, annotator, task_ids[0])
    skipped = await client.post(f"/api/tasks/{task_ids[1]}/annotations/?was_cancelled=true", headers=annotator.headers, json={"result": []})
    assert skipped.status_code == 201, skipped.text
    for task in task_ids[3:]:
        await _annotate(client, admin, task)
    r = await client.post(f"/api/projects/{pid}/tasks/{task_ids[0]}/assignees/", headers=admin.headers,
                          json={"type": "AN", "users": [other.id]})
    assert r.status_code == 201, r.text
    await _annotate(client, other, task_ids[0])

    fields = ("task_number", "finished_task_number", "total_annotations_number", "skipped_annotations_number",
              "num_tasks_with_annotations")
    own = (3, 2, 1, 1, 1)
    card = (await client.get("/api/projects/", headers=annotator.headers)).json()["results"][0]
    assert tuple(card[f] for f in fields) == own
    page = (await client.get(f"/api/projects/{pid}", headers=annotator.headers)).json()
    assert tuple(page[f] for f in fields) == own and (page["queue_total"], page["queue_done"]) == (3, 2)
    counted = (await client.get("/api/projects/counts", headers=annotator.headers)).json()["results"][0]
    assert tuple(counted[f] for f in fields) == own
    # Everyone else sees the project's.
    whole = (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()
    assert (whole["task_number"], whole["total_annotations_number"], whole["skipped_annotations_number"]) == (6, 5, 1)
    assert (await client.get(f"/api/projects/{pid}", headers=other.headers)).json()["task_number"] == 1
