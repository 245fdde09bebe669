"""A whole team at once: 20 annotators label through the label stream while 5 reviewers review
through the review stream, each on their own connection. No task is served to two annotators
or to two reviewers, and no review is lost. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from ..teams.conftest import add_member, make_member
from .conftest import choice, import_texts

TASKS = 40


async def test_twenty_annotators_and_five_reviewers_at_once(client, admin, project, make_app):
    pid = project["id"]
    team_app = make_app()
    tasks = await import_texts(client, admin, pid, [f"t{i}" for i in range(TASKS)])
    annotators = [await make_member(client, admin, f"an{i}@example.com", "AN") for i in range(20)]
    reviewers = [await make_member(client, admin, f"re{i}@example.com", "RE") for i in range(5)]
    for member in (*annotators, *reviewers):
        await add_member(client, admin, pid, member.id)

    labeled: dict[int, list[int]] = {a.id: [] for a in annotators}
    reviewed: dict[int, list[int]] = {r.id: [] for r in reviewers}
    annotators_done = asyncio.Event()

    def own_client(member):
        transport = httpx.ASGITransport(app=team_app)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=member.headers)

    async def annotate(member):
        async with own_client(member) as http:
            while True:
                nxt = await http.get(f"/api/projects/{pid}/next")
                if nxt.status_code == 404:
                    return
                assert nxt.status_code == 200, nxt.text
                task_id = nxt.json()["id"]
                labeled[member.id].append(task_id)
                done = await http.post(f"/api/tasks/{task_id}/annotations/", json={"result": choice("Positive")})
                assert done.status_code == 201, done.text

    async def review(member):
        async with own_client(member) as http:
            for _ in range(2000):  # bounded: a queue that never empties fails below
                nxt = await http.get(f"/api/projects/{pid}/review/next")
                if nxt.status_code == 404:
                    if annotators_done.is_set():
                        return
                    await asyncio.sleep(0.02)  # nothing submitted yet, or the rest is held by others
                    continue
                assert nxt.status_code == 200, nxt.text
                reviewed[member.id].append(nxt.json()["id"])
                for annotation_id in nxt.json()["review_annotations"]:
                    r = await http.post("/api/annotation-reviews/", json={"annotation": annotation_id, "accepted": True})
                    assert r.status_code == 201, r.text
            raise AssertionError("the review queue never emptied")

    async def all_annotators():
        await asyncio.gather(*(annotate(a) for a in annotators))
        annotators_done.set()

    # The team works through a second instance of the app (as a second server process would),
    # whose lifespan, background work and 25 connections all live on this test's event loop:
    # truly concurrent, unlike the test client's requests (one blocking call at a time).
    async with team_app.lifespan():
        try:
            async with asyncio.timeout(240):  # a stuck stream fails, naming how far everyone got
                await asyncio.gather(all_annotators(), *(review(r) for r in reviewers))
        except TimeoutError:
            raise AssertionError(f"stuck: labeled {labeled}, reviewed {reviewed}, annotators done {annotators_done.is_set()}") from None

    labeled_counts = Counter(t for served in labeled.values() for t in served)
    assert sorted(labeled_counts) == sorted(tasks) and max(labeled_counts.values()) == 1, "a task went to two annotators"
    reviewed_counts = Counter(t for served in reviewed.values() for t in served)
    # A reviewer who finds nothing more may stop while others finish: the queue must be empty.
    leftover = await client.get(f"/api/projects/{pid}/review/next", headers=reviewers[0].headers)
    assert leftover.status_code == 404
    assert sorted(reviewed_counts) == sorted(tasks) and max(reviewed_counts.values()) == 1, "a task went to two reviewers"
    reviews = (await client.get("/api/annotation-reviews/", headers=admin.headers, params={"project": pid})).json()
    assert len(reviews) == TASKS and len({r["annotation"] for r in reviews}) == TASKS, "a review was lost or doubled"
    by_task = {r["task"]: r["created_by"] for r in reviews}
    for reviewer in reviewers:
        assert {t for t, who in by_task.items() if who == reviewer.id} == set(reviewed[reviewer.id])
    history = (await client.get(f"/api/projects/{pid}/annotation-history", headers=admin.headers,
                                params={"page_size": 1000})).json()["results"]
    assert Counter(v["action"] for v in history) == {"submitted": TASKS, "accepted": TASKS}
