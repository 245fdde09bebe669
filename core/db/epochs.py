"""Cache epochs: one number per kind of cached data, bumped by the database whenever that data
changes, from any process or machine (triggers, migration 0018).

A process may keep what it read from the database (a credential's user and role, the active
webhooks) while the epoch it read it under is still the current one; reading the epochs is one
tiny statement per request, in place of the several lookups the cache answers.

- ``auth``: users (every column but ``last_activity``), API tokens, browser sessions,
  organization memberships and settings, project members.
- ``hooks``: who listens to a project's events: webhooks, ML backends and the projects'
  ``min_annotations_to_start_training`` (training), target storages.

The triggers bump the epoch inside the writing transaction, so a reader sees the new epoch
exactly when it can see the change. Every row starts at a random value (``ensure_epochs``, at
start-up), so a database emptied and refilled never repeats an epoch a cache holds. A missing
row reads as None: nothing is cached then.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, String, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base
from .direct import DirectRead, hold_read_ahead, read_on_loop, session_connection
from .lazy_begin import lane_for

AUTH = "auth"
HOOKS = "hooks"
NAMES = (AUTH, HOOKS)
# Where a request's session keeps the epochs it read (``session.info``).
INFO_KEY = "labelloom.epochs"


class CacheEpoch(Base):
    __tablename__ = "cache_epochs"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    epoch: Mapped[int] = mapped_column(BigInteger)


# Over the table, not the mapped class: a Core statement skips the ORM's compile and result
# stages (~0.1 ms of every request, issue 17).
_ALL = select(CacheEpoch.__table__.c.name, CacheEpoch.__table__.c.epoch)


_ALL_SQL = "SELECT name, epoch FROM cache_epochs"


async def read_epochs(db: AsyncSession, ahead: tuple[DirectRead, dict[str, Any]] | None = None) -> dict[str, int]:
    """Every epoch, now (one statement); remembered on the session for later stages.

    Every authenticated request runs this first, so it goes to the driver directly, on the
    session's own connection and transaction: SQLAlchemy's execution and result stages cost
    ~40 us of a ~50 us statement on SQLite (issue 17). On PostgreSQL's read lane, ``ahead``
    (a read and its values) is sent in the same round trip and held for the request
    (db/direct.py ``take_read_ahead``); elsewhere it is not read."""
    lane = lane_for(db)
    if lane is not None:  # PostgreSQL, nothing checked out yet: no session round (db/read_lane.py)
        if ahead is None:
            rows, _ = await lane.fetch(_ALL_SQL, None)
        else:
            read, values = ahead
            (rows, _), found = await lane.fetch_two((_ALL_SQL, None), read.arguments(db.bind.dialect, values))
            if found is not None:
                hold_read_ahead(db, read, values, found)
        return _remember(db, rows)
    connection = await session_connection(db)  # what the first statement does anyway: check out, begin
    driver = connection.connection.driver_connection
    rows: Any = None
    if connection.dialect.name == "sqlite":
        rows = _sqlite_rows(driver._conn)
    elif connection.dialect.driver == "psycopg":
        rows = await (await driver.execute(_ALL_SQL)).fetchall()
    if rows is None:
        rows = (await db.execute(_ALL)).all()
    return _remember(db, rows)


def _remember(db: AsyncSession, rows: Any) -> dict[str, int]:
    found = {name: epoch for name, epoch in rows}
    db.sync_session.info[INFO_KEY] = found
    return found


def _sqlite_rows(raw: sqlite3.Connection) -> list[Any] | None:
    """Two rows by primary key, read on the event loop; None when the database is busy (WAL
    recovery): then the statement goes through SQLAlchemy to the connection's thread, which
    may wait (db/sqlite_loop.py)."""
    return read_on_loop(raw, _ALL_SQL)


def remembered(session: Session | AsyncSession, name: str) -> int | None:
    """The epoch this session read at the start of its request, if it did."""
    info = session.sync_session.info if isinstance(session, AsyncSession) else session.info
    epochs: dict[str, int] | None = info.get(INFO_KEY)
    return None if epochs is None else epochs.get(name)


def read_epoch_sync(session: Session, name: str) -> int | None:
    found: Any = session.execute(select(CacheEpoch.epoch).where(CacheEpoch.name == name)).scalar_one_or_none()
    return found


def _start() -> int:
    return secrets.randbits(52)


async def ensure_epochs(engine: AsyncEngine) -> None:
    """Create the missing rows, each at a random start (a database emptied by tests, or one
    migrated before the rows existed)."""
    try:
        async with engine.begin() as conn:
            present = set((await conn.execute(select(CacheEpoch.name))).scalars())
            missing = [{"name": name, "epoch": _start()} for name in NAMES if name not in present]
            if missing:
                await conn.execute(insert(CacheEpoch), missing)
    except IntegrityError:
        pass  # another process starting at the same moment made them


T = TypeVar("T")


class EpochCache(Generic[T]):
    """One value loaded from the database (``load(session)``), kept in this process while the
    epoch ``name`` stands. For stages that run inside a request's transaction (before commit).

    The copy is used when it is of the epoch the request read as it began (``read_epochs``). A
    fresh load is kept only when the epoch seen inside this transaction is still that one:
    neither this transaction nor a commit since changed the watched tables, so the copy never
    holds uncommitted or rolled-back rows. Sessions that read no epochs (jobs) always load.
    """

    def __init__(self, name: str, load: Callable[[Session], T]) -> None:
        self.name = name
        self.load = load
        self._epoch: int | None = None
        self._value: T | None = None

    def get(self, session: Session) -> T:
        epoch = remembered(session, self.name)
        if epoch is not None and self._epoch == epoch:
            return self._value  # type: ignore[return-value]
        value = self.load(session)
        if epoch is not None and read_epoch_sync(session, self.name) == epoch:
            self._epoch, self._value = epoch, value
        return value
