"""The review workflow through the API, on SQLite and PostgreSQL."""

import asyncio

import httpx

from .conftest import choice, import_texts, make_user, submit


async def test_rejected_then_fixed_round_trip(client, admin, project, annotator, reviewer):
    pid = project["id"]
    first, second = await import_texts(client, admin, pid, ["good", "bad"])
    annotation = await submit(client, annotator, first, "Positive")

    nxt = await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)
    assert nxt.status_code == 200, nxt.text
    assert nxt.json()["id"] == first and nxt.json()["review_annotations"] == [annotation["id"]]
    assert [a["id"] for a in nxt.json()["annotations"]] == [annotation["id"]]

    # Rejecting needs a comment (the default setting); nothing is written without one.
    bare = await client.post("/api/annotation-reviews/", headers=reviewer.headers, json={"annotation": annotation["id"], "accepted": False})
    assert bare.status_code == 400 and "comment" in bare.json()["validation_errors"]
    rejected = await client.post("/api/annotation-reviews/", headers=reviewer.headers,
                                 json={"annotation": annotation["id"], "accepted": False, "comment": "Wrong label"})
    assert rejected.status_code == 201, rejected.text
    body = rejected.json()
    assert body["accepted"] is False and body["comment"] == "Wrong label" and body["created_by"] == reviewer.id
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)).status_code == 404

    states = (await client.get(f"/api/projects/{pid}/review/states", headers=annotator.headers, params={"task": first})).json()
    assert states["annotations"][str(annotation["id"])] == {"state": "rejected", "accepted": 0, "rejected": 1, "comment": "Wrong label"}

    # The annotator's stream serves the rejected task again, with their annotation and the comment.
    again = await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)
    assert again.status_code == 200 and again.json()["id"] == first and again.json()["queue"] == "Rejected queue"
    assert [a["id"] for a in again.json()["annotations"]] == [annotation["id"]]
    comments = (await client.get("/api/comments/", headers=annotator.headers, params={"task": first, "expand_created_by": True})).json()
    assert [(c["text"], c["created_by"]["email"], c["annotation"]) for c in comments] == [("Wrong label", "rev@example.com", annotation["id"])]
    unread = await client.get(f"/api/projects/{pid}/comments/unread", headers=annotator.headers)
    assert unread.json() == {str(first): 1}
    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=reviewer.headers)).json() == {}
    assert (await client.post(f"/api/tasks/{first}/comments/read", headers=annotator.headers)).status_code == 200
    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=annotator.headers)).json() == {}

    fixed = await client.patch(f"/api/annotations/{annotation['id']}/", headers=annotator.headers, json={"result": choice("Negative")})
    assert fixed.status_code == 200, fixed.text
    following = await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)
    assert following.json()["id"] == second and following.json()["queue"] != "Rejected queue"

    # Back in the review stream; the reviewer fixes and accepts.
    back = await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)
    assert back.status_code == 200 and back.json()["id"] == first
    accepted = await client.post("/api/annotation-reviews/", headers=reviewer.headers,
                                 json={"annotation": annotation["id"], "accepted": True, "result": choice("Neutral")})
    assert accepted.status_code == 201, accepted.text
    review = accepted.json()
    assert review["accepted"] is True and review["fixed_annotation_history"] == review["last_annotation_history"]
    assert review["previous_annotation_history"] < review["fixed_annotation_history"]
    current = (await client.get(f"/api/annotations/{annotation['id']}/", headers=admin.headers)).json()
    assert current["result"][0]["value"]["choices"] == ["Neutral"] and current["last_action"] == "fixed_and_accepted"
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)).status_code == 404

    versions = (await client.get("/api/annotation-history/", headers=annotator.headers, params={"annotation": annotation["id"]})).json()
    assert [v["action"] for v in versions] == ["submitted", "rejected", "updated", "fixed_and_accepted"]
    assert [v["result"][0]["value"]["choices"][0] for v in versions] == ["Positive", "Positive", "Negative", "Neutral"]
    assert [v["created_by"] for v in versions] == [annotator.id, reviewer.id, annotator.id, reviewer.id]
    assert versions[0]["lead_time"] == 2.5 and versions[1]["lead_time"] is None and versions[1]["review_id"] == body["id"] and versions[1]["comment_id"] == body["comment_id"]
    assert versions[3]["id"] == review["fixed_annotation_history"]
    one = await client.get(f"/api/annotation-history/{versions[2]['id']}/", headers=admin.headers)
    assert one.json()["action"] == "updated"
    page = (await client.get(f"/api/projects/{pid}/annotation-history", headers=admin.headers, params={"page_size": 3})).json()
    assert page["count"] == 4 and [v["id"] for v in page["results"]] == [v["id"] for v in versions[::-1][:3]] and page["next"]

    reviews = (await client.get("/api/annotation-reviews/", headers=admin.headers, params={"annotation": annotation["id"]})).json()
    assert [r["accepted"] for r in reviews] == [False, True]
    states = (await client.get(f"/api/projects/{pid}/review/states", headers=admin.headers, params={"task": first})).json()
    assert states["annotations"][str(annotation["id"])]["state"] == "accepted"


