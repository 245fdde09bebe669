"""What an export includes: which tasks, which annotations, how related objects are written.

The field names follow Label Studio's snapshot body (``task_filter_options``,
``annotation_filter_options``, ``serialization_options``) so SDK calls carry over unchanged.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

OnlyOrExclude = Literal["only", "exclude"] | None


class TaskFilterOptions(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Which tasks. ``view``: only tasks passing that data-manager view's filters; ``ids``: only
    these; ``exclude_ids`` (ours): all but these (the data manager's "all but excluded")."""

    view: int | None = None
    skipped: OnlyOrExclude = None
    finished: OnlyOrExclude = None
    annotated: OnlyOrExclude = None
    only_with_annotations: bool = False
    ids: list[int] | None = None
    exclude_ids: list[int] | None = None


class AnnotationFilterOptions(msgspec.Struct, kw_only=True):
    """Which annotations: ``usual`` (submitted, not ground truth), ``ground_truth``, ``skipped``.
    ``None`` everywhere (the easy export) keeps every annotation."""

    usual: bool | None = None
    ground_truth: bool | None = None
    skipped: bool | None = None

    @property
    def keeps_all(self) -> bool:
        return self.usual is None and self.ground_truth is None and self.skipped is None


class OnlyId(msgspec.Struct, kw_only=True):
    only_id: bool = False


class SerializationOptions(msgspec.Struct, kw_only=True):
    drafts: OnlyId | None = msgspec.field(default_factory=OnlyId)
    predictions: OnlyId | None = msgspec.field(default_factory=OnlyId)
    annotations__completed_by: OnlyId | None = msgspec.field(default_factory=lambda: OnlyId(only_id=True))
    include_annotation_history: bool = False
    interpolate_key_frames: bool = False


class ExportOptions(msgspec.Struct, kw_only=True):
    task_filter_options: TaskFilterOptions = msgspec.field(default_factory=TaskFilterOptions)
    annotation_filter_options: AnnotationFilterOptions = msgspec.field(default_factory=AnnotationFilterOptions)
    serialization_options: SerializationOptions = msgspec.field(default_factory=SerializationOptions)

    def to_json(self) -> dict[str, Any]:
        return msgspec.to_builtins(self)

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> ExportOptions:
        return msgspec.convert(value or {}, cls)


def easy_export_options(
    *, download_all_tasks: bool, ids: list[int] | None, view: int | None = None, exclude_ids: list[int] | None = None
) -> ExportOptions:
    """``GET /export``: all tasks, or (Label Studio's default) those with any annotation,
    skipped ones included; ``view`` keeps the tasks passing a data-manager tab's filters."""
    return ExportOptions(
        task_filter_options=TaskFilterOptions(
            only_with_annotations=not download_all_tasks, ids=ids or None, view=view, exclude_ids=exclude_ids or None
        )
    )
