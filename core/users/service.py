"""User accounts and credentials: the logic behind the users API and the CLI.

A password change or reset (the user's own, an administrator's, ``labelloom user
reset-password``) ends every credential issued before it (:func:`revoke_credentials`): the
user's credential version is bumped, so JWT access tokens stop working; personal access
tokens (refresh tokens) are revoked; browser sessions end except the one that made the change;
the legacy API token is rotated. Label Studio keeps the legacy token across password changes;
Labelloom rotates it, because a leaked token is exactly what a password change should end
(scripts read the new one from ``GET /api/current-user/token``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import BadRequest, Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from . import credentials, passwords
from .models import ApiToken, BrowserSession, InviteLink, PersonalAccessToken, User
from .schemas import ORGANIZATION_ID, UserCreate, UserOut, UserUpdate


def user_out(user: User) -> UserOut:
    initials = ((user.first_name[:1] + user.last_name[:1]) or user.email[:2]).lower()
    return UserOut(
        id=user.id,
        email=user.email,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=user.phone,
        avatar=None,
        initials=initials,
        allow_newsletters=user.allow_newsletters,
        custom_hotkeys=user.custom_hotkeys,
        is_superuser=user.is_superuser,
        is_active=user.is_active,
        active_organization=ORGANIZATION_ID,
        date_joined=user.date_joined,
        last_activity=user.last_activity,
    )


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not local or not at or "." not in domain:
        raise ValidationFailed("Invalid email.", validation_errors={"email": ["Enter a valid email address."]})
    return email


def _check_password(password: str) -> None:
    problem = passwords.password_problem(password)
    if problem:
        raise ValidationFailed(problem, validation_errors={"password": [problem]})


async def count_users(db: AsyncSession) -> int:
    return (await db.execute(select(func.count()).select_from(User))).scalar_one()


async def get_user(db: AsyncSession, user_id: int) -> User:
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    return user


async def find_by_email(db: AsyncSession, email: str) -> User | None:
    return (await db.execute(select(User).where(User.email == email.strip().lower()))).scalar_one_or_none()


async def list_users(db: AsyncSession) -> list[User]:
    return list((await db.execute(select(User).order_by(User.id))).scalars())


async def create_user(db: AsyncSession, data: UserCreate) -> User:
    email = _clean_email(data.email)
    if data.password is not None:
        _check_password(data.password)
    if await find_by_email(db, email):
        raise ValidationFailed(
            f"A user with email {email} already exists.",
            validation_errors={"email": ["User with this email already exists."]},
        )
    user = User(
        email=email,
        username=data.username or email.split("@")[0],
        first_name=data.first_name,
        last_name=data.last_name,
        phone=data.phone,
        allow_newsletters=data.allow_newsletters,
        is_superuser=data.is_superuser,
        password_hash=passwords.hash_password(data.password) if data.password else "",
    )
    db.add(user)
    await db.flush()
    db.add(ApiToken(key=credentials.new_token_key(), user_id=user.id))
    await db.flush()
    return user


async def update_user(
    db: AsyncSession,
    user: User,
    data: UserUpdate,
    *,
    by_admin: bool,
    self_service: bool = False,
    keep_session: str | None = None,
) -> User:
    """Apply ``data`` to ``user``.

    :param self_service: the user changes their own account: a new password needs
        ``current_password``.
    :param keep_session: the hashed key of the browser session making the change, which stays
        signed in when the password changes.
    """
    changes: dict[str, Any] = {
        k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET
    }
    current_password = changes.pop("current_password", None)
    if not by_admin and ({"is_superuser", "is_active"} & changes.keys()):
        raise BadRequest("Only an administrator can change is_superuser or is_active.")
    if changes.get("is_superuser") is False and user.is_superuser:
        await _keep_an_administrator(db, user)
    if "password" in changes and self_service:
        _check_current_password(user, current_password)
    if "email" in changes:
        email = _clean_email(changes.pop("email"))
        other = await find_by_email(db, email)
        if other is not None and other.id != user.id:
            raise ValidationFailed(
                f"A user with email {email} already exists.",
                validation_errors={"email": ["User with this email already exists."]},
            )
        user.email = email
    if "password" in changes:
        password = changes.pop("password")
        _check_password(password)
        user.password_hash = passwords.hash_password(password)
        await revoke_credentials(db, user, keep_session=keep_session)
    for key, value in changes.items():
        setattr(user, key, value)
    await db.flush()
    return user


async def set_active(db: AsyncSession, user: User, active: bool, *, by: User) -> User:
    """Deactivate (or reactivate) an account; a deactivated user's sessions end at once."""
    if user.id == by.id and not active:
        raise Conflict("You cannot deactivate your own account.")
    user.is_active = active
    if not active:
        await db.execute(delete(BrowserSession).where(BrowserSession.user_id == user.id))
    await db.flush()
    return user


