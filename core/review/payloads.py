"""Webhook payloads of review events (Label Studio Enterprise's REVIEW_CREATED & co)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..events import id_list, serialize


def review(review: Any, annotation: Any, project: Any) -> dict[str, Any]:
    """REVIEW_CREATED, REVIEW_UPDATED: ``{"review", "annotation", "project"}``."""
    return {"review": serialize(review), "annotation": serialize(annotation), "project": serialize(project)}


def reviews_deleted(review_ids: Iterable[int], project: Any) -> dict[str, Any]:
    """REVIEWS_DELETED: ``{"reviews": [{"id": ...}], "project"}``."""
    return {"reviews": id_list(review_ids), "project": serialize(project)}
