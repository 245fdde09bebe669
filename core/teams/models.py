"""Teams: the organization's settings, members' roles, project members, task assignments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UTCDateTime, utcnow

ORGANIZATION_ID = 1  # Labelloom has one organization; the id keeps Label Studio clients happy


class OrganizationSettings(Base):
    """The organization's team settings; one row (id 1), created by migration 0013."""

    __tablename__ = "organization_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The role of a user nobody gave a role to (``Role`` code). ``MA`` keeps the open edition's
    # "everyone may do everything in every project".
    default_role: Mapped[str] = mapped_column(String(2), default="MA", server_default="MA")


class OrganizationMembership(Base):
    """A role set explicitly for a user; without a row the role is derived (permissions.py)."""

    __tablename__ = "organization_memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(Integer, default=ORGANIZATION_ID, server_default="1")
    role: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProjectMember(Base):
    """A user who works in a project (reviewers and annotators see only such projects)."""

    __tablename__ = "project_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("project_id", "user_id", name="uq_project_members_project_user"),
        Index("ix_project_members_user_id", "user_id"),
    )


class ProjectAssignmentSettings(Base):
    """How the label stream hands out a project's tasks (Label Studio Enterprise's
    ``assignment_settings``): ``auto_distribution`` or ``assigned_only``. No row = auto."""

    __tablename__ = "project_assignment_settings"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    label_stream_task_distribution: Mapped[str] = mapped_column(String(32), default="auto_distribution")


class TaskAssignment(Base):
    """A user assigned to a task, to annotate (``AN``) or to review (``RE``)."""

    __tablename__ = "task_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    # Denormalised from the task: per-project listings and counts need no join.
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("task_id", "type", "user_id", name="uq_task_assignments_task_type_user"),
        # The stream's "my tasks" and the DM's "assigned to" filter.
        Index("ix_task_assignments_user_type_task", "user_id", "type", "task_id"),
        Index("ix_task_assignments_project_id", "project_id"),
    )
