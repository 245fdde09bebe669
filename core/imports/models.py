"""Uploaded files (Label Studio's ``FileUpload``): each file of a multipart import, kept under
``<media>/upload/<project>/<uuid8>-<name>``, and the tasks made from it point at it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UTCDateTime, utcnow


class FileUpload(Base):
    __tablename__ = "file_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # Relative to the media folder, as Label Studio's ``file`` field: upload/<project>/<uuid8>-<name>
    file: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def file_name(self) -> str:
        """The stored file's name (``<uuid8>-<name>``): a task's ``file_upload``."""
        return self.file.rsplit("/", 1)[-1]
