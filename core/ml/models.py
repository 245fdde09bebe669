"""ML backend connections (Label Studio's ``MLBackend``): one row per connected model server.

The protocol itself (HTTP, Label Studio's bodies) lives in a plugin (``ml_http``); a row only
says which kind of connector talks to it and how (URL, auth, extra params, timeout).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, JSONType, UTCDateTime, utcnow

# Label Studio's state codes and their readable names.
STATES = {"CO": "Connected", "DI": "Disconnected", "ER": "Error", "TR": "Training", "PR": "Predicting"}
AUTH_METHODS = ("NONE", "BASIC_AUTH")


class MLBackend(Base):
    __tablename__ = "ml_backends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # The registered MLBackendSpec that speaks to it (``http``: Label Studio's protocol).
    kind: Mapped[str] = mapped_column(String(64), default="http")
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(512), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    auth_method: Mapped[str] = mapped_column(String(16), default="NONE")
    basic_auth_user: Mapped[str | None] = mapped_column(String(512), nullable=True)
    basic_auth_pass: Mapped[str | None] = mapped_column(String(512), nullable=True)
    extra_params: Mapped[dict | None] = mapped_column(JSONType, nullable=True)
    is_interactive: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_update: Mapped[bool] = mapped_column(Boolean, default=True)
    # Seconds a predict call may take (0 = the server's ML_TIMEOUT_PREDICT).
    timeout: Mapped[float] = mapped_column(Float, default=100.0)
    state: Mapped[str] = mapped_column(String(2), default="DI")
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    model_version: Mapped[str] = mapped_column(String(255), default="")
    # The project webhook created with the backend (``url/webhook``, all actions).
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
