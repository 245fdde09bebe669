"""COCO, YOLO, Pascal VOC and brush-PNG exports: compared with Label Studio's own converter run
on our JSON export of the same project, loaded with pycocotools, and VOC files checked against
an XML schema."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from label_studio_sdk.converter import Converter
from label_studio_sdk.converter import brush as ls_brush
from lxml import etree
from PIL import Image
from pycocotools.coco import COCO

from labelloom.plugins.image import rle
from labelloom.plugins.image.formats.coco import box_pixels

W, H = 64, 48
CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Person"/><Label value="Car"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <BrushLabels name="mask" toName="img"><Label value="Sky"/><Label value="Tree"/></BrushLabels>
  <Choices name="occluded" toName="img" perRegion="true"><Choice value="yes"/><Choice value="no"/></Choices>
</View>
"""


def _mask() -> bytes:
    pixels = bytearray(W * H)
    for y in range(5, 20):
        for x in range(10, 30 + y % 3):
            pixels[y * W + x] = 255
    return bytes(pixels)


MASK = _mask()
SIZE = {"original_width": W, "original_height": H, "image_rotation": 0}
RESULT = [
    {"id": "b1", "from_name": "box", "to_name": "img", "type": "rectanglelabels", **SIZE,
     "value": {"x": 10.0, "y": 20.0, "width": 15.5, "height": 12.25, "rotation": 0, "rectanglelabels": ["Car"]}},
    {"id": "b1", "from_name": "occluded", "to_name": "img", "type": "choices", **SIZE,
     "value": {"x": 10.0, "y": 20.0, "width": 15.5, "height": 12.25, "rotation": 0, "choices": ["no"]}},
    {"id": "b2", "from_name": "box", "to_name": "img", "type": "rectanglelabels", **SIZE,
     "value": {"x": 50.0, "y": 5.0, "width": 30.0, "height": 40.0, "rotation": 0, "rectanglelabels": ["Person"]}},
    {"id": "p1", "from_name": "poly", "to_name": "img", "type": "polygonlabels", **SIZE,
     "value": {"points": [[10.0, 60.0], [40.0, 55.0], [45.0, 90.0], [5.0, 95.0]], "closed": True,
               "polygonlabels": ["Road"]}},
    {"id": "m1", "from_name": "mask", "to_name": "img", "type": "brushlabels", **SIZE,
     "value": {"format": "rle", "rle": rle.rle_from_mask(MASK, W, H), "brushlabels": ["Sky"]}},
]
TASKS = [
    {"data": {"image": "/data/upload/1/abcd1234-street.png"}, "annotations": [{"result": RESULT}]},
    {"data": {"image": "https://example.com/photos/park.jpg?sig=1"}},
    {"data": {"image": "https://example.com/photos/skipped.jpg"},
     "annotations": [{"result": [], "was_cancelled": True}]},
]


async def _project(client, admin, config=CONFIG, tasks=TASKS):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "CV", "label_config": config})
    assert r.status_code == 201, r.text
    project = r.json()
    r = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                          json=tasks)
    assert r.status_code == 201, r.text
    project["task_ids"] = r.json()["task_ids"]
    return project


async def _export(client, admin, pid, kind, **params):
    r = await client.get(f"/api/projects/{pid}/export", headers=admin.headers,
                         params={"exportType": kind, "download_all_tasks": "true", **params})
    assert r.status_code == 200, r.text
    return r


@pytest.fixture
async def project(client, admin):
    return await _project(client, admin)


@pytest.fixture
async def ls_json(client, admin, project, tmp_path) -> Path:
    """Our JSON export, as Label Studio's converter reads it."""
    path = tmp_path / "export.json"
    path.write_bytes((await _export(client, admin, project["id"], "JSON")).content)
    return path


def _zip(response) -> zipfile.ZipFile:
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    return archive


async def test_formats_offered_by_config(client, admin, project):
    names = [f["name"] for f in (await client.get(f"/api/projects/{project['id']}/export/formats",
                                                  headers=admin.headers)).json()]
    assert {"COCO", "YOLO", "VOC", "BRUSH_TO_PNG"} <= set(names)
    text = await _project(client, admin, '<View><Text name="t" value="$t"/><Labels name="l" toName="t">'
                          '<Label value="A"/></Labels></View>', [{"t": "x"}])
    names = [f["name"] for f in (await client.get(f"/api/projects/{text['id']}/export/formats",
                                                  headers=admin.headers)).json()]
    assert not {"COCO", "YOLO", "VOC", "BRUSH_TO_PNG"} & set(names)
    r = await client.get(f"/api/projects/{text['id']}/export", headers=admin.headers, params={"exportType": "COCO"})
    assert r.status_code == 400 and "COCO" in r.text


