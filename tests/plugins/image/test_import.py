"""Images become tasks: uploaded files (served back with their content type), http(s) URLs and
data: URIs as task values; the plugin's widgets and formats are announced to the browser."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
</View>"""


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(out, format=fmt)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>'


@pytest.fixture
async def project(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "img", "label_config": CONFIG})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize(("name", "content", "mime"), [
    ("photo.png", _image("PNG"), "image/png"),
    ("photo.jpg", _image("JPEG"), "image/jpeg"),
    ("photo.webp", _image("WEBP"), "image/webp"),
    ("photo.bmp", _image("BMP"), "image/bmp"),
    ("drawing.svg", SVG, "image/svg+xml"),
])
async def test_uploaded_image_becomes_a_task_served_with_its_type(client, admin, project, name, content, mime):
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                          files=[("file", (name, io.BytesIO(content)))])
    assert r.status_code == 201, r.text
    (task_id,) = r.json()["task_ids"]
    task = (await client.get(f"/api/tasks/{task_id}/", headers=admin.headers)).json()
    url = task["data"]["image"]
    assert url.startswith(f"/data/upload/{project['id']}/") and url.endswith(name)
    served = await client.get(url, headers=admin.headers)
    assert served.status_code == 200 and served.content == content
    assert served.headers["content-type"].split(";")[0] == mime


async def test_urls_and_data_uris_are_task_values(client, admin, project):
    data_uri = "data:image/png;base64," + base64.b64encode(_image("PNG")).decode()
    tasks = [{"image": "https://example.com/a.jpg"}, {"image": "http://example.com/b.png?x=1"}, {"image": data_uri},
             {"image": "s3://bucket/c.jpg"}]
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers, json=tasks)
    assert r.status_code == 201, r.text
    raw = (await client.get("/api/tasks", params={"project": project["id"], "resolve_uri": "false"},
                            headers=admin.headers)).json()["tasks"]
    assert [t["data"]["image"] for t in raw] == [t["image"] for t in tasks]
    # Resolved for the browser: a storage URI goes through the project's storage resolver.
    shown = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    assert [t["data"]["image"] for t in shown][:3] == [t["image"] for t in tasks][:3]
    assert shown[3]["data"]["image"].startswith(f"/data/storage/{project['id']}/resolve/?fileuri=")


async def test_a_result_on_the_image_is_stored_as_label_studio_json(client, admin, project):
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                          json=[{"image": "https://example.com/a.jpg"}])
    (task_id,) = r.json()["task_ids"]
    item = {"id": "a1B2c3D4e5", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "origin": "manual",
            "original_width": 1920, "original_height": 1080, "image_rotation": 0,
            "value": {"x": 10.0, "y": 20.0, "width": 15.5, "height": 12.25, "rotation": 0, "rectanglelabels": ["Car"]}}
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": [item]})
    assert r.status_code == 201, r.text
    assert r.json()["result"] == [item]


async def test_plugin_announces_widgets_and_formats(client, admin, project):
    catalogue = (await client.get("/api/plugins", headers=admin.headers)).json()
    tags = catalogue["tags"]
    assert tags["Image"]["module"].split("?")[0].endswith("/static/plugins/image/widgets/image.js")
    for tag in ("RectangleLabels", "Rectangle", "PolygonLabels", "KeyPointLabels", "EllipseLabels", "BrushLabels", "MagicWand"):
        assert tags[tag]["module"].split("?")[0].endswith("/static/plugins/image/widgets/control.js"), tag
    module = await client.get(tags["Image"]["module"], headers=admin.headers)
    # The widget module also exports the data manager's thumbnail (from its own thumbnail.js).
    assert module.status_code == 200 and 'export { preview } from "./thumbnail.js"' in module.text
    thumbnail = await client.get(tags["Image"]["module"].split("?")[0].replace("image.js", "thumbnail.js"), headers=admin.headers)
    assert thumbnail.status_code == 200 and "export function preview" in thumbnail.text
