"""Builders of Label Studio's webhook payloads, one per event shape: each domain builds those of
its own events (``projects.payloads``, ``tasks.payloads``, ``annotations.payloads``), listed
here for webhook users, with the taxonomy label links' (which no core domain owns).

Pass what the REST API returns for the object (a dict or msgspec Struct, so webhook bodies
match the API exactly) or, failing that, the ORM object itself: its loaded columns are used,
foreign keys renamed the Label Studio way (``project_id`` -> ``project``) and secrets dropped
(``events.serialize``). Record events after a flush, so that new objects have their ids. The
``action`` key is added at delivery::

    record_event(db, "ANNOTATION_CREATED", payloads.annotation(annotation, task, project))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..annotations.payloads import annotation, annotations_created, annotations_deleted
from ..events import HIDDEN_FIELDS, serialize, serialize_many
from ..projects.payloads import project, project_deleted
from ..review.payloads import review, reviews_deleted
from ..tasks.payloads import tasks_created, tasks_deleted

__all__ = [
    "HIDDEN_FIELDS",
    "annotation",
    "annotations_created",
    "annotations_deleted",
    "label_link_deleted",
    "label_link_updated",
    "label_links_created",
    "project",
    "project_deleted",
    "review",
    "reviews_deleted",
    "serialize",
    "tasks_created",
    "tasks_deleted",
]


# -- taxonomy label links -----------------------------------------------------------------------------
def label_links_created(label_links: Iterable[Any], project: Any) -> dict[str, Any]:
    """LABEL_LINK_CREATED: ``{"label_link": [...], "project": {...}}``."""
    return {"label_link": serialize_many(label_links), "project": serialize(project)}


def label_link_updated(label_link: Any, label: Any, project: Any) -> dict[str, Any]:
    """LABEL_LINK_UPDATED: ``{"label_link": {...}, "label": {...}, "project": {...}}``."""
    return {"label_link": serialize(label_link), "label": serialize(label), "project": serialize(project)}


def label_link_deleted(label_link_id: int, project: Any) -> dict[str, Any]:
    """LABEL_LINK_DELETED: ``{"label_link": {"id": ...}, "project": {...}}``."""
    return {"label_link": {"id": int(label_link_id)}, "project": serialize(project)}
