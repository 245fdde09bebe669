import json

import pytest

from tests.api.helpers import TEXT_CONFIG, choice


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "DM", "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    return response.json()


# Five tasks whose data covers every JSON type a filter meets.
ROWS = [
    {"text": "Apple pie", "score": 1, "ratio": 0.5, "flag": True, "when": "2024-01-05", "num_str": "10", "tags": ["a"]},
    {"text": "banana split", "score": 5, "ratio": 2.5, "flag": False, "when": "2024-06-01", "num_str": "2", "tags": ["b"]},
    {"text": "Cherry_tart 100%", "score": 10, "flag": True, "when": "2025-01-01", "num_str": "x"},
    {"text": "", "score": None, "flag": False, "when": "2023-12-31"},
    {"text": "date café", "score": -3, "ratio": 7, "when": "2024-03-03", "num_str": "  -4.5 "},
]


@pytest.fixture
async def seeded(client, admin, project):
    """The five tasks: task 0 has 2 annotations (Positive, Negative), task 1 one skipped,
    task 2 one Neutral annotation and a prediction, task 4 a draft."""
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers, json=ROWS)
    assert r.status_code == 201, r.text
    ids = r.json()["task_ids"]
    h = admin.headers
    for label in ("Positive", "Negative"):
        assert (await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=h, json={"result": choice(label), "lead_time": 4})).status_code == 201
    assert (await client.post(f"/api/tasks/{ids[1]}/annotations/?was_cancelled=1", headers=h, json={"result": []})).status_code == 201
    assert (await client.post(f"/api/tasks/{ids[2]}/annotations/", headers=h, json={"result": choice("Neutral"), "lead_time": 10})).status_code == 201
    r = await client.post("/api/predictions/", headers=h, json={"task": ids[2], "result": choice("Neutral"), "score": 0.9, "model_version": "v2"})
    assert r.status_code == 201, r.text
    r = await client.post(f"/api/tasks/{ids[4]}/drafts", headers=h, json={"result": choice("Positive")})
    assert r.status_code in (200, 201), r.text
    return {"project": project, "ids": ids}


async def query_ids(client, admin, project_id, items=(), conjunction="and", ordering=None, selected=None, expect=200):
    query = {"filters": {"conjunction": conjunction, "items": list(items)}}
    if ordering is not None:
        query["ordering"] = ordering
    if selected is not None:
        query["selectedItems"] = selected
    r = await client.get("/api/tasks/", headers=admin.headers,
                         params={"project": project_id, "query": json.dumps(query), "page_size": 1000})
    assert r.status_code == expect, r.text
    return r.json() if expect != 200 else [t["id"] for t in r.json()["tasks"]]


def f(column, operator, value, type="String"):
    return {"filter": f"filter:tasks:{column}", "operator": operator, "type": type, "value": value}
