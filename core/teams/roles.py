"""A user's organization role: the explicit membership row, or the open-edition default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..users.models import User
from .models import ORGANIZATION_ID, OrganizationMembership, OrganizationSettings
from .rolenames import Role

# Label Studio Enterprise's "Not Activated" reads as the least privileged working role.
_ALIASES = {"NO": Role.ANNOTATOR}


def as_role(code: str) -> Role:
    return _ALIASES.get(code) or Role(code)


async def default_role(session: AsyncSession) -> Role:
    code = (
        await session.execute(select(OrganizationSettings.default_role).where(OrganizationSettings.id == ORGANIZATION_ID))
    ).scalar_one_or_none()
    return as_role(code or Role.MANAGER)


def derived_role(user: User, default: Role) -> Role:
    """The role of a user without a membership row."""
    if not user.is_active:
        return Role.DEACTIVATED
    return Role.OWNER if user.is_superuser else default


async def effective_role(session: AsyncSession, user: User) -> Role:
    if not user.is_active:
        return Role.DEACTIVATED
    # Cached on the user object for the request: guards and services ask more than once.
    cached = user.__dict__.get("_labelloom_role")
    if cached is not None:
        return cached
    code = (
        await session.execute(select(OrganizationMembership.role).where(OrganizationMembership.user_id == user.id))
    ).scalar_one_or_none()
    role = as_role(code) if code is not None else derived_role(user, await default_role(session))
    user.__dict__["_labelloom_role"] = role
    return role


def forget_role(user: User) -> None:
    user.__dict__.pop("_labelloom_role", None)
