"""Drafts and assignments come back in one statement (core/tasks/serialize.py): each user sees
exactly their own drafts, in full and as ``draft_exists``, next to every task's assignees, on
the task page, one task and the label stream, from the first draft and assignment on."""

from __future__ import annotations

import pytest

from labelloom.core.tasks import serialize

from ..api.helpers import choice
from .conftest import add_member
from .test_assignment import _assign


async def _own_drafts(client, member, task_id):
    response = await client.get(f"/api/tasks/{task_id}/drafts", headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _draft(client, member, task_id, label, lead_time):
    response = await client.post(f"/api/tasks/{task_id}/drafts", headers=member.headers,
                                 json={"result": choice(label), "lead_time": lead_time})
    assert response.status_code == 201, response.text
    return response.json()


async def _page(client, member, project_id):
    response = await client.get(f"/api/tasks?project={project_id}&fields=all", headers=member.headers)
    assert response.status_code == 200, response.text
    return {t["id"]: t for t in response.json()["tasks"]}


@pytest.mark.parametrize("chunk", [serialize.ID_CHUNK, 1], ids=["one-statement", "chunked"])
async def test_drafts_and_assignees_appear_from_the_first_one(client, admin, project, task_ids, people, chunk, monkeypatch):
    monkeypatch.setattr(serialize, "ID_CHUNK", chunk)  # chunked as a page of more tasks would be
    pid, annotator, reviewer = project["id"], people["AN"], people["RE"]
    before = await _page(client, admin, pid)
    assert all(t["drafts"] == [] and t["draft_exists"] is False for t in before.values())
    assert all(t["assigned_annotators"] == [] == t["assigned_reviewers"] for t in before.values())

    # the first draft of the project, then a second on the same task and one on another
    first = await _draft(client, admin, task_ids[0], "Positive", 1.5)
    page = await _page(client, admin, pid)
    assert page[task_ids[0]]["drafts"] == [first] and page[task_ids[0]]["draft_exists"] is True
    assert page[task_ids[1]]["drafts"] == [] and page[task_ids[1]]["draft_exists"] is False
    second = await _draft(client, admin, task_ids[0], "Negative", None)
    third = await _draft(client, admin, task_ids[1], "Neutral", 2.0)

    # the first assignments: two annotators on tasks 0-1, a reviewer on task 1
    await add_member(client, admin, pid, annotator.id)
    await add_member(client, admin, pid, reviewer.id)
    assert await _assign(client, admin, pid, [annotator.id, people["MA"].id], {"all": False, "included": task_ids[:2]}) == 4
    assert await _assign(client, admin, pid, [reviewer.id], {"all": False, "included": [task_ids[1]]}, "RE") == 1
    theirs = await _draft(client, annotator, task_ids[1], "Positive", 3.0)

    page = await _page(client, admin, pid)
    assert page[task_ids[0]]["drafts"] == [first, second] == await _own_drafts(client, admin, task_ids[0])
    assert page[task_ids[1]]["drafts"] == [third] == await _own_drafts(client, admin, task_ids[1])
    assert sorted(page[task_ids[0]]["assigned_annotators"]) == sorted([annotator.id, people["MA"].id])
    assert page[task_ids[0]]["assigned_reviewers"] == []
    assert page[task_ids[1]]["assigned_reviewers"] == [reviewer.id]
    assert all(page[t]["drafts"] == [] and page[t]["assigned_annotators"] == [] for t in task_ids[2:])
    light = (await client.get(f"/api/tasks?project={pid}", headers=admin.headers)).json()["tasks"]
    assert {t["id"]: t["draft_exists"] for t in light} == {t: t in task_ids[:2] for t in task_ids}

    # the annotator sees their own draft only, on the page, one task and the stream
    mine = await _page(client, annotator, pid)
    assert set(mine) == set(task_ids[:2])
    assert mine[task_ids[1]]["drafts"] == [theirs] and mine[task_ids[0]]["drafts"] == []
    assert mine[task_ids[1]]["assigned_reviewers"] == [reviewer.id]
    one = (await client.get(f"/api/tasks/{task_ids[1]}", headers=annotator.headers)).json()
    assert one["drafts"] == [theirs] and one["draft_exists"] is True
    streamed = (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).json()
    assert streamed["id"] == task_ids[0] and streamed["drafts"] == [] and streamed["draft_exists"] is False
    assert sorted(streamed["assigned_annotators"]) == sorted([annotator.id, people["MA"].id])
