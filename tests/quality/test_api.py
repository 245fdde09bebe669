"""The quality API on SQLite and PostgreSQL: agreement stored by the jobs annotation writes
enqueue, the data manager's column/filter/ordering, settings, dashboard figures and CSVs."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time

import pytest

from tests.api.helpers import TEXT_CONFIG, choice, import_texts


async def create_user(client, admin, email):
    response = await client.post("/api/users/", headers=admin.headers, json={"email": email, "first_name": email[:2]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def annotate(client, admin, task_id, label, user_id=None, **extra):
    body = {"result": choice(label), "lead_time": 2.0, **extra}
    if user_id is not None:
        body["completed_by"] = user_id
    response = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def agreements(client, admin, project_id, query=None):
    params = {"project": project_id}
    if query is not None:
        params["query"] = json.dumps(query)
    response = await client.get("/api/tasks/", headers=admin.headers, params=params)
    assert response.status_code == 200, response.text
    return {t["id"]: t["agreement"] for t in response.json()["tasks"]}


async def until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.1)


async def wait_job(client, admin, job_id, timeout=30.0):
    async def done():
        job = (await client.get(f"/api/jobs/{job_id}", headers=admin.headers)).json()
        return job if job["status"] in ("complete", "failed") else None

    job = await until(done, timeout)
    assert job["status"] == "complete", job
    return job


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Q", "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    project_id = response.json()["id"]
    # The first read of the settings runs the project's first full recompute (empty here).
    first = (await client.get(f"/api/projects/{project_id}/quality/settings", headers=admin.headers)).json()
    await wait_job(client, admin, first["job"]["id"])
    return project_id


async def test_agreement_column_filter_order_and_dashboard(client, admin, project):
    u1 = await create_user(client, admin, "ann1@example.com")
    u2 = await create_user(client, admin, "ann2@example.com")
    t1, t2, t3 = await import_texts(client, admin, project, ["a", "b", "c"])
    await annotate(client, admin, t1, "Positive")
    await annotate(client, admin, t1, "Positive", u1)
    neg = await annotate(client, admin, t1, "Negative", u2)
    await annotate(client, admin, t2, "Positive")
    await annotate(client, admin, t2, "Positive", u1)
    await annotate(client, admin, t3, "Neutral")

    async def stored():
        values = await agreements(client, admin, project)
        return values if values[t1] is not None and values[t2] is not None else None

    values = await until(stored)
    assert values == {t1: pytest.approx(33.33), t2: 100.0, t3: None}

    below = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:agreement", "operator": "less", "type": "Number", "value": 60}]}}
    assert list(await agreements(client, admin, project, below)) == [t1]
    ordered = await agreements(client, admin, project, {"ordering": ["-tasks:agreement"]})
    # (Tasks without agreement sort as NULLs do in each database, as other columns do.)
    assert [t for t in ordered if t != t3] == [t2, t1]
    columns = (await client.get("/api/dm/columns/", headers=admin.headers, params={"project": project})).json()
    assert any(c["id"] == "agreement" and c["type"] == "Number" for c in columns["columns"])

    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    assert board["summary"]["annotations"] == 6
    assert board["summary"]["agreement"] == pytest.approx((1 / 3 + 1) / 2)
    assert {l["label"]: l["count"] for l in board["labels"]} == {"Positive": 4, "Negative": 1, "Neutral": 1}
    pairs = {(p["user_a"], p["user_b"]): (p["agreement"], p["n"]) for p in board["pairs"]}
    assert pairs[(admin.id, u1)] == (1.0, 2)
    assert pairs[(admin.id, u2)] == (0.0, 1)
    assert pairs[(u1, u2)] == (0.0, 1)
    by_user = {a["user"]: a for a in board["annotators"]}
    assert by_user[admin.id]["done"] == 3 and by_user[u1]["done"] == 2
    assert by_user[admin.id]["lead_time"] == 2.0
    assert sum(b["count"] for b in board["agreement"]) == 2
    assert board["progress"][-1]["cumulative"] == 6

    # One annotator's own figures; filters that make no sense are a 400 saying which.
    mine = (await client.get(f"/api/projects/{project}/quality/annotators/me", headers=admin.headers)).json()
    assert [a["user"] for a in mine["annotators"]] == [admin.id]
    own = await client.get(f"/api/projects/{project}/quality/annotators/me/annotators/csv", headers=admin.headers)
    assert own.status_code == 200
    assert [r["user"] for r in csv.DictReader(io.StringIO(own.text))] == [str(admin.id)]
    bad = await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers,
                           params={"from": "yesterday", "annotators": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["validation_errors"]) == {"from", "annotators"}
    future = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers,
                               params={"from": "2999-01-01"})).json()
    assert future["summary"]["annotations"] == 0

    # CSV of a chart: the JSON's rows.
    response = await client.get(f"/api/projects/{project}/quality/dashboard/labels/csv", headers=admin.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["label"]: int(r["count"]) for r in rows} == {"Positive": 4, "Negative": 1, "Neutral": 1}
    assert (await client.get(f"/api/projects/{project}/quality/dashboard/nope/csv", headers=admin.headers)).status_code == 400

    # The task explained.
    explained = (await client.get(f"/api/projects/{project}/quality/tasks/{t1}", headers=admin.headers)).json()
    assert explained["agreement"] == pytest.approx(1 / 3)
    assert sorted(p["score"] for p in explained["pairs"]) == [0.0, 0.0, 1.0]

    # Deleting the disagreeing annotation: the job recomputes the task.
    assert (await client.delete(f"/api/annotations/{neg}", headers=admin.headers)).status_code == 204

    async def agreed():
        return (await agreements(client, admin, project))[t1] == 100.0

    await until(agreed)
    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    assert board["summary"]["annotations"] == 5
    assert not any(p["n"] for p in board["pairs"] if u2 in (p["user_a"], p["user_b"]))

    # Deleting a task takes its figures out of the rollups.
    assert (await client.delete(f"/api/tasks/{t2}", headers=admin.headers)).status_code == 204

    async def shrunk():
        b = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
        # The annotation count drops with the delete; the task's agreement leaves the rollups
        # when the job that follows it has run.
        return b if b["summary"]["annotations"] == 3 and b["summary"]["scored_tasks"] == 1 else None

    board = await until(shrunk)
    assert board["summary"]["scored_tasks"] == 1


async def test_settings_validation_and_recompute(client, admin, project):
    u1 = await create_user(client, admin, "ann3@example.com")
    (t1,) = await import_texts(client, admin, project, ["a"])
    await annotate(client, admin, t1, "Positive", ground_truth=True)
    await annotate(client, admin, t1, "Negative", u1)
    url = f"/api/projects/{project}/quality/settings"
    settings = (await client.get(url, headers=admin.headers)).json()
    assert settings["method"] == "threshold" and settings["threshold"] == 0.5
    assert {"rectangle", "choices", "textspan", "audiosegment"} <= {m["name"] for m in settings["metrics"]}

    bad = await client.patch(url, headers=admin.headers, json={"threshold": 2, "method": "magic", "colour": 1})
    assert bad.status_code == 400
    assert set(bad.json()["validation_errors"]) == {"threshold", "method", "colour"}
    assert (await client.get(url, headers=admin.headers)).json()["threshold"] == 0.5  # nothing changed

    changed = await client.patch(url, headers=admin.headers, json={"threshold": 0.75, "method": "overlap"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["threshold"] == 0.75 and body["method"] == "overlap"
    await wait_job(client, admin, body["job"]["id"])
    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    by_user = {a["user"]: a for a in board["annotators"]}
    assert by_user[u1]["gt_score"] == 0.0 and by_user[u1]["gt_n"] == 1
    assert by_user[admin.id]["gt_score"] is None  # the ground truth is not scored against itself
    assert board["summary"]["scored_tasks"] == 1

    job = (await client.post(f"/api/projects/{project}/quality/recompute", headers=admin.headers)).json()["job"]
    await wait_job(client, admin, job["id"])
    assert (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json() == board


async def test_unknown_project_and_task(client, admin, project):
    assert (await client.get("/api/projects/999999/quality/dashboard", headers=admin.headers)).status_code == 404
    assert (await client.get(f"/api/projects/{project}/quality/tasks/999999", headers=admin.headers)).status_code == 404
    assert (await client.get(f"/api/projects/{project}/quality/annotators/abc", headers=admin.headers)).status_code == 400


async def test_marking_ground_truth_in_the_data_manager_rescores(client, admin, project):
    u1 = await create_user(client, admin, "ann4@example.com")
    (t1,) = await import_texts(client, admin, project, ["a"])
    await annotate(client, admin, t1, "Negative", u1)
    await annotate(client, admin, t1, "Positive")  # the latest: becomes the ground truth
    response = await client.post("/api/dm/actions/", headers=admin.headers, params={"id": "mark_ground_truth", "project": project},
                                 json={"selectedItems": {"all": True, "excluded": []}})
    assert response.status_code == 200, response.text

    async def scored():
        board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
        return next((a for a in board["annotators"] if a["user"] == u1 and a["gt_n"] == 1), None)

    assert (await until(scored))["gt_score"] == 0.0


async def test_imported_annotations_are_scored(client, admin, project):
    body = [{"data": {"text": "a"}, "annotations": [{"result": choice("Positive")}, {"result": choice("Negative")}]},
            {"data": {"text": "b"}, "annotations": [{"result": choice("Neutral")}, {"result": choice("Neutral")}]}]
    response = await client.post(f"/api/projects/{project}/import?return_task_ids=true", headers=admin.headers, json=body)
    assert response.status_code == 201, response.text
    t1, t2 = response.json()["task_ids"]

    async def scored():
        values = await agreements(client, admin, project)
        return values if None not in values.values() else None

    assert await until(scored) == {t1: 0.0, t2: 100.0}
