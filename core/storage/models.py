"""Storage connections (Label Studio's import and export storages) and the task links of synced objects.

One ``storages`` row per source (``role="import"``) or target (``role="export"``); ``kind`` names
the plugin's :class:`~labelloom.core.specs.StorageSpec` and ``config`` holds that kind's own
settings, secrets included (the API never returns them). ``storage_links`` remembers which object
(and which row of a multi-task file) each synced task came from, so a sync adds only what is new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow

IMPORT, EXPORT = "import", "export"
# Label Studio's statuses (StorageStatusEnum); "cancelled" is ours, shown after a user stopped a sync.
STATUSES = ("initialized", "queued", "in_progress", "failed", "completed", "completed_with_errors", "cancelled")


class Storage(Base):
    __tablename__ = "storages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(8), default=IMPORT)
    title: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    regex_filter: Mapped[str | None] = mapped_column(Text, nullable=True)
    use_blob_urls: Mapped[bool] = mapped_column(Boolean, default=False)
    presign: Mapped[bool] = mapped_column(Boolean, default=True)
    presign_ttl: Mapped[int] = mapped_column(Integer, default=1)  # minutes, as Label Studio
    recursive_scan: Mapped[bool] = mapped_column(Boolean, default=False)
    can_delete_objects: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(32), default="initialized")
    traceback: Mapped[str | None] = mapped_column(Text, nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    last_sync: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_sync_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_sync_job: Mapped[str | None] = mapped_column(String(256), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_storages_project_id_role", "project_id", "role"),)


class StorageLink(Base):
    """Task ``task_id`` was made from object ``key`` of ``storage_id`` (row ``row_index`` of a
    multi-task file, 0 otherwise)."""

    __tablename__ = "storage_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    storage_id: Mapped[int] = mapped_column(ForeignKey("storages.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(1024))
    row_index: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_storage_links_storage_id_key", "storage_id", "key"),)
