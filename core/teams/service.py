"""Organization memberships and settings: listing roles, changing them, the default role."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import case, delete, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ..users import service as users
from ..users.models import User
from .models import ORGANIZATION_ID, OrganizationMembership, OrganizationSettings
from .rolenames import ROLE_LABELS, Role
from .roles import as_role, default_role, effective_role, forget_role

_ADMIN_ROLES = frozenset({Role.OWNER, Role.ADMINISTRATOR})


def parse_role(value: Any, field: str = "role") -> Role:
    try:
        return as_role(str(value))
    except ValueError:
        codes = ", ".join(f"{r.value} ({r.label})" for r in Role)
        message = f"Unknown role {value!r}; use one of {codes}."
        raise ValidationFailed(message, validation_errors={field: [message]}) from None


def role_column(default: Role) -> Any:
    """The effective role as SQL: explicit row first, then derived as in roles.derived_role."""
    return case(
        (User.is_active.is_(False), literal(Role.DEACTIVATED.value)),
        (OrganizationMembership.role.is_not(None), OrganizationMembership.role),
        (User.is_superuser.is_(True), literal(Role.OWNER.value)),
        else_=literal(default.value),
    )


def membership_json(user: User, role: Role, explicit: bool) -> dict[str, Any]:
    return {
        "id": user.id,
        "organization": ORGANIZATION_ID,
        "user": _user_json(user),
        "role": role.value,
        "role_label": role.label,
        # Label Studio Enterprise's field: where the role comes from.
        "role_source": "organization" if explicit else "default",
    }


def _user_json(user: User) -> dict[str, Any]:
    return msgspec.to_builtins(users.user_out(user))


async def list_memberships(
    db: AsyncSession, *, roles: list[Role] | None, search: str | None, page: int, page_size: int
) -> tuple[int, list[dict[str, Any]]]:
    role = role_column(await default_role(db))
    query = select(User, role.label("role"), OrganizationMembership.role.label("explicit")).outerjoin(
        OrganizationMembership, OrganizationMembership.user_id == User.id
    )
    if roles:
        query = query.where(role.in_([r.value for r in roles]))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.email).like(like),
                func.lower(User.first_name).like(like),
                func.lower(User.last_name).like(like),
                func.lower(User.username).like(like),
            )
        )
    total = (await db.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await db.execute(query.order_by(User.id).offset((page - 1) * page_size).limit(page_size))
    return total, [membership_json(user, as_role(code), explicit is not None) for user, code, explicit in rows]


async def get_membership(db: AsyncSession, user_id: int) -> dict[str, Any]:
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} is not a member of this organization.")
    explicit = await db.get(OrganizationMembership, user_id)
    return membership_json(user, await effective_role(db, user), explicit is not None)


async def set_role(db: AsyncSession, user_id: int, role: Role, *, by: User) -> dict[str, Any]:
    """Give ``user_id`` a role. Owners and administrators keep superuser rights (the account flag
    the user pages read); a deactivated member cannot sign in until given a working role."""
    user = await db.get(User, user_id)
    if user is None:
        message = f"User {user_id} does not exist."
        raise ValidationFailed(message, validation_errors={"user_id": [message]})
    by_role = await effective_role(db, by)
    current = await effective_role(db, user)
    if Role.OWNER in (role, current) and by_role is not Role.OWNER:
        raise PermissionDenied("Only an owner can make someone an owner or change an owner's role.")
    if user.id == by.id and role is not current:
        raise Conflict("You cannot change your own role; ask another owner or administrator.")
    if current in _ADMIN_ROLES and role not in _ADMIN_ROLES:
        await _keep_an_owner_or_admin(db, user.id)
    row = await db.get(OrganizationMembership, user.id)
    if row is None:
        db.add(OrganizationMembership(user_id=user.id, role=role.value))
    else:
        row.role = role.value
    user.is_superuser = role in _ADMIN_ROLES
    if (role is Role.DEACTIVATED) == user.is_active:
        await users.set_active(db, user, role is not Role.DEACTIVATED, by=by)
    await db.flush()
    forget_role(user)
    return membership_json(user, role, True)


async def _keep_an_owner_or_admin(db: AsyncSession, leaving: int) -> None:
    role = role_column(await default_role(db))
    query = (
        select(func.count())
        .select_from(User)
        .outerjoin(OrganizationMembership, OrganizationMembership.user_id == User.id)
        .where(User.id != leaving, role.in_([r.value for r in _ADMIN_ROLES]))
    )
    if not (await db.execute(query)).scalar_one():
        raise Conflict("The organization needs an owner or administrator: give the role to someone else first.")


async def clear_role(db: AsyncSession, user_id: int) -> None:
    """Drop an explicit role (the user falls back to the default)."""
    await db.execute(delete(OrganizationMembership).where(OrganizationMembership.user_id == user_id))


async def organization_json(db: AsyncSession) -> dict[str, Any]:
    default = await default_role(db)
    return {
        "id": ORGANIZATION_ID,
        "title": "Labelloom",
        "default_role": default.value,
        "default_role_label": default.label,
        "roles": [{"value": r.value, "label": ROLE_LABELS[r]} for r in Role],
    }


async def set_default_role(db: AsyncSession, role: Role) -> dict[str, Any]:
    if role in (Role.OWNER, Role.DEACTIVATED):
        message = "The default role must be administrator, manager, reviewer or annotator."
        raise ValidationFailed(message, validation_errors={"default_role": [message]})
    row = await db.get(OrganizationSettings, ORGANIZATION_ID)
    if row is None:
        db.add(OrganizationSettings(id=ORGANIZATION_ID, default_role=role.value))
    else:
        row.default_role = role.value
    await db.flush()
    return await organization_json(db)
