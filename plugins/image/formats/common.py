"""What the image formats share: the spec helpers (every format is a zip; ``with_images`` derives
a ``*_WITH_IMAGES`` format from its base), the config facts Label Studio's converter reads (the
image's data key, category ids, key point order) and the zip with its ``images/`` folder.

Every writer streams: the zip is produced entry by entry while tasks are read batch by batch.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

from labelloom.core.plugin import ExporterSpec, ZipStream, url_file_name

from .shipped_images import ShippedImages, image_value

LS_DOCS = "https://labelstud.io/guide/export.html"
BOX_TYPES = frozenset({"rectanglelabels", "rectangle"})
DETECTION_TYPES = BOX_TYPES | {"polygonlabels", "polygon", "keypointlabels", "keypoint"}


# --- specs ----------------------------------------------------------------------------------------


def zip_format(**fields: Any) -> ExporterSpec:
    """Every image format is a zip stream."""
    return ExporterSpec(media_type="application/zip", file_extension="zip", **fields)


def with_images(spec: ExporterSpec) -> ExporterSpec:
    """``<NAME>_WITH_IMAGES``: the format with the image files themselves in ``images/``. Its
    writer is the base writer called with ``with_images=True`` (the family's way of shipping)."""
    return dataclasses.replace(
        spec,
        name=f"{spec.name}_WITH_IMAGES",
        title=f"{spec.title} with Images",
        description=f"{spec.title}, with the image files themselves in images/.",
        write=functools.partial(spec.write, with_images=True),
    )


# --- the converter's view of a task and its config ------------------------------------------------


def values_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Every result value of a converter item, control by control."""
    return [value for values in item["output"].values() for value in values]


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
    """The label values of every ``tag`` control, in config order, each once."""
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


# --- the zip and its images/ folder ---------------------------------------------------------------


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


Body = Callable[[ZipStream, ShippedImages], AsyncIterator[bytes]]


async def image_zip(context: Any, body: Body, *, ship: bool, folders: tuple[str, ...] = ("images/",)) -> AsyncIterator[bytes]:
    """A zip that starts with ``folders`` and holds what ``body(archive, images)`` adds; ``images``
    names the task images (and, with ``ship``, puts the files in ``images/``). The reader's
    connections are let go however the download ends."""
    images = ShippedImages(context, image_key(context), ship=ship, plain_name=image_file_name)
    archive = ZipStream()
    for folder in folders:
        archive.add_dir(folder)
    try:
        async for chunk in body(archive, images):
            yield chunk
        yield archive.take()
        yield archive.close()
    finally:
        await images.close()
