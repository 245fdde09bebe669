"""What Label Studio's converter reads from a task, for format writers (plugins use it too):
the submitted annotations newest first, and each one's result values grouped by control name."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import msgspec

from .context import ExportContext

IMAGE_SIZE_KEYS = ("original_width", "original_height")


def annotator(item: dict[str, Any], *, default: str | None = None, as_id: bool = False) -> Any:
    """Label Studio's ``get_annotator``: the email when ``completed_by`` is expanded (``default``
    without one), else the user id, as text unless ``as_id``."""
    who = item["completed_by"]
    if isinstance(who, dict):
        return who.get("email", default)
    return who if as_id and isinstance(who, int) else str(who)


def submitted_newest_first(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The task's annotations that were not skipped, newest first (the converter's order)."""
    kept = [a for a in task.get("annotations") or [] if not (a.get("was_cancelled") or a.get("skipped"))]
    kept.sort(key=lambda a: a.get("created_at") or "", reverse=True)
    return kept


def result_outputs(context: ExportContext, annotation: dict[str, Any], *, with_ids: bool = False) -> dict[str, list[dict[str, Any]]]:
    """``{control name: [value, ...]}``: each value a copy with ``type`` (the control's tag as the
    config spells it) and the image size beside it; results of controls the config no longer
    has are left out. ``with_ids`` keeps ``id`` and ``parentID`` (formats that link regions)."""
    outputs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in annotation.get("result") or []:
        name = result.get("from_name")
        tag = context.control_tag(name) if name else None
        if tag is None or not isinstance(result.get("value"), dict):
            continue
        value = dict(result["value"])
        value["type"] = tag
        for size in IMAGE_SIZE_KEYS:
            if size in result:
                value[size] = result[size]
        if with_ids:
            value["id"] = result.get("id")
            value["parentID"] = result.get("parentID")
        outputs[name].append(value)
    return outputs


def converter_items(context: ExportContext, task: dict[str, Any], *, with_ids: bool = False) -> list[dict[str, Any]]:
    """Label Studio's ``annotation_result_from_task``: for each submitted annotation (newest
    first) its result values grouped by control (:func:`result_outputs`); one empty item for a
    task without annotations; none when all of them were skipped."""
    annotations = task.get("annotations") or []
    if not annotations:
        return [_item(task, {}, {})]
    return [
        _item(task, result_outputs(context, annotation, with_ids=with_ids), annotation)
        for annotation in submitted_newest_first(task)
    ]


def _item(task: dict[str, Any], outputs: dict[str, Any], annotation: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": task["id"],
        "input": task["data"],
        "output": outputs,
        "completed_by": annotation.get("completed_by", {}),
        **annotation_fields(annotation),
    }


def annotation_fields(annotation: Any) -> dict[str, Any]:
    """The converter's fields of one annotation after its author: ``annotation_id``,
    ``created_at`` and ``updated_at`` as a JSON file holds them, ``lead_time``."""
    return {
        "annotation_id": annotation.get("id"),
        "created_at": _timestamp(annotation.get("created_at")),
        "updated_at": _timestamp(annotation.get("updated_at")),
        "lead_time": annotation.get("lead_time"),
    }


def _timestamp(value: Any) -> Any:
    """A timestamp as a JSON file holds it (a snapshot's are strings already)."""
    return msgspec.json.encode(value)[1:-1].decode() if isinstance(value, datetime) else value
