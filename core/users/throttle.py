"""Sign-in throttling with back-off, per account and per client address.

State lives in the ``login_throttles`` table, so every server process (and every machine
sharing the database) sees the same counts. Each failed sign-in counts against the account
(``account:<email>``, whether the account exists or not) and against the client's address
(``address:<ip>``). Past the allowance (``login_failures_per_account`` /
``login_failures_per_address``) each further failure locks its key for
``login_lockout_base * 2**(extra failures)`` seconds, at most ``login_lockout_max``; while a
key is locked, sign-ins answer 429 with ``Retry-After`` and no password is checked. A
successful sign-in clears the account's count; failures older than ``login_failure_window``
are forgotten.

The client address is the connection's peer address; behind a reverse proxy that is the
proxy's, and the per-address allowance then applies to all clients together.

Failures are written in their own short transaction (the request's own rolls back with its
401); on SQLite that is one small write, taken while the request holds the write gate.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import LoginThrottle

ACCOUNT = "account:"
ADDRESS = "address:"


def keys_for(email: str, address: str | None) -> dict[str, int]:
    """The throttle keys of a sign-in, each with the settings field naming its allowance."""
    keys = {ACCOUNT + email.strip().lower()[:254]: 0}
    if address:
        keys[ADDRESS + address[:200]] = 1
    return keys


async def retry_after(db: AsyncSession, keys: list[str], now: datetime | None = None) -> int | None:
    """Seconds until a sign-in for ``keys`` may be tried again, or None when none is locked."""
    now = now or datetime.now(UTC)
    rows = (
        await db.execute(select(LoginThrottle.locked_until).where(LoginThrottle.key.in_(keys)))
    ).scalars()
    waits = [(until - now).total_seconds() for until in rows if until is not None and until > now]
    return max(1, math.ceil(max(waits))) if waits else None


def lockout_seconds(failures: int, allowance: int, settings: Any) -> float | None:
    """How long ``failures`` consecutive failures lock a key, or None within the allowance."""
    extra = failures - max(1, allowance)
    if extra < 0:
        return None
    return min(float(settings.login_lockout_max), float(settings.login_lockout_base) * 2.0 ** min(extra, 40))


async def record_failure(
    sessions: async_sessionmaker[AsyncSession], email: str, address: str | None, settings: Any
) -> None:
    """Count a failed sign-in against the account and the address, in its own transaction."""
    now = datetime.now(UTC)
    forget_before = now - timedelta(seconds=settings.login_failure_window)
    allowances = (settings.login_failures_per_account, settings.login_failures_per_address)
    async with sessions() as db:
        dialect = db.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        table = LoginThrottle.__table__
        for key, which in keys_for(email, address).items():
            statement = insert(LoginThrottle).values(key=key, failures=1, last_failure_at=now, locked_until=None)
            statement = statement.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "failures": case(
                        (table.c.last_failure_at < forget_before, 1), else_=table.c.failures + 1
                    ),
                    "last_failure_at": now,
                },
            ).returning(table.c.failures)
            failures = int((await db.execute(statement)).scalar_one())
            seconds = lockout_seconds(failures, allowances[which], settings)
            if seconds is not None:
                await db.execute(
                    update(LoginThrottle)
                    .where(LoginThrottle.key == key)
                    .values(locked_until=now + timedelta(seconds=seconds))
                )
        await db.commit()


async def clear_account(db: AsyncSession, email: str) -> None:
    """A successful sign-in forgets the account's failures (part of the request's commit)."""
    await db.execute(delete(LoginThrottle).where(LoginThrottle.key == ACCOUNT + email.strip().lower()[:254]))
