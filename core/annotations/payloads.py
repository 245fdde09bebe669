"""Label Studio's webhook payloads of annotation events (the ``action`` key is added at delivery).

Pass what the REST API returns for the object (a dict or msgspec Struct, so webhook bodies
match the API exactly) or, failing that, the ORM object itself (see ``events.serialize``).
Record events after a flush, so that new objects have their ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..events import id_list, serialize, serialize_many


def annotation(annotation: Any, task: Any, project: Any) -> dict[str, Any]:
    """ANNOTATION_CREATED, ANNOTATION_UPDATED: ``{"annotation", "task", "project"}``."""
    return {"annotation": serialize(annotation), "task": serialize(task), "project": serialize(project)}


def annotations_created(annotations: Iterable[Any], tasks: Iterable[Any], project: Any) -> dict[str, Any]:
    """ANNOTATIONS_CREATED (bulk): ``{"annotation": [...], "task": [...], "project"}``."""
    return {"annotation": serialize_many(annotations), "task": serialize_many(tasks), "project": serialize(project)}


def annotations_deleted(annotation_ids: Iterable[int], project: Any) -> dict[str, Any]:
    """ANNOTATIONS_DELETED: ``{"annotations": [{"id": ...}], "project": {...}}``."""
    return {"annotations": id_list(annotation_ids), "project": serialize(project)}