async def test_review_settings_and_required_reviews(client, admin, project, annotator, reviewer):
    pid = project["id"]
    defaults = (await client.get(f"/api/projects/{pid}/review-settings", headers=admin.headers)).json()
    assert defaults["required_reviews"] == 1 and defaults["requeue_rejected_tasks_to_annotator"] is True
    bad = await client.patch(f"/api/projects/{pid}/review-settings", headers=admin.headers, json={"required_reviews": 0})
    assert bad.status_code == 400 and "required_reviews" in bad.json()["validation_errors"]
    r = await client.patch(f"/api/projects/{pid}/review-settings", headers=admin.headers,
                           json={"required_reviews": 2, "requeue_rejected_tasks_to_annotator": False, "require_comment_on_reject": False})
    assert r.status_code == 200 and r.json()["required_reviews"] == 2 and r.json()["requeue_rejected_tasks_mode"] == "remove"

    (task,) = await import_texts(client, admin, pid, ["one"])
    annotation = await submit(client, annotator, task)
    await client.post("/api/annotation-reviews/", headers=reviewer.headers, json={"annotation": annotation["id"], "accepted": True})
    # Reviewed once of twice: no longer this reviewer's, still another's.
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)).status_code == 404
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=admin.headers)).json()["id"] == task
    states = (await client.get(f"/api/projects/{pid}/review/states", headers=admin.headers, params={"task": task})).json()
    assert states["annotations"][str(annotation["id"])]["state"] == "in_review"
    # Without requeue, a rejection does not send the task back to its annotator.
    rejected = await client.post("/api/annotation-reviews/", headers=admin.headers, json={"annotation": annotation["id"], "accepted": False})
    assert rejected.status_code == 201
    assert (await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)).status_code == 404


async def test_bad_review_requests_change_nothing(client, admin, project, reviewer):
    pid = project["id"]
    task, other = await import_texts(client, admin, pid, ["one", "two"])
    skipped = await client.post(f"/api/tasks/{task}/annotations/?was_cancelled=true", headers=admin.headers, json={"result": []})
    assert skipped.status_code == 201
    submitted = await submit(client, admin, other)
    cases = [
        ({}, "annotation"),
        ({"annotation": 999999}, "annotation"),
        ({"annotation": skipped.json()["id"]}, "annotation"),
        ({"annotation": submitted["id"], "accepted": False, "result": choice("Positive")}, "result"),
        ({"annotation": submitted["id"], "accepted": True, "result": [{"from_name": "nope"}]}, "result[0].from_name"),
    ]
    for body, field in cases:
        r = await client.post("/api/annotation-reviews/", headers=reviewer.headers, json=body)
        assert r.status_code == 400 and field in r.json()["validation_errors"], (body, r.text)
    assert (await client.get("/api/annotation-reviews/", headers=admin.headers, params={"project": pid})).json() == []
    assert (await client.get("/api/annotation-reviews/12345/", headers=admin.headers)).status_code == 404


