"""Secrets that identify a user: legacy token keys, session keys and JWTs.

Personal access tokens follow Label Studio: a JWT refresh token (``token_type: refresh``, with
``exp``, so the SDK recognises it) that ``POST /api/token/refresh/`` exchanges for a short-lived
access token sent as ``Authorization: Bearer``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from typing import Any

ALGORITHM = "HS256"


def new_token_key() -> str:
    return secrets.token_hex(20)


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """Session keys are stored hashed: a leaked table does not sign anybody in."""
    return hashlib.sha256(key.encode()).hexdigest()


def encode_jwt(
    secret: str, *, user_id: int, token_type: str, ttl: int, jti: str | None = None, version: int = 0
) -> tuple[str, dict[str, Any]]:
    """A signed JWT; ``version`` is the user's credential version (claim ``cv``): a password
    change bumps the user's, and tokens issued under an older one stop working."""
    now = int(time.time())
    claims = {
        "token_type": token_type,
        "exp": now + ttl,
        "iat": now,
        "jti": jti or uuid.uuid4().hex,
        "user_id": user_id,
        "cv": version,
    }
    import jwt  # on demand: PyJWT loads cryptography's OpenSSL bindings (~9 MB per process)

    return jwt.encode(claims, secret, algorithm=ALGORITHM), claims


def decode_jwt(secret: str, token: str, token_type: str) -> dict[str, Any] | None:
    """Verified claims of a JWT of the given type, or None if invalid, expired or another type."""
    import jwt

    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "jti"]})
    except jwt.PyJWTError:
        return None
    if claims.get("token_type") != token_type or not isinstance(claims.get("user_id"), int):
        return None
    return claims


def token_version(claims: dict[str, Any]) -> int:
    """The credential version a token was issued under (tokens from before versions: 0)."""
    value = claims.get("cv", 0)
    return value if isinstance(value, int) else -1


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2
