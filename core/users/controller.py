"""HTTP routes for users, the current user, tokens, sign-in and first-run set-up."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Conflict, PermissionDenied
from ..settings import Settings
from . import service
from .auth import CSRF_COOKIE, SESSION_COOKIE
from .models import User
from .schemas import (
    AccessOut,
    Credentials,
    PersonalTokenOut,
    RefreshIn,
    RotatedOut,
    SetupState,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)


def _require_admin(user: User) -> None:
    if not user.is_superuser:
        raise PermissionDenied("Only an administrator can do this.")


class CurrentUserController(Controller):
    path = "/api/current-user"
    tags = ["Users"]

    @get("/whoami", operation_id="whoami")
    async def whoami(self, user: User) -> UserOut:
        return service.user_out(user)

    @get("/", operation_id="current_user_get")
    async def current(self, user: User) -> UserOut:
        return service.user_out(user)

    @patch("/", operation_id="current_user_update")
    async def update_current(self, db: AsyncSession, user: User, data: UserUpdate) -> UserOut:
        return service.user_out(await service.update_user(db, user, data, by_admin=user.is_superuser))

    @get("/token", operation_id="current_user_token")
    async def token(self, db: AsyncSession, user: User) -> TokenOut:
        return TokenOut(token=await service.api_token(db, user))

    @post("/reset-token", operation_id="current_user_reset_token", status_code=HTTP_201_CREATED)
    async def reset_token(self, db: AsyncSession, user: User) -> TokenOut:
        return TokenOut(token=await service.reset_api_token(db, user))


class UsersController(Controller):
    path = "/api/users"
    tags = ["Users"]

    @get("/", operation_id="users_list")
    async def list_users(self, db: AsyncSession, user: User) -> list[UserOut]:
        return [service.user_out(u) for u in await service.list_users(db)]

    @post("/", operation_id="users_create")
    async def create(self, db: AsyncSession, user: User, data: UserCreate) -> UserOut:
        _require_admin(user)
        return service.user_out(await service.create_user(db, data))

    @get("/{user_id:int}", operation_id="users_get")
    async def get_one(self, db: AsyncSession, user: User, user_id: int) -> UserOut:
        return service.user_out(await service.get_user(db, user_id))

    @patch("/{user_id:int}", operation_id="users_update")
    async def update(self, db: AsyncSession, user: User, user_id: int, data: UserUpdate) -> UserOut:
        if user_id != user.id:
            _require_admin(user)
        target = await service.get_user(db, user_id)
        return service.user_out(await service.update_user(db, target, data, by_admin=user.is_superuser))

    @delete("/{user_id:int}", operation_id="users_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, user_id: int) -> None:
        _require_admin(user)
        if user_id == user.id:
            raise Conflict("You cannot delete your own account.")
        await db.delete(await service.get_user(db, user_id))


class TokenController(Controller):
    """Personal access tokens: JWT refresh tokens, exchanged for short-lived access tokens."""

    path = "/api/token"
    tags = ["Tokens"]

    @get("/", operation_id="tokens_list")
    async def list_tokens(self, db: AsyncSession, user: User) -> list[PersonalTokenOut]:
        rows = await service.list_personal_tokens(db, user)
        return [PersonalTokenOut(id=r.id, created_at=r.created_at, expires_at=r.expires_at) for r in rows]

    @post("/", operation_id="tokens_create", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, user: User, settings: Settings) -> PersonalTokenOut:
        row, token = await service.create_personal_token(
            db, user, settings.secret_key or "", settings.personal_token_ttl
        )
        return PersonalTokenOut(id=row.id, created_at=row.created_at, expires_at=row.expires_at, token=token)

    @post("/refresh", operation_id="tokens_refresh", status_code=HTTP_200_OK, opt={"public": True})
    async def refresh(self, db: AsyncSession, settings: Settings, data: RefreshIn) -> AccessOut:
        access = await service.refresh_access_token(
            db, settings.secret_key or "", data.refresh, settings.access_token_ttl
        )
        return AccessOut(access=access)

    @post("/blacklist", operation_id="tokens_blacklist", status_code=HTTP_204_NO_CONTENT, opt={"public": True})
    async def blacklist(self, db: AsyncSession, settings: Settings, data: RefreshIn) -> None:
        await service.revoke_personal_token(db, settings.secret_key or "", data.refresh)

    @post("/rotate", operation_id="tokens_rotate", status_code=HTTP_200_OK, opt={"public": True})
    async def rotate(self, db: AsyncSession, settings: Settings, data: RefreshIn) -> RotatedOut:
        token = await service.rotate_personal_token(
            db, settings.secret_key or "", data.refresh, settings.personal_token_ttl
        )
        return RotatedOut(refresh=token)


def _signed_in(user: User, key: str, csrf: str, settings: Settings) -> Response[dict[str, Any]]:
    secure = settings.secure_cookies
    return Response(
        {"user": service.user_out(user), "csrf_token": csrf},
        cookies=[
            Cookie(key=SESSION_COOKIE, value=key, max_age=settings.session_ttl, httponly=True, samesite="lax", secure=secure),
            Cookie(key=CSRF_COOKIE, value=csrf, max_age=settings.session_ttl, httponly=False, samesite="lax", secure=secure),
        ],
    )


class AuthController(Controller):
    """Browser sign-in with a session cookie, and creation of the first administrator."""

    path = "/api/auth"
    tags = ["Auth"]

    @post("/login", operation_id="login", status_code=HTTP_200_OK, opt={"public": True})
    async def login(self, db: AsyncSession, settings: Settings, data: Credentials) -> Response[dict[str, Any]]:
        user = await service.check_credentials(db, data.email, data.password)
        key, csrf = await service.open_session(db, user, settings.session_ttl)
        return _signed_in(user, key, csrf, settings)

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request[Any, Any, Any], db: AsyncSession, user: User) -> Response[None]:
        auth = request.scope.get("auth")
        if auth is not None and auth.session_key_hash:
            await service.close_session(db, auth.session_key_hash)
        response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(CSRF_COOKIE)
        return response

    @get("/setup", operation_id="setup_state", opt={"public": True})
    async def setup_state(self, db: AsyncSession) -> SetupState:
        return SetupState(needs_admin=await service.count_users(db) == 0)

    @post("/setup", operation_id="setup_admin", status_code=HTTP_201_CREATED, opt={"public": True})
    async def setup_admin(self, db: AsyncSession, settings: Settings, data: Credentials) -> Response[dict[str, Any]]:
        """Create the first administrator; refused once any user exists."""
        if await service.count_users(db) > 0:
            raise PermissionDenied("Labelloom is already set up; ask an administrator for an account.")
        user = await service.create_user(db, UserCreate(email=data.email, password=data.password, is_superuser=True))
        key, csrf = await service.open_session(db, user, settings.session_ttl)
        response = _signed_in(user, key, csrf, settings)
        response.status_code = HTTP_201_CREATED
        return response