def _check_current_password(user: User, current: str | None) -> None:
    if not current:
        message = "Enter your current password to set a new one."
        raise ValidationFailed(message, validation_errors={"current_password": [message]})
    if not passwords.verify_password(user.password_hash, current):
        message = "The current password is not correct."
        raise ValidationFailed(message, validation_errors={"current_password": [message]})


async def _keep_an_administrator(db: AsyncSession, user: User) -> None:
    """Refuse to take administrator rights from the last active administrator."""
    others = (
        await db.execute(
            select(func.count())
            .select_from(User)
            .where(User.is_superuser.is_(True), User.is_active.is_(True), User.id != user.id)
        )
    ).scalar_one()
    if not others:
        message = "The organization needs an administrator: make someone else an administrator first."
        raise ValidationFailed(message, validation_errors={"is_superuser": [message]})


async def revoke_credentials(db: AsyncSession, user: User, *, keep_session: str | None = None) -> None:
    """End every credential of ``user`` issued so far (after a password change or reset).

    Access tokens carry the credential version and stop working when it moves on; refresh
    tokens are revoked; browser sessions end, except ``keep_session`` (the browser making the
    change); the legacy token is replaced by a new one.
    """
    user.credential_version = (user.credential_version or 0) + 1
    sessions = delete(BrowserSession).where(BrowserSession.user_id == user.id)
    if keep_session:
        sessions = sessions.where(BrowserSession.key_hash != keep_session)
    await db.execute(sessions)
    await db.execute(
        update(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id, PersonalAccessToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    await reset_api_token(db, user)


async def change_password(
    db: AsyncSession, user: User, current: str, new: str, *, keep_session: str | None = None
) -> None:
    """Change a password after checking the current one; other credentials end."""
    await update_user(
        db,
        user,
        UserUpdate(password=new, current_password=current),
        by_admin=False,
        self_service=True,
        keep_session=keep_session,
    )


async def check_credentials(db: AsyncSession, email: str, password: str) -> User:
    user = await find_by_email(db, email)
    if user is None or not user.is_active or not user.password_hash:
        # As slow as a wrong password: the answer's timing tells no one which emails exist.
        passwords.verify_dummy(password)
        raise NotAuthenticated("Invalid email or password.")
    if not passwords.verify_password(user.password_hash, password):
        raise NotAuthenticated("Invalid email or password.")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


# -- legacy tokens ---------------------------------------------------------------------------
async def api_token(db: AsyncSession, user: User) -> str:
    token = (await db.execute(select(ApiToken).where(ApiToken.user_id == user.id))).scalar_one_or_none()
    if token is None:
        token = ApiToken(key=credentials.new_token_key(), user_id=user.id)
        db.add(token)
        await db.flush()
    return token.key


async def reset_api_token(db: AsyncSession, user: User) -> str:
    await db.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    key = credentials.new_token_key()
    db.add(ApiToken(key=key, user_id=user.id))
    await db.flush()
    return key


# -- personal access tokens (JWT refresh tokens) ----------------------------------------------
async def create_personal_token(db: AsyncSession, user: User, secret: str, ttl: int) -> tuple[PersonalAccessToken, str]:
    token, claims = credentials.encode_jwt(
        secret, user_id=user.id, token_type="refresh", ttl=ttl, version=user.credential_version or 0
    )
    row = PersonalAccessToken(
        jti=claims["jti"],
        user_id=user.id,
        created_at=datetime.fromtimestamp(claims["iat"], UTC),
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
    )
    db.add(row)
    await db.flush()
    return row, token


async def list_personal_tokens(db: AsyncSession, user: User) -> list[PersonalAccessToken]:
    query = select(PersonalAccessToken).where(
        PersonalAccessToken.user_id == user.id, PersonalAccessToken.revoked_at.is_(None)
    )
    return list((await db.execute(query.order_by(PersonalAccessToken.id))).scalars())


async def _live_refresh_token(db: AsyncSession, secret: str, token: str) -> tuple[PersonalAccessToken, User]:
    claims = credentials.decode_jwt(secret, token, "refresh")
    if claims is None:
        raise NotAuthenticated("Token is invalid or expired")
    row = (
        await db.execute(select(PersonalAccessToken).where(PersonalAccessToken.jti == claims["jti"]))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("Token is blacklisted")
    user = await db.get(User, row.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("User not found")
    if credentials.token_version(claims) != user.credential_version:
        raise NotAuthenticated("Token is blacklisted")
    return row, user


async def refresh_access_token(db: AsyncSession, secret: str, refresh: str, ttl: int) -> str:
    row, user = await _live_refresh_token(db, secret, refresh)
    access, _ = credentials.encode_jwt(
        secret, user_id=row.user_id, token_type="access", ttl=ttl, version=user.credential_version or 0
    )
    return access


async def revoke_personal_token(db: AsyncSession, secret: str, refresh: str) -> PersonalAccessToken:
    row, _ = await _live_refresh_token(db, secret, refresh)
    row.revoked_at = datetime.now(UTC)
    return row


async def revoke_personal_token_by_id(db: AsyncSession, user: User, token_id: int) -> None:
    row = await db.get(PersonalAccessToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound(f"Token {token_id} not found.")
    row.revoked_at = datetime.now(UTC)
    await db.flush()


async def rotate_personal_token(db: AsyncSession, secret: str, refresh: str, ttl: int) -> str:
    row = await revoke_personal_token(db, secret, refresh)
    user = await get_user(db, row.user_id)
    _, token = await create_personal_token(db, user, secret, ttl)
    return token


# -- browser sessions -----------------------------------------------------------------------
async def open_session(db: AsyncSession, user: User, ttl: int) -> tuple[str, str]:
    """Create a browser session; returns (cookie key, CSRF token)."""
    key, csrf = credentials.new_session_key(), credentials.new_session_key()
    db.add(
        BrowserSession(
            key_hash=credentials.hash_key(key),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
        )
    )
    user.last_activity = datetime.now(UTC)
    await db.flush()
    return key, csrf


async def close_session(db: AsyncSession, key_hash: str) -> None:
    await db.execute(delete(BrowserSession).where(BrowserSession.key_hash == key_hash))


# -- invite links ---------------------------------------------------------------------------
INVITE_PATH = "/user/signup?token="


async def invite_token(db: AsyncSession, by: User) -> str:
    """The live invite token, created on first use."""
    row = (await db.execute(select(InviteLink).order_by(InviteLink.created_at.desc()).limit(1))).scalar_one_or_none()
    if row is None:
        row = InviteLink(token=credentials.new_invite_token(), created_by_id=by.id)
        db.add(row)
        await db.flush()
    return row.token


async def reset_invite_token(db: AsyncSession, by: User) -> str:
    """A new invite token; links handed out before stop working."""
    await db.execute(delete(InviteLink))
    row = InviteLink(token=credentials.new_invite_token(), created_by_id=by.id)
    db.add(row)
    await db.flush()
    return row.token


async def invite_is_valid(db: AsyncSession, token: str) -> bool:
    if not token:
        return False
    return (await db.get(InviteLink, token)) is not None


async def sign_up(db: AsyncSession, data: Any) -> User:
    """Create an account from an invite link; refused without a live token."""
    if not await invite_is_valid(db, data.token):
        raise PermissionDenied(
            "This invite link is not valid (it may have been reset). Ask an administrator for a new one."
        )
    return await create_user(
        db,
        UserCreate(
            email=data.email,
            password=data.password,
            first_name=data.first_name,
            last_name=data.last_name,
            allow_newsletters=data.allow_newsletters,
        ),
    )
