"""Label Studio's webhook payloads of task events (the ``action`` key is added at delivery).

Pass what the REST API returns for the object (a dict or msgspec Struct, so webhook bodies
match the API exactly) or, failing that, the ORM object itself (see ``events.serialize``).
Record events after a flush, so that new objects have their ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..events import id_list, serialize, serialize_many


def tasks_created(tasks: Iterable[Any], project: Any) -> dict[str, Any]:
    """TASKS_CREATED: ``{"tasks": [...], "project": {...}}`` (sent in batches of 5000)."""
    return {"tasks": serialize_many(tasks), "project": serialize(project)}


def tasks_deleted(task_ids: Iterable[int], project: Any) -> dict[str, Any]:
    """TASKS_DELETED: ``{"tasks": [{"id": ...}], "project": {...}}``."""
    return {"tasks": id_list(task_ids), "project": serialize(project)}
