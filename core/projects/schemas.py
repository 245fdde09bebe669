"""Project API shapes: Label Studio's ProjectSerializer fields, counters included."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ..input_limits import Id

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType

SAMPLING = ("Sequential sampling", "Uniform sampling", "Uncertainty sampling")
SKIP_QUEUE = ("REQUEUE_FOR_OTHERS", "REQUEUE_FOR_ME", "IGNORE_SKIPPED")

COUNTER_FIELDS = (
    "task_number",
    "finished_task_number",
    "total_annotations_number",
    "total_predictions_number",
    "useful_annotation_number",
    "ground_truth_number",
    "skipped_annotations_number",
    "num_tasks_with_annotations",
)


class UserRef(msgspec.Struct):
    id: int
    first_name: str
    last_name: str
    email: str
    avatar: str | None = None


class ProjectOut(msgspec.Struct, kw_only=True):
    id: int
    title: str
    description: str
    label_config: str
    parsed_label_config: dict[str, Any]
    expert_instruction: str
    show_instruction: bool
    show_skip_button: bool
    enable_empty_annotation: bool
    show_annotation_history: bool
    show_collab_predictions: bool
    reveal_preannotations_interactively: bool
    evaluate_predictions_automatically: bool
    maximum_annotations: int
    overlap_cohort_percentage: int
    show_overlap_first: bool
    show_ground_truth_first: bool
    sampling: str
    skip_queue: str
    model_version: str
    min_annotations_to_start_training: int
    start_training_on_annotation_update: bool
    control_weights: dict[str, Any]
    color: str
    is_published: bool
    is_draft: bool
    task_data_login: str | None
    task_data_password: str | None
    pinned_at: datetime | None
    organization: int
    created_by: UserRef | None
    created_at: datetime
    updated_at: datetime
    config_has_control_tags: bool
    config_suitable_for_bulk_annotation: bool
    task_number: int | None = None
    finished_task_number: int | None = None
    total_annotations_number: int | None = None
    total_predictions_number: int | None = None
    useful_annotation_number: int | None = None
    ground_truth_number: int | None = None
    skipped_annotations_number: int | None = None
    num_tasks_with_annotations: int | None = None
    queue_total: int | None = None
    queue_done: int | None = None
    # LSE: the project's assignment and review settings (core/projects/sections.py).
    assignment_settings: dict[str, Any] | None = None
    review_settings: dict[str, Any] | None = None


class ProjectWrite(msgspec.Struct, kw_only=True, forbid_unknown_fields=False):
    """Fields a client may set; every one optional (POST fills defaults, PATCH changes what is sent)."""

    title: str | Unset = UNSET
    description: str | None | Unset = UNSET
    label_config: str | Unset = UNSET
    expert_instruction: str | None | Unset = UNSET
    show_instruction: bool | Unset = UNSET
    show_skip_button: bool | Unset = UNSET
    enable_empty_annotation: bool | Unset = UNSET
    show_annotation_history: bool | Unset = UNSET
    show_collab_predictions: bool | Unset = UNSET
    reveal_preannotations_interactively: bool | Unset = UNSET
    evaluate_predictions_automatically: bool | Unset = UNSET
    maximum_annotations: Id | Unset = UNSET
    overlap_cohort_percentage: Id | Unset = UNSET
    show_overlap_first: bool | Unset = UNSET
    show_ground_truth_first: bool | Unset = UNSET
    sampling: str | Unset = UNSET
    skip_queue: str | Unset = UNSET
    model_version: str | None | Unset = UNSET
    min_annotations_to_start_training: Id | Unset = UNSET
    start_training_on_annotation_update: bool | Unset = UNSET
    control_weights: dict[str, Any] | None | Unset = UNSET
    color: str | None | Unset = UNSET
    is_published: bool | Unset = UNSET
    is_draft: bool | Unset = UNSET
    task_data_login: str | None | Unset = UNSET
    task_data_password: str | None | Unset = UNSET
    pinned_at: datetime | None | Unset = UNSET
    # Applied by their sections (core/projects/sections.py), not stored on the project row.
    assignment_settings: dict[str, Any] | Unset = UNSET
    review_settings: dict[str, Any] | Unset = UNSET


SECTION_FIELDS = ("assignment_settings", "review_settings")


class ProjectPage(msgspec.Struct):
    count: int
    next: str | None
    previous: str | None
    results: list[ProjectOut]


class ConfigIn(msgspec.Struct, forbid_unknown_fields=False):
    label_config: str


class Summary(msgspec.Struct):
    id: int
    project: int
    all_data_columns: dict[str, int]
    common_data_columns: list[str]
    created_annotations: dict[str, int]
    created_labels: dict[str, dict[str, int]]
    created_labels_drafts: dict[str, dict[str, int]]
    created_at: datetime | None = None


DUPLICATE_MODES = {
    # Label Studio's UI sends "settings" / "settings,data"; the names in its API docs are these.
    "settings_only": False,
    "settings": False,
    "settings_and_tasks": True,
    "settings,data": True,
}


class DuplicateIn(msgspec.Struct, forbid_unknown_fields=False):
    title: str | None = None
    description: str | None = None
    mode: str = "settings_only"
