"""GCS storages through Label Studio's REST API against fake-gcs-server: sync, media by a v4
signed URL (service account key) or proxied (no key to sign with), target writes, and the
credentials JSON never returned."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .api import eventually, sync, tasks_of
from .services import FakeGCS
from .test_gcs_connector import service_account_json

CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
pytestmark = pytest.mark.usefixtures("fake_gcs")


async def create(client: Any, admin: Any, body: dict[str, Any], *, export: bool = False) -> str:
    base = "/api/storages/export/gcs" if export else "/api/storages/gcs"
    response = await client.post(base, json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return f"{base}/{response.json()['id']}"


async def test_sync_and_media_signed_or_proxied(client, admin, project, fake_gcs: FakeGCS, gcs, gcs_bucket) -> None:
    bucket = gcs.bucket(gcs_bucket)
    for i in range(6):
        bucket.blob(f"photos/{i}.jpg").upload_from_string(f"jpeg-{i}".encode(), content_type="image/jpeg")
    bucket.blob("photos/tasks.jsonl").upload_from_string(b'{"image": "gs://%s/photos/1.jpg"}\n' % gcs_bucket.encode())
    key = service_account_json()
    signed = await create(client, admin, {"project": project, "bucket": gcs_bucket, "prefix": "photos", "use_blob_urls": True,
                                          "regex_filter": r".*\.jpg", "google_application_credentials": key})
    shown = (await client.get(signed, headers=admin.headers)).json()
    assert "PRIVATE KEY" not in json.dumps(shown) and shown["google_application_credentials"] not in (None, "", key)
    done = await sync(client, admin, signed)
    assert (done["status"], done["last_sync_count"]) == ("completed", 6), done
    tasks = await tasks_of(client, admin, project)
    link = next(t for t in tasks if t["storage_filename"] == "photos/2.jpg")["data"]["image"]
    redirect = await client.get(link, headers=admin.headers, follow_redirects=False)
    assert redirect.status_code == 303, redirect.text
    assert redirect.headers["location"].startswith(f"{fake_gcs.url}/{gcs_bucket}/photos/2.jpg?X-Goog-Algorithm=")
    assert httpx.get(redirect.headers["location"]).content == b"jpeg-2"
    assert (await sync(client, admin, signed))["last_sync_count"] == 0

    # Without a key nothing can sign: the same link is served through the server even with presign on.
    assert (await client.delete(signed, headers=admin.headers)).status_code == 204
    unsigned = await create(client, admin, {"project": project, "bucket": gcs_bucket, "prefix": "photos"})
    assert (await client.get(unsigned, headers=admin.headers)).json()["presign"] is True
    proxied = await client.get(link, headers={**admin.headers, "Range": "bytes=5-"}, follow_redirects=False)
    assert proxied.status_code == 206, proxied.text
    assert proxied.content == b"2"
    assert proxied.headers["content-range"] == "bytes 5-5/6"


async def test_task_files_and_target_writes(client, admin, project, fake_gcs: FakeGCS, gcs, gcs_bucket) -> None:
    bucket = gcs.bucket(gcs_bucket)
    rows = [{"data": {"image": f"gs://{gcs_bucket}/m/{i}.jpg"}} for i in range(3)]
    bucket.blob("tasks/batch.json").upload_from_string(json.dumps(rows), content_type="application/json")
    source = await create(client, admin, {"project": project, "bucket": gcs_bucket, "prefix": "tasks/"})
    assert (await sync(client, admin, source))["last_sync_count"] == 3
    target = await create(client, admin, {"project": project, "bucket": gcs_bucket, "prefix": "annotations",
                                          "can_delete_objects": True}, export=True)
    task = (await tasks_of(client, admin, project))[0]
    created = await client.post(f"/api/tasks/{task['id']}/annotations/", json={"result": CAT}, headers=admin.headers)
    annotation = created.json()["id"]

    def stored() -> dict[str, Any] | None:
        blob = bucket.get_blob(f"annotations/{annotation}")
        return json.loads(blob.download_as_bytes()) if blob else None

    body = await eventually(stored)
    assert body["result"] == CAT and body["task"]["id"] == task["id"]
    assert body["task"]["data"]["image"].startswith(f"gs://{gcs_bucket}/m/")  # the URI as stored, not a link
    assert (await client.delete(f"/api/annotations/{annotation}/", headers=admin.headers)).status_code == 204
    await eventually(lambda: stored() is None)
    assert (await sync(client, admin, target))["status"] == "completed"
