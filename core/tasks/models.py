"""Tasks and label-stream locks.

A task keeps denormalised counters (annotations, cancellations, predictions, completion) so
the data manager can filter and order on them with an index instead of an aggregate query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class Task(Base):
    """A unit of labeling work. Create tasks only through ``imports.service.TaskImporter``: it
    also counts them into ``project_counters`` (updates and deletes are counted by triggers)."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    inner_id: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSONType)
    meta: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    overlap: Mapped[int] = mapped_column(Integer, default=1)
    is_labeled: Mapped[bool] = mapped_column(Boolean, default=False)
    total_annotations: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_annotations: Mapped[int] = mapped_column(Integer, default=0)
    total_predictions: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    predictions_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    file_upload: Mapped[str | None] = mapped_column(String(512), nullable=True)  # the upload's file name
    # The FileUpload the task was made from (imports.models; Label Studio: SET NULL on delete).
    file_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("file_uploads.id", ondelete="SET NULL"), nullable=True, index=True
    )
    storage_filename: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Mean pairwise agreement in percent, kept by the quality jobs (core/quality/store.py) from
    # quality_tasks: here so the data manager filters and sorts on an index.
    agreement: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        # Every data-manager query is scoped by project; these cover its common orderings.
        Index("ix_tasks_project_id_id", "project_id", "id"),
        Index("uq_tasks_project_id_inner_id", "project_id", "inner_id", unique=True),
        Index("ix_tasks_project_id_is_labeled", "project_id", "is_labeled", "id"),
        Index("ix_tasks_project_id_total_annotations", "project_id", "total_annotations"),
        Index("ix_tasks_project_id_completed_at", "project_id", "completed_at"),
        Index("ix_tasks_project_id_updated_at", "project_id", "updated_at"),
        Index("ix_tasks_project_id_predictions_score", "project_id", "predictions_score"),
        Index("ix_tasks_project_id_agreement", "project_id", "agreement"),
    )


class TaskLock(Base):
    """A label-stream reservation: a task is being labeled by ``user_id`` until ``expire_at``."""

    __tablename__ = "task_locks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expire_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
