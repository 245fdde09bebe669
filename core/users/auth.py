"""Who is calling: one middleware opens the request's database session, authenticates the
caller (``Token``, ``Bearer`` or the session cookie with CSRF) and commits or rolls back.

Every route requires a user unless its handler is marked ``opt={"public": True}``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.direct import forget_read_ahead
from ..db.epochs import AUTH, read_epochs
from ..db.lazy_begin import read_mostly
from ..errors import NotAuthenticated, PermissionDenied
from .credential_cache import CachedCredential, CredentialCache, attach, snapshot
from .credentials import decode_jwt, hash_key, token_version
from .models import ApiToken, BrowserSession, User

SESSION_COOKIE = "sessionid"
CSRF_COOKIE = "csrftoken"
CSRF_HEADER = b"x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class AuthInfo:
    method: str  # "token" | "bearer" | "session"
    session_key_hash: str | None = None


class RequestContextMiddleware(ASGIMiddleware):
    """Per request: open the session, authenticate, commit on success or roll back on error."""

    scopes = (ScopeType.HTTP,)
    # Static files and the API docs need neither a database session nor a user.
    exclude_path_pattern = ("^/static/", "^/docs")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        app_state = scope["litestar_app"].state
        handler = scope.get("route_handler")
        public = bool(handler and handler.opt.get("public"))
        gate = app_state.get("write_gate")
        writes = scope["method"] not in SAFE_METHODS or bool(handler and handler.opt.get("writes"))
        if handler and handler.opt.get("writes") is False:
            # A POST that only reads (an ML round trip) must not hold SQLite's write gate while
            # it waits on a remote server; one that writes later takes the gate itself.
            writes = False
        # PostgreSQL: reads run in autocommit until the first write (db/lazy_begin.py); a route
        # that often only reads (the label stream's held task) asks for it though it may write.
        lazy = not writes or bool(handler and handler.opt.get("lazy_transaction"))
        if gate is not None and writes:
            async with gate:
                await self._handle(scope, receive, send, next_app, app_state, public, lazy)
        else:
            await self._handle(scope, receive, send, next_app, app_state, public, lazy)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp, app_state: Any, public: bool,
        lazy: bool,
    ) -> None:
        async with app_state.sessionmaker() as db:
            scope.setdefault("state", {})["db"] = db
            if lazy:
                await read_mostly(db)  # PostgreSQL: no BEGIN/COMMIT unless it writes after all
            found = await authenticate(db, scope, app_state.settings, app_state.get("credential_cache"))
            if found is None:
                if not public:
                    raise NotAuthenticated("Authentication credentials were not provided.")
                scope["user"] = None
            else:
                scope["user"], scope["auth"] = found

            finished = False

            async def send_after_commit(message: Message) -> None:
                nonlocal finished
                if message["type"] == "http.response.start" and not finished:
                    finished = True
                    if message["status"] < 400:
                        await db.commit()
                    else:
                        await db.rollback()
                await send(message)

            try:
                await next_app(scope, receive, send_after_commit)
            except BaseException:
                if not finished:
                    await db.rollback()
                raise


async def authenticate(
    db: AsyncSession, scope: Scope, settings: Any, cache: CredentialCache | None = None
) -> tuple[User, AuthInfo] | None:
    """The calling user, or None when no credentials were sent. Bad credentials raise 401.

    With a ``cache`` (the app's), a credential seen before under the current ``auth`` epoch is
    answered without loading the user (credential_cache.py); the entry is left in
    ``scope["labelloom.credential"]`` for the permission guard to keep the role in."""
    headers = dict(scope.get("headers") or ())
    authorization = headers.get(b"authorization", b"").decode("latin-1").strip()
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        scheme, credential = scheme.lower(), credential.strip()
        if scheme == "token" and settings.legacy_tokens_enabled:
            key = ("token", credential)
            epoch = await _auth_epoch(db, cache, scope, key)
            entry = cache.get(key, epoch) if cache is not None else None
            if entry is not None:
                return _from_cache(db, scope, entry), AuthInfo("token")
            forget_read_ahead(db)
            row = (await db.execute(_USER_BY_TOKEN, {"key": credential})).scalar_one_or_none()
            user = _active(row, "Invalid token.")
            _remember(scope, cache, key, CachedCredential(epoch or 0, snapshot(user), "token"), epoch)
            return user, AuthInfo("token")
        if scheme == "bearer":
            key = ("bearer", credential)
            epoch = await _auth_epoch(db, cache, scope, key)
            entry = cache.get(key, epoch) if cache is not None else None
            if entry is not None and entry.expires_at > time.time():
                return _from_cache(db, scope, entry), AuthInfo("bearer")
            forget_read_ahead(db)
            claims = decode_jwt(settings.secret_key, credential, "access")
            if claims is None:
                raise NotAuthenticated("Given token not valid for any token type")
            user = _active(await db.get(User, claims["user_id"]), "User not found")
            # A password change bumps the version: tokens issued before it end here, checked
            # against the row this request loads anyway (no extra query). The version is a
            # watched column, so a cached entry never outlives it either.
            if token_version(claims) != user.credential_version:
                raise NotAuthenticated("Given token not valid for any token type")
            entry = CachedCredential(epoch or 0, snapshot(user), "bearer", expires_at=claims["exp"])
            _remember(scope, cache, key, entry, epoch)
            return user, AuthInfo("bearer")
        raise NotAuthenticated("Unsupported authorization scheme; use 'Token <key>' or 'Bearer <access token>'.")

    cookie_key = _cookie(headers, SESSION_COOKIE)
    if not cookie_key:
        return None
    key_hash = hash_key(cookie_key)
    now = datetime.now(UTC)
    key = ("session", key_hash)
    epoch = await _auth_epoch(db, cache, scope, key)
    entry = cache.get(key, epoch) if cache is not None else None
    if entry is not None and entry.expires_at > now:
        user = _from_cache(db, scope, entry)
    else:
        forget_read_ahead(db)
        row = (await db.execute(_USER_BY_SESSION, {"key_hash": key_hash, "now": now})).first()
        if row is None:
            return None  # an expired or logged-out cookie is the same as no cookie
        user, session = row
        user = _active(user, "User inactive or deleted.")
        entry = CachedCredential(
            epoch or 0, snapshot(user), "session", csrf_token=session.csrf_token, expires_at=session.expires_at
        )
        _remember(scope, cache, key, entry, epoch)
    if scope["method"] not in SAFE_METHODS:
        sent = headers.get(CSRF_HEADER, b"").decode("latin-1")
        if not sent or sent != entry.csrf_token:
            raise PermissionDenied("CSRF Failed: CSRF token missing or incorrect.")
    return user, AuthInfo("session", key_hash)


CREDENTIAL_SCOPE_KEY = "labelloom.credential"


async def _auth_epoch(db: AsyncSession, cache: CredentialCache | None, scope: Scope, key: tuple[str, Any]) -> int | None:
    """The current ``auth`` epoch, read BEFORE anything it will vouch for (no cache: no read).

    A route may name a read to make in the same round trip (``opt={"read_ahead": make}``,
    ``make(scope, user_id)`` giving a ``DirectRead`` and its values, or None): made for the
    user the credential had under an earlier epoch, it is kept only if the credential is
    answered from the cache under this one (the same entry, so the same user); the caller
    forgets it otherwise. It must read, never write or lock."""
    if cache is None:
        return None
    return (await read_epochs(db, _read_ahead(scope, cache, key))).get(AUTH)


def _read_ahead(scope: Scope, cache: CredentialCache, key: tuple[str, Any]) -> Any:
    handler = scope.get("route_handler")
    make = handler.opt.get("read_ahead") if handler is not None else None
    candidate = cache.peek(key) if make is not None else None
    return None if candidate is None else make(scope, candidate.user["id"])


def _from_cache(db: AsyncSession, scope: Scope, entry: CachedCredential) -> User:
    scope[CREDENTIAL_SCOPE_KEY] = entry  # type: ignore[literal-required]
    return _active(attach(db, entry.user), "User inactive or deleted.")


def _remember(
    scope: Scope, cache: CredentialCache | None, key: tuple[str, Any], entry: CachedCredential, epoch: int | None
) -> None:
    if cache is not None and epoch is not None:
        cache.put(key, entry)
        scope[CREDENTIAL_SCOPE_KEY] = entry  # type: ignore[literal-required]


# Every request runs one of these; built once, not per request.
_USER_BY_TOKEN = select(User).join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.key == bindparam("key"))
_USER_BY_SESSION = (
    select(User, BrowserSession)
    .join(BrowserSession, BrowserSession.user_id == User.id)
    .where(BrowserSession.key_hash == bindparam("key_hash"), BrowserSession.expires_at > bindparam("now"))
)


def _active(user: User | None, message: str) -> User:
    if user is None or not user.is_active:
        raise NotAuthenticated(message)
    return user


def _cookie(headers: dict[bytes, bytes], name: str) -> str | None:
    raw = headers.get(b"cookie")
    if not raw:
        return None
    for part in raw.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None
