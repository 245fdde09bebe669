"""YOLO and YOLO_OBB (and their ``*_WITH_IMAGES``): ``labels/<image>.txt`` per image,
``classes.txt``, ``notes.json``, ``data.yaml`` and ``images/`` (empty, or with the image files).

Follows Label Studio's ``convert_to_yolo``: category ids from ``_get_labels`` (key point configs:
one class per ``RectangleLabels`` label, in config order), ``class cx cy w h`` per box and
``class x1 y1 ...`` per polygon, normalised to 0-1 (``process_and_save_yolo_annotations``), each
box followed by its key points (``process_keypoints_for_yolo``), oriented boxes as their four
corners (``convert_annotation_to_yolo_obb``), and one file per item, so the task's oldest
annotation is the one left. ``data.yaml`` is ours: it lets the folder train as it is.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from labelloom.core.plugin import ZipStream, converter_items

from .common import (
    DETECTION_TYPES,
    LS_DOCS,
    categories_of,
    image_zip,
    keypoint_labels,
    keypoint_order,
    values_of,
    with_images,
    zip_format,
)
from .shipped_images import ShippedImages


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
    """``obb``: boxes as their four corners (``YOLO_OBB``)."""
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

    def body(archive: ZipStream, images: ShippedImages) -> AsyncIterator[bytes]:
        return _write_yolo(context, archive, images, categories, name_to_id, points, order, obb)

    async for chunk in image_zip(context, body, ship=with_images, folders=("images/", "labels/")):
        yield chunk


async def _write_yolo(context: Any, archive: ZipStream, images: ShippedImages, categories: list[dict[str, Any]],
                      name_to_id: dict[str, int], points: list[str], order: list[str], obb: bool) -> AsyncIterator[bytes]:
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
            stem = PurePosixPath(images.name(item["input"].get(images.key), item["id"])).stem[:251]
            path = f"labels/{stem}.txt"
            if path in written:
                path = f"labels/{stem}-task-{item['id']}.txt"
            written.add(path)
            labels = values_of(item)
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


def _data_yaml(categories: list[dict[str, Any]]) -> str:
    """An Ultralytics dataset file: class ids -> names, images and labels side by side."""
    lines = ["# Ultralytics YOLO dataset (exported from Labelloom)", "path: .", "train: images", "val: images",
             f"nc: {len(categories)}", "names:"]
    lines += [f"  {c['id']}: {json.dumps(c['name'], ensure_ascii=False)}" for c in sorted(categories, key=lambda c: c["id"])]
    return "\n".join(lines) + "\n"


YOLO = zip_format(
    name="YOLO",
    title="YOLO",
    description="Popular TXT format is created for each image file. Each txt file contains annotations for "
    "the corresponding image file, that is object class, object coordinates, height & width.",
    requires=DETECTION_TYPES,
    write=write_yolo,
    link=LS_DOCS + "#YOLO",
    tags=("image segmentation", "object detection", "keypoints"),
)
YOLO_WITH_IMAGES = with_images(YOLO)
YOLO_OBB = zip_format(
    name="YOLO_OBB",
    title="YOLOv8 OBB",
    description="YOLO oriented bounding boxes: each box as its four corners (x1 y1 ... x4 y4, 0-1), so "
    "rotated boxes keep their rotation.",
    requires=DETECTION_TYPES,
    write=functools.partial(write_yolo, obb=True),
    link=LS_DOCS + "#YOLO",
    tags=("image segmentation", "object detection"),
)
YOLO_OBB_WITH_IMAGES = with_images(YOLO_OBB)
