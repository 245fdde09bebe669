"""Export snapshots: a project's tasks frozen into a JSON file by a background job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class Export(Base):
    """One snapshot. ``file`` is relative to ``<data_dir>/export``; ``converted_formats`` lists
    ``{id, status, export_type, file, traceback}`` for each format made from the snapshot."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(2048), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(32), default="created")
    file: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    md5: Mapped[str | None] = mapped_column(String(128), nullable=True)
    counters: Mapped[dict] = mapped_column(JSONType, default=dict)
    options: Mapped[dict] = mapped_column(JSONType, default=dict)
    converted_formats: Mapped[list] = mapped_column(JSONType, default=list)
    traceback: Mapped[str | None] = mapped_column(String, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_exports_project_id_id", "project_id", "id"),)
