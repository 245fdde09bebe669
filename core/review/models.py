"""Reviews of annotations and each project's review settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class AnnotationReview(Base):
    """Label Studio Enterprise's AnnotationReview. ``last_annotation_history`` is the version of
    the annotation the review judged (for a fix, the reviewer's new version): a review covers an
    annotation while that is still the annotation's latest content version."""

    __tablename__ = "annotation_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    result: Mapped[list | None] = mapped_column(JSONType, nullable=True)
    comment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    previous_annotation_history_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fixed_annotation_history_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_annotation_history_id: Mapped[int] = mapped_column(Integer, default=0)
    remove_from_queue: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_annotation_reviews_annotation_id_last_annotation_history_id", "annotation_id", "last_annotation_history_id"),
        Index("ix_annotation_reviews_task_id", "task_id"),
        Index("ix_annotation_reviews_project_id_id", "project_id", "id"),
    )


class ReviewSettings(Base):
    """LSE's ReviewSettings (one per project) plus ``required_reviews``: how many accepting
    reviews an annotation version needs before it leaves the review stream."""

    __tablename__ = "review_settings"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    required_reviews: Mapped[int] = mapped_column(Integer, default=1)
    requeue_rejected_tasks_to_annotator: Mapped[bool] = mapped_column(Boolean, default=True)
    require_comment_on_reject: Mapped[bool] = mapped_column(Boolean, default=True)
    review_only_manual_assignments: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymize_annotations: Mapped[bool] = mapped_column(Boolean, default=False)
    show_instruction: Mapped[bool] = mapped_column(Boolean, default=False)
    instruction: Mapped[str] = mapped_column(Text, default="")
    review_criteria: Mapped[str] = mapped_column(String(8), default="all")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReviewReservation(Base):
    """The review stream's hold on a task: ``user_id`` is reviewing it until ``expire_at``.

    Its own table, not the label stream's ``task_locks``: a reviewer holding a task must not take
    one of its overlap slots in the label stream. One row per task (unique): two reviewers can
    never hold the same task, whatever the timing."""

    __tablename__ = "review_reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expire_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("task_id", name="uq_review_reservations_task_id"),
        Index("ix_review_reservations_user_id_expire_at", "user_id", "expire_at"),
        Index("ix_review_reservations_project_id_expire_at", "project_id", "expire_at"),
    )
