"""Annotations, drafts and predictions: validated writes and exact counters."""

import random

from sqlalchemy import text

from labelloom.core.db.engine import make_engine

from .helpers import choice, import_texts


async def recount(database_url):
    """Every task's counters recomputed from scratch, to compare with the stored ones."""
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        rows = await conn.execute(text("""
            SELECT t.id, t.total_annotations, t.cancelled_annotations, t.total_predictions, t.is_labeled,
              (SELECT count(*) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled),
              (SELECT count(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled),
              (SELECT count(*) FROM predictions p WHERE p.task_id = t.id),
              t.overlap
            FROM tasks t ORDER BY t.id"""))
        result = rows.all()
    await engine.dispose()
    return result


async def test_counters_stay_exact_under_every_write(client, admin, project, database_url):
    pid = project["id"]
    await client.patch(f"/api/projects/{pid}/", headers=admin.headers, json={"maximum_annotations": 2})
    task_ids = await import_texts(client, admin, pid, [f"t{i}" for i in range(12)])
    rng = random.Random(7)
    annotations, predictions = [], []
    for step in range(80):
        action = rng.choice(["annotate", "skip", "update", "delete", "predict", "unpredict", "cancel_flip"])
        task = rng.choice(task_ids)
        if action in ("annotate", "skip"):
            r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                  params={"was_cancelled": int(action == "skip")},
                                  json={"result": [] if action == "skip" else choice("Positive")})
            assert r.status_code == 201, r.text
            annotations.append(r.json()["id"])
        elif action == "update" and annotations:
            r = await client.patch(f"/api/annotations/{rng.choice(annotations)}/", headers=admin.headers,
                                   json={"result": choice("Negative")})
            assert r.status_code == 200
        elif action == "cancel_flip" and annotations:
            r = await client.patch(f"/api/annotations/{rng.choice(annotations)}/", headers=admin.headers,
                                   json={"was_cancelled": rng.random() < 0.5})
            assert r.status_code == 200
        elif action == "delete" and annotations:
            victim = annotations.pop(rng.randrange(len(annotations)))
            assert (await client.delete(f"/api/annotations/{victim}/", headers=admin.headers)).status_code == 204
        elif action == "predict":
            r = await client.post("/api/predictions/", headers=admin.headers,
                                  json={"task": task, "result": choice("Neutral"), "score": rng.random()})
            assert r.status_code == 201
            predictions.append(r.json()["id"])
        elif action == "unpredict" and predictions:
            victim = predictions.pop(rng.randrange(len(predictions)))
            assert (await client.delete(f"/api/predictions/{victim}/", headers=admin.headers)).status_code == 204
    rows = await recount(database_url)
    for tid, total, cancelled, preds, labeled, real_total, real_cancelled, real_preds, overlap in rows:
        assert (total, cancelled, preds) == (real_total, real_cancelled, real_preds), f"task {tid}"
        assert bool(labeled) == (real_total >= overlap), f"task {tid}"
    project_now = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert project_now["total_annotations_number"] == sum(r[5] for r in rows)
    assert project_now["skipped_annotations_number"] == sum(r[6] for r in rows)
    assert project_now["total_predictions_number"] == sum(r[7] for r in rows)
    assert project_now["num_tasks_with_annotations"] == sum(1 for r in rows if r[5] > 0)
    assert project_now["finished_task_number"] == sum(1 for r in rows if r[5] >= r[8])

    # Deleting tasks (one, then all) keeps the project's stored sums exact too.
    assert (await client.delete(f"/api/tasks/{task_ids[0]}/", headers=admin.headers)).status_code == 204
    rows = await recount(database_url)
    after = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert (after["task_number"], after["total_annotations_number"]) == (len(rows), sum(r[5] for r in rows))
    await client.delete(f"/api/projects/{pid}/tasks/", headers=admin.headers)
    emptied = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert [emptied[k] for k in ("task_number", "total_annotations_number", "skipped_annotations_number",
                                 "total_predictions_number", "finished_task_number", "num_tasks_with_annotations")] == [0] * 6


async def test_rejected_update_leaves_annotation_intact(client, admin, project):
    (task,) = await import_texts(client, admin, project["id"], ["x"])
    created = (await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                 json={"result": choice("Positive")})).json()
    bad = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Nope"]}}]
    r = await client.patch(f"/api/annotations/{created['id']}/", headers=admin.headers, json={"result": bad})
    assert r.status_code == 400 and "result[0]" in r.json()["detail"]
    again = (await client.get(f"/api/annotations/{created['id']}/", headers=admin.headers)).json()
    assert again["result"] == created["result"]


async def test_result_as_json_string_and_empty_result_rule(client, admin, project):
    import json

    (task,) = await import_texts(client, admin, project["id"], ["x"])
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                          json={"result": json.dumps(choice("Neutral"))})
    assert r.status_code == 201 and r.json()["result"][0]["value"]["choices"] == ["Neutral"]
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"enable_empty_annotation": False})
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": []})
    assert r.status_code == 400
    r = await client.post(f"/api/tasks/{task}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
    assert r.status_code == 201 and r.json()["was_cancelled"] is True


async def test_drafts_are_personal_and_removed_on_submit(client, admin, project):
    (task,) = await import_texts(client, admin, project["id"], ["x"])
    draft = (await client.post(f"/api/tasks/{task}/drafts", headers=admin.headers,
                               json={"result": choice("Positive"), "lead_time": 1.5})).json()
    assert draft["user"] == admin.id
    r = await client.patch(f"/api/drafts/{draft['id']}/", headers=admin.headers, json={"result": choice("Negative")})
    assert r.json()["result"][0]["value"]["choices"] == ["Negative"]
    full = (await client.get(f"/api/tasks/{task}/", headers=admin.headers)).json()
    assert [d["id"] for d in full["drafts"]] == [draft["id"]] and full["draft_exists"] is True
    created = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                json={"result": choice("Negative"), "draft_id": draft["id"]})
    assert created.json()["draft_created_at"] is not None
    assert (await client.get(f"/api/drafts/{draft['id']}/", headers=admin.headers)).status_code == 404


async def test_config_change_cannot_orphan_annotations(client, admin, project):
    (task,) = await import_texts(client, admin, project["id"], ["x"])
    await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    without_positive = project["label_config"].replace('<Choice value="Positive"/>', "")
    r = await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"label_config": without_positive})
    assert r.status_code == 400 and "Positive" in r.json()["detail"]
    still = (await client.get(f"/api/projects/{project['id']}/", headers=admin.headers)).json()
    assert still["label_config"] == project["label_config"]
    renamed_unused = project["label_config"].replace('<Choice value="Neutral"/>', '<Choice value="Mixed"/>')
    r = await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"label_config": renamed_unused})
    assert r.status_code == 200
