"""Tables of the job system.

``queue_jobs`` is the embedded queue itself (used when no LABELLOOM_QUEUE_URL is set), so jobs
survive a crashed web process. ``jobs`` holds one row per job a user cares about (imports,
exports, syncs, training): its status, progress and error stay readable through the API after
the queue has forgotten the job.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class QueueJob(Base):
    """One SAQ job of the embedded queue; ``job`` is SAQ's own JSON of the job."""

    __tablename__ = "queue_jobs"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    queue: Mapped[str] = mapped_column(String(100))
    function: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    # Epoch seconds: when the job may start, and when a finished job's row may be deleted.
    scheduled: Mapped[float] = mapped_column(Float, default=0.0)
    expire_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    job: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_queue_jobs_queue_status_scheduled", "queue", "status", "scheduled"),)


class JobRecord(Base):
    """A tracked job as users see it (``GET /api/jobs/{id}``)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    function: Mapped[str] = mapped_column(String(255))
    # queued | active | complete | failed | aborted
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(1000), default="")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[Any | None] = mapped_column(JSONType, nullable=True)
    # The job's keyword arguments, kept to enqueue it again if the process died right after
    # the commit that created it (never returned by the API).
    arguments: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_jobs_project_id_id", "project_id", "id"),)
