"""COCO (and ``COCO_WITH_IMAGES``): ``result.json`` with images, categories, annotations and info,
and ``images/`` (empty, or with the image files).

Follows Label Studio's ``convert_to_coco``: one image entry per converter item (one per submitted
annotation, newest first, plus one per task without any), category ids from ``_get_labels``
(sorted names unless ``<Label category="..."/>`` fixes them; labels met only in results are
appended), key point labels merged into one ``default`` category
(``update_categories_for_keypoints``), all key points of an image in one annotation
(``process_keypoints_for_coco``), and the file laid out as ``json.dump(indent=2)``.

Deliberate differences: a rotated box becomes its pixel-space bounding box (Label Studio mixes
percent x and y in the rotation, wrong for non-square images); key points without
``model_index`` keep the config's label order (Label Studio refuses the export).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from labelloom.core.plugin import ZipStream, converter_items

from .coco_json import coco_file, indented
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


def polygon_area(xs: list[float], ys: list[float]) -> float:
    """Shoelace formula, as ``get_polygon_area`` computes it."""
    n = len(xs)
    s1 = sum(xs[i] * ys[i - 1] for i in range(n))
    s2 = sum(ys[i] * xs[i - 1] for i in range(n))
    return float(0.5 * abs(s1 - s2))


async def write_coco(context: Any, *, with_images: bool = False) -> AsyncIterator[bytes]:
    schema = context.config.summary()
    categories, name_to_id = categories_of(schema)
    categories, name_to_id = merge_keypoint_categories(categories, name_to_id, schema)
    order = keypoint_order(schema)

    def body(archive: ZipStream, images: ShippedImages) -> AsyncIterator[bytes]:
        return _write_coco(context, archive, images, categories, name_to_id, order)

    async for chunk in image_zip(context, body, ship=with_images):
        yield chunk


async def _write_coco(context: Any, archive: ZipStream, images: ShippedImages, categories: list[dict[str, Any]],
                      name_to_id: dict[str, int], order: list[str]) -> AsyncIterator[bytes]:
    # Annotations come after categories in the file, and categories can still grow (labels
    # found in results but not in the config): spool them, then write them in order.
    with coco_file(archive, "result.json") as (out, image_items, annotation_items):
        async for batch in context.batches():
            for task in batch:
                for item in converter_items(context, task):
                    file_name = images.name(item["input"].get(images.key), item["id"])
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


def _coco_item(item: dict[str, Any], file_name: str, name_to_id: dict[str, int], categories: list[dict[str, Any]],
               order: list[str], image_id: int, emit_image: Any, emit_annotation: Any, next_id: Any) -> None:
    if not item["output"]:
        emit_image({"width": None, "height": None, "id": image_id, "file_name": file_name})
        return
    labels = values_of(item)
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


COCO = zip_format(
    name="COCO",
    title="COCO",
    description="Popular machine learning format used by the COCO dataset for object detection and image "
    "segmentation tasks with polygons and rectangles.",
    requires=DETECTION_TYPES,
    write=write_coco,
    link=LS_DOCS + "#COCO",
    tags=("image segmentation", "object detection", "keypoints"),
)
COCO_WITH_IMAGES = with_images(COCO)
