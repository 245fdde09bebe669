"""Keyset paging (``cursor``), deep pages by number and estimated totals (issue 17, part 3).

Cursor walks must give exactly the rows page numbers give, in every ordering (NULLs sorted
where each database sorts them, ties broken by id); totals past the exact-count threshold are
estimated from a sample and say so, and ``exact_total=true`` counts them.
"""

import json

import pytest

from labelloom.core.datamanager import estimate, selection

from .conftest import f, query_ids

N = "Number"


def params(project_id, ordering=None, items=(), **extra):
    query = {"filters": {"conjunction": "and", "items": list(items)}, "ordering": ordering or []}
    return {"project": project_id, "query": json.dumps(query), **extra}


async def get(client, admin, **p):
    r = await client.get("/api/tasks/", headers=admin.headers, params=p)
    assert r.status_code == 200, r.text
    return r.json()


async def walk(client, admin, p, size, key="next_cursor", start=None):
    """Every page by cursor from ``start`` (default: page 1) to the end."""
    body = start or await get(client, admin, **p, page_size=size)
    pages = [[t["id"] for t in body["tasks"]]]
    while body[key]:
        body = await get(client, admin, **p, page_size=size, cursor=body[key])
        pages.append([t["id"] for t in body["tasks"]])
    return pages


@pytest.fixture
async def many(client, admin, project):
    """23 tasks with repeated, missing and null sort values, some annotated."""
    rows = [{"text": f"t{i % 5}", **({"score": i % 4} if i % 3 else {}), **({"n": None} if i % 7 == 0 else {"n": i})}
            for i in range(23)]
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers, json=rows)
    assert r.status_code == 201, r.text
    ids = r.json()["task_ids"]
    for i in (1, 4, 5, 11, 17):
        body = {"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]}
        assert (await client.post(f"/api/tasks/{ids[i]}/annotations/", headers=admin.headers, json=body)).status_code == 201
    return {"project": project["id"], "ids": ids}


ORDERINGS = [
    [], ["-tasks:id"], ["tasks:data.score"], ["-tasks:data.score"], ["tasks:data.n"], ["-tasks:data.n"],
    ["tasks:data.text", "-tasks:data.score"], ["-tasks:total_annotations"], ["tasks:completed_at"],
    ["-tasks:completed_at"], ["tasks:annotators"], ["-tasks:updated_at"],
]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=lambda o: ",".join(o) or "default")
async def test_cursor_walks_match_page_numbers(client, admin, many, ordering):
    pid = many["project"]
    p = params(pid, ordering)
    expected = (await get(client, admin, **p, page_size=1000))["tasks"]
    expected = [t["id"] for t in expected]
    assert sorted(expected) == sorted(many["ids"])
    forward = await walk(client, admin, p, 4)
    assert [i for page in forward for i in page] == expected
    assert all(len(page) == 4 for page in forward[:-1])
    # Backwards from the last page: the same pages in reverse.
    last = await get(client, admin, **p, page_size=4, page=len(forward))
    assert [t["id"] for t in last["tasks"]] == forward[-1] and last["next_cursor"] is None
    backward = await walk(client, admin, p, 4, key="previous_cursor", start=last)
    assert [i for page in reversed(backward) for i in page] == expected
    # A filter narrows the walk the same way.
    items = [f("data.text", "equal", "t1")]
    p = params(pid, ordering, items)
    expected = await query_ids(client, admin, pid, items, ordering=ordering)
    assert [i for page in await walk(client, admin, p, 2) for i in page] == expected


async def test_first_page_has_no_previous_cursor_and_last_no_next(client, admin, many):
    p = params(many["project"])
    first = await get(client, admin, **p, page_size=10)
    assert first["previous_cursor"] is None and first["next_cursor"]
    whole = await get(client, admin, **p, page_size=100)
    assert whole["next_cursor"] is None and whole["previous_cursor"] is None
    second = await get(client, admin, **p, page_size=10, page=2)
    assert second["previous_cursor"]
    back = await get(client, admin, **p, page_size=10, cursor=second["previous_cursor"])
    assert [t["id"] for t in back["tasks"]] == [t["id"] for t in first["tasks"]]


