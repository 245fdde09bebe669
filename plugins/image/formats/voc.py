"""Pascal VOC XML: ``Annotations/<image>.xml`` per annotated image and ``images/``, with the image
files when the export asks for ``download_resources``.

Follows Label Studio's ``convert_to_voc``: the same XML, node for node (``toprettyxml`` without
indentation), whole pixels truncated, ``xmax = xmin + width``, the size of the image's first box,
and one file per image, so the task's oldest annotation is the one kept.
"""

from __future__ import annotations

import xml.dom.minidom
from collections.abc import AsyncIterator
from pathlib import PurePosixPath
from typing import Any

from labelloom.core.plugin import ZipStream, annotator, converter_items

from .common import BOX_TYPES, LS_DOCS, image_zip, values_of, zip_format
from .shipped_images import ShippedImages


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
    def body(archive: ZipStream, images: ShippedImages) -> AsyncIterator[bytes]:
        return _write_voc(context, archive, images)

    async for chunk in image_zip(context, body, ship=context.download_resources, folders=("images/", "Annotations/")):
        yield chunk


async def _write_voc(context: Any, archive: ZipStream, images: ShippedImages) -> AsyncIterator[bytes]:
    written: set[str] = set()
    async for batch in context.batches():
        batch_items = [(task, converter_items(context, task)) for task in batch]
        async for chunk in images.add(archive, (task for task, items in batch_items if items)):
            yield chunk
        for _, items in batch_items:
            for item in reversed(items):  # the oldest annotation wins, as on disk
                boxes = values_of(item)
                if not boxes or "original_width" not in boxes[0] or "original_height" not in boxes[0]:
                    continue
                image_name = PurePosixPath(images.name(item["input"].get(images.key), item["id"])).name
                path = f"Annotations/{PurePosixPath(image_name).stem}.xml"
                if path in written:
                    continue
                written.add(path)
                archive.add(path, voc_xml(item, image_name, boxes[0]["original_width"], boxes[0]["original_height"], boxes))
        chunk = archive.take()
        if chunk:
            yield chunk
    images.finish(archive)


VOC = zip_format(
    name="VOC",
    title="Pascal VOC XML",
    description="Popular XML format used for object detection and polygon image segmentation tasks.",
    requires=BOX_TYPES,
    write=write_voc,
    link=LS_DOCS + "#Pascal-VOC-XML",
    tags=("image segmentation", "object detection"),
)
