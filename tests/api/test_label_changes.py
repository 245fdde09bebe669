"""Label changes as previewed migrations: rename, merge, remove labels that results use
(``/api/projects/{id}/label-changes/preview|apply``), on SQLite and PostgreSQL."""

import asyncio
import copy
import json

import pytest

from labelloom.core.labelchanges import service as label_changes

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text" choice="multiple"><Label value="PER"/><Label value="LOC"/><Label value="ORG"/></Labels>
  <Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <Choices name="certainty" toName="text" perRegion="true"><Choice value="Sure"/><Choice value="Unsure"/></Choices>
</View>
"""


def config(*labels):
    return CONFIG.replace('<Label value="PER"/><Label value="LOC"/><Label value="ORG"/>',
                          "".join(f'<Label value="{label}"/>' for label in labels))


def span(region_id, start, end, *labels):
    return {"id": region_id, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": list(labels)}}


def per_region(region_id, start, end, choice):
    return {"id": region_id, "from_name": "certainty", "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "choices": [choice]}}


SENTIMENT = {"id": "s1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}

TASKS = [
    {"data": {"text": "Anna lives in Paris"},
     "annotations": [{"result": [span("a", 0, 4, "PER"), per_region("a", 0, 4, "Sure"), span("b", 14, 19, "LOC"),
                                 per_region("b", 14, 19, "Unsure"), SENTIMENT]}],
     "predictions": [{"model_version": "v1", "result": [span("p", 0, 4, "PER")]}]},
    {"data": {"text": "Acme in Berlin"},
     "annotations": [{"result": [span("c", 0, 4, "ORG"), span("d", 8, 14, "LOC", "ORG")]},
                     {"result": [span("e", 0, 4, "PER", "ORG")]}]},
    {"data": {"text": "Nothing here"}, "annotations": [{"result": [SENTIMENT]}]},
    {"data": {"text": "Not labeled"}},
]


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "LC", "label_config": CONFIG})
    assert response.status_code == 201, response.text
    project = response.json()
    response = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                                 json=TASKS)
    assert response.status_code == 201, response.text
    project["task_ids"] = response.json()["task_ids"]
    # a draft of the first task (PER) and one of the second (LOC)
    for task_id, result in ((project["task_ids"][0], [span("x", 0, 4, "PER")]),
                            (project["task_ids"][1], [span("y", 8, 14, "LOC")])):
        response = await client.post(f"/api/tasks/{task_id}/drafts", headers=admin.headers, json={"result": result})
        assert response.status_code == 201, response.text
    return project


async def exported(client, admin, pid):
    response = await client.get(f"/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true", headers=admin.headers)
    assert response.status_code == 200, response.text
    return sorted(response.json(), key=lambda t: t["id"])


async def drafts(client, admin, task_ids):
    out = []
    for task_id in task_ids:
        response = await client.get(f"/api/tasks/{task_id}/drafts", headers=admin.headers)
        assert response.status_code == 200, response.text
        out.extend(d["result"] for d in response.json())
    return out


def relabel(tasks, mapping):
    """The expected export after renames/merges: only the ner label lists change."""
    tasks = copy.deepcopy(tasks)
    for task in tasks:
        for row in task["annotations"] + task["predictions"] + task.get("drafts", []):
            for item in row["result"]:
                if item.get("from_name") == "ner":
                    labels = []
                    for label in item["value"]["labels"]:
                        label = mapping.get(label, label)
                        if label not in labels:
                            labels.append(label)
                    item["value"]["labels"] = labels
    return tasks


def diff(got, want):
    return {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}


def recount(tasks, label):
    def uses(result):
        return any(i.get("from_name") == "ner" and label in i["value"]["labels"] for i in result)
    annotations = sum(uses(a["result"]) for t in tasks for a in t["annotations"])
    predictions = sum(uses(p["result"]) for t in tasks for p in t["predictions"])
    return annotations, predictions


RENAME_AND_MERGE = [{"from_name": "ner", "from": "PER", "to": "Person"}, {"from_name": "ner", "from": "LOC", "to": "ORG"}]


async def post(client, admin, pid, what, label_config, changes):
    return await client.post(f"/api/projects/{pid}/label-changes/{what}", headers=admin.headers,
                             json={"label_config": label_config, "changes": changes})


async def test_preview_counts_match_a_recount(client, admin, project):
    pid = project["id"]
    before = await exported(client, admin, pid)
    changes = RENAME_AND_MERGE
    response = await post(client, admin, pid, "preview", config("Person", "ORG"), changes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["valid"] and body["problems"] == [] and body["background"] is False
    rename, merge = body["changes"]
    assert rename["kind"] == "rename" and merge["kind"] == "merge"
    assert (rename["annotations"], rename["predictions"]) == recount(before, "PER") == (2, 1)
    assert (merge["annotations"], merge["predictions"]) == recount(before, "LOC") == (2, 0)
    assert rename["drafts"] == 1 and merge["drafts"] == 1
    assert body["totals"] == {"annotations": 4, "predictions": 1, "drafts": 2}
    example = rename["examples"][0]
    assert example["source"] == "annotation"
    assert example["before"]["value"]["labels"] == ["PER"] and example["after"]["value"]["labels"] == ["Person"]
    assert example["after"]["value"]["start"] == 0 and example["task"] == project["task_ids"][0]
    merged = [e for e in merge["examples"] if e["before"]["value"]["labels"] == ["LOC", "ORG"]]
    assert merged and merged[0]["after"]["value"]["labels"] == ["ORG"]
    # a preview changes nothing
    assert await exported(client, admin, pid) == before


async def test_rename_and_merge_rewrite_only_the_labels(client, admin, project):
    pid = project["id"]
    before = await exported(client, admin, pid)
    changes = RENAME_AND_MERGE
    response = await post(client, admin, pid, "apply", config("Person", "ORG"), changes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["applied"] and body["rows"] == 3 + 1 + 2  # distinct rows: the first annotation has both labels
    assert body["project"]["label_config"] == config("Person", "ORG")
    assert body["project"]["parsed_label_config"]["ner"]["labels"] == ["Person", "ORG"]
    after = await exported(client, admin, pid)
    expected = relabel(before, {"PER": "Person", "LOC": "ORG"})
    for got, want in zip(after, expected):
        assert got == want, diff(got, want)
    assert await drafts(client, admin, project["task_ids"][:2]) == [[span("x", 0, 4, "Person")], [span("y", 8, 14, "ORG")]]
    # the project now saves like any other: the config is the new one
    project_now = (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()
    assert project_now["label_config"] == config("Person", "ORG")
    assert project_now["total_annotations_number"] == 4 and project_now["total_predictions_number"] == 1


async def test_remove_deletes_label_and_emptied_regions(client, admin, project):
    pid = project["id"]
    before = await exported(client, admin, pid)
    response = await post(client, admin, pid, "preview", config("PER", "ORG"), [{"from_name": "ner", "remove": "LOC"}])
    assert response.status_code == 200, response.text
    change = response.json()["changes"][0]
    assert change["kind"] == "remove" and (change["annotations"], change["predictions"], change["drafts"]) == (2, 0, 1)
    emptied = [e for e in change["examples"] if e["before"]["id"] == "b"]
    assert emptied and emptied[0]["after"] is None
    response = await post(client, admin, pid, "apply", config("PER", "ORG"), [{"from_name": "ner", "remove": "LOC"}])
    assert response.status_code == 200, response.text
    after = await exported(client, admin, pid)
    first, second = after[0]["annotations"][0]["result"], after[1]["annotations"]
    # region b (LOC only) is gone with its per-region choice; region a and the sentiment stay
    assert first == [span("a", 0, 4, "PER"), per_region("a", 0, 4, "Sure"), SENTIMENT]
    assert second[0]["result"] == [span("c", 0, 4, "ORG"), span("d", 8, 14, "ORG")]
    assert second[1]["result"] == before[1]["annotations"][1]["result"]
    assert after[0]["predictions"] == before[0]["predictions"]
    assert await drafts(client, admin, project["task_ids"][1:2]) == [[]]


async def test_invalid_after_changes_is_refused_and_nothing_changes(client, admin, project):
    pid = project["id"]
    before = await exported(client, admin, pid)
    # LOC vanishes from the config but no change says what it became
    changes = [{"from_name": "ner", "from": "PER", "to": "Person"}]
    response = await post(client, admin, pid, "preview", config("Person", "ORG"), changes)
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert any('"LOC"' in p for p in response.json()["problems"])
    response = await post(client, admin, pid, "apply", config("Person", "ORG"), changes)
    assert response.status_code == 400, response.text
    assert "LOC" in response.text
    assert await exported(client, admin, pid) == before
    assert (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()["label_config"] == CONFIG
    assert await drafts(client, admin, project["task_ids"][:1]) == [[span("x", 0, 4, "PER")]]


async def test_refused_before_the_job_and_when_a_used_control_goes(client, admin, project, monkeypatch):
    monkeypatch.setattr(label_changes, "JOB_THRESHOLD", 1)
    pid = project["id"]
    before = await exported(client, admin, pid)
    # every vanished label is handled, but the sentiment control that annotations use is gone
    no_sentiment = config("Person", "LOC", "ORG").replace(
        '<Choices name="sentiment" toName="text" choice="single"><Choice value="Positive"/><Choice value="Negative"/></Choices>', "")
    response = await post(client, admin, pid, "apply", no_sentiment, [{"from_name": "ner", "from": "PER", "to": "Person"}])
    assert response.status_code == 400 and "sentiment" in response.text, response.text
    response = await post(client, admin, pid, "apply", config("Person", "ORG"), [{"from_name": "ner", "from": "PER", "to": "Person"}])
    assert response.status_code == 400 and "LOC" in response.text, response.text
    assert (await client.get("/api/jobs/", headers=admin.headers)).json()["count"] == 0
    assert await exported(client, admin, pid) == before


@pytest.mark.parametrize("changes, message", [
    ([{"from_name": "ner", "from": "PER", "to": "Nobody"}], "not a label"),
    ([{"from_name": "nope", "remove": "PER"}], "not a control"),
    ([{"from_name": "ner"}], "remove"),
    ([{"from_name": "ner", "remove": "PER"}, {"from_name": "ner", "from": "PER", "to": "ORG"}], "twice"),
])
async def test_bad_changes_are_refused(client, admin, project, changes, message):
    response = await post(client, admin, project["id"], "preview", config("PER", "LOC", "ORG"), changes)
    assert response.status_code == 400 and message in response.text, response.text


async def test_big_projects_apply_in_a_tracked_job(client, admin, project, monkeypatch):
    monkeypatch.setattr(label_changes, "JOB_THRESHOLD", 1)
    pid = project["id"]
    before = await exported(client, admin, pid)
    changes = [{"from_name": "ner", "from": "PER", "to": "Person"}, {"from_name": "ner", "remove": "LOC"}]
    response = await post(client, admin, pid, "preview", config("Person", "ORG"), changes)
    assert response.json()["background"] is True
    response = await post(client, admin, pid, "apply", config("Person", "ORG"), changes)
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert job["function"] == "core.label_changes" and job["project"] == pid
    for _ in range(200):
        job = (await client.get(f"/api/jobs/{job['id']}", headers=admin.headers)).json()
        if job["status"] in ("complete", "failed"):
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "complete", job
    assert job["progress"] == 1.0 or job["progress"] > 0.9
    after = await exported(client, admin, pid)
    assert after[0]["annotations"][0]["result"][0] == span("a", 0, 4, "Person")
    assert after[1]["annotations"][0]["result"] == [span("c", 0, 4, "ORG"), span("d", 8, 14, "ORG")]
    assert (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()["label_config"] == config("Person", "ORG")
    assert json.dumps(after) != json.dumps(before)


async def test_plain_config_update_still_refuses_orphans(client, admin, project):
    """The API's plain update keeps Label Studio's wall; the migration is the explicit way."""
    response = await client.patch(f"/api/projects/{project['id']}", headers=admin.headers,
                                  json={"label_config": config("Person", "ORG")})
    assert response.status_code == 400


def test_transform_cascades_to_per_region_items_and_relations():
    """The reference rewrite (SQLite applies it, previews show it): a region left without labels
    goes with its per-region answers and its relations; other fields are kept."""
    from labelloom.core.labelchanges.plan import ControlPlan, Plan, transform

    plan = Plan(changes=[], controls={"ner": ControlPlan("ner", "labels", {"LOC": None, "PER": "Person"})},
                classifications=frozenset({"certainty", "sentiment"}))
    relation = {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right"}
    result = [span("a", 0, 4, "PER"), per_region("a", 0, 4, "Sure"), span("b", 14, 19, "LOC"),
              per_region("b", 14, 19, "Unsure"), relation, SENTIMENT, {"from_name": "ner", "value": {"labels": ["PER", "Person"]}}]
    assert transform(result, plan) == [
        span("a", 0, 4, "Person"), per_region("a", 0, 4, "Sure"), SENTIMENT,
        {"from_name": "ner", "value": {"labels": ["Person"]}},
    ]
    assert transform([SENTIMENT], plan) is None
