"""Computer-vision export formats: COCO, YOLO (and oriented boxes, YOLO_OBB), Pascal VOC XML
and brush masks as PNG or NumPy arrays (and as COCO polygons: ``brush_coco``).

Each follows Label Studio's converter (``label_studio_sdk.converter``) on the same data: the
same items (one per submitted annotation, newest first, plus one empty item per task without
any), the same category ids (labels sorted by name unless ``<Label category="..."/>`` fixes
them), the same pixel maths and file names. ``COCO``/``YOLO`` name images
``images/<file name of the task's image URL>`` without shipping them; the ``*_WITH_IMAGES``
formats (and ``VOC`` with ``download_resources``) put the files in ``images/`` under the names
Label Studio gives downloads (see ``shipped_images``).

Deliberate differences, each where Label Studio's output is wrong or crashes:
- rotated boxes are converted to their pixel-space bounding box (Label Studio mixes percent x and
  y in the rotation, wrong for non-square images; equal for square ones);
- COCO key points without ``model_index`` on their labels keep the config's label order
  (Label Studio refuses the export);
- YOLO writes ``data.yaml`` next to ``classes.txt`` so the folder trains as it is.

Every writer streams: the zip is produced entry by entry while tasks are read batch by batch.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import xml.dom.minidom
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from labelloom.core.plugin import ExporterSpec, ZipStream, annotator, converter_items, url_file_name

from . import rle
from .brush_coco import write_brush_coco
from .coco_json import ArrayItems, SpooledItems, indented
from .png import grey_npy, grey_png
from .shipped_images import ShippedImages, image_value

LS_DOCS = "https://labelstud.io/guide/export.html"
FLUSH_AT = 1 << 20  # hand zip bytes to the response once this many are waiting


# --- the converter's items -----------------------------------------------------------------------


def _values(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [value for values in item["output"].values() for value in values]


# --- config facts ---------------------------------------------------------------------------------


def image_key(context: Any) -> str:
    """The task data key holding the image (the first Image tag's ``value``/``valueList``)."""
    for obj in context.config.objects.values():
        if obj.tag == "Image":
            value = getattr(obj.attrs, "value", None) or getattr(obj.attrs, "valueList", None)
            if isinstance(value, str) and value.startswith("$"):
                return value[1:]
    keys = context.config.data_keys
    return keys[0] if keys else "image"


def categories_of(schema: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Label Studio's ``_get_labels``: every control's label values; ``category="n"`` fixes an
    id, the rest get the free ids in the order of their sorted names."""
    labels: set[str] = set()
    categories: list[dict[str, Any]] = []
    name_to_id: dict[str, int] = {}
    for info in schema.values():
        labels |= set(info.get("labels") or ())
        for label, attrs in (info.get("labels_attrs") or {}).items():
            raw = attrs.get("category")
            if raw is None:
                continue
            try:
                category_id = int(raw)
            except (TypeError, ValueError):
                continue
            categories.append({"id": category_id, "name": label})
            name_to_id[label] = category_id
    used = set(name_to_id.values())
    free = (c for c in itertools.count() if c not in used)
    for label, idx in zip(sorted(labels - set(name_to_id)), free):
        categories.append({"id": idx, "name": label})
        name_to_id[label] = idx
    return categories, name_to_id


def keypoint_labels(schema: dict[str, Any], tag: str = "KeyPointLabels") -> list[str]:
    names: list[str] = []
    for info in schema.values():
        if info.get("type") == tag:
            names.extend(info.get("labels") or ())
    return list(dict.fromkeys(names))


def keypoint_order(schema: dict[str, Any]) -> list[str]:
    """Key point names by their labels' ``model_index`` (Label Studio's ``build_kp_order``);
    without any index, the config's order."""
    attrs: dict[str, dict[str, str]] = {}
    for info in schema.values():
        if info.get("type") == "KeyPointLabels":
            attrs.update(info.get("labels_attrs") or {})
    pairs, used = [], set()
    for name, label_attrs in attrs.items():
        try:
            idx = int(label_attrs.get("model_index"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if idx not in used:
            pairs.append((idx, name))
            used.add(idx)
    pairs.sort(key=lambda p: p[0])
    return [name for _, name in pairs] or keypoint_labels(schema)


def merge_keypoint_categories(categories: list[dict[str, Any]], name_to_id: dict[str, int],
                              schema: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Label Studio's ``update_categories_for_keypoints``: all key point labels become one
    ``default`` category that lists them."""
    points = keypoint_labels(schema)
    if not points:
        return categories, name_to_id
    merged = [dict(c) for c in categories if c["name"] not in points]
    mapping = {c["name"]: c["id"] for c in merged}
    ids = [c["id"] for c in merged if isinstance(c["id"], int)]
    merged_id = max(ids) + 1 if ids else 0
    merged.append({"id": merged_id, "name": "default", "supercategory": "default", "keypoints": points,
                   "skeleton": []})
    for name in points:
        mapping[name] = merged_id
    return merged, mapping


# --- geometry -------------------------------------------------------------------------------------


def box_pixels(value: dict[str, Any], width: float, height: float) -> tuple[float, float, float, float] | None:
    """``[x, y, w, h]`` in pixels of a (possibly rotated) box; a rotated box gives the bounding
    box of its corners, rotated clockwise around the top-left corner as Label Studio draws it."""
    try:
        x, y, w, h = (float(value[k]) for k in ("x", "y", "width", "height"))
    except (KeyError, TypeError, ValueError):
        return None
    rotation = float(value.get("rotation") or 0.0)
    px, py, pw, ph = x * width / 100, y * height / 100, w * width / 100, h * height / 100
    if rotation % 360 == 0:
        return px, py, pw, ph
    a = math.radians(rotation)
    cos, sin = math.cos(a), math.sin(a)
    xs, ys = [], []
    for dx, dy in ((0, 0), (pw, 0), (pw, ph), (0, ph)):
        xs.append(px + dx * cos - dy * sin)
        ys.append(py + dx * sin + dy * cos)
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def obb_corners(label: dict[str, Any]) -> list[tuple[float, float]] | None:
    """A box's corners clockwise from its top-left, rotated around it and normalised to 0-1
    (Label Studio's ``convert_annotation_to_yolo_obb``); None without size or rotation."""
    if not all(k in label for k in ("original_width", "original_height", "x", "y", "width", "height", "rotation")):
        return None
    width, height = label["original_width"], label["original_height"]
    x, y = label["x"] / 100 * width, label["y"] / 100 * height
    w, h = label["width"] / 100 * width, label["height"] / 100 * height
    a = math.radians(label.get("rotation", 0))
    cos, sin = math.cos(a), math.sin(a)
    corners = [(x, y), (x + w * cos, y + w * sin), (x + w * cos - h * sin, y + w * sin + h * cos),
               (x - h * sin, y + h * cos)]
    return [(cx / width, cy / height) for cx, cy in corners]


def polygon_area(xs: list[float], ys: list[float]) -> float:
    """Shoelace formula, as ``get_polygon_area`` computes it."""
    n = len(xs)
    s1 = sum(xs[i] * ys[i - 1] for i in range(n))
    s2 = sum(ys[i] * xs[i - 1] for i in range(n))
    return float(0.5 * abs(s1 - s2))


def image_file_name(value: Any, task_id: int) -> str:
    """``images/<name>``: the last path segment of the image URL (query dropped); for inline
    ``data:`` images a name made from the task id."""
    text = image_value(value)
    if text.startswith("data:"):
        mime = text[5:].split(";", 1)[0].split(",", 1)[0]
        ext = {"image/jpeg": "jpg", "image/svg+xml": "svg"}.get(mime, mime.rsplit("/", 1)[-1] or "img")
        return f"images/task-{task_id}.{ext}"
    name = url_file_name(text) or f"task-{task_id}"
    return f"images/{name[:251]}"


# --- writers -------------------------------------------------------------------------------------


async def write_coco(context: Any, *, with_images: bool = False) -> AsyncIterator[bytes]:
    """``result.json`` (images, categories, annotations, info) and ``images/`` (empty, or with
    the image files for ``COCO_WITH_IMAGES``)."""
    schema = context.config.summary()
    categories, name_to_id = categories_of(schema)
    categories, name_to_id = merge_keypoint_categories(categories, name_to_id, schema)
    order = keypoint_order(schema)
    key = image_key(context)
    images = ShippedImages(context, key, ship=with_images, plain_name=image_file_name)
    archive = ZipStream()
    archive.add_dir("images/")
    try:
        async for chunk in _write_coco(context, archive, images, key, categories, name_to_id, order):
            yield chunk
    finally:
        await images.close()


async def _write_coco(context: Any, archive: ZipStream, images: ShippedImages, key: str,
                      categories: list[dict[str, Any]], name_to_id: dict[str, int],
                      order: list[str]) -> AsyncIterator[bytes]:
    # Annotations come after categories in the file, and categories can still grow (labels
    # found in results but not in the config): spool them, then write them in order.
    with SpooledItems() as annotation_items, archive.open("result.json") as out:
        out.write(b'{\n  "images": [')
        image_items = ArrayItems(lambda text: out.write(text.encode()))
        async for batch in context.batches():
            for task in batch:
                for item in converter_items(context, task):
                    file_name = images.name(item["input"].get(key), item["id"])
                    _coco_item(item, file_name, name_to_id, categories, order, image_items.count, image_items.add,
                               annotation_items.add, lambda: annotation_items.count)
            chunk = archive.take()
            if chunk:
                yield chunk
        out.write(b"\n  ],\n  \"categories\": " + indented(categories, 2).encode() + b',\n  "annotations": [')
        annotation_items.copy_to(out)
        now = datetime.now()
        info = {"year": now.year, "version": "1.0", "description": "", "contributor": "Label Studio", "url": "",
                "date_created": str(now)}
        out.write(("\n  ],\n  \"info\": " + indented(info, 2) + "\n}").encode())
    yield archive.take()
    if images.media is not None:  # a second pass: no entry may be written while result.json is open
        async for batch in context.batches():
            async for chunk in images.add(archive, (task for task in batch if converter_items(context, task))):
                yield chunk
        images.finish(archive)
    yield archive.take()
    yield archive.close()


def _coco_item(item: dict[str, Any], file_name: str, name_to_id: dict[str, int], categories: list[dict[str, Any]],
               order: list[str], image_id: int, emit_image: Any, emit_annotation: Any, next_id: Any) -> None:
    if not item["output"]:
        emit_image({"width": None, "height": None, "id": image_id, "file_name": file_name})
        return
    labels = _values(item)
    width = height = None
    points: list[dict[str, Any]] = []
    for label in labels:
        category = None
        for field in ("rectanglelabels", "polygonlabels", "keypointlabels", "labels"):
            if field in label and label[field]:
                category = label[field][0]
                break
        if category is None:
            continue
        if not width or not height:
            if "original_width" not in label or "original_height" not in label:
                continue
            width, height = label["original_width"], label["original_height"]
            emit_image({"width": width, "height": height, "id": image_id, "file_name": file_name})
        if category not in name_to_id:
            name_to_id[category] = len(categories)
            categories.append({"id": len(categories), "name": category})
        category_id = name_to_id[category]
        if "rectanglelabels" in label or "labels" in label:
            box = box_pixels(label, label["original_width"], label["original_height"])
            if box is None:
                continue
            x, y, w, h = box
            emit_annotation({"id": next_id(), "image_id": image_id, "category_id": category_id, "segmentation": [],
                             "bbox": [x, y, w, h], "ignore": 0, "iscrowd": 0, "area": w * h})
        elif "polygonlabels" in label:
            absolute = [(px / 100 * width, py / 100 * height) for px, py in label.get("points") or []]
            if not absolute:
                continue
            xs, ys = [p[0] for p in absolute], [p[1] for p in absolute]
            emit_annotation({
                "id": next_id(), "image_id": image_id, "category_id": category_id,
                "segmentation": [[c for p in absolute for c in p]],
                "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
                "ignore": 0, "iscrowd": 0, "area": polygon_area(xs, ys),
            })
        elif "keypointlabels" in label:
            points.append(label)
    if points and order:
        emit_annotation(_coco_keypoints(points, order, next_id(), image_id, name_to_id))


def _coco_keypoints(points: list[dict[str, Any]], order: list[str], annotation_id: int, image_id: int,
                    name_to_id: dict[str, int]) -> dict[str, Any]:
    """One annotation holding every key point of the image (Label Studio's
    ``process_keypoints_for_coco``): ``[x, y, v] * len(order)`` in whole pixels."""
    keypoints = [0] * (len(order) * 3)
    for point in points:
        x = point["x"] / 100 * point["original_width"]
        y = point["y"] / 100 * point["original_height"]
        names = point.get("keypointlabels") or []
        for name in names:
            if name in order:
                i = order.index(name)
                keypoints[3 * i:3 * i + 3] = [int(round(x)), int(round(y)), 2]
    visible = [i for i in range(len(order)) if keypoints[3 * i + 2] > 0]
    if visible:
        xs = [keypoints[3 * i] for i in visible]
        ys = [keypoints[3 * i + 1] for i in visible]
        bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    else:
        bbox = [0, 0, 0, 0]
    return {"id": annotation_id, "image_id": image_id, "category_id": name_to_id.get(order[0], 0),
            "keypoints": keypoints, "num_keypoints": len(visible), "bbox": bbox, "iscrowd": 0}


def _yolo_lines(labels: list[dict[str, Any]], name_to_id: dict[str, int], categories: list[dict[str, Any]],
                *, obb: bool = False) -> str:
    """``process_and_save_yolo_annotations``: ``class cx cy w h`` for boxes (``obb``: ``class x1
    y1 ... x4 y4``, the rotated box's corners), ``class x1 y1 ...`` for polygons, normalised to
    0-1; one line per label of a multi-label region."""
    rows: list[list[Any]] = []
    for label in labels:
        names = [n for field in ("rectanglelabels", "polygonlabels", "labels") for n in (label.get(field) or [])]
        for name in names:
            if name not in name_to_id:
                name_to_id[name] = len(categories)
                categories.append({"id": len(categories), "name": name})
            category_id = name_to_id[name]
            if "rectanglelabels" in label or "rectangle" in label or "labels" in label:
                if obb:
                    corners = obb_corners(label)
                    if corners is not None:
                        rows.append([category_id, *(c for corner in corners for c in corner)])
                    continue
                try:
                    x, y, w, h = (label[k] for k in ("x", "y", "width", "height"))
                    rows.append([category_id, (x + w / 2) / 100, (y + h / 2) / 100, w / 100, h / 100])
                except (KeyError, TypeError):
                    continue
            elif "polygonlabels" in label or "polygon" in label:
                if "points" in label:
                    rows.append([category_id] + [c / 100 for p in label["points"] for c in p])
    return "".join(" ".join(str(v) for v in row) + "\n" for row in rows)


def _yolo_keypoint_lines(labels: list[dict[str, Any]], categories: list[dict[str, Any]], order: list[str]) -> str:
    """Label Studio's ``process_keypoints_for_yolo``: each labelled box followed by the key
    points whose ``parentID`` is the box, in ``model_index`` order (``0.0 0.0 0`` if missing)."""
    classes = {c["name"]: c["id"] for c in categories}
    boxes: dict[Any, dict[str, Any]] = {}
    for label in labels:
        if label["type"].lower() == "rectanglelabels" and label.get("rectanglelabels"):
            cls = classes.get(label["rectanglelabels"][0])
            if cls is None:
                continue
            x, y, w, h = label["x"] / 100.0, label["y"] / 100.0, label["width"] / 100.0, label["height"] / 100.0
            boxes[label["id"]] = {"row": [cls, x + w / 2.0, y + h / 2.0, w, h], "points": {}}
    for label in labels:
        if label["type"].lower() == "keypointlabels" and label.get("parentID") in boxes and label.get("keypointlabels"):
            boxes[label["parentID"]]["points"][label["keypointlabels"][0]] = (label["x"] / 100.0, label["y"] / 100.0, 2)
    lines = []
    for box in boxes.values():
        values = list(box["row"])
        for name in order:
            values.extend(box["points"].get(name, (0.0, 0.0, 0)))
        lines.append(" ".join(map(str, values)))
    return "\n".join(lines)


async def write_yolo(context: Any, *, obb: bool = False, with_images: bool = False) -> AsyncIterator[bytes]:
    """``labels/<image>.txt`` per image, ``classes.txt``, ``notes.json``, ``data.yaml``, and
    ``images/`` (empty, or with the image files for ``*_WITH_IMAGES``). ``obb``: boxes as their
    four corners (``YOLO_OBB``)."""
    schema = context.config.summary()
    points = keypoint_labels(schema)
    if points:
        boxes = keypoint_labels(schema, "RectangleLabels")
        categories = [{"id": i, "name": name, "keypoints": points} for i, name in enumerate(boxes)]
        name_to_id = {name: i for i, name in enumerate(boxes)}
        order = keypoint_order(schema)
    else:
        categories, name_to_id = categories_of(schema)
        order = []
    key = image_key(context)
    images = ShippedImages(context, key, ship=with_images, plain_name=image_file_name)
    archive = ZipStream()
    archive.add_dir("images/")
    archive.add_dir("labels/")
    try:
        async for chunk in _write_yolo(context, archive, images, key, categories, name_to_id, points, order, obb):
            yield chunk
    finally:
        await images.close()


async def _write_yolo(context: Any, archive: ZipStream, images: ShippedImages, key: str,
                      categories: list[dict[str, Any]], name_to_id: dict[str, int], points: list[str],
                      order: list[str], obb: bool) -> AsyncIterator[bytes]:
    written: set[str] = set()
    async for batch in context.batches():
        batch_items = [(task, converter_items(context, task, with_ids=bool(points))) for task in batch]
        async for chunk in images.add(archive, (task for task, items in batch_items if items)):
            yield chunk
        for _, items in batch_items:
            if not items:
                continue
            # Label Studio writes one file per item, so the task's last item (its oldest
            # annotation) is the one left on disk.
            item = items[-1]
            stem = PurePosixPath(images.name(item["input"].get(key), item["id"])).stem[:251]
            path = f"labels/{stem}.txt"
            if path in written:
                path = f"labels/{stem}-task-{item['id']}.txt"
            written.add(path)
            labels = _values(item)
            if not labels:
                text = ""
            elif points:
                text = _yolo_keypoint_lines(labels, categories, order)
            else:
                text = _yolo_lines(labels, name_to_id, categories, obb=obb)
            archive.add(path, text.encode())
        chunk = archive.take()
        if chunk:
            yield chunk
    images.finish(archive)
    archive.add("classes.txt", "".join(c["name"] + "\n" for c in categories).encode())
    now = datetime.now()
    notes = {"categories": categories, "info": {"year": now.year, "version": "1.0", "contributor": "Label Studio"}}
    archive.add("notes.json", json.dumps(notes, indent=2, ensure_ascii=False).encode())
    archive.add("data.yaml", _data_yaml(categories).encode())
    yield archive.take()
    yield archive.close()


def _data_yaml(categories: list[dict[str, Any]]) -> str:
    """An Ultralytics dataset file: class ids -> names, images and labels side by side."""
    lines = ["# Ultralytics YOLO dataset (exported from Labelloom)", "path: .", "train: images", "val: images",
             f"nc: {len(categories)}", "names:"]
    lines += [f"  {c['id']}: {json.dumps(c['name'], ensure_ascii=False)}" for c in sorted(categories, key=lambda c: c["id"])]
    return "\n".join(lines) + "\n"


def voc_xml(item: dict[str, Any], image_name: str, width: Any, height: Any, boxes: list[dict[str, Any]]) -> bytes:
    """One Pascal VOC annotation, node for node as Label Studio's ``convert_to_voc`` writes it
    (whole pixels, truncated; ``xmax = xmin + width``)."""
    doc = xml.dom.getDOMImplementation().createDocument(None, "annotation", None)
    root = doc.documentElement

    def child(tag: str, text: str, parent: Any) -> None:
        node = doc.createElement(tag)
        node.appendChild(doc.createTextNode(text))
        parent.appendChild(node)

    child("folder", "images", root)
    child("filename", image_name, root)
    source = doc.createElement("source")
    for tag, text in (("database", "MyDatabase"), ("annotation", "COCO2017"), ("image", "flickr"),
                      ("flickrid", "NULL"), ("annotator", annotator(item, default="") or "")):
        child(tag, text, source)
    root.appendChild(source)
    owner = doc.createElement("owner")
    child("flickrid", "NULL", owner)
    child("name", "Label Studio", owner)
    root.appendChild(owner)
    size = doc.createElement("size")
    child("width", str(width), size)
    child("height", str(height), size)
    child("depth", "3", size)
    root.appendChild(size)
    child("segmented", "0", root)
    for box in boxes:
        field = "rectanglelabels" if "rectanglelabels" in box else ("labels" if "labels" in box else None)
        if field is None or not box[field]:
            continue
        x, y = int(box["x"] / 100 * width), int(box["y"] / 100 * height)
        w, h = int(box["width"] / 100 * width), int(box["height"] / 100 * height)
        obj = doc.createElement("object")
        child("name", box[field][0], obj)
        child("pose", "Unspecified", obj)
        child("truncated", "0", obj)
        child("difficult", "0", obj)
        bndbox = doc.createElement("bndbox")
        for tag, number in (("xmin", x), ("ymin", y), ("xmax", x + w), ("ymax", y + h)):
            child(tag, str(number), bndbox)
        obj.appendChild(bndbox)
        root.appendChild(obj)
    return doc.toprettyxml(indent="", newl="\n", encoding="utf-8")


async def write_voc(context: Any) -> AsyncIterator[bytes]:
    """``Annotations/<image>.xml`` per annotated image and ``images/``, with the image files when
    the export asks for ``download_resources``."""
    key = image_key(context)
    images = ShippedImages(context, key, ship=context.download_resources, plain_name=image_file_name)
    archive = ZipStream()
    archive.add_dir("images/")
    archive.add_dir("Annotations/")
    try:
        async for chunk in _write_voc(context, archive, images, key):
            yield chunk
    finally:
        await images.close()


async def _write_voc(context: Any, archive: ZipStream, images: ShippedImages, key: str) -> AsyncIterator[bytes]:
    written: set[str] = set()
    async for batch in context.batches():
        batch_items = [(task, converter_items(context, task)) for task in batch]
        async for chunk in images.add(archive, (task for task, items in batch_items if items)):
            yield chunk
        for _, items in batch_items:
            for item in reversed(items):  # the oldest annotation wins, as on disk
                boxes = _values(item)
                if not boxes or "original_width" not in boxes[0] or "original_height" not in boxes[0]:
                    continue
                image_name = PurePosixPath(images.name(item["input"].get(key), item["id"])).name
                path = f"Annotations/{PurePosixPath(image_name).stem}.xml"
                if path in written:
                    continue
                written.add(path)
                archive.add(path, voc_xml(item, image_name, boxes[0]["original_width"], boxes[0]["original_height"], boxes))
        chunk = archive.take()
        if chunk:
            yield chunk
    images.finish(archive)
    yield archive.take()
    yield archive.close()


def _safe(text: str) -> str:
    return text.replace("/", "-").replace("\\", "-")


async def write_brush(context: Any, *, encode: Any = grey_png, extension: str = "png") -> AsyncIterator[bytes]:
    """One greyscale image per labelled brush region (the mask's alpha channel), named
    ``task-<id>-annotation-<id>-by-<annotator>-<control>-<labels>-<n>.<extension>`` as Label
    Studio does; ``encode(mask, width, height)`` writes it (PNG, or NumPy for ``.npy``)."""
    archive = ZipStream()
    pending = 0
    async for batch in context.batches():
        for task in batch:
            for item in converter_items(context, task):
                who = annotator(item, default="") or ""
                who = "".join(ch for ch in who if ch.isalnum() or ch in "@.")
                for from_name, results in item["output"].items():
                    counters: dict[str, int] = defaultdict(int)
                    for result in results:
                        kind = result["type"].lower()
                        field = "brushlabels" if kind == "brushlabels" else ("labels" if kind == "labels" else None)
                        if field is None or "rle" not in result:
                            continue
                        name = from_name + "-" + "-".join(result.get(field) or ["no_label"])
                        number = counters[name]
                        counters[name] += 1
                        width, height = result.get("original_width"), result.get("original_height")
                        if not isinstance(width, int) or not isinstance(height, int):
                            continue
                        try:
                            mask = rle.mask_from_rle(result["rle"], width, height)
                        except rle.RleError:
                            continue  # a damaged mask is left out rather than failing the whole export
                        filename = f"task-{item['id']}-annotation-{item['annotation_id']}-by-{who}-{_safe(name)}-{number}"
                        archive.add(f"{filename}.{extension}", encode(mask, width, height))
                        pending += 1
                        if pending >= 16:
                            pending = 0
                            yield archive.take()
        chunk = archive.take()
        if chunk:
            yield chunk
    yield archive.close()


BOX_TYPES = frozenset({"rectanglelabels", "rectangle"})
DETECTION_TYPES = BOX_TYPES | {"polygonlabels", "polygon", "keypointlabels", "keypoint"}

def _zip_format(**fields: Any) -> ExporterSpec:
    """Every format of this plugin is a zip stream."""
    return ExporterSpec(media_type="application/zip", file_extension="zip", **fields)


EXPORTERS = [
    _zip_format(
        name="COCO",
        title="COCO",
        description="Popular machine learning format used by the COCO dataset for object detection and image "
        "segmentation tasks with polygons and rectangles.",
        requires=DETECTION_TYPES,
        write=write_coco,
        link=LS_DOCS + "#COCO",
        tags=("image segmentation", "object detection", "keypoints"),
    ),
    _zip_format(
        name="VOC",
        title="Pascal VOC XML",
        description="Popular XML format used for object detection and polygon image segmentation tasks.",
        requires=BOX_TYPES,
        write=write_voc,
        link=LS_DOCS + "#Pascal-VOC-XML",
        tags=("image segmentation", "object detection"),
    ),
    _zip_format(
        name="YOLO",
        title="YOLO",
        description="Popular TXT format is created for each image file. Each txt file contains annotations for "
        "the corresponding image file, that is object class, object coordinates, height & width.",
        requires=DETECTION_TYPES,
        write=write_yolo,
        link=LS_DOCS + "#YOLO",
        tags=("image segmentation", "object detection", "keypoints"),
    ),
    _zip_format(
        name="COCO_WITH_IMAGES",
        title="COCO with Images",
        description="COCO, with the image files themselves in images/.",
        requires=DETECTION_TYPES,
        write=functools.partial(write_coco, with_images=True),
        link=LS_DOCS + "#COCO",
        tags=("image segmentation", "object detection", "keypoints"),
    ),
    _zip_format(
        name="YOLO_WITH_IMAGES",
        title="YOLO with Images",
        description="YOLO, with the image files themselves in images/ next to labels/.",
        requires=DETECTION_TYPES,
        write=functools.partial(write_yolo, with_images=True),
        link=LS_DOCS + "#YOLO",
        tags=("image segmentation", "object detection", "keypoints"),
    ),
    _zip_format(
        name="YOLO_OBB",
        title="YOLOv8 OBB",
        description="YOLO oriented bounding boxes: each box as its four corners (x1 y1 ... x4 y4, 0-1), so "
        "rotated boxes keep their rotation.",
        requires=DETECTION_TYPES,
        write=functools.partial(write_yolo, obb=True),
        link=LS_DOCS + "#YOLO",
        tags=("image segmentation", "object detection"),
    ),
    _zip_format(
        name="YOLO_OBB_WITH_IMAGES",
        title="YOLOv8 OBB with Images",
        description="YOLO oriented bounding boxes, with the image files themselves in images/.",
        requires=DETECTION_TYPES,
        write=functools.partial(write_yolo, obb=True, with_images=True),
        link=LS_DOCS + "#YOLO",
        tags=("image segmentation", "object detection"),
    ),
    _zip_format(
        name="BRUSH_TO_NUMPY",
        title="Brush labels to NumPy",
        description="Each brush region as a NumPy 2-D array (.npy, height x width, 0-255).",
        requires=frozenset({"brushlabels", "brush"}),
        write=functools.partial(write_brush, encode=grey_npy, extension="npy"),
        link=LS_DOCS + "#Brush-labels-to-NumPy-amp-PNG",
        tags=("image segmentation",),
    ),
    _zip_format(
        name="BRUSH_TO_COCO",
        title="Brush labels to COCO",
        description="COCO with each brush mask traced into polygons (one per outer contour), for segmentation "
        "models; boxes and polygons come along as they are.",
        requires=frozenset({"brushlabels", "brush"}),
        write=write_brush_coco,
        link=LS_DOCS + "#COCO",
        tags=("image segmentation", "brush annotations"),
    ),
    _zip_format(
        name="BRUSH_TO_PNG",
        title="Brush labels to PNG",
        description="Export your brush labels as PNG images. Each label outputs as one image.",
        requires=frozenset({"brushlabels", "brush"}),
        write=write_brush,
        link=LS_DOCS + "#Brush-labels-to-NumPy-amp-PNG",
        tags=("image segmentation",),
    ),
]
