"""The webhook actions (event names) Label Studio defines, and what each payload carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    """One event a webhook may receive.

    :param key: the payload key holding the affected object(s).
    :param many: whether ``key`` holds a list.
    :param organization_only: only organization-wide webhooks (no project) receive it.
    :param batched: a long ``key`` list is split into several requests.
    """

    name: str
    title: str
    key: str
    many: bool = False
    organization_only: bool = False
    batched: bool = False
    description: str = ""


PROJECT_CREATED = "PROJECT_CREATED"
PROJECT_UPDATED = "PROJECT_UPDATED"
PROJECT_DELETED = "PROJECT_DELETED"
TASKS_CREATED = "TASKS_CREATED"
TASKS_DELETED = "TASKS_DELETED"
ANNOTATION_CREATED = "ANNOTATION_CREATED"
ANNOTATIONS_CREATED = "ANNOTATIONS_CREATED"
ANNOTATION_UPDATED = "ANNOTATION_UPDATED"
ANNOTATIONS_DELETED = "ANNOTATIONS_DELETED"
LABEL_LINK_CREATED = "LABEL_LINK_CREATED"
LABEL_LINK_UPDATED = "LABEL_LINK_UPDATED"
LABEL_LINK_DELETED = "LABEL_LINK_DELETED"
# Label Studio Enterprise's review events (issue 23).
REVIEW_CREATED = "REVIEW_CREATED"
REVIEW_UPDATED = "REVIEW_UPDATED"
REVIEWS_DELETED = "REVIEWS_DELETED"

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(PROJECT_CREATED, "Project created", "project", organization_only=True),
        Action(PROJECT_UPDATED, "Project updated", "project"),
        Action(PROJECT_DELETED, "Project deleted", "project", organization_only=True),
        Action(TASKS_CREATED, "Task created", "tasks", many=True, batched=True),
        Action(TASKS_DELETED, "Task deleted", "tasks", many=True),
        Action(ANNOTATION_CREATED, "Annotation created", "annotation"),
        Action(ANNOTATIONS_CREATED, "Annotations created", "annotation", many=True),
        Action(ANNOTATION_UPDATED, "Annotation updated", "annotation"),
        Action(ANNOTATIONS_DELETED, "Annotation deleted", "annotations", many=True),
        Action(LABEL_LINK_CREATED, "Label link created", "label_link", many=True),
        Action(LABEL_LINK_UPDATED, "Label link updated", "label_link"),
        Action(LABEL_LINK_DELETED, "Label link deleted", "label_link"),
        Action(REVIEW_CREATED, "Review created", "review", description="A reviewer accepted, rejected or fixed an annotation"),
        Action(REVIEW_UPDATED, "Review updated", "review"),
        Action(REVIEWS_DELETED, "Review deleted", "reviews", many=True),
    )
}


def actions_info(organization_only: bool | None = None) -> dict[str, dict[str, Any]]:
    """``GET /api/webhooks/info/``: ``{ACTION: {name, description, key, organization-only}}``."""
    return {
        name: {
            "name": action.title,
            "description": action.description,
            "key": action.key,
            "organization-only": action.organization_only,
        }
        for name, action in ACTIONS.items()
        if organization_only is None or action.organization_only == organization_only
    }
