"""Stored quality figures: per-project settings, one row per scored task, and the rollups the
dashboard reads.

``quality_tasks`` keeps each task's agreement and ``contrib``: exactly what the task adds to the
rollups. (The data manager filters and sorts on the copy in ``tasks.agreement``, in percent,
indexed with the project; the jobs write both in one transaction.) Recomputing a task subtracts its old ``contrib`` and adds the new one, so rollups stay
exact without rescanning anything; a full recompute rebuilds both from the annotations.

No foreign key ties a row to its task: a deleted task's row must outlive it until the job has
taken its contributions back out of the rollups.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow

METHODS = ("threshold", "overlap")


class QualitySettings(Base):
    """How a project scores agreement (docs/quality.md, "Settings")."""

    __tablename__ = "quality_settings"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    # threshold: a region pair matches when its overlap reaches ``threshold`` (F1 of matches);
    # overlap: matched pairs count with their overlap (a soft F1).
    method: Mapped[str] = mapped_column(String(16), default="threshold")
    threshold: Mapped[float] = mapped_column(Float, default=0.5)
    match_labels: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by each settings change: a full recompute started for an older version stops.
    version: Mapped[int] = mapped_column(Integer, default=1)
    recomputed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class QualityTask(Base):
    """One task's agreement and its contributions to the rollups."""

    __tablename__ = "quality_tasks"

    task_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    agreement: Mapped[float | None] = mapped_column(Float, nullable=True)  # 0..1, None below 2 annotations
    annotations: Mapped[int] = mapped_column(Integer, default=0)
    # [[kind, day, user_a, user_b, key, n, total], ...] (see rollups.py)
    contrib: Mapped[list] = mapped_column(JSONType, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_quality_tasks_project_id_agreement", "project_id", "agreement"),)


class QualityRollup(Base):
    """Sums per project, kind, UTC day, annotator (pair) and key: what dashboards add up."""

    __tablename__ = "quality_rollups"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD (UTC)
    user_a: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 0 = none
    user_b: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)  # label, bucket, model version
    n: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
