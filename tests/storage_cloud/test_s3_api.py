"""S3 storages through Label Studio's REST API against moto's S3 server: create and check,
sync object URLs and task files (re-sync is additive and idempotent), media resolved by a
presigned redirect or proxied with Range, annotations written to (and deleted from) a target
bucket, secrets never returned, and the SSRF guard on ``s3_endpoint``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .api import eventually, sync, tasks_of
from .conftest import PLUGINS
from .services import CREDENTIALS, MotoS3

CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
pytestmark = pytest.mark.usefixtures("moto_s3")


async def create(client: Any, admin: Any, body: dict[str, Any], *, export: bool = False) -> str:
    base = "/api/storages/export/s3" if export else "/api/storages/s3"
    response = await client.post(base, json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return f"{base}/{response.json()['id']}"


def put(s3: Any, bucket: str, objects: dict[str, bytes], content_type: str = "image/png") -> None:
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


async def test_sync_object_urls_then_resolve_presigned_and_proxied(client, admin, project, moto_s3: MotoS3, s3, s3_bucket) -> None:
    images = {f"img/{i:02}.png": f"png-{i}".encode() for i in range(12)}
    put(s3, s3_bucket, {**images, "img/sub/deep.png": b"deep", "img/notes.txt": b"text", "other/x.png": b"x"})
    path = await create(client, admin, {"project": project, **moto_s3.config(s3_bucket), "prefix": "img",
                                        "use_blob_urls": True, "regex_filter": r".*\.png$", "presign_ttl": 2})
    done = await sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 12), done
    tasks = await tasks_of(client, admin, project)
    assert len(tasks) == 12
    link = next(t for t in tasks if t["storage_filename"] == "img/03.png")["data"]["image"]
    assert "/resolve/?fileuri=" in link and not link.startswith("s3://")

    # presign on: a 303 to a URL of the bucket itself, valid presign_ttl minutes
    redirect = await client.get(link, headers=admin.headers, follow_redirects=False)
    assert redirect.status_code == 303, redirect.text
    target = redirect.headers["location"]
    assert target.startswith(f"{moto_s3.url}/{s3_bucket}/img/03.png?")
    assert parse_qs(urlsplit(target).query)["X-Amz-Expires"] == ["120"]
    assert httpx.get(target).content == b"png-3"

    # presign off: the bytes come through the server, Range included
    patched = await client.patch(path, json={"presign": False}, headers=admin.headers)
    assert patched.status_code == 200 and patched.json()["presign"] is False
    proxied = await client.get(link, headers=admin.headers)
    assert proxied.status_code == 200 and proxied.content == b"png-3"
    assert proxied.headers["content-type"].startswith("image/png")
    ranged = await client.get(link, headers={**admin.headers, "Range": "bytes=1-2"})
    assert ranged.status_code == 206 and ranged.content == b"ng"
    assert ranged.headers["content-range"] == "bytes 1-2/5"

    # re-sync: nothing twice; new objects only
    again = await sync(client, admin, path)
    assert (again["status"], again["last_sync_count"]) == ("completed", 0), again
    put(s3, s3_bucket, {"img/12.png": b"new", "img/13.png": b"new"})
    more = await sync(client, admin, path)
    assert more["last_sync_count"] == 2
    assert len(await tasks_of(client, admin, project)) == 14

    recursive = await client.patch(path, json={"recursive_scan": True}, headers=admin.headers)
    assert recursive.status_code == 200
    deep = await sync(client, admin, path)
    assert deep["last_sync_count"] == 1  # img/sub/deep.png


async def test_sync_task_files_json_and_jsonl(client, admin, project, moto_s3: MotoS3, s3, s3_bucket) -> None:
    put(s3, s3_bucket, {
        "tasks/one.json": json.dumps({"image": f"s3://{s3_bucket}/media/1.png"}).encode(),
        "tasks/many.json": json.dumps([
            {"data": {"image": f"s3://{s3_bucket}/media/2.png"}, "annotations": [{"result": CAT}]},
            {"data": {"image": f"s3://{s3_bucket}/media/3.png"}},
        ]).encode(),
        "tasks/rows.jsonl": b"\n".join(json.dumps({"image": f"s3://{s3_bucket}/media/r{i}.png"}).encode() for i in range(5)),
    }, content_type="application/json")
    put(s3, s3_bucket, {"media/2.png": b"two"})
    path = await create(client, admin, {"project": project, **moto_s3.config(s3_bucket), "prefix": "tasks/"})
    done = await sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 8), done
    tasks = await tasks_of(client, admin, project)
    assert sorted(t["storage_filename"] for t in tasks).count("tasks/rows.jsonl") == 5
    annotated = [t for t in tasks if t["total_annotations"]]
    assert len(annotated) == 1
    # a URI inside a task file resolves through the same storage (any key of its bucket)
    media = await client.get(annotated[0]["data"]["image"], headers=admin.headers, follow_redirects=False)
    assert media.status_code == 303 and httpx.get(media.headers["location"]).content == b"two"
    assert (await sync(client, admin, path))["last_sync_count"] == 0
    assert len(await tasks_of(client, admin, project)) == 8


async def test_more_than_a_listing_page_of_objects_syncs_once(client, admin, project, moto_s3: MotoS3, s3, s3_bucket) -> None:
    from concurrent.futures import ThreadPoolExecutor

    keys = [f"many/{i:05}.jpg" for i in range(1500)]  # two listing pages; 100k: bench/storage_bench.py
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=s3_bucket, Key=key, Body=b"j"), keys))
    path = await create(client, admin, {"project": project, **moto_s3.config(s3_bucket), "use_blob_urls": True,
                                        "recursive_scan": True})
    done = await sync(client, admin, path)
    assert (done["status"], done["last_sync_count"]) == ("completed", 1500), done
    assert len(await tasks_of(client, admin, project)) == 1500
    assert (await sync(client, admin, path))["last_sync_count"] == 0


async def test_secrets_are_write_only(client, admin, project, moto_s3: MotoS3, s3_bucket) -> None:
    body = {"project": project, **moto_s3.config(s3_bucket), "aws_session_token": "session-token-value", "title": "Bucket"}
    path = await create(client, admin, body)
    for shown in ((await client.get(path, headers=admin.headers)).json(),
                  (await client.get(f"/api/storages/s3?project={project}", headers=admin.headers)).json()[0],
                  (await client.get(f"/api/storages/?project={project}", headers=admin.headers)).json()[0]):
        text = json.dumps(shown)
        for secret in (*CREDENTIALS.values(), "session-token-value"):
            assert secret not in text
        assert shown["bucket"] == s3_bucket and shown["s3_endpoint"] == moto_s3.url
        assert shown["aws_secret_access_key"] and shown["aws_secret_access_key"] != CREDENTIALS["aws_secret_access_key"]
    # a PATCH without the secrets (or with the mask sent back) keeps them: the storage still works
    shown = (await client.get(path, headers=admin.headers)).json()
    patched = await client.patch(path, json={"title": "Renamed", "aws_secret_access_key": shown["aws_secret_access_key"]},
                                 headers=admin.headers)
    assert patched.status_code == 200 and patched.json()["title"] == "Renamed"
    assert (await sync(client, admin, path))["status"] == "completed"
    validated = await client.post("/api/storages/s3/validate", json={"id": int(path.rpartition("/")[2]), "project": project},
                                  headers=admin.headers)
    assert validated.status_code == 200, validated.text


async def test_bad_settings_are_400s_that_say_why(client, admin, project, moto_s3: MotoS3, s3_bucket) -> None:
    missing = await client.post("/api/storages/s3/validate", json={"project": project, **moto_s3.config("no-such-bucket-x")},
                                headers=admin.headers)
    assert missing.status_code == 400 and "S3 bucket 'no-such-bucket-x' does not exist" in missing.text
    created = await client.post("/api/storages/s3", json={"project": project, **moto_s3.config("no-such-bucket-x")},
                                headers=admin.headers)
    assert created.status_code == 400
    assert (await client.get(f"/api/storages/s3?project={project}", headers=admin.headers)).json() == []
    no_bucket = await client.post("/api/storages/s3/validate", json={"project": project, "s3_endpoint": moto_s3.url},
                                  headers=admin.headers)
    assert no_bucket.status_code == 400 and "bucket" in no_bucket.text


async def test_private_endpoints_need_the_setting(make_app, admin_headers_factory, moto_s3: MotoS3, s3_bucket) -> None:
    from litestar.testing import AsyncTestClient

    from labelloom.core.testing import plugin_host

    async with AsyncTestClient(make_app(host=plugin_host(only=PLUGINS))) as strict:
        headers = await admin_headers_factory(strict)
        project = (await strict.post("/api/projects/", json={"title": "p"}, headers=headers)).json()["id"]
        for endpoint in (moto_s3.url, "http://169.254.169.254/", "http://[::ffff:127.0.0.1]:9000"):
            refused = await strict.post("/api/storages/s3", json={"project": project, **moto_s3.config(s3_bucket),
                                                                   "s3_endpoint": endpoint}, headers=headers)
            assert refused.status_code == 400, refused.text
            assert refused.json()["validation_errors"]["s3_endpoint"], refused.text
            assert "LABELLOOM_ALLOW_PRIVATE_URLS" in refused.text


async def test_annotations_land_in_the_target_bucket(client, admin, project, moto_s3: MotoS3, s3, s3_bucket) -> None:
    source = await create(client, admin, {"project": project, **moto_s3.config(s3_bucket), "prefix": "in",
                                          "use_blob_urls": True})
    put(s3, s3_bucket, {"in/a.png": b"a", "in/b.png": b"b"})
    await sync(client, admin, source)
    target = await create(client, admin, {"project": project, **moto_s3.config(s3_bucket), "prefix": "out/",
                                          "can_delete_objects": True}, export=True)
    tasks = await tasks_of(client, admin, project)
    created = await client.post(f"/api/tasks/{tasks[0]['id']}/annotations/", json={"result": CAT}, headers=admin.headers)
    assert created.status_code == 201, created.text
    annotation = created.json()["id"]
    key = f"out/{annotation}"

    def stored() -> dict[str, Any] | None:
        try:
            return json.loads(s3.get_object(Bucket=s3_bucket, Key=key)["Body"].read())
        except s3.exceptions.NoSuchKey:
            return None

    body = await eventually(stored)
    assert body["id"] == annotation and body["result"] == CAT
    assert body["task"]["id"] == tasks[0]["id"] and body["task"]["data"]["image"] == f"s3://{s3_bucket}/{tasks[0]['storage_filename']}"
    assert "annotations" not in body["task"] and body["completed_by"]["email"] == admin.email
    assert s3.head_object(Bucket=s3_bucket, Key=key)["ServerSideEncryption"] == "AES256"

    dog = [{**CAT[0], "value": {"choices": ["Dog"]}}]
    assert (await client.patch(f"/api/annotations/{annotation}/", json={"result": dog}, headers=admin.headers)).status_code == 200
    await eventually(lambda: (stored() or {}).get("result") == dog)

    assert (await client.delete(f"/api/annotations/{annotation}/", headers=admin.headers)).status_code == 204
    await eventually(lambda: stored() is None)

    # a manual sync writes every annotation there is
    second = await client.post(f"/api/tasks/{tasks[1]['id']}/annotations/", json={"result": CAT}, headers=admin.headers)
    s3.delete_object(Bucket=s3_bucket, Key=f"out/{second.json()['id']}")
    done = await sync(client, admin, target)
    assert done["status"] == "completed" and done["last_sync_count"] == 1, done
    assert s3.head_object(Bucket=s3_bucket, Key=f"out/{second.json()['id']}")["ContentLength"] > 0
