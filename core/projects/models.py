"""Projects: a labeling config, its settings, and the tasks that belong to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow

DEFAULT_LABEL_CONFIG = "<View></View>"


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    label_config: Mapped[str] = mapped_column(Text, default=DEFAULT_LABEL_CONFIG)
    # Parsed config tree as JSON, refreshed whenever label_config changes.
    parsed_config: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    expert_instruction: Mapped[str] = mapped_column(Text, default="")
    show_instruction: Mapped[bool] = mapped_column(Boolean, default=False)
    show_skip_button: Mapped[bool] = mapped_column(Boolean, default=True)
    enable_empty_annotation: Mapped[bool] = mapped_column(Boolean, default=True)
    show_annotation_history: Mapped[bool] = mapped_column(Boolean, default=False)
    show_collab_predictions: Mapped[bool] = mapped_column(Boolean, default=True)
    reveal_preannotations_interactively: Mapped[bool] = mapped_column(Boolean, default=False)
    evaluate_predictions_automatically: Mapped[bool] = mapped_column(Boolean, default=False)
    maximum_annotations: Mapped[int] = mapped_column(Integer, default=1)
    overlap_cohort_percentage: Mapped[int] = mapped_column(Integer, default=100)
    show_overlap_first: Mapped[bool] = mapped_column(Boolean, default=False)
    show_ground_truth_first: Mapped[bool] = mapped_column(Boolean, default=False)
    sampling: Mapped[str] = mapped_column(String(64), default="Sequential sampling")
    skip_queue: Mapped[str] = mapped_column(String(64), default="REQUEUE_FOR_OTHERS")
    model_version: Mapped[str] = mapped_column(String(255), default="")
    min_annotations_to_start_training: Mapped[int] = mapped_column(Integer, default=0)
    control_weights: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    color: Mapped[str] = mapped_column(String(16), default="#FFFFFF")
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    task_data_login: Mapped[str | None] = mapped_column(String(256), nullable=True)
    task_data_password: Mapped[str | None] = mapped_column(String(256), nullable=True)
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Source of the per-project task numbering (Task.inner_id).
    next_inner_id: Mapped[int] = mapped_column(Integer, default=1)


class ProjectCounters(Base):
    """Sums of a project's task counters, kept exact by database triggers (migration 0003).

    A narrow row of its own: the triggers rewrite it on every task change, which must not copy
    the project's config text each time, nor contend with the label stream's lock on the
    project row. The application never writes it.
    """

    __tablename__ = "project_counters"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    task_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    finished_task_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_annotations_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped_annotations_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_predictions_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    num_tasks_with_annotations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Changes whenever the project's tasks, annotations, predictions or drafts do (PostgreSQL
    # triggers, migration 0007; always 0 on SQLite): the data manager's totals cache key.
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # Sticky: set by triggers on the project's first review / comment / draft / task assignment
    # (migration 0019), never cleared. False lets a page of tasks skip the query for that table.
    has_reviews: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    has_comments: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    has_drafts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    has_assignments: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
