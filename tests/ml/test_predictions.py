"""Pre-annotation, interactive suggestions, training, active learning and model comparison,
against the real label-studio-ml server (tiny model) and the fault server."""

from __future__ import annotations

from typing import Any

from .conftest import TEXTS, connect, predictions, retrieve, wait_job

CHOICE = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


def expected_score(text: str) -> float:
    return (len(text) % 10) / 10


async def test_retrieve_predictions_for_a_selection_as_a_job(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    chosen = project.task_ids[:3]
    answer = await retrieve(client, admin, project.id, chosen)
    assert answer["processed_items"] == 3 and answer["job"]["function"] == "core.ml_predict"
    job = await wait_job(client, admin, answer["job"]["id"])
    assert job["status"] == "complete" and job["progress"] == 1.0, job
    assert job["result"]["predicted"] == 3 and job["result"]["failed"] == 0
    stored = await predictions(client, admin, project.id)
    assert sorted(p["task"] for p in stored) == chosen
    by_task = {p["task"]: p for p in stored}
    for task_id, text in zip(project.task_ids, TEXTS[:3]):
        p = by_task[task_id]
        assert p["score"] == expected_score(text) and p["model_version"] == backend["model_version"]
        assert p["result"][0]["value"]["choices"] == ["Positive" if "good" in text else "Negative"]
    # Again, for all tasks: the three with this model version's predictions are skipped.
    job = await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
    assert job["result"]["predicted"] == 2 and job["result"]["skipped"] == 3
    assert len(await predictions(client, admin, project.id)) == 5
    state = (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).json()
    assert state["state"] == "CO"
    tasks = (await client.get("/api/tasks/", params={"project": project.id}, headers=admin.headers)).json()
    assert tasks["total_predictions"] == 5


async def test_retrieve_without_a_backend_is_a_400(client: Any, admin: Any, project: Any) -> None:
    response = await client.post("/api/dm/actions/", params={"id": "retrieve_tasks_predictions", "project": project.id},
                                 json={"selectedItems": {"all": True, "excluded": []}}, headers=admin.headers)
    assert response.status_code == 400 and "Model" in response.json()["detail"]


async def test_wrong_length_batch_is_retried_one_task_at_a_time(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    await connect(client, admin, project.id, fault_server.url)
    fault_server.mode = "short"
    job = await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
    assert job["status"] == "complete" and job["result"]["predicted"] == 5, job
    assert fault_server.predict_sizes() == [5, 1, 1, 1, 1, 1]
    assert {p["model_version"] for p in await predictions(client, admin, project.id)} == {"fault-v1"}


async def test_a_failing_backend_fails_the_job_and_keeps_the_error(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    backend = await connect(client, admin, project.id, fault_server.url)
    for mode, needle in [("error", "HTTP 500: model crashed"), ("malformed", "malformed JSON"), ("empty", "0 results for 1 tasks")]:
        fault_server.mode = mode
        job = await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
        assert job["status"] == "failed" and needle in job["error"], (mode, job)
        async with client.app.state.sessionmaker() as db:  # the state without a refresh
            from labelloom.core.ml.models import MLBackend

            row = await db.get(MLBackend, backend["id"])
            assert row.state == "ER" and needle in row.error_message, (mode, row.error_message)
    assert await predictions(client, admin, project.id) == []


async def test_a_slow_backend_times_out_per_its_timeout(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    backend = await connect(client, admin, project.id, fault_server.url, timeout=0.5)
    fault_server.mode, fault_server.delay = "slow", 2.0
    job = await wait_job(client, admin, (await retrieve(client, admin, project.id, project.task_ids[:1]))["job"]["id"])
    assert job["status"] == "failed" and "timed out after 0.5 s" in job["error"], job
    # Opening a task never waits longer than that either, and says why nothing came.
    answer = (await client.post(f"/api/ml/tasks/{project.task_ids[1]}/predictions", headers=admin.headers)).json()
    assert answer["status"] == "error" and "timed out" in answer["error"] and answer["predictions"] == []
    assert backend["id"]


async def test_opening_a_task_predicts_it_once(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    await connect(client, admin, project.id, model_server.url)
    task_id = project.task_ids[0]
    first = (await client.post(f"/api/ml/tasks/{task_id}/predictions", headers=admin.headers)).json()
    assert first["status"] == "predicted" and len(first["predictions"]) == 1
    again = (await client.post(f"/api/ml/tasks/{task_id}/predictions", headers=admin.headers)).json()
    assert again["status"] == "exists" and again["predictions"] == first["predictions"]
    await client.patch(f"/api/projects/{project.id}", json={"show_collab_predictions": False,
                                                             "evaluate_predictions_automatically": False}, headers=admin.headers)
    off = (await client.post(f"/api/ml/tasks/{project.task_ids[1]}/predictions", headers=admin.headers)).json()
    assert off["status"] == "off" and off["predictions"] == []


async def test_project_model_version_picks_what_annotators_see(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    await connect(client, admin, project.id, model_server.url)
    task_id = project.task_ids[0]
    response = await client.post(f"/api/projects/{project.id}/import/predictions",
                                 json=[{"task": task_id, "result": CHOICE, "score": 0.1, "model_version": "old"}], headers=admin.headers)
    assert response.status_code in (200, 201), response.text
    seen = (await client.post(f"/api/ml/tasks/{task_id}/predictions", headers=admin.headers)).json()
    assert seen["status"] == "predicted" and {p["model_version"] for p in seen["predictions"]} != {"old"}
    await client.patch(f"/api/projects/{project.id}", json={"model_version": "old"}, headers=admin.headers)
    seen = (await client.post(f"/api/ml/tasks/{task_id}/predictions", headers=admin.headers)).json()
    assert [p["model_version"] for p in seen["predictions"]] == ["old"]


async def test_interactive_suggestion_uses_label_studio_context(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url, is_interactive=True)
    task_id = project.task_ids[4]  # "Acme hired Acme staff"
    drawn = {"id": "k1", "from_name": "ner", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 4, "text": "Acme", "labels": ["ORG"]}}
    response = await client.post(f"/api/ml/{backend['id']}/interactive-annotating",
                                 json={"task": task_id, "context": {"result": [drawn]}}, headers=admin.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [(r["value"]["start"], r["value"]["labels"]) for r in data["result"]] == [(0, ["ORG"]), (11, ["ORG"])]
    assert data["score"] == 0.9
    # A task of another project, or no task, is a 400; a non-interactive backend answers errors.
    bad = await client.post(f"/api/ml/{backend['id']}/interactive-annotating", json={"context": {}}, headers=admin.headers)
    assert bad.status_code == 400 and "task" in bad.json()["validation_errors"]
    await client.patch(f"/api/ml/{backend['id']}", json={"is_interactive": False}, headers=admin.headers)
    refused = (await client.post(f"/api/ml/{backend['id']}/interactive-annotating",
                                 json={"task": task_id, "context": {"result": [drawn]}}, headers=admin.headers)).json()
    assert "errors" in refused and "not interactive" in refused["errors"][0]


async def test_interactive_errors_are_200_with_errors(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    backend = await connect(client, admin, project.id, fault_server.url, is_interactive=True)
    fault_server.mode = "error"
    response = await client.post(f"/api/ml/{backend['id']}/interactive-annotating",
                                 json={"task": project.task_ids[0], "context": {"result": []}}, headers=admin.headers)
    assert response.status_code == 200 and "HTTP 500" in response.json()["errors"][0]


async def test_predict_test_asks_for_one_task(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    answer = (await client.post(f"/api/ml/{backend['id']}/predict/test", headers=admin.headers)).json()
    assert answer["task"] in project.task_ids and len(answer["results"]) == 1
    assert await predictions(client, admin, project.id) == []  # a check stores nothing


async def test_start_training_reaches_the_backend_webhook(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    import asyncio
    import time

    # label-studio-ml names a trained version by the second its job started (the module's
    # server may have trained in this very second for the other database): start in a new one.
    await asyncio.sleep(1.05 - time.time() % 1)
    response = await client.post(f"/api/ml/{backend['id']}/train", json={}, headers=admin.headers)
    assert response.status_code == 200, response.text
    event = model_server.wait_for_event("START_TRAINING")
    assert event["data"]["project"]["id"] == project.id and "<Choices" in event["data"]["project"]["label_config"]
    # The trained model reports a new version at /setup; the backend and the project follow it.
    for _ in range(100):
        state = (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).json()
        if state["model_version"] != backend["model_version"]:
            break
        await asyncio.sleep(0.2)
    # (the module's model server may have trained before: any of its jobs, but a new version)
    assert state["model_version"] != backend["model_version"]
    assert state["model_version"] in {e["job_id"] for e in model_server.events()}, state
    shown = (await client.get(f"/api/projects/{project.id}", headers=admin.headers)).json()
    assert shown["model_version"] == state["model_version"]


async def test_annotations_reach_the_backend_and_every_nth_starts_training(
    client: Any, admin: Any, project: Any, fault_server: Any,
) -> None:
    await connect(client, admin, project.id, fault_server.url)
    await client.patch(f"/api/projects/{project.id}", json={"min_annotations_to_start_training": 2}, headers=admin.headers)
    for task_id in project.task_ids[:2]:
        response = await client.post(f"/api/tasks/{task_id}/annotations", json={"result": CHOICE}, headers=admin.headers)
        assert response.status_code == 201, response.text
    import asyncio

    for _ in range(100):
        bodies = [body for path, body in fault_server.requests if path == "/webhook"]
        actions = [b["action"] for b in bodies]
        if actions.count("ANNOTATION_CREATED") == 2 and "START_TRAINING" in actions:
            break
        await asyncio.sleep(0.1)
    assert actions.count("ANNOTATION_CREATED") == 2 and actions.count("START_TRAINING") == 1, actions


async def test_uncertainty_sampling_uses_the_current_versions_scores(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
    # An older model thought "bad weather today" most uncertain; the current one says "a good day".
    await client.post(f"/api/projects/{project.id}/import/predictions",
                      json=[{"task": project.task_ids[1], "result": CHOICE, "score": -5, "model_version": "old"}], headers=admin.headers)
    await client.patch(f"/api/projects/{project.id}", json={"sampling": "Uncertainty sampling",
                                                             "model_version": backend["model_version"]}, headers=admin.headers)
    task = (await client.get(f"/api/projects/{project.id}/next", headers=admin.headers)).json()
    assert task["data"]["text"] == "a good day", task["data"]


async def test_model_versions_compare_scores_and_agreement(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
    await client.post(f"/api/projects/{project.id}/import/predictions",
                      json=[{"task": t, "result": CHOICE, "score": 1.0, "model_version": "always-positive"} for t in project.task_ids],
                      headers=admin.headers)
    # Annotators: the first two tasks Positive (model: Positive, Negative), the third Negative (model: Positive).
    truth = {project.task_ids[0]: "Positive", project.task_ids[1]: "Positive", project.task_ids[2]: "Negative"}
    for task_id, label in truth.items():
        result = [{**CHOICE[0], "value": {"choices": [label]}}]
        response = await client.post(f"/api/tasks/{task_id}/annotations", json={"result": result, "ground_truth": task_id == project.task_ids[0]},
                                     headers=admin.headers)
        assert response.status_code == 201, response.text
    stats = (await client.get(f"/api/projects/{project.id}/model-versions/stats", headers=admin.headers)).json()
    by_version = {v["model_version"]: v for v in stats["versions"]}
    tiny = by_version[backend["model_version"]]
    assert tiny["predictions"] == 5 and tiny["compared"] == 3
    assert abs(tiny["mean_score"] - sum(expected_score(t) for t in TEXTS) / 5) < 1e-9
    # tiny: task0 Positive=Positive, task1 Negative≠Positive, task2 Positive≠Negative.
    assert abs(tiny["agreement"] - 1 / 3) < 1e-9 and tiny["ground_truth_agreement"] == 1.0
    always = by_version["always-positive"]
    assert abs(always["agreement"] - 2 / 3) < 1e-9 and always["mean_score"] == 1.0


async def test_data_manager_filters_and_sorts_by_one_versions_score(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url)
    version = backend["model_version"]
    await wait_job(client, admin, (await retrieve(client, admin, project.id))["job"]["id"])
    await client.post(f"/api/projects/{project.id}/import/predictions",
                      json=[{"task": t, "result": CHOICE, "score": 0.99, "model_version": "other"} for t in project.task_ids],
                      headers=admin.headers)
    columns = (await client.get("/api/dm/columns/", params={"project": project.id}, headers=admin.headers)).json()["columns"]
    ids = {c["id"] for c in columns}
    assert f"predictions_score.{version}" in ids and "predictions_score.other" in ids
    import json

    query = {"filters": {"conjunction": "and", "items": [
        {"filter": f"filter:tasks:predictions_score.{version}", "operator": "less", "type": "Number", "value": 0.5}]},
        "ordering": [f"-tasks:predictions_score.{version}"]}
    listed = (await client.get("/api/tasks/", params={"project": project.id, "query": json.dumps(query)}, headers=admin.headers)).json()
    scores = [expected_score(t["data"]["text"]) for t in listed["tasks"]]
    assert scores == sorted((s for s in map(expected_score, TEXTS) if s < 0.5), reverse=True), scores
