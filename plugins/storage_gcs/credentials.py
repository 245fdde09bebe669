"""Google credentials from the JSON text a user pastes, with errors that never echo the key."""

from __future__ import annotations

import json
from typing import Any

from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from labelloom.core.plugin import StorageError

SCOPES = ("https://www.googleapis.com/auth/devstorage.read_write",)
# The credential kinds accepted, with the fields each needs.
KINDS = {
    "service_account": ("client_email", "private_key", "token_uri"),
    "authorized_user": ("client_id", "client_secret", "refresh_token"),
}
GOOGLE_TOKEN_URIS = ("https://oauth2.googleapis.com/token", "https://accounts.google.com/o/oauth2/token")


def parse_credentials(text: str | None) -> tuple[Any, dict[str, Any]] | None:
    """``(credentials, key info)`` from the pasted JSON, or None when nothing was pasted."""
    if not text or not text.strip():
        return None
    try:
        info = json.loads(text)
    except json.JSONDecodeError as exc:  # the message holds a position only, never the text
        raise StorageError(
            f"The Google application credentials are not valid JSON (line {exc.lineno}, column {exc.colno}): "
            "paste the whole content of the service account's key file."
        ) from None
    if not isinstance(info, dict):
        raise StorageError("The Google application credentials must be a JSON object (a service account's key file).")
    kind = info.get("type")
    if kind not in KINDS:
        # Other kinds (external_account, impersonated ...) make the server fetch tokens from
        # URLs or files named in the JSON: not something a user may point it at.
        raise StorageError(
            f"The Google application credentials have an unsupported type {str(kind)[:40]!r}: "
            "use a service account key (type service_account)."
        )
    missing = [name for name in KINDS[kind] if not info.get(name)]
    if missing:
        raise StorageError(f"The Google credentials are incomplete: they lack {', '.join(missing)}.")
    token_uri = info.get("token_uri") or GOOGLE_TOKEN_URIS[0]
    if token_uri not in GOOGLE_TOKEN_URIS:  # the server posts signed assertions there
        raise StorageError("The Google credentials' token_uri must be Google's (https://oauth2.googleapis.com/token).")
    try:
        if kind == "service_account":
            credentials: Any = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        else:
            credentials = user_credentials.Credentials.from_authorized_user_info(info, scopes=SCOPES)
    except (ValueError, TypeError):
        raise StorageError("The Google service account key's private_key is not a valid PEM private key.") from None
    return credentials, info


def can_sign(credentials: Any) -> bool:
    """Signed URLs need a private key: a service account's (other kinds make core proxy media)."""
    return isinstance(credentials, service_account.Credentials)