async def test_coco_matches_label_studio_and_loads_in_pycocotools(client, admin, project, ls_json, tmp_path):
    ours = json.loads(_zip(await _export(client, admin, project["id"], "COCO")).read("result.json"))
    Converter(CONFIG, str(tmp_path), download_resources=False).convert_to_coco(
        str(ls_json), str(tmp_path / "ls"), is_dir=False)
    theirs = json.loads((tmp_path / "ls" / "result.json").read_text())

    assert list(ours) == ["images", "categories", "annotations", "info"]
    assert ours["categories"] == theirs["categories"]
    # Label Studio keeps an undownloadable URL as the file name; we name the file in images/.
    assert [(i["id"], i["width"], i["height"]) for i in ours["images"]] == \
        [(i["id"], i["width"], i["height"]) for i in theirs["images"]]
    assert [i["file_name"] for i in ours["images"]] == ["images/abcd1234-street.png", "images/park.jpg"]
    assert len(ours["annotations"]) == len(theirs["annotations"]) == 3
    for a, b in zip(ours["annotations"], theirs["annotations"]):
        assert {k: v for k, v in a.items() if k not in ("bbox", "area", "segmentation")} == \
            {k: v for k, v in b.items() if k not in ("bbox", "area", "segmentation")}
        assert a["bbox"] == pytest.approx(b["bbox"]) and a["area"] == pytest.approx(b["area"])
        assert [pytest.approx(s) for s in a["segmentation"]] == b["segmentation"]
    car = next(c["id"] for c in ours["categories"] if c["name"] == "Car")
    assert ours["annotations"][0]["category_id"] == car
    assert ours["annotations"][0]["bbox"] == pytest.approx([6.4, 9.6, 9.92, 5.88])

    path = tmp_path / "ours.json"
    path.write_text(json.dumps(ours))
    coco = COCO(str(path))
    assert sorted(coco.getImgIds()) == [0, 1]
    road = coco.getCatIds(catNms=["Road"])
    (polygon,) = coco.loadAnns(coco.getAnnIds(catIds=road))
    mask = coco.annToMask(polygon)
    assert mask.shape == (H, W) and abs(int(mask.sum()) - polygon["area"]) < 0.15 * polygon["area"]


async def test_coco_keypoints_and_rotated_boxes(client, admin, tmp_path):
    config = """<View><Image name="img" value="$image"/>
      <RectangleLabels name="box" toName="img"><Label value="Face"/></RectangleLabels>
      <KeyPointLabels name="kp" toName="img"><Label value="Nose" model_index="1"/><Label value="Eye" model_index="0"/></KeyPointLabels>
    </View>"""
    size = {"original_width": 100, "original_height": 100}
    result = [
        {"id": "f", "from_name": "box", "to_name": "img", "type": "rectanglelabels", **size,
         "value": {"x": 20, "y": 10, "width": 40, "height": 20, "rotation": 30, "rectanglelabels": ["Face"]}},
        {"id": "k1", "from_name": "kp", "to_name": "img", "type": "keypointlabels", **size,
         "value": {"x": 40.2, "y": 30.7, "width": 1, "keypointlabels": ["Nose"]}},
        {"id": "k2", "from_name": "kp", "to_name": "img", "type": "keypointlabels", **size,
         "value": {"x": 35, "y": 25, "width": 1, "keypointlabels": ["Eye"]}},
    ]
    project = await _project(client, admin, config, [{"data": {"image": "/x/face.jpg"}, "annotations": [{"result": result}]}])
    ours = json.loads(_zip(await _export(client, admin, project["id"], "COCO")).read("result.json"))
    path = tmp_path / "export.json"
    path.write_bytes((await _export(client, admin, project["id"], "JSON")).content)
    Converter(config, str(tmp_path), download_resources=False).convert_to_coco(str(path), str(tmp_path / "ls"), is_dir=False)
    theirs = json.loads((tmp_path / "ls" / "result.json").read_text())
    assert ours["categories"] == theirs["categories"]
    assert ours["categories"][-1]["keypoints"] == ["Nose", "Eye"]
    box, points = ours["annotations"]
    assert points == theirs["annotations"][1]
    assert points["keypoints"] == [35, 25, 2, 40, 31, 2] and points["num_keypoints"] == 2
    # On a square image Label Studio's rotation maths and ours agree.
    assert box["bbox"] == pytest.approx(theirs["annotations"][0]["bbox"])


def test_rotated_box_in_pixels():
    # 30 degrees clockwise around the top-left corner: the corners (0,0),(w,0),(w,h),(0,h).
    x, y, w, h = box_pixels({"x": 10, "y": 10, "width": 20, "height": 10, "rotation": 90}, 200, 100)
    assert (x, y, w, h) == pytest.approx((20 - 10, 10, 10, 40))
    assert box_pixels({"x": 1, "y": 2, "width": 3, "height": 4}, 100, 100) == (1, 2, 3, 4)


