"""predictions_to_annotations (with its form) and remove_duplicates: results, counters, events."""

from tests.api.helpers import choice

from .test_actions import assert_counters_exact, run, scalar


async def predict(client, admin, task_id, label, version, score=0.5):
    r = await client.post("/api/predictions/", headers=admin.headers,
                          json={"task": task_id, "result": choice(label), "score": score, "model_version": version})
    assert r.status_code == 201, r.text
    return r.json()


async def test_the_form_offers_the_model_versions_newest_first(client, admin, seeded):
    p, ids = seeded["project"]["id"], seeded["ids"]
    await predict(client, admin, ids[3], "Positive", "v3")
    r = await client.get("/api/dm/actions/predictions_to_annotations/form/", headers=admin.headers, params={"project": p})
    assert r.status_code == 200, r.text
    (section,) = r.json()
    (field,) = section["fields"]
    assert field["name"] == "model_version" and field["options"] == ["v3", "v2"]
    r = await client.get("/api/dm/actions/delete_tasks/form/", headers=admin.headers, params={"project": p})
    assert r.json() == []
    r = await client.get("/api/dm/actions/nope/form/", headers=admin.headers, params={"project": p})
    assert r.status_code == 404


async def test_predictions_become_annotations_of_the_chosen_version(client, admin, seeded, database_url):
    p, ids = seeded["project"]["id"], seeded["ids"]
    old = await predict(client, admin, ids[3], "Negative", "v1")
    newer = await predict(client, admin, ids[3], "Positive", "v1")
    await predict(client, admin, ids[4], "Positive", "v2")
    body = await run(client, admin, p, "predictions_to_annotations",
                     {"selectedItems": {"all": True, "excluded": [ids[4]]}, "model_version": "v1"})
    assert body == {"processed_items": 1, "detail": "Created 1 annotations", "reload": True}
    (annotation,) = (await client.get(f"/api/tasks/{ids[3]}/annotations/", headers=admin.headers)).json()
    assert annotation["result"] == newer["result"] != old["result"]
    assert annotation["completed_by"] == admin.id
    assert annotation["parent_prediction"] == newer["id"]
    await assert_counters_exact(client, admin, p, database_url)


async def test_an_unknown_model_version_is_refused_and_nothing_changes(client, admin, seeded):
    p = seeded["project"]["id"]
    before = (await client.get(f"/api/projects/{p}/", headers=admin.headers)).json()["total_annotations_number"]
    r = await client.post("/api/dm/actions/", headers=admin.headers,
                          params={"id": "predictions_to_annotations", "project": p},
                          json={"selectedItems": {"all": True, "excluded": []}, "model_version": "nope"})
    assert r.status_code == 400 and "model_version" in r.json()["validation_errors"]
    after = (await client.get(f"/api/projects/{p}/", headers=admin.headers)).json()["total_annotations_number"]
    assert after == before


async def test_duplicates_collapse_into_the_oldest_task_with_their_annotations(client, admin, project, database_url):
    p = project["id"]
    rows = [{"text": "same", "n": 1}, {"n": 1, "text": "same"}, {"text": "other"}, {"text": "same", "n": 1}]
    r = await client.post(f"/api/projects/{p}/import?return_task_ids=true", headers=admin.headers, json=rows)
    ids = r.json()["task_ids"]
    for task_id, label in ((ids[1], "Positive"), (ids[3], "Negative")):
        r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": choice(label)})
        assert r.status_code == 201
    body = await run(client, admin, p, "remove_duplicates", {"selectedItems": {"all": True, "excluded": []}})
    # Key order differs in ids[1]: PostgreSQL (jsonb) sees it as equal, SQLite compares text.
    postgres = database_url.startswith("postgresql")
    expected_removed = 2 if postgres else 1
    assert body["processed_items"] == expected_removed
    remaining = [t["id"] for t in (await client.get("/api/tasks/", headers=admin.headers, params={"project": p})).json()["tasks"]]
    assert remaining == ([ids[0], ids[2]] if postgres else [ids[0], ids[1], ids[2]])
    moved = await scalar(database_url, f"SELECT count(*) FROM annotations WHERE task_id = {ids[0]}")
    assert moved == (2 if postgres else 1)
    await assert_counters_exact(client, admin, p, database_url)
    again = await run(client, admin, p, "remove_duplicates", {"selectedItems": {"all": True, "excluded": []}})
    assert again["processed_items"] == 0
