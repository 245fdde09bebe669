"""Data-manager actions: listing, set-based runs on a selection, counters and events."""

import asyncio
import time
from importlib.metadata import entry_points

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from labelloom.core.db.engine import make_engine
from labelloom.core.manager import build_plugin_host
from labelloom.core.plugin import ActionSpec
from labelloom.core.testing import plugin_module
from tests.api.helpers import TEXT_CONFIG, choice
from tests.api.test_annotations import recount

from .conftest import f


async def assert_counters_exact(client, admin, project_id, database_url):
    rows = await recount(database_url)
    for tid, total, cancelled, preds, labeled, real_total, real_cancelled, real_preds, overlap in rows:
        assert (total, cancelled, preds) == (real_total, real_cancelled, real_preds), f"task {tid}"
        assert bool(labeled) == (real_total >= overlap), f"task {tid}"
    project = (await client.get(f"/api/projects/{project_id}/", headers=admin.headers)).json()
    assert project["task_number"] == len(rows)
    assert project["total_annotations_number"] == sum(r[5] for r in rows)
    assert project["skipped_annotations_number"] == sum(r[6] for r in rows)
    assert project["total_predictions_number"] == sum(r[7] for r in rows)


async def run(client, admin, project_id, action, body=None, **params):
    r = await client.post("/api/dm/actions/", headers=admin.headers,
                          params={"id": action, "project": project_id, **params}, json=body or {})
    assert r.status_code == 200, r.text
    return r.json()


async def scalar(database_url, sql):
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        value = (await conn.execute(text(sql))).scalar()
    await engine.dispose()
    return value


async def test_list_actions(client, admin, seeded):
    r = await client.get("/api/dm/actions/", headers=admin.headers, params={"project": seeded["project"]["id"]})
    ids = [a["id"] for a in r.json()]
    # Label Studio's menu order (retrieve_tasks_predictions: 90, from core/ml)
    assert ids[:3] == ["retrieve_tasks_predictions", "predictions_to_annotations", "remove_duplicates"]
    assert ids[3:7] == ["delete_tasks", "delete_tasks_annotations", "delete_tasks_predictions", "delete_tasks_drafts"]
    assert {"mark_ground_truth", "delete_ground_truths"} <= set(ids)
    assert set(r.json()[0]) >= {"id", "title", "order", "permission", "experimental", "dialog"}


