"""An image that lives in an S3 bucket (moto's S3 server) is labeled in headless Chromium: the
storage syncs it as a task, the browser loads it straight from the bucket through a presigned
URL (the server only redirects), a drawn box is submitted and the annotation lands in the
target bucket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from labelloom.core.testing import LiveServer
from tests.e2e.labeling import open_labeling
from tests.e2e.test_image_labeling import H, W, at, drag, image_ready, png_bytes, stage_box
from tests.storage_cloud.conftest import moto_s3, s3, s3_bucket  # noqa: F401  (fixtures)
from tests.storage_cloud.api import TERMINAL_WAIT_SECONDS, wait_storage

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car" hotkey="1"/></RectangleLabels>
</View>"""


@pytest.fixture
def server(make_app: Any) -> Iterator[LiveServer]:
    """The app allowed to reach the loopback S3 server (LABELLOOM_ALLOW_PRIVATE_URLS)."""
    with LiveServer(make_app(allow_private_urls=True)) as live:
        yield live


async def test_label_an_image_stored_in_s3(server: LiveServer, page: Any, signed_in: Any, shot: Any, moto_s3: Any,
                                           s3: Any, s3_bucket: str) -> None:
    s3.put_object(Bucket=s3_bucket, Key="street/scene.png", Body=png_bytes(), ContentType="image/png")
    with httpx.Client(base_url=server.url, headers=signed_in.headers, timeout=30) as http:
        project = http.post("/api/projects/", json={"title": "From S3", "label_config": CONFIG}).json()
        connection = moto_s3.config(s3_bucket)
        source = http.post("/api/storages/s3", json={"project": project["id"], **connection, "prefix": "street",
                                                      "use_blob_urls": True, "presign": True})
        assert source.status_code == 201, source.text
        http.post(f"/api/storages/s3/{source.json()['id']}/sync").raise_for_status()
        done = wait_storage(http, f"/api/storages/s3/{source.json()['id']}", TERMINAL_WAIT_SECONDS)
        assert (done["status"], done["last_sync_count"]) == ("completed", 1), done
        target = http.post("/api/storages/export/s3", json={"project": project["id"], **connection, "prefix": "labels"})
        assert target.status_code == 201, target.text
        (task,) = http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]

    from_bucket: list[tuple[str, int]] = []
    page.on("response", lambda r: from_bucket.append((r.url, r.status)) if r.url.startswith(moto_s3.url) else None)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    await expect(page.locator(".li-status")).to_contain_text(f"{W}×{H}")
    # The pixels came from the bucket itself, through a presigned URL.
    assert any(f"/{s3_bucket}/street/scene.png?" in url and "X-Amz-Signature=" in url and status == 200
               for url, status in from_bucket), from_bucket

    box = await stage_box(page)
    scale = box["width"] / W
    await page.keyboard.press("1")
    await drag(page, at(box, 80, 60, scale), at(box, 320, 240, scale))
    await shot(page, "storage-s3-labeling")
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".ll-blocker")).to_have_count(0)

    key = None
    for _ in range(100):
        with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
            annotations = http.get(f"/api/tasks/{task['id']}/annotations/").json()
        if annotations:
            key = f"labels/{annotations[0]['id']}"
            listed = [o["Key"] for o in s3.list_objects_v2(Bucket=s3_bucket, Prefix="labels/").get("Contents", [])]
            if key in listed:
                break
        await page.wait_for_timeout(100)
    assert key, "the submit stored no annotation"
    stored = json.loads(s3.get_object(Bucket=s3_bucket, Key=key)["Body"].read())
    (region,) = stored["result"]
    assert region["type"] == "rectanglelabels" and region["value"]["rectanglelabels"] == ["Car"]
    assert (region["original_width"], region["original_height"]) == (W, H)
    assert abs(region["value"]["x"] - 10.0) < 1.0 and abs(region["value"]["width"] - 30.0) < 1.0
    assert stored["task"]["data"]["image"] == f"s3://{s3_bucket}/street/scene.png"
