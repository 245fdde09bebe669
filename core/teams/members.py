"""Project members: who works in which project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ProjectMember


async def is_member(session: AsyncSession, project_id: int, user_id: int) -> bool:
    found = await session.execute(
        select(ProjectMember.id).where(ProjectMember.project_id == project_id, ProjectMember.user_id == user_id)
    )
    return found.first() is not None


async def project_ids_of(session: AsyncSession, user_id: int) -> set[int]:
    rows = await session.execute(select(ProjectMember.project_id).where(ProjectMember.user_id == user_id))
    return set(rows.scalars())


def member_projects_clause(user_id: int, project_id: Any) -> ColumnElement[bool]:
    """A condition on ``project_id`` (a column): the user is a member of that project."""
    return project_id.in_(select(ProjectMember.project_id).where(ProjectMember.user_id == user_id))
