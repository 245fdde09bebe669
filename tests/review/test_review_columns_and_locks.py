"""Review state as data-manager columns and filters; the review stream's task reservations.
On SQLite and PostgreSQL."""

import asyncio
import json

import httpx

from .conftest import choice, import_texts, make_user, submit


def f(column, operator, value, type="String"):
    return {"filter": f"filter:tasks:{column}", "operator": operator, "type": type, "value": value}


async def tasks_of(client, admin, pid, items=(), ordering=None):
    query = {"filters": {"conjunction": "and", "items": list(items)}}
    if ordering is not None:
        query["ordering"] = ordering
    r = await client.get("/api/tasks/", headers=admin.headers, params={"project": pid, "query": json.dumps(query), "page_size": 100})
    assert r.status_code == 200, r.text
    return r.json()["tasks"]


async def test_review_columns_filter_and_sort(client, admin, project, annotator, reviewer):
    pid = project["id"]
    await client.patch(f"/api/projects/{pid}/review-settings", headers=admin.headers, json={"required_reviews": 2})
    accepted, rejected, flipped, untouched = await import_texts(client, admin, pid, ["a", "b", "c", "d"])
    other = await make_user(client, admin, "rev2@example.com")

    async def review(who, task, ok, comment=None):
        annotation = (await client.get(f"/api/tasks/{task}", headers=admin.headers)).json()["annotations"][0]["id"]
        body = {"annotation": annotation, "accepted": ok, **({"comment": comment} if comment else {})}
        r = await client.post("/api/annotation-reviews/", headers=who.headers, json=body)
        assert r.status_code == 201, r.text

    for task in (accepted, rejected, flipped, untouched):
        await submit(client, annotator, task)
    await review(reviewer, accepted, True)
    await review(other, accepted, True)
    await review(reviewer, rejected, False, "no")
    await review(reviewer, flipped, False, "no")
    await review(other, flipped, True)  # the latest verdict decides the state

    rows = {t["id"]: (t["reviews_accepted"], t["reviews_rejected"], t["review_state"]) for t in await tasks_of(client, admin, pid)}
    assert rows == {accepted: (2, 0, "accepted"), rejected: (0, 1, "rejected"), flipped: (1, 1, "accepted"),
                    untouched: (0, 0, "not_reviewed")}

    ids = lambda tasks: [t["id"] for t in tasks]  # noqa: E731
    assert ids(await tasks_of(client, admin, pid, [f("review_state", "equal", "rejected")])) == [rejected]
    assert ids(await tasks_of(client, admin, pid, [f("review_state", "equal", "not_reviewed")])) == [untouched]
    assert ids(await tasks_of(client, admin, pid, [f("review_state", "not_equal", "accepted")])) == [rejected, untouched]
    assert ids(await tasks_of(client, admin, pid, [f("reviews_accepted", "greater", 0, "Number")])) == [accepted, flipped]
    assert ids(await tasks_of(client, admin, pid, [f("reviews_rejected", "empty", True, "Number")])) == [accepted, untouched]
    assert ids(await tasks_of(client, admin, pid, [f("reviews_accepted", "in", {"min": 1, "max": 1}, "Number")])) == [flipped]
    assert ids(await tasks_of(client, admin, pid, ordering=["-tasks:reviews_accepted"])) == [accepted, flipped, rejected, untouched]
    assert ids(await tasks_of(client, admin, pid, ordering=["tasks:review_state"])) == [accepted, flipped, untouched, rejected]

    # A bad value is a 400 naming the filter; the columns are listed for the column picker.
    bad = await client.get("/api/tasks/", headers=admin.headers, params={
        "project": pid, "query": json.dumps({"filters": {"conjunction": "and", "items": [f("reviews_accepted", "equal", "x", "Number")]}})})
    assert bad.status_code == 400 and "reviews_accepted" in bad.text
    columns = (await client.get("/api/dm/columns", headers=admin.headers, params={"project": pid})).json()["columns"]
    assert {"reviews_accepted", "reviews_rejected", "review_state"} <= {c["id"] for c in columns}


