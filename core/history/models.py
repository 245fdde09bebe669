"""``annotation_history``: one row per action on an annotation, never updated (a trigger refuses).

The annotation and the author are plain integers, not foreign keys: a deleted annotation or user
keeps its history, and ``ON DELETE SET NULL`` would be an UPDATE the append-only trigger refuses.
The project and task are foreign keys with ``CASCADE``: deleting a project deletes its history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow


class AnnotationHistory(Base):
    __tablename__ = "annotation_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotation_id: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    result: Mapped[list | None] = mapped_column(JSONType, nullable=True)
    lead_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    review_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_annotation_history_annotation_id_id", "annotation_id", "id"),
        Index("ix_annotation_history_task_id", "task_id"),
        Index("ix_annotation_history_project_id_id", "project_id", "id"),
    )