async def test_delete_tasks_included(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    body = await run(client, admin, p, "delete_tasks", {"selectedItems": {"all": False, "included": [ids[0], ids[2]]}})
    assert body == {"processed_items": 2, "detail": "Deleted 2 tasks", "reload": True}
    listed = (await client.get("/api/tasks/", headers=admin.headers, params={"project": p})).json()
    assert [t["id"] for t in listed["tasks"]] == [ids[1], ids[3], ids[4]]
    assert (listed["total"], listed["total_annotations"], listed["total_predictions"]) == (3, 0, 0)
    await assert_counters_exact(client, admin, p, database_url)
    assert await scalar(database_url, "SELECT count(*) FROM annotations") == 1  # the skipped one of task 1


async def test_delete_tasks_filtered_all_but_excluded(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    body = {"filters": {"conjunction": "and", "items": [f("data.flag", "exists", None, "Boolean")]},
            "selectedItems": {"all": True, "excluded": [ids[0]]}}
    assert (await run(client, admin, p, "delete_tasks", body))["processed_items"] == 3
    listed = (await client.get("/api/tasks/", headers=admin.headers, params={"project": p})).json()
    assert [t["id"] for t in listed["tasks"]] == [ids[0], ids[4]]
    await assert_counters_exact(client, admin, p, database_url)


async def test_delete_annotations_predictions_drafts_keep_counters_exact(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    every = {"selectedItems": {"all": True, "excluded": []}}
    assert (await run(client, admin, p, "delete_tasks_annotations", {"selectedItems": {"all": False, "included": [ids[0]]}}))["processed_items"] == 2
    await assert_counters_exact(client, admin, p, database_url)
    task = (await client.get(f"/api/tasks/{ids[0]}", headers=admin.headers)).json()
    assert (task["total_annotations"], task["is_labeled"]) == (0, False)
    assert (await run(client, admin, p, "delete_tasks_predictions", every))["processed_items"] == 1
    await assert_counters_exact(client, admin, p, database_url)
    assert (await client.get(f"/api/tasks/{ids[2]}", headers=admin.headers)).json()["predictions_score"] is None
    assert (await run(client, admin, p, "delete_tasks_drafts", every))["processed_items"] == 1
    assert await scalar(database_url, "SELECT count(*) FROM drafts") == 0
    assert (await run(client, admin, p, "delete_tasks_annotations", every))["processed_items"] == 2
    await assert_counters_exact(client, admin, p, database_url)
    assert await scalar(database_url, "SELECT count(*) FROM annotations") == 0


async def test_ground_truth(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    assert (await run(client, admin, p, "mark_ground_truth"))["processed_items"] == 2  # tasks 0 and 2
    assert await scalar(database_url, "SELECT count(*) FROM annotations WHERE ground_truth") == 2
    assert (await run(client, admin, p, "delete_ground_truths", {"selectedItems": {"all": False, "included": [ids[0]]}}))["processed_items"] == 1
    assert await scalar(database_url, "SELECT count(*) FROM annotations WHERE ground_truth") == 1


async def test_actions_apply_a_view(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    view = (await client.post("/api/dm/views/", headers=admin.headers, json={"project": p, "data": {
        "title": "labeled", "filters": {"conjunction": "and", "items": [f("total_annotations", "greater", 0, "Number")]}}})).json()
    r = await client.post("/api/dm/actions/", headers=admin.headers, params={"id": "delete_tasks", "view": view["id"]}, json={})
    assert r.json()["processed_items"] == 2
    assert [t["id"] for t in (await client.get("/api/tasks/", headers=admin.headers, params={"project": p})).json()["tasks"]] == [ids[1], ids[3], ids[4]]
    await assert_counters_exact(client, admin, p, database_url)


def host_with(**plugins):
    built_ins = {ep.name: ep.load() for ep in entry_points(group="labelloom") if ep.dist and ep.dist.name == "labelloom"}
    return build_plugin_host(modules={**built_ins, **plugins})


async def test_events_recorded(make_app, admin):
    seen = []
    recorder = plugin_module("recorder", labelloom_on_event=lambda event, payload: seen.append((event, payload)))
    async with AsyncTestClient(make_app(host=host_with(recorder=recorder))) as client:
        h = admin.headers
        pid = (await client.post("/api/projects/", headers=h, json={"title": "E", "label_config": TEXT_CONFIG})).json()["id"]
        ids = (await client.post(f"/api/projects/{pid}/import?return_task_ids=1", headers=h,
                                 json=[{"text": "a"}, {"text": "b"}])).json()["task_ids"]
        annotation = (await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=h, json={"result": choice("Positive")})).json()
        await run(client, admin, pid, "delete_tasks_annotations", {"selectedItems": {"all": False, "included": [ids[0]]}})
        await run(client, admin, pid, "delete_tasks")
        deadline = time.monotonic() + 10
        while len(seen) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
    events = [(name, payload) for name, payload in seen if name.endswith("_DELETED")]
    assert [name for name, _ in events] == ["ANNOTATIONS_DELETED", "TASKS_DELETED"]
    assert events[0][1]["annotations"] == [{"id": annotation["id"]}]
    assert events[1][1]["tasks"] == [{"id": i} for i in ids]


async def test_plugins_add_actions(make_app, admin):
    async def count_selected(context):
        from sqlalchemy import func, select

        n = (await context.db.execute(select(func.count()).select_from(context.selected_ids().subquery()))).scalar()
        return {"processed_items": n, "detail": f"{n} selected"}

    plugin = plugin_module("counter", labelloom_register_actions=
        lambda registry: registry.add(ActionSpec(name="count_selected", title="Count", function=count_selected, order=1)))
    async with AsyncTestClient(make_app(host=host_with(counter=plugin))) as client:
        h = admin.headers
        pid = (await client.post("/api/projects/", headers=h, json={"title": "E", "label_config": TEXT_CONFIG})).json()["id"]
        await client.post(f"/api/projects/{pid}/import", headers=h, json=[{"text": "a"}, {"text": "b"}, {"text": "c"}])
        listed = (await client.get("/api/dm/actions/", headers=h, params={"project": pid})).json()
        assert listed[0]["id"] == "count_selected"
        body = await run(client, admin, pid, "count_selected", {"filters": {"conjunction": "and", "items": [
            f("data.text", "not_equal", "b")]}})
        assert body == {"processed_items": 2, "detail": "2 selected", "reload": False}


async def test_unknown_action_and_bad_body(client, admin, seeded):
    p = seeded["project"]["id"]
    r = await client.post("/api/dm/actions/", headers=admin.headers, params={"id": "nope", "project": p}, json={})
    assert r.status_code == 404
    r = await client.post("/api/dm/actions/", headers=admin.headers, params={"id": "delete_tasks", "project": p},
                          json={"filters": {"conjunction": "and", "items": [f("nope", "equal", 1)]}})
    assert r.status_code == 400 and "filter:tasks:nope" in r.json()["detail"]
