"""Database work the CLI does outside a request: migrate, bootstrap the admin, manage users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from ..db.engine import make_engine, make_sessionmaker
from ..db.migrate import current_revision, upgrade
from ..errors import NotFound
from ..settings import Settings
from ..users import service
from ..users.schemas import UserCreate, UserUpdate

T = TypeVar("T")


async def migrate(settings: Settings) -> str | None:
    engine = make_engine(settings.resolved_database_url)
    try:
        await upgrade(engine)
        return await current_revision(engine)
    finally:
        await engine.dispose()


async def _in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction, on a database brought up to date first."""
    engine = make_engine(settings.resolved_database_url)
    try:
        await upgrade(engine)
        async with make_sessionmaker(engine)() as db:
            result = await work(db)
            await db.commit()
            return result
    finally:
        await engine.dispose()


async def bootstrap_admin(settings: Settings) -> bool:
    """Create the administrator from --username/--password when the database has no user yet."""

    async def work(db: AsyncSession) -> bool:
        if await service.count_users(db) > 0:
            return False
        if not settings.password:
            raise ValueError("--password (or LABELLOOM_PASSWORD) is required with --username")
        await service.create_user(
            db, UserCreate(email=settings.username or "", password=settings.password, is_superuser=True)
        )
        return True

    return await _in_session(settings, work)


async def create_user(settings: Settings, email: str, password: str, **fields: Any) -> dict[str, Any]:
    async def work(db: AsyncSession) -> dict[str, Any]:
        user = await service.create_user(
            db,
            UserCreate(
                email=email,
                password=password,
                is_superuser=fields.get("admin", False),
                first_name=fields.get("first_name", ""),
                last_name=fields.get("last_name", ""),
            ),
        )
        return {"id": user.id, "email": user.email}

    return await _in_session(settings, work)


async def list_users(settings: Settings) -> list[dict[str, Any]]:
    async def work(db: AsyncSession) -> list[dict[str, Any]]:
        return [
            {"id": u.id, "email": u.email, "is_superuser": u.is_superuser, "is_active": u.is_active}
            for u in await service.list_users(db)
        ]

    return await _in_session(settings, work)


async def _user(db: AsyncSession, email: str) -> Any:
    user = await service.find_by_email(db, email)
    if user is None:
        raise NotFound(f"No user with email {email}.")
    return user


async def reset_password(settings: Settings, email: str, password: str) -> None:
    async def work(db: AsyncSession) -> None:
        await service.update_user(db, await _user(db, email), UserUpdate(password=password), by_admin=True)

    await _in_session(settings, work)


async def user_token(settings: Settings, email: str) -> str:
    async def work(db: AsyncSession) -> str:
        return await service.api_token(db, await _user(db, email))

    return await _in_session(settings, work)
