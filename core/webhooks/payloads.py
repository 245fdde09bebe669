"""Builders of Label Studio's webhook payloads, one per event shape.

Pass what the REST API returns for the object (a dict or msgspec Struct, so webhook bodies
match the API exactly) or, failing that, the ORM object itself: its loaded columns are used,
foreign keys renamed the Label Studio way (``project_id`` -> ``project``) and secrets dropped.
Record events after a flush, so that new objects have their ids. The ``action`` key is added
at delivery::

    record_event(db, "ANNOTATION_CREATED", payloads.annotation(annotation, task, project))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable

# Columns that never leave the server, whatever the object.
HIDDEN_FIELDS = frozenset(
    {"task_data_password", "password_hash", "parsed_config", "next_inner_id", "lease_token", "lease_until"}
)


def serialize(obj: Any) -> Any:
    """A JSON-ready dict of an API dict, msgspec Struct, ORM object or a bare id."""
    if obj is None or isinstance(obj, Mapping):
        return msgspec.to_builtins(dict(obj)) if obj is not None else None
    if isinstance(obj, int) and not isinstance(obj, bool):
        return {"id": obj}
    if isinstance(obj, msgspec.Struct):
        return msgspec.to_builtins(obj)
    try:
        state = inspect(obj)
    except NoInspectionAvailable:
        raise TypeError(f"cannot turn {type(obj).__name__} into a webhook payload") from None
    foreign_keys = {
        column.key for column in state.mapper.columns if column.foreign_keys and column.key.endswith("_id")
    }
    loaded = state.dict  # loaded attributes only: reading others would need I/O
    data: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name not in loaded or name in HIDDEN_FIELDS or "password" in name or "secret" in name:
            continue
        data[name.removesuffix("_id") if name in foreign_keys else name] = loaded[name]
    return msgspec.to_builtins(data)


def _many(items: Iterable[Any]) -> list[Any]:
    return [serialize(item) for item in items]


def _ids(ids: Iterable[int]) -> list[dict[str, int]]:
    return [{"id": int(i)} for i in ids]


# -- projects -----------------------------------------------------------------------------------
def project(project: Any) -> dict[str, Any]:
    """PROJECT_CREATED, PROJECT_UPDATED: ``{"project": {...}}``."""
    return {"project": serialize(project)}


def project_deleted(project_id: int) -> dict[str, Any]:
    """PROJECT_DELETED: ``{"project": {"id": ...}}``."""
    return {"project": {"id": int(project_id)}}


# -- tasks ----------------------------------------------------------------------------------------
def tasks_created(tasks: Iterable[Any], project: Any) -> dict[str, Any]:
    """TASKS_CREATED: ``{"tasks": [...], "project": {...}}`` (sent in batches of 5000)."""
    return {"tasks": _many(tasks), "project": serialize(project)}


def tasks_deleted(task_ids: Iterable[int], project: Any) -> dict[str, Any]:
    """TASKS_DELETED: ``{"tasks": [{"id": ...}], "project": {...}}``."""
    return {"tasks": _ids(task_ids), "project": serialize(project)}


# -- annotations -----------------------------------------------------------------------------------
def annotation(annotation: Any, task: Any, project: Any) -> dict[str, Any]:
    """ANNOTATION_CREATED, ANNOTATION_UPDATED: ``{"annotation", "task", "project"}``."""
    return {"annotation": serialize(annotation), "task": serialize(task), "project": serialize(project)}


def annotations_created(annotations: Iterable[Any], tasks: Iterable[Any], project: Any) -> dict[str, Any]:
    """ANNOTATIONS_CREATED (bulk): ``{"annotation": [...], "task": [...], "project"}``."""
    return {"annotation": _many(annotations), "task": _many(tasks), "project": serialize(project)}


def annotations_deleted(annotation_ids: Iterable[int], project: Any) -> dict[str, Any]:
    """ANNOTATIONS_DELETED: ``{"annotations": [{"id": ...}], "project": {...}}``."""
    return {"annotations": _ids(annotation_ids), "project": serialize(project)}


# -- taxonomy label links -----------------------------------------------------------------------------
def label_links_created(label_links: Iterable[Any], project: Any) -> dict[str, Any]:
    """LABEL_LINK_CREATED: ``{"label_link": [...], "project": {...}}``."""
    return {"label_link": _many(label_links), "project": serialize(project)}


def label_link_updated(label_link: Any, label: Any, project: Any) -> dict[str, Any]:
    """LABEL_LINK_UPDATED: ``{"label_link": {...}, "label": {...}, "project": {...}}``."""
    return {"label_link": serialize(label_link), "label": serialize(label), "project": serialize(project)}


def label_link_deleted(label_link_id: int, project: Any) -> dict[str, Any]:
    """LABEL_LINK_DELETED: ``{"label_link": {"id": ...}, "project": {...}}``."""
    return {"label_link": {"id": int(label_link_id)}, "project": serialize(project)}
