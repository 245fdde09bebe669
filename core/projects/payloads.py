"""Label Studio's webhook payloads of project events (the ``action`` key is added at delivery).

Pass what the REST API returns for the object (a dict or msgspec Struct, so webhook bodies
match the API exactly) or, failing that, the ORM object itself (see ``events.serialize``).
Record events after a flush, so that new objects have their ids.
"""

from __future__ import annotations

from typing import Any

from ..events import serialize


def project(project: Any) -> dict[str, Any]:
    """PROJECT_CREATED, PROJECT_UPDATED: ``{"project": {...}}``."""
    return {"project": serialize(project)}


def project_deleted(project_id: int) -> dict[str, Any]:
    """PROJECT_DELETED: ``{"project": {"id": ...}}``."""
    return {"project": {"id": int(project_id)}}
