"""Projects: Label Studio's fields, filters, ordering, counters, summary, settings checks."""

from importlib.metadata import entry_points

from litestar.testing import AsyncTestClient

from labelloom.core.manager import build_plugin_host
from labelloom.core.testing import plugin_module

from .helpers import TEXT_CONFIG, choice, import_texts


async def test_create_defaults_and_parsed_config(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Defaults"})
    assert r.status_code == 201
    body = r.json()
    assert body["label_config"] == "<View></View>" and body["parsed_label_config"] == {}
    assert (body["maximum_annotations"], body["sampling"], body["show_skip_button"]) == (1, "Sequential sampling", True)
    assert body["created_by"]["email"] == admin.email and body["task_number"] == 0


async def test_invalid_config_or_settings_change_nothing(client, admin, project):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Bad", "label_config": "<View><Foo/></View>"})
    assert r.status_code == 400 and "label_config" in r.json()["validation_errors"]
    r = await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers,
                           json={"title": "Renamed", "sampling": "Random please"})
    assert r.status_code == 400 and "sampling" in r.json()["validation_errors"]
    assert (await client.get(f"/api/projects/{project['id']}/", headers=admin.headers)).json()["title"] == "T"
    listed = (await client.get("/api/projects/", headers=admin.headers)).json()
    assert listed["count"] == 1


async def test_list_filters_ordering_and_pages(client, admin):
    for title in ["alpha", "beta", "gamma", "alphabet"]:
        await client.post("/api/projects/", headers=admin.headers, json={"title": title})
    page = (await client.get("/api/projects/", headers=admin.headers, params={"ordering": "title", "page_size": 3})).json()
    assert [p["title"] for p in page["results"]] == ["alpha", "alphabet", "beta"]
    assert page["count"] == 4 and page["next"] and page["previous"] is None
    second = (await client.get(page["next"], headers=admin.headers)).json()
    assert [p["title"] for p in second["results"]] == ["gamma"]
    found = (await client.get("/api/projects/", headers=admin.headers, params={"title": "ALPHA"})).json()
    assert {p["title"] for p in found["results"]} == {"alpha", "alphabet"}
    ids = ",".join(str(p["id"]) for p in page["results"][:2])
    by_ids = (await client.get("/api/projects/", headers=admin.headers, params={"ids": ids})).json()
    assert by_ids["count"] == 2
    assert (await client.get("/api/projects/", headers=admin.headers, params={"page": 9})).status_code == 404
    bad = await client.get("/api/projects/", headers=admin.headers, params={"ordering": "password"})
    assert bad.status_code == 400


async def test_summary_counts_columns_and_labels(client, admin, project):
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=1", headers=admin.headers,
                          json=[{"text": "a", "lang": "en"}, {"text": "b"}])
    first, _ = r.json()["task_ids"]
    await client.post(f"/api/tasks/{first}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    summary = (await client.get(f"/api/projects/{project['id']}/summary/", headers=admin.headers)).json()
    assert summary["all_data_columns"] == {"text": 2, "lang": 1}
    assert summary["common_data_columns"] == ["text"]
    assert summary["created_labels"] == {"sentiment": {"Positive": 1}}
    assert summary["created_annotations"] == {"sentiment|text|choices": 1}


async def test_uncertainty_sampling_serves_least_confident_first(client, admin, project):
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"sampling": "Uncertainty sampling"})
    ids = await import_texts(client, admin, project["id"], ["a", "b", "c"])
    for task_id, score in zip(ids, [0.9, 0.2, 0.5]):
        await client.post("/api/predictions/", headers=admin.headers, json={"task": task_id, "result": choice("Positive"), "score": score})
    order = []
    for _ in ids:
        task = (await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)).json()
        assert task["queue"] == "Uncertainty queue"
        order.append(task["id"])
        await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": choice("Neutral")})
    assert order == [ids[1], ids[2], ids[0]]


async def test_delete_project_removes_everything(client, admin, project):
    ids = await import_texts(client, admin, project["id"], ["a"])
    await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert (await client.delete(f"/api/projects/{project['id']}/", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/tasks/{ids[0]}/", headers=admin.headers)).status_code == 404


async def test_storage_uris_are_resolved_by_plugins(make_app, admin):
    built_ins = {ep.name: ep.load() for ep in entry_points(group="labelloom") if ep.dist and ep.dist.name == "labelloom"}
    resolver = plugin_module("resolver", labelloom_resolve_media_url=
        lambda url, project_id: f"/proxy/{project_id}?u={url}" if url.startswith("s3://") else None)
    host = build_plugin_host(modules={**built_ins, "resolver": resolver})
    async with AsyncTestClient(make_app(host=host)) as client:
        config = '<View><Image name="img" value="$image"/><Choices name="c" toName="img"><Choice value="x"/></Choices></View>'
        pid = (await client.post("/api/projects/", headers=admin.headers, json={"title": "s3", "label_config": config})).json()["id"]
        await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          json=[{"image": "s3://bucket/a.jpg"}, {"image": "https://host/b.jpg"}])
        tasks = (await client.get("/api/tasks", params={"project": pid}, headers=admin.headers)).json()["tasks"]
        assert [t["data"]["image"] for t in tasks] == [f"/proxy/{pid}?u=s3://bucket/a.jpg", "https://host/b.jpg"]
        raw = (await client.get("/api/tasks", params={"project": pid, "resolve_uri": "false"}, headers=admin.headers)).json()
        assert raw["tasks"][0]["data"]["image"] == "s3://bucket/a.jpg"


async def test_validate_endpoints(client, admin, project):
    r = await client.post(f"/api/projects/{project['id']}/validate/", headers=admin.headers, json={"label_config": TEXT_CONFIG})
    assert r.status_code == 200 and "sentiment" in r.json()["parsed_label_config"]
    r = await client.post(f"/api/projects/{project['id']}/validate/", headers=admin.headers, json={"label_config": "<View"})
    assert r.status_code == 400


async def test_bulk_annotation_flag_follows_region_free_controls(client, admin, project):
    assert project["config_suitable_for_bulk_annotation"] is True  # Choices only
    ner = '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="A"/></Labels></View>'
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "ner", "label_config": ner})
    assert r.json()["config_suitable_for_bulk_annotation"] is False
