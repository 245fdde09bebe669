"""Credentials answered from memory while the ``auth`` cache epoch stands (``db/epochs.py``).

One process keeps, per credential (a token key, a session key's hash, a verified JWT), the
user's columns and what the guard derived from them (role, project memberships), tagged with
the ``auth`` epoch read BEFORE the user was loaded. Every request reads the epochs (one tiny
statement); an entry whose epoch is not the current one is dropped and loaded again.

Why this is correct across processes: every change that could alter an answer (a password
change bumping ``credential_version``, a deactivated user, a reset token, a sign-out, a role or
membership change) writes a watched table, and its trigger bumps the epoch in the same
transaction. So the first request of any process that can see the change also sees a new
epoch, and reloads. What the database does not store stays checked per request: a session's
expiry, a JWT's expiry (its signature is verified once, when the entry is made).

Entries are copied out per request (a fresh ``User`` attached to the request's session), so a
handler that changes its user changes the database, never the cache.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from datetime import datetime
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import instance_state

from .models import User

MAX_ENTRIES = 4096
_MAPPER = User.__mapper__
_COLUMNS = tuple(attr.key for attr in _MAPPER.column_attrs)
_new_user = User._sa_class_manager.new_instance  # an instance without __init__, as loading makes
_SCALARS = (int, float, str, bool, type(None), datetime)  # immutable: shared, not copied


@dataclass
class CachedCredential:
    epoch: int
    user: dict[str, Any]
    method: str  # "token" | "bearer" | "session"
    csrf_token: str | None = None
    expires_at: Any = None  # a session's expiry, or a JWT's ``exp`` (seconds)
    # Filled by the permission guard under the same epoch: "role", "members" ({project: True}).
    derived: dict[str, Any] = field(default_factory=dict)


class CredentialCache:
    """A bounded map of credential -> :class:`CachedCredential` for one application."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple[str, Any], CachedCredential] = OrderedDict()
        self.max_entries = max_entries

    def get(self, key: tuple[str, Any], epoch: int | None) -> CachedCredential | None:
        if epoch is None:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.epoch != epoch:
            del self._entries[key]
            return None
        return entry

    def peek(self, key: tuple[str, Any]) -> CachedCredential | None:
        """The entry under any epoch: whose it probably is, before the epoch is known. Never
        an answer by itself (``get`` is)."""
        return self._entries.get(key)

    def put(self, key: tuple[str, Any], entry: CachedCredential) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def snapshot(user: User) -> dict[str, Any]:
    state = user.__dict__
    return {key: state[key] for key in _COLUMNS if key in state}


def attach(db: AsyncSession, values: dict[str, Any]) -> User:
    """A persistent ``User`` in ``db`` with these column values, loaded without a query.

    Built as the ORM builds a loaded row (a bare instance, its state's dict filled, its
    identity key set), not through ``User(**values)`` and ``make_transient_to_detached``: that
    fired an attribute event per column on every request, then undid what they recorded."""
    user = _new_user()
    state = instance_state(user)
    state.dict.update({k: v if isinstance(v, _SCALARS) else copy.deepcopy(v) for k, v in values.items()})
    state.key = _MAPPER.identity_key_from_primary_key((values["id"],))
    db.sync_session.add(user)
    return user
