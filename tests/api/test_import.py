"""Import: every format, all-or-nothing, errors that say where."""

import asyncio
import io

from .helpers import choice, import_texts


async def count_tasks(client, admin, project_id):
    return (await client.get(f"/api/projects/{project_id}/", headers=admin.headers)).json()["task_number"]


async def upload(client, admin, project_id, name, content, **params):
    return await client.post(f"/api/projects/{project_id}/import", headers=admin.headers, params=params,
                             files={"file": (name, io.BytesIO(content))})


async def test_json_list_and_object(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json={"text": "one"})
    assert r.status_code == 201 and r.json()["task_count"] == 1
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          json=[{"text": "two"}, {"data": {"text": "three"}, "meta": {"source": "x"}}])
    body = r.json()
    assert body["task_count"] == 2 and body["data_columns"] == ["text"]
    tasks = (await client.get("/api/tasks", params={"project": pid}, headers=admin.headers)).json()["tasks"]
    assert [t["data"]["text"] for t in tasks] == ["one", "two", "three"]
    assert [t["inner_id"] for t in tasks] == [1, 2, 3]
    assert tasks[2]["meta"] == {"source": "x"}


async def test_csv_with_detected_separator_and_numbers(client, admin, project):
    r = await upload(client, admin, project["id"], "reviews.csv", b"text;stars\nnice;5\n\"semi;colon\";4.5\n")
    assert r.status_code == 201, r.text
    assert r.json()["found_formats"] == {".csv": 1} and r.json()["could_be_tasks_list"] is True
    tasks = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    assert [t["data"] for t in tasks] == [{"text": "nice", "stars": 5}, {"text": "semi;colon", "stars": 4.5}]


async def test_tsv_jsonl_and_txt(client, admin, project):
    pid = project["id"]
    assert (await upload(client, admin, pid, "a.tsv", b"text\tid2\nx\t1\n")).status_code == 201
    assert (await upload(client, admin, pid, "b.jsonl", b'{"text": "y"}\n\n{"data": {"text": "z"}}\n')).status_code == 201
    assert (await upload(client, admin, pid, "c.txt", b"line one\nline two\n")).status_code == 201
    tasks = (await client.get("/api/tasks", params={"project": pid}, headers=admin.headers)).json()["tasks"]
    assert [t["data"]["text"] for t in tasks] == ["x", "y", "z", "line one", "line two"]


async def test_bad_row_names_line_and_changes_nothing(client, admin, project):
    pid = project["id"]
    r = await upload(client, admin, pid, "bad.csv", b"text\nfine\nalso fine\n")
    assert r.status_code == 201
    r = await upload(client, admin, pid, "bad.jsonl", b'{"text": "ok"}\n{"text": "ok"}\n{"text": \n')
    assert r.status_code == 400 and "bad.jsonl line 3" in r.json()["detail"]
    r = await upload(client, admin, pid, "short.csv", b"text,other\nonly one column\n")
    assert r.status_code == 400 and "short.csv line 2" in r.json()["detail"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          json=[{"text": "ok"}, {"data": {"text": "x"}, "annotations": [{"result": choice("Angry")}]}])
    assert r.status_code == 400
    assert "item 1" in r.json()["detail"] and "annotations[0]" in r.json()["detail"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=[{"text": "ok"}, {"body": "x"}])
    assert r.status_code == 400 and r.json()["detail"].startswith("item 1:") and '"text"' in r.json()["detail"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, content=b"[{", )
    assert r.status_code == 400
    assert await count_tasks(client, admin, pid) == 2


async def test_unsupported_file_is_refused(client, admin, project):
    r = await upload(client, admin, project["id"], "notes.docx", b"zzz")
    assert r.status_code == 400 and ".docx" in r.json()["detail"]


async def test_imported_annotations_and_users(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=[
        {"data": {"text": "a"}, "annotations": [
            {"result": choice("Positive"), "completed_by": {"email": admin.email}, "lead_time": 2},
            {"result": [], "was_cancelled": True, "ground_truth": False},
        ]},
    ])
    assert r.status_code == 201 and r.json()["annotation_count"] == 2
    task = (await client.get("/api/tasks", params={"project": pid, "fields": "all"}, headers=admin.headers)).json()["tasks"][0]
    assert task["total_annotations"] == 1 and task["cancelled_annotations"] == 1 and task["is_labeled"]
    first, second = task["annotations"]
    assert first["ground_truth"] is True and first["completed_by"] == admin.id and first["lead_time"] == 2
    assert second["was_cancelled"] is True and second["ground_truth"] is False
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=[
        {"data": {"text": "b"}, "annotations": [{"result": [], "completed_by": {"email": "ghost@example.com"}}]}])
    assert r.status_code == 400 and "ghost@example.com" in r.json()["detail"]