async def test_five_reviewers_asking_at_once_get_five_different_tasks(client, admin, project):
    pid = project["id"]
    tasks = await import_texts(client, admin, pid, [f"t{i}" for i in range(7)])
    for t in tasks:
        await submit(client, admin, t)
    reviewers = [await make_user(client, admin, f"r{i}@example.com") for i in range(5)]

    async def ask(reviewer):
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=reviewer.headers) as own:
            r = await own.get(f"/api/projects/{pid}/review/next")
            assert r.status_code == 200, r.text
            return r.json()["id"]

    served = await asyncio.gather(*(ask(r) for r in reviewers))
    assert len(set(served)) == 5 and set(served) <= set(tasks)
    # Asking again serves the task one already holds; reviewing it releases it.
    first = reviewers[0]
    again = (await client.get(f"/api/projects/{pid}/review/next", headers=first.headers)).json()
    assert again["id"] == served[0]
    for annotation_id in again["review_annotations"]:
        r = await client.post("/api/annotation-reviews/", headers=first.headers, json={"annotation": annotation_id})
        assert r.status_code == 201, r.text
    following = (await client.get(f"/api/projects/{pid}/review/next", headers=first.headers)).json()
    assert following["id"] not in served
    # A sixth reviewer gets what nobody holds: the last free task.
    sixth = await make_user(client, admin, "r5@example.com")
    free = set(tasks) - set(served) - {following["id"]}
    assert len(free) == 1
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=sixth.headers)).json()["id"] in free


async def test_review_state_follows_the_current_version(client, admin, project, annotator, reviewer):
    """An annotation updated after a rejection is not reviewed again until its update is; the
    filter sees every change at once (PostgreSQL caches filtered totals per project revision)."""
    pid = project["id"]
    task, other = await import_texts(client, admin, pid, ["a", "b"])
    annotation = await submit(client, annotator, task)
    await submit(client, annotator, other)
    rejected_filter = [f("review_state", "equal", "rejected")]

    async def state_and_rejected():
        rows = {t["id"]: t["review_state"] for t in await tasks_of(client, admin, pid)}
        r = await client.get("/api/tasks/", headers=admin.headers, params={
            "project": pid, "query": json.dumps({"filters": {"conjunction": "and", "items": rejected_filter}})})
        return rows[task], [t["id"] for t in r.json()["tasks"]], r.json()["total"]

    assert await state_and_rejected() == ("not_reviewed", [], 0)
    r = await client.post("/api/annotation-reviews/", headers=reviewer.headers,
                          json={"annotation": annotation["id"], "accepted": False, "comment": "no"})
    assert r.status_code == 201, r.text
    assert await state_and_rejected() == ("rejected", [task], 1)
    updated = await client.patch(f"/api/annotations/{annotation['id']}/", headers=annotator.headers, json={"result": choice("Negative")})
    assert updated.status_code == 200, updated.text
    assert await state_and_rejected() == ("not_reviewed", [], 0)
    ordered = await tasks_of(client, admin, pid, [f("review_state", "equal", "not_reviewed")], ordering=["tasks:review_state"])
    assert [t["id"] for t in ordered] == [task, other]
    r = await client.post("/api/annotation-reviews/", headers=reviewer.headers, json={"annotation": annotation["id"], "accepted": True})
    assert r.status_code == 201, r.text
    assert await state_and_rejected() == ("accepted", [], 0)
    # The counts keep every review, as in Label Studio Enterprise.
    row = next(t for t in await tasks_of(client, admin, pid) if t["id"] == task)
    assert (row["reviews_accepted"], row["reviews_rejected"]) == (1, 1)


async def test_a_reviewers_hold_takes_no_label_stream_slot(client, admin, project, annotator, reviewer):
    """The review stream's reservation lives in its own table: while a reviewer holds a task, the
    label stream still serves it to the second annotator an overlap of 2 asks for."""
    pid = project["id"]
    r = await client.patch(f"/api/projects/{pid}", headers=admin.headers, json={"maximum_annotations": 2})
    assert r.status_code == 200, r.text
    (task,) = await import_texts(client, admin, pid, ["shared"])
    assert (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).json()["id"] == task
    await submit(client, annotator, task)
    held = await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)
    assert held.status_code == 200 and held.json()["id"] == task
    second = await make_user(client, admin, "second@example.com")
    served = await client.get(f"/api/projects/{pid}/next", headers=second.headers)
    assert served.status_code == 200 and served.json()["id"] == task
    # ... and another reviewer is not served the held task.
    other = await make_user(client, admin, "rev2@example.com")
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=other.headers)).status_code == 404
