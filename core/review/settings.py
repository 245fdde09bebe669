"""Each project's review settings (LSE's ``review_settings``); no row means the defaults."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..input_limits import Id
from .models import ReviewSettings

UNSET = msgspec.UNSET
MAX_REQUIRED_REVIEWS = 20


class ReviewSettingsWrite(msgspec.Struct, forbid_unknown_fields=False):
    required_reviews: Id | msgspec.UnsetType = UNSET
    requeue_rejected_tasks_to_annotator: bool | msgspec.UnsetType = UNSET
    require_comment_on_reject: bool | msgspec.UnsetType = UNSET
    review_only_manual_assignments: bool | msgspec.UnsetType = UNSET
    anonymize_annotations: bool | msgspec.UnsetType = UNSET
    show_instruction: bool | msgspec.UnsetType = UNSET
    instruction: str | msgspec.UnsetType = UNSET
    review_criteria: str | msgspec.UnsetType = UNSET
    # LSE's spelling of requeue_rejected_tasks_to_annotator: "requeue" (true) or "remove" (false).
    requeue_rejected_tasks_mode: str | msgspec.UnsetType = UNSET


REQUEUE_MODES = {"requeue": True, "remove": False}
FIELDS = tuple(name for name in ReviewSettingsWrite.__struct_fields__ if name != "requeue_rejected_tasks_mode")


def defaults(project_id: int) -> ReviewSettings:
    """A transient row holding the defaults (the model's column defaults apply only on INSERT)."""
    values = {c.key: c.default.arg for c in ReviewSettings.__table__.columns if c.default is not None and not callable(c.default.arg)}
    return ReviewSettings(project_id=project_id, **{k: v for k, v in values.items() if k in FIELDS})


async def get_settings(db: AsyncSession, project_id: int) -> ReviewSettings:
    return await db.get(ReviewSettings, project_id) or defaults(project_id)


async def update_settings(db: AsyncSession, project_id: int, data: ReviewSettingsWrite) -> ReviewSettings:
    errors: dict[str, list[str]] = {}
    if data.required_reviews is not UNSET and not 1 <= data.required_reviews <= MAX_REQUIRED_REVIEWS:
        errors["required_reviews"] = [f"must be between 1 and {MAX_REQUIRED_REVIEWS}"]
    if data.review_criteria is not UNSET and data.review_criteria not in ("all", "one"):
        errors["review_criteria"] = ['must be "all" or "one"']
    if data.requeue_rejected_tasks_mode is not UNSET:
        if data.requeue_rejected_tasks_mode not in REQUEUE_MODES:
            errors["requeue_rejected_tasks_mode"] = ['must be "requeue" or "remove"']
        elif data.requeue_rejected_tasks_to_annotator is UNSET:
            data = msgspec.structs.replace(
                data, requeue_rejected_tasks_to_annotator=REQUEUE_MODES[data.requeue_rejected_tasks_mode])
    if errors:
        raise ValidationFailed("Invalid review settings.", validation_errors=errors)
    row = await db.get(ReviewSettings, project_id)
    if row is None:
        row = defaults(project_id)
        db.add(row)
    for name in FIELDS:
        value = getattr(data, name)
        if value is not UNSET:
            setattr(row, name, value)
    await db.flush()
    return row


def settings_json(row: ReviewSettings) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(row, name) for name in FIELDS}
    data.update(id=row.project_id, project=row.project_id,
                requeue_rejected_tasks_mode="requeue" if row.requeue_rejected_tasks_to_annotator else "remove")
    return data


class ReviewSettingsSection:
    """``review_settings`` inside a project's JSON (GET and PATCH /api/projects/<id>), as LSE has
    it: the same shape as /api/projects/<id>/review-settings (core/projects/sections.py)."""

    name = "review_settings"

    async def read(self, db: AsyncSession, project_id: int) -> dict[str, Any]:
        return settings_json(await get_settings(db, project_id))

    async def write(self, db: AsyncSession, project_id: int, raw: dict[str, Any]) -> None:
        try:
            data = msgspec.convert(raw, ReviewSettingsWrite)
        except msgspec.ValidationError as error:
            field = str(error).rpartition("$.")[2].rstrip("`") or "body"
            raise ValidationFailed(f"Invalid review settings: {error}", validation_errors={field: [str(error)]}) from None
        await update_settings(db, project_id, data)
