"""A page of tasks skips its review, comment, and drafts-and-assignments queries for a project
that never had any (the sticky ``has_*`` flags of its counters row, migration 0019), and shows
them as soon as one exists. On SQLite and PostgreSQL."""

from datetime import UTC, datetime

from sqlalchemy import insert, select

from labelloom.core.comments.models import Comment
from labelloom.core.projects.models import ProjectCounters
from labelloom.core.teams.models import TaskAssignment

from tests.api.helpers import TEXT_CONFIG, choice


async def flags(client, project_id, *names):
    names = names or ("has_reviews", "has_comments")
    async with client.app.state.sessionmaker() as db:
        row = (await db.execute(select(*(getattr(ProjectCounters, n) for n in names))
                                .where(ProjectCounters.project_id == project_id))).one()
        return tuple(row)


async def page(client, admin, project_id):
    r = await client.get("/api/tasks", headers=admin.headers, params={"project": project_id, "page_size": 10})
    assert r.status_code == 200, r.text
    return {t["id"]: t for t in r.json()["tasks"]}


async def one(client, admin, task_id):
    r = await client.get(f"/api/tasks/{task_id}", headers=admin.headers)
    assert r.status_code == 200, r.text
    return r.json()


def columns(task):
    names = ("comment_count", "unresolved_comment_count", "unread_comments", "last_comment_updated_at",
             "comment_authors", "reviews_accepted", "reviews_rejected", "review_state")
    return {name: task[name] for name in names}


EMPTY = {"comment_count": 0, "unresolved_comment_count": 0, "unread_comments": 0, "last_comment_updated_at": None,
         "comment_authors": [], "reviews_accepted": 0, "reviews_rejected": 0, "review_state": "not_reviewed"}


async def new_project(client, admin, title):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": title, "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers,
                          json=[{"text": "one"}, {"text": "two"}])
    assert r.status_code == 201, r.text
    return pid, r.json()["task_ids"]


async def test_flags_follow_first_review_and_comment(client, admin):
    pid, (first, second) = await new_project(client, admin, "flags")
    other, _ = await new_project(client, admin, "untouched")
    assert await flags(client, pid) == (False, False)
    listed = await page(client, admin, pid)
    assert [columns(t) for t in listed.values()] == [EMPTY, EMPTY]
    # Same keys in the same order whichever way the columns were filled.
    keys = list(listed[first])

    r = await client.post(f"/api/tasks/{first}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201, r.text
    r = await client.post("/api/annotation-reviews/", headers=admin.headers, json={"annotation": r.json()["id"], "accepted": True})
    assert r.status_code == 201, r.text
    assert await flags(client, pid) == (True, False)
    listed = await page(client, admin, pid)
    assert (listed[first]["reviews_accepted"], listed[first]["review_state"]) == (1, "accepted")
    assert columns(listed[second]) == EMPTY

    r = await client.post("/api/comments/", headers=admin.headers, json={"task": second, "text": "look"})
    assert r.status_code == 201, r.text
    comment = r.json()["id"]
    assert await flags(client, pid) == (True, True)
    listed = await page(client, admin, pid)
    assert (listed[second]["comment_count"], listed[second]["comment_authors"]) == (1, [admin.id])
    assert list(listed[second]) == keys
    assert await flags(client, other) == (False, False)  # only the project written to

    # Sticky: deleting the only comment leaves the flag set, and the page counts zero.
    assert (await client.delete(f"/api/comments/{comment}/", headers=admin.headers)).status_code == 204
    assert await flags(client, pid) == (True, True)
    assert (await page(client, admin, pid))[second]["comment_count"] == 0


async def test_flag_set_by_any_writer(client, admin):
    """The trigger sets the flag whoever inserts the row (a plain INSERT here, as a job or a
    script could)."""
    pid, (task, _) = await new_project(client, admin, "raw")
    async with client.app.state.sessionmaker() as db:
        await db.execute(insert(Comment.__table__).values(
            task_id=task, project_id=pid, created_by_id=admin.id, text="raw", is_resolved=False,
            created_at=datetime.now(UTC), updated_at=datetime.now(UTC)))
        await db.commit()
    assert await flags(client, pid) == (False, True)
    assert (await page(client, admin, pid))[task]["comment_count"] == 1


async def test_drafts_and_assignments_flags(client, admin):
    pid, (first, second) = await new_project(client, admin, "drafts")
    assert await flags(client, pid, "has_drafts", "has_assignments") == (False, False)
    listed = await page(client, admin, pid)
    assert [(t["draft_exists"], t["assigned_annotators"], t["assigned_reviewers"]) for t in listed.values()] == [
        (False, [], []), (False, [], [])]
    assert (await one(client, admin, first))["drafts"] == []

    r = await client.post(f"/api/tasks/{first}/drafts", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201, r.text
    assert await flags(client, pid, "has_drafts", "has_assignments") == (True, False)
    listed = await page(client, admin, pid)
    assert (listed[first]["draft_exists"], listed[second]["draft_exists"]) == (True, False)
    single = await one(client, admin, first)  # one task: the flags come with its row
    assert single["draft_exists"] is True and [d["id"] for d in single["drafts"]] == [r.json()["id"]]

    other, (task, _) = await new_project(client, admin, "assigned")
    async with client.app.state.sessionmaker() as db:
        await db.execute(insert(TaskAssignment.__table__).values(
            task_id=task, project_id=other, user_id=admin.id, type="RE", created_at=datetime.now(UTC)))
        await db.commit()
    assert await flags(client, other, "has_drafts", "has_assignments") == (False, True)
    assert (await page(client, admin, other))[task]["assigned_reviewers"] == [admin.id]
    assert (await one(client, admin, task))["assigned_reviewers"] == [admin.id]