async def test_yolo_matches_label_studio(client, admin, project, ls_json, tmp_path):
    archive = _zip(await _export(client, admin, project["id"], "YOLO"))
    Converter(CONFIG, str(tmp_path), download_resources=False).convert_to_yolo(
        str(ls_json), str(tmp_path / "ls"), is_dir=False)
    ls = tmp_path / "ls"
    names = set(archive.namelist())
    assert {"classes.txt", "notes.json", "data.yaml", "labels/abcd1234-street.txt", "labels/park.txt"} <= names
    assert archive.read("classes.txt").decode() == (ls / "classes.txt").read_text()
    assert json.loads(archive.read("notes.json"))["categories"] == json.loads((ls / "notes.json").read_text())["categories"]
    street = "labels/abcd1234-street.txt"
    assert archive.read(street).decode() == (ls / street).read_text()
    # Label Studio names a remote image's labels after its download cache (<hash>__park.txt).
    (remote,) = (ls / "labels").glob("*park.txt")
    assert archive.read("labels/park.txt") == remote.read_bytes() == b""
    lines = archive.read("labels/abcd1234-street.txt").decode().splitlines()
    assert len(lines) == 3 and lines[0].split()[1:] == ["0.1775", "0.26125", "0.155", "0.1225"]
    yaml = archive.read("data.yaml").decode()
    assert "nc: 7" in yaml and '  0: "Car"' in yaml and "train: images" in yaml


VOC_XSD = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="annotation">
    <xs:complexType><xs:sequence>
      <xs:element name="folder" type="xs:string"/>
      <xs:element name="filename" type="xs:string"/>
      <xs:element name="source"><xs:complexType><xs:sequence>
        <xs:element name="database" type="xs:string"/><xs:element name="annotation" type="xs:string"/>
        <xs:element name="image" type="xs:string"/><xs:element name="flickrid" type="xs:string"/>
        <xs:element name="annotator" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="owner"><xs:complexType><xs:sequence>
        <xs:element name="flickrid" type="xs:string"/><xs:element name="name" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="size"><xs:complexType><xs:sequence>
        <xs:element name="width" type="xs:positiveInteger"/><xs:element name="height" type="xs:positiveInteger"/>
        <xs:element name="depth" type="xs:positiveInteger"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="segmented" type="xs:integer"/>
      <xs:element name="object" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="name" type="xs:string"/><xs:element name="pose" type="xs:string"/>
        <xs:element name="truncated" type="xs:integer"/><xs:element name="difficult" type="xs:integer"/>
        <xs:element name="bndbox"><xs:complexType><xs:sequence>
          <xs:element name="xmin" type="xs:nonNegativeInteger"/><xs:element name="ymin" type="xs:nonNegativeInteger"/>
          <xs:element name="xmax" type="xs:nonNegativeInteger"/><xs:element name="ymax" type="xs:nonNegativeInteger"/>
        </xs:sequence></xs:complexType></xs:element>
      </xs:sequence></xs:complexType></xs:element>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>"""


async def test_voc_matches_label_studio_and_schema(client, admin, project, ls_json, tmp_path):
    archive = _zip(await _export(client, admin, project["id"], "VOC"))
    Converter(CONFIG, str(tmp_path), download_resources=False).convert_to_voc(
        str(ls_json), str(tmp_path / "ls"), is_dir=False)
    files = [n for n in archive.namelist() if n.endswith(".xml")]
    assert files == ["Annotations/abcd1234-street.xml"]
    ours = archive.read(files[0])
    assert ours == (tmp_path / "ls" / files[0]).read_bytes()
    schema = etree.XMLSchema(etree.fromstring(VOC_XSD))
    doc = etree.fromstring(ours)
    schema.assertValid(doc)
    assert [o.findtext("name") for o in doc.iter("object")] == ["Car", "Person"]
    assert [int(doc.find("object/bndbox/" + k).text) for k in ("xmin", "ymin", "xmax", "ymax")] == [6, 9, 15, 14]


async def test_brush_png_matches_label_studio(client, admin, project, ls_json, tmp_path):
    archive = _zip(await _export(client, admin, project["id"], "BRUSH_TO_PNG"))
    out = tmp_path / "ls"
    out.mkdir()
    converter = Converter(CONFIG, str(tmp_path), download_resources=False)
    ls_brush.convert_task_dir(converter.iter_from_json_file(str(ls_json)), str(out), out_format="png")
    theirs = sorted(p.name for p in out.iterdir())
    assert sorted(archive.namelist()) == theirs and len(theirs) == 1
    assert theirs[0].startswith(f"task-{project['task_ids'][0]}-annotation-") and theirs[0].endswith("-mask-Sky-0.png")
    ours = np.array(Image.open(io.BytesIO(archive.read(theirs[0]))))
    assert ours.shape == (H, W) and ours.dtype == np.uint8
    assert np.array_equal(ours, np.array(Image.open(out / theirs[0])))
    assert ours.tobytes() == MASK


async def test_skipped_and_empty_only(client, admin):
    project = await _project(client, admin, CONFIG, TASKS[1:])
    coco = json.loads(_zip(await _export(client, admin, project["id"], "COCO")).read("result.json"))
    assert coco["annotations"] == [] and [i["file_name"] for i in coco["images"]] == ["images/park.jpg"]
    assert _zip(await _export(client, admin, project["id"], "BRUSH_TO_PNG")).namelist() == []
