"""Filtered totals stay exact whatever changes (cached per project revision on PostgreSQL), and
the data keys a page filters or sorts on get their statistics and sort index."""

import asyncio
import json

import pytest
from sqlalchemy import text

from labelloom.core.datamanager import totals, tuning

from .conftest import f
from tests.api.helpers import choice


async def page(client, admin, project_id, items, selected=None):
    query = {"filters": {"conjunction": "and", "items": list(items)}}
    if selected is not None:
        query["selectedItems"] = selected
    r = await client.get("/api/tasks/", headers=admin.headers, params={"project": project_id, "query": json.dumps(query)})
    assert r.status_code == 200, r.text
    return r.json()


async def total(client, admin, project_id, *items):
    return (await page(client, admin, project_id, items))["total"]


@pytest.fixture
def cache_hits(monkeypatch):
    hits = []
    original = totals.TotalsCache.get

    def get(self, key, revision):
        found = original(self, key, revision)
        hits.append(found is not None)
        return found

    monkeypatch.setattr(totals.TotalsCache, "get", get)
    return hits


async def test_filtered_totals_follow_every_kind_of_change(client, admin, seeded, database_url, cache_hits):
    pid, ids, h = seeded["project"]["id"], seeded["ids"], admin.headers

    async def check(item, before, change, after):
        assert await total(client, admin, pid, item) == before
        assert await total(client, admin, pid, item) == before  # served from the cache on PostgreSQL
        await change()
        assert await total(client, admin, pid, item) == after

    # Task data.
    await check(f("data.text", "contains", "pie"), 1,
                lambda: ok_(client.patch(f"/api/tasks/{ids[1]}", headers=h, json={"data": {"text": "pie again"}})), 2)
    # Annotation results.
    annotation = (await client.get(f"/api/tasks/{ids[0]}/annotations/", headers=h)).json()[0]["id"]
    await check(f("annotations_results", "contains", "Neutral"), 1,
                lambda: ok_(client.patch(f"/api/annotations/{annotation}/", headers=h, json={"result": choice("Neutral")})), 2)
    # Drafts.
    await check(f("draft_exists", "equal", True, "Boolean"), 1,
                lambda: ok_(client.post(f"/api/tasks/{ids[3]}/drafts", headers=h, json={"result": choice("Positive")})), 2)
    # Predictions.
    await check(f("total_predictions", "greater", 0, "Number"), 1,
                lambda: ok_(client.post("/api/predictions/", headers=h, json={"task": ids[0], "result": choice("Positive")})), 2)
    # Imported and deleted tasks.
    await check(f("data.text", "contains", "pie"), 2,
                lambda: ok_(client.post(f"/api/projects/{pid}/import", headers=h, json=[{"text": "more pie"}])), 3)
    await check(f("data.text", "contains", "pie"), 3,
                lambda: ok_(client.delete(f"/api/tasks/{ids[1]}", headers=h)), 2)
    if database_url.startswith("postgresql"):
        assert cache_hits.count(True) >= 6  # each second read of an unchanged project
    else:
        assert cache_hits == []  # SQLite always counts


async def ok_(request):
    response = await request
    assert response.status_code < 300, response.text


async def test_the_cache_is_per_filter_and_selection(client, admin, seeded):
    pid, ids = seeded["project"]["id"], seeded["ids"]
    item = f("total_annotations", "greater", 0, "Number")
    assert await total(client, admin, pid, item) == 2
    body = await page(client, admin, pid, [item], selected={"all": True, "excluded": [ids[0]]})
    assert body["total"] == 1
    assert await total(client, admin, pid, f("total_annotations", "greater", 1, "Number")) == 1


async def _wait_for(conn, sql, timeout=20.0):
    for _ in range(int(timeout / 0.1)):
        if (await conn.execute(text(sql))).scalar():
            return True
        await conn.rollback()
        await asyncio.sleep(0.1)
    return False


async def test_sorting_on_a_data_key_builds_its_index_and_statistics(database_url, admin, client, seeded, monkeypatch):
    monkeypatch.setattr(tuning, "_requested", type(tuning._requested)())
    pid = seeded["project"]["id"]
    key = "it's:a%b"  # quoting, a colon (bind-parameter syntax) and a percent sign
    h = admin.headers
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=h,
                          json=[{"text": "x", key: n} for n in (3, 1, 2)])
    new = r.json()["task_ids"]
    query = {"filters": {"conjunction": "and", "items": [f(f"data.{key}", "greater", 0, "Number")]},
             "ordering": [f"-tasks:data.{key}"]}
    r = await client.get("/api/tasks/", headers=h, params={"project": pid, "query": json.dumps(query)})
    assert [t["id"] for t in r.json()["tasks"]] == [new[0], new[2], new[1]]
    if not database_url.startswith("postgresql"):
        assert not any(tuning._requested.values())  # SQLite sorts without expression indexes
        return

    from labelloom.core.db.engine import make_engine

    engine = make_engine(database_url)
    async with engine.connect() as conn:
        name, stats = tuning.index_name(key), tuning.statistics_name(key)
        assert await _wait_for(conn, f"SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                     f"WHERE c.relname = '{name}' AND i.indisvalid")
        assert await _wait_for(conn, f"SELECT count(*) FROM pg_statistic_ext WHERE stxname = '{stats}'")
        await conn.execute(text("SET enable_seqscan = off"))
        # Driver SQL: the key's ":a" must not read as a bind parameter.
        plan = "\n".join(row[0] for row in await conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM tasks WHERE project_id = 1 ORDER BY data -> 'it''s:a%b' DESC LIMIT 5"))
        assert name in plan
    await engine.dispose()
    r = await client.get("/api/tasks/", headers=h, params={"project": pid, "query": json.dumps(query)})
    assert [t["id"] for t in r.json()["tasks"]] == [new[0], new[2], new[1]]


# The budget and rebuild of invalid indexes: tests/api/test_hardening_tuning.py (issue 16).
