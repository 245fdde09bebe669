"""Image formats that ship the images (``*_WITH_IMAGES``, VOC with ``download_resources``),
oriented YOLO boxes and brush masks as NumPy arrays, each compared with Label Studio's converter
run on our JSON export of the same project. Remote images come from a real HTTP server."""

from __future__ import annotations

import asyncio
import functools
import http.server
import io
import json
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from label_studio_sdk.converter import Converter
from label_studio_sdk.converter import brush as ls_brush
from litestar.testing import AsyncTestClient

from labelloom.core.export.media import MediaReader, downloaded_name
from tests.export.test_snapshots import wait_for

from .test_exporters import CONFIG, MASK, RESULT, SIZE, H, W, _export, _project, _zip

PARK = b"\xff\xd8\xff park pixels"
OTHER_PARK = b"\xff\xd8\xff another park"
STREET = b"\x89PNG street pixels"
BOX = {"from_name": "box", "to_name": "img", "type": "rectanglelabels", **SIZE}
ROTATED = [
    {**BOX, "id": "r1", "value": {"x": 20.0, "y": 10.0, "width": 30.0, "height": 20.0, "rotation": 30,
                                  "rectanglelabels": ["Car"]}},
    {**BOX, "id": "r2", "value": {"x": 5.0, "y": 50.0, "width": 10.0, "height": 25.0, "rotation": 0,
                                  "rectanglelabels": ["Person"]}},
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def image_server(tmp_path):
    root = tmp_path / "www"
    (root / "photos" / "other").mkdir(parents=True)
    (root / "photos" / "park.jpg").write_bytes(PARK)
    (root / "photos" / "other" / "park.jpg").write_bytes(OTHER_PARK)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def client(make_app):
    """The app, allowed to fetch from the loopback image server (the SSRF guard refuses by default)."""
    async with AsyncTestClient(make_app(allow_private_urls=True)) as test_client:
        yield test_client


@pytest.fixture
async def media_project(client, admin, image_server, data_dir):
    upload = Path(data_dir) / "media" / "upload" / "1"
    upload.mkdir(parents=True)
    (upload / "abcd1234-street.png").write_bytes(STREET)
    tasks = [
        {"data": {"image": f"{image_server}/photos/park.jpg"}, "annotations": [{"result": RESULT}]},
        {"data": {"image": f"{image_server}/photos/other/park.jpg"}, "annotations": [{"result": ROTATED}]},
        {"data": {"image": "/data/upload/1/abcd1234-street.png"}},
        {"data": {"image": f"{image_server}/photos/gone.jpg"}, "annotations": [{"result": ROTATED}]},
        {"data": {"image": f"{image_server}/photos/skipped.jpg"}, "annotations": [{"result": [], "was_cancelled": True}]},
    ]
    return await _project(client, admin, CONFIG, tasks)


async def _ls_convert(client, admin, project, tmp_path, fmt) -> Path:
    """Label Studio's converter on our JSON export: its output folder."""
    source = tmp_path / f"{fmt}.json"
    source.write_bytes((await _export(client, admin, project["id"], "JSON")).content)
    out = tmp_path / f"ls-{fmt}"
    converter = Converter(CONFIG, str(tmp_path), download_resources=True)
    await asyncio.to_thread(converter.convert, str(source), str(out), fmt, is_dir=False)
    return out


def _files(archive: zipfile.ZipFile, folder: str) -> dict[str, bytes]:
    return {n[len(folder):]: archive.read(n) for n in archive.namelist() if n.startswith(folder) and n != folder}


async def test_yolo_with_images_matches_label_studio(client, admin, media_project, image_server, tmp_path):
    archive = _zip(await _export(client, admin, media_project["id"], "YOLO_WITH_IMAGES"))
    park, other = (f"{image_server}/photos/park.jpg", f"{image_server}/photos/other/park.jpg")
    images = _files(archive, "images/")
    # Same file name, different URLs: both shipped, told apart by Label Studio's hash prefix.
    assert images == {downloaded_name(park): PARK, downloaded_name(other): OTHER_PARK,
                      downloaded_name("/data/upload/1/abcd1234-street.png"): STREET}
    labels = _files(archive, "labels/")
    ls = await _ls_convert(client, admin, media_project, tmp_path, "YOLO_WITH_IMAGES")
    for url, content in ((park, PARK), (other, OTHER_PARK)):
        name = downloaded_name(url)
        assert (ls / "images" / name).read_bytes() == content  # Label Studio downloaded it under this name
        stem = name.rsplit(".", 1)[0]
        assert labels[f"{stem}.txt"] == (ls / "labels" / f"{stem}.txt").read_bytes()
    assert labels[downloaded_name(park).rsplit(".", 1)[0] + ".txt"].count(b"\n") == 3
    assert archive.read("classes.txt") == (ls / "classes.txt").read_bytes()
    # The image that is gone keeps its labels and is reported; a skipped-only task is not exported.
    missing = archive.read("missing_images.txt").decode().splitlines()
    assert missing == ["image\treason", f"{image_server}/photos/gone.jpg\tHTTP 404"]
    assert downloaded_name(f"{image_server}/photos/gone.jpg").rsplit(".", 1)[0] + ".txt" in labels
    assert not any("skipped" in name for name in archive.namelist())


async def test_coco_with_images_names_files_as_label_studio(client, admin, media_project, image_server, tmp_path):
    archive = _zip(await _export(client, admin, media_project["id"], "COCO_WITH_IMAGES"))
    ours = json.loads(archive.read("result.json"))
    ls = await _ls_convert(client, admin, media_project, tmp_path, "COCO_WITH_IMAGES")
    theirs = json.loads((ls / "result.json").read_text())
    remote = [i for i in ours["images"] if "park" in i["file_name"]]
    assert [i["file_name"] for i in remote] == [i["file_name"] for i in theirs["images"] if "park" in i["file_name"]]
    # (rotated boxes are left out: their COCO bbox differs on purpose, see the exporters' docstring)
    # Label Studio sums the shoelace terms with numpy's dot, whose order (and so the last bits of
    # `area`) depends on the CPU's BLAS kernel: areas are compared to 1e-12, the rest exactly.
    mine = [a for a in ours["annotations"] if a["image_id"] == 0]
    reference = [a for a in theirs["annotations"] if a["image_id"] == 0]
    assert [{**a, "area": None} for a in mine] == [{**a, "area": None} for a in reference]
    assert [a["area"] for a in mine] == pytest.approx([a["area"] for a in reference], rel=1e-12)
    assert ours["categories"] == theirs["categories"]
    for image in ours["images"]:
        if "gone" not in image["file_name"]:
            assert image["file_name"] in archive.namelist()  # every image the JSON names is in the zip
    plain = json.loads(_zip(await _export(client, admin, media_project["id"], "COCO")).read("result.json"))
    assert [i["file_name"] for i in plain["images"]][:2] == ["images/park.jpg", "images/park.jpg"]
    assert _files(_zip(await _export(client, admin, media_project["id"], "COCO")), "images/") == {}


async def test_yolo_obb_matches_label_studio(client, admin, media_project, tmp_path):
    archive = _zip(await _export(client, admin, media_project["id"], "YOLO_OBB"))
    ls = await _ls_convert(client, admin, media_project, tmp_path, "YOLO_OBB")
    ours = archive.read("labels/park.txt")  # the two park images share a name without their files
    theirs = {p.name: p.read_bytes() for p in (ls / "labels").iterdir()}
    assert ours in theirs.values()
    lines = [line.split() for line in archive.read("labels/gone.txt").decode().splitlines()]
    assert [len(line) for line in lines] == [9, 9]
    corners = [float(v) for v in lines[0][1:]]
    assert corners[:2] == pytest.approx([0.2, 0.1]) and corners[2] != corners[6]  # rotated: not axis-aligned
    assert [float(v) for v in lines[1][1:]] == pytest.approx([0.05, 0.5, 0.15, 0.5, 0.15, 0.75, 0.05, 0.75])
    names = [f["name"] for f in (await client.get(f"/api/projects/{media_project['id']}/export/formats",
                                                  headers=admin.headers)).json()]
    assert {"YOLO_OBB", "YOLO_OBB_WITH_IMAGES", "COCO_WITH_IMAGES", "YOLO_WITH_IMAGES", "BRUSH_TO_NUMPY",
            "BRUSH_TO_COCO"} <= set(names)


async def test_voc_ships_images_only_when_asked(client, admin, media_project, image_server):
    plain = _zip(await _export(client, admin, media_project["id"], "VOC"))
    assert _files(plain, "images/") == {}
    shipped = _zip(await _export(client, admin, media_project["id"], "VOC", download_resources="true"))
    name = downloaded_name(f"{image_server}/photos/park.jpg")
    assert _files(shipped, "images/")[name] == PARK
    xml = shipped.read(f"Annotations/{name.rsplit('.', 1)[0]}.xml").decode()
    assert f"<filename>{name}</filename>" in xml


async def test_snapshot_converts_with_images(client, admin, media_project):
    base = f"/api/projects/{media_project['id']}/exports"
    created = (await client.post(base + "/", headers=admin.headers, json={})).json()
    await wait_for(client, admin, f"{base}/{created['id']}", lambda e: e["status"] == "completed")
    r = await client.post(f"{base}/{created['id']}/convert", headers=admin.headers,
                          json={"export_type": "YOLO_WITH_IMAGES"})
    assert r.status_code == 200, r.text
    await wait_for(client, admin, f"{base}/{created['id']}",
                   lambda e: e["converted_formats"] and e["converted_formats"][0]["status"] == "completed")
    r = await client.get(f"{base}/{created['id']}/download?exportType=YOLO_WITH_IMAGES", headers=admin.headers)
    assert PARK in _files(_zip(r), "images/").values()


async def test_brush_numpy_matches_label_studio(client, admin, tmp_path):
    project = await _project(client, admin, CONFIG, [{"data": {"image": "/data/upload/1/a.png"},
                                                      "annotations": [{"result": RESULT}]}])
    archive = _zip(await _export(client, admin, project["id"], "BRUSH_TO_NUMPY"))
    source = tmp_path / "export.json"
    source.write_bytes((await _export(client, admin, project["id"], "JSON")).content)
    out = tmp_path / "ls"
    out.mkdir()
    converter = Converter(CONFIG, str(tmp_path), download_resources=False)
    ls_brush.convert_task_dir(converter.iter_from_json_file(str(source)), str(out), out_format="numpy")
    (theirs,) = [p.name for p in out.iterdir()]
    assert archive.namelist() == [theirs] and theirs.endswith("-mask-Sky-0.npy")
    assert archive.read(theirs) == (out / theirs).read_bytes()  # byte for byte what numpy.save wrote
    array = np.load(io.BytesIO(archive.read(theirs)))
    assert array.shape == (H, W) and array.tobytes() == MASK


async def test_media_reader_sources_and_refusals(data_dir, image_server):
    upload = Path(data_dir) / "media" / "upload" / "2"
    upload.mkdir(parents=True)
    (upload / "x.png").write_bytes(STREET)
    (Path(data_dir) / "secret.txt").write_text("no")
    guarded = MediaReader(Path(data_dir) / "media", None, 2)
    assert await guarded.read("data:image/png;base64,iVBORw0KGgo=") == b"\x89PNG\r\n\x1a\n"
    assert await guarded.read("/data/upload/2/x.png") == STREET
    assert await guarded.read("/data/upload/2/../../../secret.txt") is None
    assert await guarded.read(f"{image_server}/photos/park.jpg") is None  # loopback: the SSRF guard says no
    assert await guarded.read("s3://bucket/key.jpg") is None  # no storage plugin in this reader
    assert await guarded.read("data:image/png;base64,!!!") is None
    reasons = [reason for _, reason in guarded.failures]
    assert reasons[0] == "uploaded file not found" and "LABELLOOM_ALLOW_PRIVATE_URLS" in reasons[1]
    assert reasons[2:] == ["no plugin can read this kind of URL", "malformed data: URI"]
    allowed = MediaReader(Path(data_dir) / "media", None, 2, allow_private_urls=True)
    urls = [f"{image_server}/photos/park.jpg", f"{image_server}/photos/other/park.jpg"] * 10
    got = [(url, content) async for url, content in allowed.read_many(urls, window=4)]
    assert got == [(url, PARK if "other" not in url else OTHER_PARK) for url in urls]  # in order
    await allowed.close()


async def test_media_reader_stops_reading_past_the_size_limit(data_dir, image_server, monkeypatch):
    from labelloom.core.export import media as media_module

    monkeypatch.setattr(media_module, "MAX_BYTES", 8)
    reader = MediaReader(Path(data_dir) / "media", None, 2, allow_private_urls=True)
    assert await reader.read(f"{image_server}/photos/park.jpg") is None
    assert reader.failures[0][1].startswith("file larger than")
    await reader.close()


async def test_brush_to_coco_matches_label_studio(client, admin, tmp_path):
    import cv2
    from label_studio_sdk.converter.exports.brush_to_coco import convert_to_coco as ls_brush_to_coco

    from labelloom.plugins.image import rle

    rings = np.zeros((H, W), np.uint8)
    cv2.circle(rings, (20, 24), 16, 255, -1)
    cv2.circle(rings, (20, 24), 9, 0, -1)
    cv2.circle(rings, (20, 24), 3, 255, -1)  # an island in the hole: not an outer contour
    cv2.rectangle(rings, (45, 5), (60, 40), 255, -1)
    second = [{"id": "m2", "from_name": "mask", "to_name": "img", "type": "brushlabels", **SIZE,
               "value": {"format": "rle", "rle": rle.rle_from_mask(rings.tobytes(), W, H), "brushlabels": ["Tree"]}}]
    tasks = [
        {"data": {"image": "/data/upload/1/abcd1234-street.png"}, "annotations": [{"result": RESULT}]},
        {"data": {"image": "https://example.com/photos/park.jpg"}},
        {"data": {"image": "https://example.com/photos/forest.png"}, "annotations": [{"result": second}]},
    ]
    project = await _project(client, admin, CONFIG, tasks)
    archive = _zip(await _export(client, admin, project["id"], "BRUSH_TO_COCO"))
    ours = json.loads(archive.read("result_coco.json"))
    source = tmp_path / "export.json"
    source.write_bytes((await _export(client, admin, project["id"], "JSON")).content)
    converter = Converter(CONFIG, str(tmp_path), download_resources=False)
    ls_brush_to_coco(converter.iter_from_json_file(str(source)), str(tmp_path / "ls"))
    theirs = json.loads((tmp_path / "ls" / "result_coco.json").read_text())
    assert ours["images"] == theirs["images"] and len(ours["images"]) == 2
    assert ours["annotations"] == theirs["annotations"]
    assert len([a for a in ours["annotations"] if a["image_id"] == 2]) == 2  # the ring and the box
    strip = [{k: v for k, v in c.items() if k != "color"} for c in ours["categories"]]
    assert strip == [{k: v for k, v in c.items() if k != "color"} for c in theirs["categories"]]
    assert all(c["color"].startswith("#") for c in ours["categories"])  # ours: stable, not random
    assert {k: v for k, v in ours["info"].items() if k != "date_created"} == {
        k: v for k, v in theirs["info"].items() if k != "date_created"}
