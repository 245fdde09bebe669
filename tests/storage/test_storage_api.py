"""The storage API (Label Studio's shapes): types, CRUD, write-only secrets, validation errors,
connection checks and the SSRF guard on endpoint fields."""

from __future__ import annotations

from typing import Any

from . import memstore
from .conftest import wait_sync


async def test_types_list_the_kinds_with_their_settings(client, admin):
    response = await client.get("/api/storages/types", headers=admin.headers)
    assert response.status_code == 200
    kinds = {t["name"]: t for t in response.json()}
    assert {"localfiles", "mem"} <= set(kinds)
    fields = {f["name"]: f for f in kinds["mem"]["fields"]}
    assert fields["bucket"]["title"] == "Bucket name" and fields["bucket"]["required"]
    assert fields["secret_key"]["secret"] and not fields["bucket"]["secret"]
    assert fields["prefix"]["type"] == "string" and not fields["prefix"]["required"]
    export_types = (await client.get("/api/storages/export/types", headers=admin.headers)).json()
    assert {t["name"] for t in export_types} == set(kinds)


async def test_crud_with_flat_fields_and_write_only_secret(client, admin, project):
    memstore.BUCKETS["b"] = {}
    body = {"project": project, "title": "Raw", "bucket": "b", "prefix": "in", "secret_key": "right",
            "presign": False, "presign_ttl": 15, "regex_filter": r".*\.jpg"}
    response = await client.post("/api/storages/mem", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret_key"] == "__stored__"
    assert (created["type"], created["bucket"], created["prefix"], created["title"]) == ("mem", "b", "in", "Raw")
    assert (created["presign"], created["presign_ttl"], created["status"]) == (False, 15, "initialized")
    storage_id = created["id"]

    got = (await client.get(f"/api/storages/mem/{storage_id}", headers=admin.headers)).json()
    assert got["secret_key"] == "__stored__" and "right" not in str(got)

    # A PATCH without the secret (or with the marker) keeps it: the stored secret still validates.
    patched = await client.patch(f"/api/storages/mem/{storage_id}", json={"title": "Renamed", "secret_key": "__stored__"},
                                 headers=admin.headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["title"] == "Renamed" and patched.json()["prefix"] == "in"
    check = await client.post("/api/storages/mem/validate", json={"id": storage_id, "project": project}, headers=admin.headers)
    assert check.status_code == 200, check.text
    wrong = await client.patch(f"/api/storages/mem/{storage_id}", json={"secret_key": "wrong"}, headers=admin.headers)
    assert wrong.status_code == 400 and "wrong secret key" in wrong.text

    listed = (await client.get(f"/api/storages/?project={project}", headers=admin.headers)).json()
    assert [s["id"] for s in listed] == [storage_id]
    assert (await client.get(f"/api/storages/mem?project={project}", headers=admin.headers)).json()[0]["title"] == "Renamed"
    assert (await client.get(f"/api/storages/export?project={project}", headers=admin.headers)).json() == []
    # an import storage is not a target
    assert (await client.get(f"/api/storages/export/mem/{storage_id}", headers=admin.headers)).status_code == 404

    assert (await client.delete(f"/api/storages/mem/{storage_id}", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/storages/mem/{storage_id}", headers=admin.headers)).status_code == 404


async def test_bad_input_is_a_400_naming_the_field(client, admin, project):
    memstore.BUCKETS["b"] = {}

    async def post(body: dict[str, Any], kind: str = "mem") -> Any:
        return await client.post(f"/api/storages/{kind}", json={"project": project, **body}, headers=admin.headers)

    missing = await post({"title": "x"})
    assert missing.status_code == 400 and "bucket" in missing.json()["validation_errors"]
    regex = await post({"bucket": "b", "regex_filter": "(unclosed"})
    assert regex.status_code == 400 and "regex_filter" in regex.json()["validation_errors"]
    lookbehind = await post({"bucket": "b", "regex_filter": r"(?<=a)b"})
    assert lookbehind.status_code == 400 and "regex_filter" in lookbehind.json()["validation_errors"]
    wrong_type = await post({"bucket": "b", "use_blob_urls": "yes"})
    assert wrong_type.status_code == 400 and "use_blob_urls" in wrong_type.json()["validation_errors"]
    no_bucket = await post({"bucket": "nope"})
    assert no_bucket.status_code == 400 and "bucket 'nope' does not exist" in no_bucket.text
    no_project = await client.post("/api/storages/mem", json={"bucket": "b"}, headers=admin.headers)
    assert no_project.status_code == 400 and "project" in no_project.json()["validation_errors"]
    assert (await post({"bucket": "b"}, kind="nosuch")).status_code == 404
    # Endpoints go through the SSRF guard (LABELLOOM_ALLOW_PRIVATE_URLS is off here).
    private = await post({"bucket": "b", "endpoint": "http://127.0.0.1:9000"})
    assert private.status_code == 400 and "endpoint" in private.json()["validation_errors"]
    metadata = await post({"bucket": "b", "endpoint": "http://169.254.169.254/"})
    assert metadata.status_code == 400
    assert (await client.get(f"/api/storages/?project={project}", headers=admin.headers)).json() == []


async def test_export_storage_fields(client, admin, project):
    memstore.BUCKETS["out"] = {}
    response = await client.post("/api/storages/export/mem", json={"project": project, "bucket": "out", "can_delete_objects": True},
                                 headers=admin.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["can_delete_objects"] is True and "presign" not in body
    listed = (await client.get(f"/api/storages/export?project={project}", headers=admin.headers)).json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert (await client.get(f"/api/storages/?project={project}", headers=admin.headers)).json() == []


async def test_sync_twice_is_idempotent_and_additive(client, admin, project):
    memstore.BUCKETS["b"] = {"img/a.jpg": b"A", "img/b.jpg": b"B", "img/notes.txt": b"n", "img/sub/c.jpg": b"C"}
    created = (await client.post("/api/storages/mem", json={"project": project, "bucket": "b", "prefix": "img",
                                                            "use_blob_urls": True, "regex_filter": r".*\.jpg"},
                                 headers=admin.headers)).json()
    path = f"/api/storages/mem/{created['id']}"
    started = await client.post(f"{path}/sync", headers=admin.headers)
    assert started.status_code == 200 and started.json()["status"] in {"queued", "in_progress", "completed"}
    done = await wait_sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 2), done
    assert done["meta"]["objects_listed"] == 3  # non-recursive: img/sub/c.jpg is not listed
    assert done["last_sync_job"] and done["last_sync"]
    job = (await client.get(f"/api/jobs/{done['last_sync_job']}", headers=admin.headers)).json()
    assert job["function"] == "core.storage_sync" and job["status"] == "complete"

    await client.post(f"{path}/sync", headers=admin.headers)
    again = await wait_sync(client, admin, path)
    assert (again["status"], again["last_sync_count"]) == ("completed", 0)

    memstore.BUCKETS["b"]["img/d.jpg"] = b"D"
    await client.patch(path, json={"recursive_scan": True}, headers=admin.headers)
    await client.post(f"{path}/sync", headers=admin.headers)
    third = await wait_sync(client, admin, path)
    assert third["last_sync_count"] == 2  # img/d.jpg and, now recursive, img/sub/c.jpg
    tasks = (await client.get(f"/api/tasks/?project={project}&page_size=100", headers=admin.headers)).json()["tasks"]
    assert sorted(t["storage_filename"] for t in tasks) == ["img/a.jpg", "img/b.jpg", "img/d.jpg", "img/sub/c.jpg"]


async def test_hostile_regex_does_not_stall_the_sync(client, admin, project):
    memstore.BUCKETS["b"] = {"a" * 900 + "!": b"x", "aaa": b"y"}
    created = (await client.post("/api/storages/mem", json={"project": project, "bucket": "b", "use_blob_urls": True,
                                                            "regex_filter": "(a+)+$"}, headers=admin.headers)).json()
    path = f"/api/storages/mem/{created['id']}"
    await client.post(f"{path}/sync", headers=admin.headers)
    done = await wait_sync(client, admin, path, timeout=10)
    assert (done["status"], done["last_sync_count"]) == ("completed", 1)
