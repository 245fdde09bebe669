"""HTTP routes for users, the current user, tokens, sign-in and first-run set-up."""

from __future__ import annotations

from functools import partial
from typing import Any

import msgspec

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Conflict, NotAuthenticated, PermissionDenied
from ..settings import Settings
from . import service, throttle
from .auth import CSRF_COOKIE, SESSION_COOKIE
from .models import User
from .schemas import (
    AccessOut,
    Credentials,
    InviteCheck,
    InviteOut,
    PasswordChange,
    SignupIn,
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
    async def update_current(
        self, request: Request[Any, Any, Any], db: AsyncSession, user: User, data: UserUpdate
    ) -> UserOut:
        """Update your profile; a new ``password`` needs ``current_password`` and ends your other
        sessions and tokens (this browser stays signed in)."""
        updated = await service.update_user(
            db, user, data, by_admin=user.is_superuser, self_service=True, keep_session=_session_of(request)
        )
        return service.user_out(updated)

    @post("/password", operation_id="current_user_change_password", status_code=HTTP_200_OK)
    async def change_password(
        self, request: Request[Any, Any, Any], db: AsyncSession, settings: Settings, user: User, data: PasswordChange
    ) -> Response[dict[str, Any]]:
        """Change the password (the current one is required). Every other browser is signed out;
        a browser calling with its session cookie gets a fresh session, so it stays signed in."""
        await service.change_password(db, user, data.current_password, data.new_password)
        auth = request.scope.get("auth")
        if auth is not None and auth.method == "session":
            key, csrf = await service.open_session(db, user, settings.session_ttl)
            return _signed_in(user, key, csrf, settings)
        return Response({"user": service.user_out(user)})

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
    async def update(
        self, request: Request[Any, Any, Any], db: AsyncSession, user: User, user_id: int, data: UserUpdate
    ) -> UserOut:
        if user_id != user.id:
            _require_admin(user)
        target = await service.get_user(db, user_id)
        if data.is_active is not msgspec.UNSET and user.is_superuser:
            # Deactivation also ends the user's sessions; nobody can lock themselves out.
            await service.set_active(db, target, data.is_active, by=user)
            data.is_active = msgspec.UNSET
        own = target.id == user.id
        updated = await service.update_user(
            db,
            target,
            data,
            by_admin=user.is_superuser,
            self_service=own,
            keep_session=_session_of(request) if own else None,
        )
        return service.user_out(updated)

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

    @delete("/{token_id:int}", operation_id="tokens_revoke", status_code=HTTP_204_NO_CONTENT)
    async def revoke(self, db: AsyncSession, user: User, token_id: int) -> None:
        """Revoke one of your tokens by id (the list never shows the secret again)."""
        await service.revoke_personal_token_by_id(db, user, token_id)

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


def _session_of(request: Request[Any, Any, Any]) -> str | None:
    auth = request.scope.get("auth")
    return auth.session_key_hash if auth is not None else None


JSON_ONLY = "Send this request as JSON (Content-Type: application/json)."


async def _require_json(request: Request[Any, Any, Any]) -> None:
    """Sign-in and set-up answer JSON requests only, as the app sends them: a cross-site HTML
    form (urlencoded, multipart or text/plain) cannot sign a browser into someone's account."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(status_code=415, detail=JSON_ONLY)


# Sign-in, sign-up and set-up: public, and JSON only.
public_json_post = partial(post, opt={"public": True}, before_request=_require_json)


# A session that is not "kept" ends with the browser, and at the latest after a day on the server.
SHORT_SESSION_TTL = 24 * 3600


def _signed_in(user: User, key: str, csrf: str, settings: Settings, remember: bool = True) -> Response[dict[str, Any]]:
    secure = settings.secure_cookies
    max_age = settings.session_ttl if remember else None
    return Response(
        {"user": service.user_out(user), "csrf_token": csrf},
        cookies=[
            Cookie(key=SESSION_COOKIE, value=key, max_age=max_age, httponly=True, samesite="lax", secure=secure),
            Cookie(key=CSRF_COOKIE, value=csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure),
        ],
    )


def _session_ttl(settings: Settings, remember: bool) -> int:
    return settings.session_ttl if remember else min(settings.session_ttl, SHORT_SESSION_TTL)


class AuthController(Controller):
    """Browser sign-in with a session cookie, first-run set-up, invite links and sign-up.

    Mounted at /api so the invite routes keep Label Studio's paths (/api/invite).
    """

    path = "/api"
    tags = ["Auth"]

    @public_json_post("/auth/login", operation_id="login", status_code=HTTP_200_OK)
    async def login(
        self, request: Request[Any, Any, Any], db: AsyncSession, settings: Settings, data: Credentials
    ) -> Response[dict[str, Any]]:
        """Sign in with a session cookie. Repeated failures for an account or from an address
        answer 429 with ``Retry-After`` for a while (core/users/throttle.py)."""
        address = request.client.host if request.client else None
        keys = throttle.keys_for(data.email, address)
        wait = await throttle.retry_after(db, list(keys))
        if wait is not None:
            raise HTTPException(
                status_code=429,
                detail=f"Too many failed sign-ins. Try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
        try:
            user = await service.check_credentials(db, data.email, data.password)
        except NotAuthenticated:
            await throttle.record_failure(request.app.state.sessionmaker, data.email, address, settings)
            raise
        await throttle.clear_account(db, data.email)
        key, csrf = await service.open_session(db, user, _session_ttl(settings, data.remember))
        return _signed_in(user, key, csrf, settings, data.remember)

    @public_json_post("/auth/signup", operation_id="signup", status_code=HTTP_201_CREATED)
    async def signup(self, db: AsyncSession, settings: Settings, data: SignupIn) -> Response[dict[str, Any]]:
        """Create an account with an invite link's token and sign it in; refused without one."""
        user = await service.sign_up(db, data)
        key, csrf = await service.open_session(db, user, settings.session_ttl)
        response = _signed_in(user, key, csrf, settings)
        response.status_code = HTTP_201_CREATED
        return response

    @get("/auth/invite", operation_id="invite_check", opt={"public": True})
    async def invite_check(self, db: AsyncSession, token: str = "") -> InviteCheck:
        """Whether an invite token is live (the sign-up page asks before showing its form)."""
        return InviteCheck(valid=await service.invite_is_valid(db, token))

    @get("/invite", operation_id="invite_get")
    async def invite(self, db: AsyncSession, user: User) -> InviteOut:
        """The organization's invite link (Label Studio: ``{invite_url, token}``)."""
        _require_admin(user)
        token = await service.invite_token(db, user)
        return InviteOut(invite_url=service.INVITE_PATH + token, token=token)

    @post("/invite/reset-token", operation_id="invite_reset", status_code=HTTP_200_OK)
    async def reset_invite(self, db: AsyncSession, user: User) -> InviteOut:
        """A new invite link; the old one stops working."""
        _require_admin(user)
        token = await service.reset_invite_token(db, user)
        return InviteOut(invite_url=service.INVITE_PATH + token, token=token)

    @post("/auth/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request[Any, Any, Any], db: AsyncSession, user: User) -> Response[None]:
        auth = request.scope.get("auth")
        if auth is not None and auth.session_key_hash:
            await service.close_session(db, auth.session_key_hash)
        response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(CSRF_COOKIE)
        return response

    @get("/auth/setup", operation_id="setup_state", opt={"public": True})
    async def setup_state(self, db: AsyncSession) -> SetupState:
        return SetupState(needs_admin=await service.count_users(db) == 0)

    @public_json_post("/auth/setup", operation_id="setup_admin", status_code=HTTP_201_CREATED)
    async def setup_admin(self, db: AsyncSession, settings: Settings, data: Credentials) -> Response[dict[str, Any]]:
        """Create the first administrator; refused once any user exists."""
        if await service.count_users(db) > 0:
            raise PermissionDenied("Labelloom is already set up; ask an administrator for an account.")
        user = await service.create_user(db, UserCreate(email=data.email, password=data.password, is_superuser=True))
        key, csrf = await service.open_session(db, user, settings.session_ttl)
        response = _signed_in(user, key, csrf, settings)
        response.status_code = HTTP_201_CREATED
        return response