async def test_prediction_shorthands_and_import_predictions(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=[
        {"data": {"text": "a"}, "predictions": [{"result": "Negative", "score": 0.3}]},
        {"data": {"text": "b"}, "predictions": [{"result": {"choices": ["Positive"]}}]},
    ])
    assert r.status_code == 201, r.text
    tasks = (await client.get("/api/tasks", params={"project": pid, "fields": "all"}, headers=admin.headers)).json()["tasks"]
    assert tasks[0]["predictions"][0]["result"][0]["value"]["choices"] == ["Negative"]
    assert tasks[1]["predictions"][0]["result"][0]["from_name"] == "sentiment"
    assert tasks[0]["predictions"][0]["model_version"] == "undefined"
    ids = [t["id"] for t in tasks]
    r = await client.post(f"/api/projects/{pid}/import/predictions", headers=admin.headers,
                          json=[{"task": ids[0], "result": choice("Neutral"), "score": 0.5, "model_version": "m2"}])
    assert r.status_code == 201 and r.json() == {"created": 1}
    versions = (await client.get(f"/api/projects/{pid}/model-versions/", headers=admin.headers)).json()
    assert versions == {"m2": 1, "undefined": 2}
    r = await client.post(f"/api/projects/{pid}/import/predictions", headers=admin.headers,
                          json=[{"task": 999999, "result": choice("Neutral")}])
    assert r.status_code == 400 and "item 0" in r.json()["detail"]


async def test_preannotated_from_fields(client, admin, project):
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import?preannotated_from_fields=label", headers=admin.headers,
                          json=[{"text": "a", "label": "Positive"}])
    assert r.status_code == 201 and r.json()["prediction_count"] == 1
    task = (await client.get("/api/tasks", params={"project": pid, "fields": "all"}, headers=admin.headers)).json()["tasks"][0]
    assert task["data"] == {"text": "a"}
    assert task["predictions"][0]["result"][0]["value"] == {"choices": ["Positive"]}


async def test_delete_all_tasks(client, admin, project):
    await import_texts(client, admin, project["id"], ["a", "b", "c"])
    r = await client.delete(f"/api/projects/{project['id']}/tasks/", headers=admin.headers)
    assert r.status_code == 204
    assert await count_tasks(client, admin, project["id"]) == 0


async def test_tricky_characters_round_trip(client, admin, project):
    texts = ["tab\there", "new\nline", "back\\slash \\N", "quote \" and 'single'", "ünïcødé ✓ 😀", "\\t literal", ""]
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          json=[{"data": {"text": t, "nested": {"k": [t, None, 1.5]}}, "meta": {"m": t},
                                 "annotations": [{"result": choice("Positive"), "lead_time": 1}]} for t in texts])
    assert r.status_code == 201, r.text
    tasks = (await client.get("/api/tasks", params={"project": project["id"], "fields": "all"}, headers=admin.headers)).json()["tasks"]
    assert [t["data"] for t in tasks] == [{"text": t, "nested": {"k": [t, None, 1.5]}} for t in texts]
    assert [t["meta"] for t in tasks] == [{"m": t} for t in texts]
    assert all(t["annotations"][0]["result"] == choice("Positive") for t in tasks)
    assert all(t["completed_at"] is not None for t in tasks)


async def test_big_imports_refresh_the_planner_statistics(client, admin, project, database_url, monkeypatch):
    """After a bulk import PostgreSQL plans the new rows with fresh statistics (the export's
    per-batch lookups and the data manager's pages depend on them); SQLite has nothing to do."""
    from sqlalchemy import text

    from labelloom.core.db.engine import make_engine
    from labelloom.core.imports import service

    monkeypatch.setattr(service, "ANALYZE_AFTER", 50)
    engine = make_engine(database_url) if database_url.startswith("postgresql") else None
    if engine is not None:
        async with engine.connect() as conn:
            started = (await conn.execute(text("SELECT now()"))).scalar()
    tasks = [{"data": {"text": f"t{i}"}, "annotations": [{"result": []}]} for i in range(60)]
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers, json=tasks)
    assert r.status_code == 201, r.text
    if engine is None:
        return
    expected = {"tasks": True, "annotations": True, "predictions": False}  # no predictions came
    for _ in range(100):  # ANALYZE runs after the commit, and PostgreSQL publishes its statistics lazily
        async with engine.connect() as conn:
            analysed = dict((await conn.execute(text(
                "SELECT relname, coalesce(last_analyze > :started, false) FROM pg_stat_user_tables "
                "WHERE relname IN ('tasks', 'annotations', 'predictions')"), {"started": started})).all())
        if analysed == expected:
            break
        await asyncio.sleep(0.1)
    await engine.dispose()
    assert analysed == expected
