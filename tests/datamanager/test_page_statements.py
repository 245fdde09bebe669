"""Issue 17: a data-manager page reads its rows and the project's counters in one statement,
takes its totals from the counters when they show that every task matches the filters, and
puts only filters that can be slow per task under the time budget. Same answers as counting,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import and_, func, select

from labelloom.core.datamanager import implied, selection
from labelloom.core.datamanager.query import DMQuery, parse_query

from .conftest import f
from tests.api.helpers import TEXT_CONFIG, choice

TASKS = 5


@pytest.fixture
async def fresh(client, admin):
    """A project of five tasks nobody has labeled, and nothing predicted."""
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "fresh", "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers,
                          json=[{"text": f"t{i}", "n": i} for i in range(TASKS)])
    assert r.status_code == 201, r.text
    return pid, r.json()["task_ids"]


@pytest.fixture
def budgets(monkeypatch):
    """What ran under time_limit, by the 400's description."""
    named: list[str] = []
    original = selection.time_limit

    @asynccontextmanager
    async def spy(db, seconds, what):
        named.append(what)
        async with original(db, seconds, what):
            yield

    monkeypatch.setattr(selection, "time_limit", spy)
    return named


async def get_page(client, admin, pid, items=(), conjunction="and", page_size=2, page=1, expect=200):
    params = {"project": pid, "page_size": page_size, "page": page}
    if items:
        params["query"] = json.dumps({"filters": {"conjunction": conjunction, "items": list(items)}})
    r = await client.get("/api/tasks/", headers=admin.headers, params=params)
    assert r.status_code == expect, r.text
    return r.json()


def counts(seen):
    return [s for s in seen if "count(*)" in s]


async def test_a_page_and_its_counters_are_one_statement(client, admin, fresh, statements):
    pid, ids = fresh
    body = await get_page(client, admin, pid)
    assert [t["id"] for t in body["tasks"]] == ids[:2] and body["total"] == TASKS
    assert not [s for s in statements if s.startswith("SELECT project_counters.")]
    assert len([s for s in statements if "FROM tasks" in s]) == 1


async def test_empty_pages_and_unknown_projects_answer_as_before(client, admin, fresh):
    pid, _ = fresh
    assert (await get_page(client, admin, pid, page=9, expect=404))["detail"] == "Invalid page."
    none = await get_page(client, admin, pid, [f("total_annotations", "greater", 0, "Number")])
    assert none["tasks"] == [] and none["total"] == 0
    missing = await get_page(client, admin, 999_999, expect=404)
    assert "999999" in missing["detail"]
    # a bad filter on an unknown project: the project's 404 comes first
    await get_page(client, admin, 999_999, [f("no_such_column", "equal", 1, "Number")], expect=404)
    await get_page(client, admin, pid, [f("no_such_column", "equal", 1, "Number")], expect=400)
    bad_cursor = await client.get("/api/tasks/", headers=admin.headers, params={"project": 999_999, "cursor": "x"})
    assert bad_cursor.status_code == 404, bad_cursor.text


async def test_the_counters_answer_a_filter_every_task_meets(client, admin, fresh, statements):
    pid, ids = fresh
    unlabeled = f("total_annotations", "equal", 0, "Number")
    body = await get_page(client, admin, pid, [unlabeled])
    assert body["total"] == TASKS and body["total_exact"] is True
    assert counts(statements) == []  # no count over the tasks
    # once a task is annotated the counters no longer tell: counted, and right
    r = await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201, r.text
    statements.clear()
    body = await get_page(client, admin, pid, [f("total_annotations", "equal", 0, "Number"), f("is_labeled", "equal", False, "Boolean")])
    assert body["total"] == TASKS - 1
    assert len(counts(statements)) == 1


async def test_only_filters_that_can_be_slow_get_the_time_budget(client, admin, fresh, budgets, statements):
    pid, _ = fresh
    await get_page(client, admin, pid, [f("total_annotations", "less", 3, "Number"), f("id", "greater", 0, "Number")])
    assert budgets == []
    assert not [s for s in statements if "statement_timeout" in s]
    await get_page(client, admin, pid, [f("data.text", "contains", "t1")])
    await get_page(client, admin, pid, [f("file_upload", "contains", "x")])
    await get_page(client, admin, pid, [f("annotators", "in_list", [1], "List")])
    assert budgets == [
        "Filtering by filters.items[0] (data.text contains)",
        "Filtering by filters.items[0] (file_upload contains)",
        "Filtering by filters.items[0] (annotators in_list)",
    ]