@pytest.mark.parametrize("cursor, words", [
    ("not base64 !!", "cursor"),
    ("e30", "cursor"),  # {}
    ("eyJkIjoibiIsIm8iOiJ4IiwiayI6W119", "another ordering"),  # {"d":"n","o":"x","k":[]}
])
async def test_bad_cursor_is_a_400(client, admin, many, cursor, words):
    r = await client.get("/api/tasks/", headers=admin.headers, params={**params(many["project"]), "cursor": cursor})
    assert r.status_code == 400, r.text
    assert words in r.text and "cursor" in r.json()["validation_errors"]


async def test_cursor_of_another_ordering_is_a_400(client, admin, many):
    pid = many["project"]
    body = await get(client, admin, **params(pid, ["tasks:data.score"]), page_size=5)
    r = await client.get("/api/tasks/", headers=admin.headers,
                         params={**params(pid, ["-tasks:id"]), "page_size": 5, "cursor": body["next_cursor"]})
    assert r.status_code == 400 and "another ordering" in r.text


async def test_deep_pages_by_number_read_ids_first(client, admin, many, monkeypatch):
    pid = many["project"]
    for ordering in (["-tasks:data.score"], ["tasks:completed_at"], []):
        p = params(pid, ordering)
        whole = [t["id"] for t in (await get(client, admin, **p, page_size=100))["tasks"]]
        monkeypatch.setattr(selection, "DEFERRED_FROM", 1)
        pages = [[t["id"] for t in (await get(client, admin, **p, page_size=5, page=n))["tasks"]] for n in range(1, 6)]
        monkeypatch.setattr(selection, "DEFERRED_FROM", 1_000)
        assert [i for page in pages for i in page] == whole


def test_sample_windows_cover_the_range_evenly():
    assert estimate.sample_windows(10, 400) == [(10, 400)]
    windows = estimate.sample_windows(1, 1_000_000)
    assert len(windows) == estimate.WINDOWS
    assert windows[0][0] == 1 and windows[-1][1] <= 1_000_000
    assert sum(b - a + 1 for a, b in windows) == estimate.SAMPLE
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(windows, windows[1:], strict=False))


async def test_big_projects_get_estimated_totals_and_exact_ones_on_demand(client, admin, many, monkeypatch):
    pid = many["project"]
    monkeypatch.setattr(estimate, "EXACT_UP_TO", 10)  # "big" from 10 tasks on
    monkeypatch.setattr(estimate, "SAMPLE", 8)  # a sample smaller than the project
    monkeypatch.setattr(estimate, "WINDOWS", 2)
    items = [f("total_annotations", "equal", 0, N)]  # 18 of 23 tasks
    p = params(pid, items=items)
    body = await get(client, admin, **p, page_size=3)
    assert body["total_exact"] is False
    assert 3 < body["total"] <= 23  # scaled from 8 sampled tasks, never below what was paged
    exact = await get(client, admin, **p, page_size=3, exact_total="true")
    assert exact["total_exact"] is True
    assert (exact["total"], exact["total_annotations"]) == (18, 0)
    # A first page holding every match is its own exact total, whatever the project's size.
    few = await get(client, admin, **params(pid, items=[f("total_annotations", "greater", 0, N)]), page_size=10)
    assert (few["total"], few["total_annotations"], few["total_exact"]) == (5, 5, True)
    # The last page by number makes the total exact (offset + rows).
    last = await get(client, admin, **p, page_size=5, page=4)
    assert (last["total"], len(last["tasks"])) == (18, 3)
    # Chosen tasks (selectedItems) are counted, never estimated.
    chosen = {"filters": {"conjunction": "and", "items": []}, "selectedItems": {"all": False, "included": many["ids"][:7]}}
    body = await get(client, admin, project=pid, query=json.dumps(chosen), page_size=2)
    assert (body["total"], body["total_exact"]) == (7, True)
    # No filter: the stored counters, always exact.
    plain = await get(client, admin, project=pid, page_size=3)
    assert (plain["total"], plain["total_annotations"], plain["total_exact"]) == (23, 5, True)


async def test_small_projects_count_exactly(client, admin, many):
    body = await get(client, admin, **params(many["project"], items=[f("total_annotations", "equal", 0, N)]), page_size=3)
    assert (body["total"], body["total_exact"]) == (18, True)


async def test_unknown_project_is_a_404_with_or_without_a_query(client, admin):
    for extra in ({}, {"query": json.dumps({"filters": {"conjunction": "and", "items": [f("data.text", "equal", "x")]}})}):
        r = await client.get("/api/tasks/", headers=admin.headers, params={"project": 987654, **extra})
        assert r.status_code == 404, r.text
        assert "987654" in r.json()["detail"]
