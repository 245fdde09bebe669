"""Annotations (submitted or skipped results) and drafts (unsaved work in progress)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class Annotation(Base):
    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    # Denormalised from the task: project-wide counts and exports without a join.
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    result: Mapped[list] = mapped_column(JSONType, default=list)
    was_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    ground_truth: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    parent_prediction_id: Mapped[int | None] = mapped_column(
        ForeignKey("predictions.id", ondelete="SET NULL"), nullable=True
    )
    parent_annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL"), nullable=True
    )
    last_action: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unique_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    draft_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_annotations_task_id_completed_by_id", "task_id", "completed_by_id"),  # by task, and "did this user annotate it"
        Index("ix_annotations_project_id_completed_by_id", "project_id", "completed_by_id"),
        Index("ix_annotations_completed_by_id", "completed_by_id"),
        Index("ix_annotations_project_id_ground_truth", "project_id", "ground_truth"),
        # Deleting a prediction or annotation sets its children's parent to NULL: without these
        # partial indexes every such delete scans the whole annotations table (migration 0004).
        Index(
            "ix_annotations_parent_annotation_id",
            "parent_annotation_id",
            postgresql_where=text("parent_annotation_id IS NOT NULL"),
            sqlite_where=text("parent_annotation_id IS NOT NULL"),
        ),
        Index(
            "ix_annotations_parent_prediction_id",
            "parent_prediction_id",
            postgresql_where=text("parent_prediction_id IS NOT NULL"),
            sqlite_where=text("parent_prediction_id IS NOT NULL"),
        ),
    )


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    result: Mapped[list] = mapped_column(JSONType, default=list)
    lead_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    was_postponed: Mapped[bool] = mapped_column(Boolean, default=False)
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