async def test_roles_reviewers_review_annotators_do_not(client, admin, project):
    pid = project["id"]
    (task,) = await import_texts(client, admin, pid, ["one"])
    annotator = await make_user(client, admin, "an@example.com", role="AN")
    reviewer = await make_user(client, admin, "re@example.com", role="RE")
    for who in (annotator, reviewer):
        r = await client.post(f"/api/projects/{pid}/members", headers=admin.headers, json={"user": who.id})
        assert r.status_code in (200, 201), r.text
    annotation = await submit(client, admin, task)
    denied = await client.post("/api/annotation-reviews/", headers=annotator.headers, json={"annotation": annotation["id"]})
    assert denied.status_code == 403
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=annotator.headers)).status_code == 403
    assert (await client.get(f"/api/projects/{pid}/review/next", headers=reviewer.headers)).status_code == 200
    ok = await client.post("/api/annotation-reviews/", headers=reviewer.headers, json={"annotation": annotation["id"]})
    assert ok.status_code == 201, ok.text
    assert (await client.patch(f"/api/projects/{pid}/review-settings", headers=reviewer.headers, json={"required_reviews": 3})).status_code == 403


async def test_five_reviewers_concurrently_lose_no_review(client, admin, project):
    pid = project["id"]
    await client.patch(f"/api/projects/{pid}/review-settings", headers=admin.headers, json={"required_reviews": 5})
    tasks = await import_texts(client, admin, pid, [f"t{i}" for i in range(6)])
    annotations = [await submit(client, admin, t) for t in tasks]
    reviewers = [await make_user(client, admin, f"r{i}@example.com") for i in range(5)]

    async def work(reviewer):
        # One client per reviewer on the running app (the test client serialises its requests).
        done = []
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=reviewer.headers) as own:
            for _ in range(400):  # bounded: a queue that never empties fails below
                nxt = await own.get(f"/api/projects/{pid}/review/next")
                if nxt.status_code == 404:
                    if len(done) == len(annotations):
                        return done
                    await asyncio.sleep(0.05)  # what is left is reserved by other reviewers now
                    continue
                assert nxt.status_code == 200, nxt.text
                for annotation_id in nxt.json()["review_annotations"]:
                    r = await own.post("/api/annotation-reviews/", json={"annotation": annotation_id})
                    assert r.status_code == 201, r.text
                    done.append(annotation_id)
            raise AssertionError("the review queue never emptied")

    results = await asyncio.gather(*(work(r) for r in reviewers))
    expected = sorted(a["id"] for a in annotations)
    assert all(sorted(done) == expected for done in results)
    reviews = (await client.get("/api/annotation-reviews/", headers=admin.headers, params={"project": pid})).json()
    assert len(reviews) == 5 * len(annotations)
    history = (await client.get(f"/api/projects/{pid}/annotation-history", headers=admin.headers, params={"page_size": 1000})).json()
    assert sum(v["action"] == "accepted" for v in history["results"]) == 5 * len(annotations)
    for a in annotations:
        state = (await client.get(f"/api/projects/{pid}/review/states", headers=admin.headers, params={"task": a["task"]})).json()
        assert state["annotations"][str(a["id"])] == {"state": "accepted", "accepted": 5, "rejected": 0, "comment": None}


async def test_review_webhook_events_are_known(client, admin):
    info = (await client.get("/api/webhooks/info/", headers=admin.headers)).json()
    assert {"REVIEW_CREATED", "REVIEW_UPDATED", "REVIEWS_DELETED"} <= set(info)