# Filters on a project where no task has annotations, cancellations or predictions, and none is
# labeled: whether every task meets each (None: the counters are not asked, a count decides).
ITEMS = [
    (f("total_annotations", "equal", 0, "Number"), True),
    (f("total_annotations", "equal", "0", "Number"), True),
    (f("total_annotations", "equal", 1, "Number"), False),
    (f("total_annotations", "not_equal", 0, "Number"), False),
    (f("total_annotations", "not_equal", 2, "Number"), True),
    (f("total_annotations", "less", 1, "Number"), True),
    (f("total_annotations", "less", 0, "Number"), False),
    (f("total_annotations", "greater", 0, "Number"), False),
    (f("total_annotations", "greater_or_equal", 0, "Number"), True),
    (f("total_annotations", "less_or_equal", -0.5, "Number"), False),
    (f("total_annotations", "in", {"min": 0, "max": 3}, "Number"), True),
    (f("total_annotations", "in", {"min": 1}, "Number"), False),
    (f("total_annotations", "not_in", {"min": 1, "max": 3}, "Number"), True),
    (f("total_annotations", "in_list", [0, 2], "Number"), True),
    (f("total_annotations", "not_in_list", [0], "Number"), False),
    (f("total_annotations", "empty", True, "Number"), True),
    (f("total_annotations", "empty", False, "Number"), False),
    (f("total_annotations", "exists", True, "Number"), True),
    (f("cancelled_annotations", "equal", 0, "Number"), True),
    (f("total_predictions", "less_or_equal", 0, "Number"), True),
    (f("is_labeled", "equal", False, "Boolean"), True),
    (f("is_labeled", "equal", "true", "Boolean"), False),
    (f("is_labeled", "not_equal", True, "Boolean"), True),
    (f("is_labeled", "empty", False, "Boolean"), True),
    (f("is_labeled", "empty", True, "Boolean"), False),
    (f("total_annotations", "contains", "0", "Number"), None),
    (f("total_annotations", "equal", None, "Number"), False),
    (f("id", "greater", 0, "Number"), None),
    (f("data.n", "greater_or_equal", 0, "Number"), None),
    ({**f("total_annotations", "equal", 0, "Number"), "child_filter": f("id", "greater", 0, "Number")}, None),
]


@pytest.mark.parametrize(("item", "every"), ITEMS, ids=[f"{i['filter'][13:]}-{i['operator']}-{i['value']}" for i, _ in ITEMS])
async def test_what_the_counters_say_agrees_with_counting(client, fresh, item, every):
    pid, _ = fresh
    query = parse_query(json.dumps({"filters": {"conjunction": "and", "items": [item]}}), None)
    async with client.app.state.sessionmaker() as db:
        stored = await selection.stored_counters(db, pid)
        matched = (await db.execute(select(func.count()).where(and_(*selection.conditions(db, pid, query))))).scalar()
    said = implied.every_task_matches(query, stored)
    assert said is (every is True)
    if said:
        assert matched == TASKS
    elif every is False:
        assert matched < TASKS


async def test_or_needs_one_filter_every_task_meets(client, fresh):
    pid, _ = fresh
    items = [f("data.n", "equal", 3, "Number"), f("total_predictions", "equal", 0, "Number")]
    either = parse_query(json.dumps({"filters": {"conjunction": "or", "items": items}}), None)
    both = parse_query(json.dumps({"filters": {"conjunction": "and", "items": items}}), None)
    async with client.app.state.sessionmaker() as db:
        stored = await selection.stored_counters(db, pid)
    assert implied.every_task_matches(either, stored)
    assert not implied.every_task_matches(both, stored)
    chosen = DMQuery(filters=either.filters, conjunction="or", selection=type(either.selection)(all=False, ids=(1,)))
    assert not implied.every_task_matches(chosen, stored)  # a selection is never "every task"
