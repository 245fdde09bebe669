"""Every operator of reference §4.2 on every column type, on SQLite and PostgreSQL.

Cases name the seeded tasks by position (see ``conftest.ROWS``); results come back in id order.
"""

import json

import pytest

from .conftest import f, query_ids

N, S, B, D = "Number", "String", "Boolean", "Datetime"
EARLY, LATE = "2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z"

CASES = {
    # data.<key> as a number (JSON numbers, and numeric strings as Label Studio casts them)
    "num equal": ([f("data.score", "equal", 5, N)], [1]),
    "num not_equal keeps missing": ([f("data.score", "not_equal", 5, N)], [0, 2, 3, 4]),
    "num less": ([f("data.score", "less", 5, N)], [0, 4]),
    "num greater": ([f("data.score", "greater", 1, N)], [1, 2]),
    "num less_or_equal": ([f("data.score", "less_or_equal", 1, N)], [0, 4]),
    "num greater_or_equal": ([f("data.score", "greater_or_equal", 5, N)], [1, 2]),
    "num in is a range": ([f("data.score", "in", {"min": 1, "max": 5}, N)], [0, 1]),
    "num not_in": ([f("data.score", "not_in", {"min": 1, "max": 5}, N)], [2, 3, 4]),
    "num in_list": ([f("data.score", "in_list", [1, 10], N)], [0, 2]),
    "num not_in_list": ([f("data.score", "not_in_list", [1, 10], N)], [1, 3, 4]),
    "num empty": ([f("data.score", "empty", True, N)], [3]),
    "num not empty": ([f("data.score", "empty", False, N)], [0, 1, 2, 4]),
    "num exists": ([f("data.ratio", "exists", None, N)], [0, 1, 4]),
    "num not_exists": ([f("data.ratio", "not_exists", None, N)], [2, 3]),
    "float vs int": ([f("data.ratio", "greater", 1, N)], [1, 4]),
    "numeric strings": ([f("data.num_str", "greater", 0, N)], [0, 1]),
    "numeric string with spaces": ([f("data.num_str", "less", 0, N)], [4]),
    # data.<key> as text
    "str equal": ([f("data.text", "equal", "Apple pie")], [0]),
    "str not_equal": ([f("data.text", "not_equal", "Apple pie")], [1, 2, 3, 4]),
    "str contains ignores case": ([f("data.text", "contains", "APPLE")], [0]),
    "str contains underscore literally": ([f("data.text", "contains", "y_t")], [2]),
    "str contains percent literally": ([f("data.text", "contains", "0%")], [2]),
    "str contains non-ascii": ([f("data.text", "contains", "café")], [4]),
    "str not_contains": ([f("data.text", "not_contains", "a")], [3]),
    "str starts_with": ([f("data.text", "starts_with", "ban")], [1]),
    "str ends_with": ([f("data.text", "ends_with", "PIE")], [0]),
    "str regex": ([f("data.text", "regex", "^[AB]")], [0]),
    "str invalid regex matches nothing": ([f("data.text", "regex", "[")], []),
    "str empty": ([f("data.text", "empty", True)], [3]),
    "str not empty": ([f("data.text", "empty", False)], [0, 1, 2, 4]),
    "str in list": ([f("data.text", "in_list", ["Apple pie", "banana split"])], [0, 1]),
    # data.<key> as boolean / datetime / list
    "bool equal true": ([f("data.flag", "equal", True, B)], [0, 2]),
    "bool equal false": ([f("data.flag", "equal", False, B)], [1, 3]),
    "bool not_equal": ([f("data.flag", "not_equal", True, B)], [1, 3, 4]),
    "bool empty": ([f("data.flag", "empty", True, B)], [4]),
    "date greater": ([f("data.when", "greater", "2024-05-01", D)], [1, 2]),
    "date in": ([f("data.when", "in", {"min": "2024-01-01", "max": "2024-12-31"}, D)], [0, 1, 4]),
    "list contains": ([f("data.tags", "contains", "a", "List")], [0]),
    "unknown empty": ([f("data.tags", "empty", True, "Unknown")], [2, 3, 4]),
    # built-in counters and scores
    "counter greater": ([f("total_annotations", "greater", 0, N)], [0, 2]),
    "counter equal": ([f("total_annotations", "equal", 2, N)], [0]),
    "counter empty means 0": ([f("total_annotations", "empty", True, N)], [1, 3, 4]),
    "cancelled": ([f("cancelled_annotations", "equal", 1, N)], [1]),
    "predictions": ([f("total_predictions", "greater_or_equal", 1, N)], [2]),
    "score": ([f("predictions_score", "greater", 0.5, N)], [2]),
    "score empty": ([f("predictions_score", "empty", True, N)], [0, 1, 3, 4]),
    "avg lead time": ([f("avg_lead_time", "greater", 5, N)], [2]),
    "inner id": ([f("inner_id", "equal", 1, N)], [0]),
    # datetimes
    "completed_at set": ([f("completed_at", "empty", False, D)], [0, 2]),
    "completed_at in": ([f("completed_at", "in", {"min": EARLY, "max": LATE}, D)], [0, 2]),
    "completed_at greater": ([f("completed_at", "greater", EARLY, D)], [0, 2]),
    "completed_at less": ([f("completed_at", "less", EARLY, D)], []),
    "created_at": ([f("created_at", "less", LATE, D)], [0, 1, 2, 3, 4]),
    "updated_at not_in": ([f("updated_at", "not_in", {"min": EARLY, "max": LATE}, D)], []),
    # related rows
    "results contain a label": ([f("annotations_results", "contains", "negative")], [0]),
    "results contain another": ([f("annotations_results", "contains", "Neutral")], [2]),
    "results not_contains": ([f("annotations_results", "not_contains", "Positive")], [1, 2, 3, 4]),
    "results empty": ([f("annotations_results", "empty", True)], [3, 4]),
    "prediction results": ([f("predictions_results", "contains", "neutral")], [2]),
    "model versions contains": ([f("predictions_model_versions", "contains", "v2", "List")], [2]),
    "model versions equal": ([f("predictions_model_versions", "equal", "v1", "List")], []),
    "draft exists": ([f("draft_exists", "equal", True, B)], [4]),
    "no draft": ([f("draft_exists", "equal", False, B)], [0, 1, 2, 3]),
    "file upload empty": ([f("file_upload", "empty", True)], [0, 1, 2, 3, 4]),
    "storage filename empty": ([f("storage_filename", "empty", True)], [0, 1, 2, 3, 4]),
    "updated_by empty": ([f("updated_by", "empty", True, "List")], [0, 1, 2, 3, 4]),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_operator(client, admin, seeded, name):
    items, expected = CASES[name]
    ids = seeded["ids"]
    assert await query_ids(client, admin, seeded["project"]["id"], items) == [ids[i] for i in expected]


async def test_annotators_and_ids(client, admin, seeded):
    p, ids = seeded["project"]["id"], seeded["ids"]
    me = (await client.get("/api/current-user/whoami", headers=admin.headers)).json()["id"]
    assert await query_ids(client, admin, p, [f("annotators", "contains", me, "List")]) == ids[:3]
    assert await query_ids(client, admin, p, [f("annotators", "not_contains", me, "List")]) == ids[3:]
    assert await query_ids(client, admin, p, [f("annotators", "empty", True, "List")]) == ids[3:]
    assert await query_ids(client, admin, p, [f("id", "in", {"min": ids[1], "max": ids[3]}, N)]) == ids[1:4]
    assert await query_ids(client, admin, p, [f("id", "in_list", [ids[0], ids[4]], N)]) == [ids[0], ids[4]]
    annotation = (await client.get(f"/api/tasks/{ids[2]}/annotations/", headers=admin.headers)).json()[0]["id"]
    assert await query_ids(client, admin, p, [f("annotations_ids", "equal", str(annotation))]) == [ids[2]]


async def test_conjunctions_and_child_filter(client, admin, seeded):
    p, ids = seeded["project"]["id"], seeded["ids"]
    either = [f("data.score", "equal", 1, N), f("data.text", "contains", "banana")]
    assert await query_ids(client, admin, p, either, conjunction="or") == ids[:2]
    assert await query_ids(client, admin, p, either, conjunction="and") == []
    parent = f("total_annotations", "greater", 0, N) | {"child_filter": f("data.score", "greater", 1, N)}
    assert await query_ids(client, admin, p, [parent]) == [ids[2]]


async def test_ordering(client, admin, seeded):
    p, ids = seeded["project"]["id"], seeded["ids"]
    at = lambda *positions: [ids[i] for i in positions]  # noqa: E731
    assert await query_ids(client, admin, p, ordering=["tasks:data.score"]) == at(3, 4, 0, 1, 2)
    assert await query_ids(client, admin, p, ordering=["-tasks:data.score"]) == at(2, 1, 0, 4, 3)
    assert await query_ids(client, admin, p, ordering=["-tasks:total_annotations"]) == at(0, 2, 1, 3, 4)
    assert await query_ids(client, admin, p, ordering=["-tasks:id"]) == at(4, 3, 2, 1, 0)
    assert await query_ids(client, admin, p, ordering=["tasks:draft_exists"]) == at(0, 1, 2, 3, 4)
    for column in ("annotators", "annotations_results", "avg_lead_time", "predictions_model_versions",
                   "completed_at", "data.text", "file_upload", "updated_by"):
        got = await query_ids(client, admin, p, ordering=[f"-tasks:{column}"])
        assert sorted(got) == ids


async def test_selected_items_and_filtered_totals(client, admin, seeded):
    p, ids = seeded["project"]["id"], seeded["ids"]
    assert await query_ids(client, admin, p, selected={"all": True, "excluded": [ids[0]]}) == ids[1:]
    assert await query_ids(client, admin, p, selected={"all": False, "included": [ids[1], ids[3]]}) == [ids[1], ids[3]]
    query = {"filters": {"conjunction": "and", "items": [f("total_annotations", "greater", 0, N)]}}
    r = await client.get("/api/tasks/", headers=admin.headers, params={"project": p, "query": json.dumps(query)})
    body = r.json()
    assert (body["total"], body["total_annotations"], body["total_predictions"]) == (2, 3, 1)
    r = await client.get("/api/tasks/", headers=admin.headers,
                         params={"project": p, "query": json.dumps(query), "page": 2, "page_size": 2})
    assert r.status_code == 404 and r.json()["detail"] == "Invalid page."
    everything = (await client.get("/api/tasks/", headers=admin.headers, params={"project": p})).json()
    assert (everything["total"], everything["total_annotations"], everything["total_predictions"]) == (5, 3, 1)


@pytest.mark.parametrize(
    "items, field, words",
    [
        ([f("nope", "equal", 1)], "filters.items[0].filter", "filter:tasks:nope"),
        ([{"filter": "tasks:id", "operator": "equal", "value": 1}], "filters.items[0].filter", "filter:tasks:"),
        ([f("id", "bogus", 1, N)], "filters.items[0].operator", "bogus"),
        ([f("id", "equal", 1, N), f("data.score", "greater", "abc", N)], "filters.items[1].value", "data.score"),
        ([f("completed_at", "greater", "yesterday", D)], "filters.items[0].value", "completed_at"),
        ([f("id", "in", 5, N)], "filters.items[0].value", "min"),
        ([f("project__title", "equal", "x")], "filters.items[0].filter", "project__title"),
        ([f("total_annotations", "empty", "maybe", N)], "filters.items[0].value", "empty"),
    ],
)
async def test_bad_filters_are_400_naming_filter_and_field(client, admin, seeded, items, field, words):
    body = await query_ids(client, admin, seeded["project"]["id"], items, expect=400)
    assert field in body["validation_errors"], body
    assert words in body["detail"], body


async def test_bad_query_shapes(client, admin, seeded):
    p = seeded["project"]["id"]
    for query, field in (("{not json", "query"), (json.dumps({"filters": []}), "filters"),
                         (json.dumps({"filters": {"conjunction": "xor", "items": []}}), "filters.conjunction"),
                         (json.dumps({"ordering": ["id"]}), "ordering"),
                         (json.dumps({"ordering": ["tasks:nope"]}), "ordering"),
                         (json.dumps({"selectedItems": {"all": False, "included": ["x"]}}), "selectedItems.included")):
        r = await client.get("/api/tasks/", headers=admin.headers, params={"project": p, "query": query})
        assert r.status_code == 400, (query, r.text)
        assert field in r.json()["validation_errors"], r.text
