"""Exports that ship media (``COCO_WITH_IMAGES``) read storage URIs through the project's storage."""

from __future__ import annotations

import io
import zipfile

from . import memstore

CONFIG = ('<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img">'
          '<Label value="Car"/></RectangleLabels></View>')
BOX = [{"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 100,
        "original_height": 50, "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rectanglelabels": ["Car"]}}]


async def test_coco_with_images_reads_the_bucket(client, admin):
    memstore.BUCKETS["b"] = {"photos/car.png": b"\x89PNG car pixels"}
    project = (await client.post("/api/projects/", json={"title": "Cars", "label_config": CONFIG},
                                 headers=admin.headers)).json()["id"]
    response = await client.post("/api/storages/mem", json={"project": project, "bucket": "b", "presign": True},
                                 headers=admin.headers)
    assert response.status_code == 201
    await client.post(f"/api/projects/{project}/import", headers=admin.headers, json=[
        {"data": {"image": "mem://b/photos/car.png"}, "annotations": [{"result": BOX}]},
        {"data": {"image": "mem://b/photos/gone.png"}, "annotations": [{"result": BOX}]},
    ])
    export = await client.get(f"/api/projects/{project}/export?exportType=COCO_WITH_IMAGES", headers=admin.headers)
    assert export.status_code == 200, export.text
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    images = {name: archive.read(name) for name in archive.namelist() if name.startswith("images/") and name != "images/"}
    assert list(images.values()) == [b"\x89PNG car pixels"], archive.namelist()
    assert "photos/gone.png" in archive.read("missing_images.txt").decode()
