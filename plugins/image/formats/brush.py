"""Brush masks: ``BRUSH_TO_PNG`` and ``BRUSH_TO_NUMPY`` (one greyscale mask file per labelled
brush region) and ``BRUSH_TO_COCO`` (each mask traced into COCO polygons).

PNG/NumPy follow Label Studio's ``brush.convert_task_dir`` (``save_brush_images_from_annotation``):
the mask is the region's decoded RLE alpha channel, named
``task-<id>-annotation-<id>-by-<annotator>-<control>-<labels>-<n>.<ext>``. A damaged mask is left
out rather than failing the whole export.

``BRUSH_TO_COCO`` follows ``exports.brush_to_coco.convert_to_coco``: one COCO annotation per outer
contour of each mask (``..contours`` traces them as OpenCV does), polygons and boxes beside them
as they are, the same image ids (one per converter item, counted even when skipped), category ids
(in order of appearance, from 1) and pixel maths. Where Label Studio picks a random colour per
category we take the label's ``background`` from the config, or a fixed palette colour, so two
exports of a project agree.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from labelloom.core.plugin import ZipStream, annotator, converter_items

from .. import rle
from ..contours import bounding_rect, contour_area, outer_contours
from ..png import grey_npy, grey_png
from .coco_json import coco_file, indented
from .common import LS_DOCS, zip_format

BRUSH_TYPES = frozenset({"brushlabels", "brush"})


# --- PNG and NumPy masks ------------------------------------------------------------------------


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


# --- COCO polygons ------------------------------------------------------------------------------


IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
PALETTE = ("#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
           "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#800000", "#aaffc3", "#000075")
LABEL_FIELDS = ("brushlabels", "polygonlabels", "rectanglelabels", "labels")


def _colours(schema: dict[str, Any]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for info in schema.values():
        for label, attrs in (info.get("labels_attrs") or {}).items():
            background = str(attrs.get("background") or "")
            if background.startswith("#") or background.isalpha():
                colours.setdefault(label, background)
    return colours


def _image_path(data: dict[str, Any]) -> str | None:
    """The first data value that names an image file (how the converter finds the image)."""
    for value in data.values():
        if isinstance(value, str) and value.lower().endswith(IMAGE_EXTENSIONS):
            return value
    return None


def _brush_shapes(value: dict[str, Any]) -> list[tuple[list[int], list[int], int]]:
    """``(polygon, bbox, area)`` per outer contour of a brush mask with at least 3 corners."""
    width, height = value["original_width"], value["original_height"]
    try:
        mask = rle.mask_from_rle(value["rle"], width, height)
    except (rle.RleError, TypeError, ValueError):
        return []  # a damaged mask is left out, as the converter does
    shapes = []
    for contour in outer_contours(mask, width, height):
        if len(contour) >= 3:
            shapes.append(([c for point in contour for c in point], bounding_rect(contour), int(contour_area(contour))))
    return shapes


def _polygon_shape(value: dict[str, Any]) -> tuple[list[int], list[int], int]:
    width, height = value["original_width"], value["original_height"]
    points = [(round(x * width / 100), round(y * height / 100)) for x, y in value["points"]]
    return [c for point in points for c in point], bounding_rect(points), int(contour_area(points))


async def write_brush_coco(context: Any) -> AsyncIterator[bytes]:
    """``result_coco.json`` (images, annotations, categories, info) and an empty ``images/``."""
    colours = _colours(context.config.summary())
    categories: list[dict[str, Any]] = []
    category_ids: dict[str, int] = {}
    archive = ZipStream()
    archive.add_dir("images/")
    image_id = -1
    # Annotations come after images in the file: spool them, then write them in order.
    with coco_file(archive, "result_coco.json") as (out, images, annotations):
        async for batch in context.batches():
            for task in batch:
                for item in converter_items(context, task):
                    image_id += 1
                    image = _item_shapes(item, image_id, categories, category_ids, colours, annotations.add,
                                         lambda: annotations.count)
                    if image is not None:
                        images.add(image)
            chunk = archive.take()
            if chunk:
                yield chunk
        out.write(b'\n  ],\n  "annotations": [')
        annotations.copy_to(out)
        now = datetime.now()
        info = {"year": now.year, "version": "1.0", "description": "Converted from Label Studio",
                "contributor": "Label Studio Converter", "date_created": str(now)}
        out.write(('\n  ],\n  "categories": ' + indented(categories, 2) + ',\n  "info": ' + indented(info, 2) + "\n}").encode())
    yield archive.take()
    yield archive.close()


def _item_shapes(item: dict[str, Any], image_id: int, categories: list[dict[str, Any]], category_ids: dict[str, int],
                 colours: dict[str, str], emit: Any, next_id: Any) -> dict[str, Any] | None:
    """Emit the item's annotations; return its image entry when it has any (else None)."""
    path = _image_path(item["input"])
    if path is None or not item["output"]:
        return None
    image = {"id": image_id, "file_name": path.rsplit("/", 1)[-1], "path": path, "width": None, "height": None}
    who = annotator(item, default="unknown")
    emitted = False
    for values in item["output"].values():
        for value in values:
            if image["width"] is None and "original_width" in value:
                image["width"], image["height"] = value["original_width"], value.get("original_height")
            field = next((f for f in LABEL_FIELDS if f in value), None)
            if field is None:
                continue
            for label in value[field]:
                if label not in category_ids:
                    category_ids[label] = len(category_ids) + 1
                    categories.append({"id": category_ids[label], "name": label, "supercategory": "",
                                       "color": colours.get(label, PALETTE[(category_ids[label] - 1) % len(PALETTE)]),
                                       "metadata": {}})
                base = {"image_id": image_id, "category_id": category_ids[label]}
                if field == "brushlabels" and "rle" in value:
                    if not all(k in value for k in ("original_width", "original_height")):
                        continue
                    for polygon, bbox, area in _brush_shapes(value):
                        emit({"id": next_id(), **base, "segmentation": [polygon], "area": area, "bbox": bbox,
                              "iscrowd": 0, "annotator": who})
                        emitted = True
                elif field == "polygonlabels" and "points" in value:
                    if not all(k in value for k in ("original_width", "original_height")):
                        continue
                    polygon, bbox, area = _polygon_shape(value)
                    emit({"id": next_id(), **base, "segmentation": [polygon], "area": area, "bbox": bbox,
                          "iscrowd": 0, "annotator": who})
                    emitted = True
                elif str(value.get("type", "")).lower() == "rectanglelabels" or field == "labels":
                    if not all(k in value for k in ("x", "y", "width", "height", "original_width", "original_height")):
                        continue
                    x = value["x"] * value["original_width"] / 100
                    y = value["y"] * value["original_height"] / 100
                    w = value["width"] * value["original_width"] / 100
                    h = value["height"] * value["original_height"] / 100
                    emit({"id": next_id(), **base, "segmentation": [], "area": w * h, "bbox": [x, y, w, h],
                          "iscrowd": 0, "annotator": who})
                    emitted = True
    return image if emitted and image["width"] is not None and image["height"] is not None else None


BRUSH_TO_NUMPY = zip_format(
    name="BRUSH_TO_NUMPY",
    title="Brush labels to NumPy",
    description="Each brush region as a NumPy 2-D array (.npy, height x width, 0-255).",
    requires=BRUSH_TYPES,
    write=functools.partial(write_brush, encode=grey_npy, extension="npy"),
    link=LS_DOCS + "#Brush-labels-to-NumPy-amp-PNG",
    tags=("image segmentation",),
)
BRUSH_TO_COCO = zip_format(
    name="BRUSH_TO_COCO",
    title="Brush labels to COCO",
    description="COCO with each brush mask traced into polygons (one per outer contour), for segmentation "
    "models; boxes and polygons come along as they are.",
    requires=BRUSH_TYPES,
    write=write_brush_coco,
    link=LS_DOCS + "#COCO",
    tags=("image segmentation", "brush annotations"),
)
BRUSH_TO_PNG = zip_format(
    name="BRUSH_TO_PNG",
    title="Brush labels to PNG",
    description="Export your brush labels as PNG images. Each label outputs as one image.",
    requires=BRUSH_TYPES,
    write=write_brush,
    link=LS_DOCS + "#Brush-labels-to-NumPy-amp-PNG",
    tags=("image segmentation",),
)
