"""PostgreSQL: a request that only reads opens no transaction until it writes.

psycopg sends BEGIN before a transaction's first statement and the request ends with COMMIT:
two round trips on every read-only request (a page, a task), as much as a statement costs. A
request the app knows reads only (a GET not marked ``writes``) runs its connection in
autocommit instead; each SELECT then sees the latest committed data, exactly as it does in a
READ COMMITTED transaction. The first statement that is not a plain read (a write, a row or
advisory lock, ``SET LOCAL``, a server-side cursor) turns autocommit off before it runs, so
psycopg begins a transaction there and the request's commit or rollback covers every write as
usual. The pool puts autocommit back when the connection returns (SQLAlchemy resets an
isolation level set per connection).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from . import read_lane

LAZY_BEGIN = "labelloom_lazy_begin"
# What makes a SELECT more than a read: it locks, or changes a setting.
_NOT_PLAIN = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b|\bFOR\s+KEY\s+SHARE\b|pg_advisory|set_config|nextval", re.I)


def plain_read(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT" and not _NOT_PLAIN.search(statement)


def install(engine: AsyncEngine) -> None:
    """Let sessions of this engine ask for a lazy transaction (PostgreSQL only; idempotent)."""
    if engine.dialect.name != "postgresql" or getattr(engine.sync_engine, "_labelloom_lazy_begin", False):
        return
    engine.sync_engine._labelloom_lazy_begin = True  # type: ignore[attr-defined]

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _begin_before_first_write(conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        if not conn.get_execution_options().get(LAZY_BEGIN):
            return
        dbapi = conn.connection.dbapi_connection
        if dbapi.autocommit and (getattr(context, "_is_server_side", False) or not plain_read(statement)):
            dbapi.autocommit = False  # psycopg begins before this statement


LANE_KEY = "labelloom.read_lane"  # session.info: the read lane this lazy session may use


async def read_mostly(db: AsyncSession) -> None:
    """This request's session reads in autocommit until it writes (PostgreSQL; else nothing).

    Nothing is checked out here: the session is bound to the engine with those options, which
    its connection takes if it needs one; until then its short reads may run on the engine's
    read lane (db/read_lane.py)."""
    engine = db.bind
    # Only where the hook that begins before a write is installed (make_engine installs it).
    if engine.dialect.name == "postgresql" and getattr(engine.sync_engine, "_labelloom_lazy_begin", False):
        # The same engine with the lazy options (a view sharing its pool), made once.
        lazy = getattr(engine.sync_engine, "_labelloom_lazy_engine", None)
        if lazy is None:
            lazy = engine.execution_options(isolation_level="AUTOCOMMIT", **{LAZY_BEGIN: True})
            engine.sync_engine._labelloom_lazy_engine = lazy  # type: ignore[attr-defined]
        db.bind = lazy
        db.sync_session.bind = lazy.sync_engine
        lane = read_lane.lane_of(engine.sync_engine)
        if lane is not None:
            db.sync_session.info[LANE_KEY] = lane


def lane_for(db: AsyncSession) -> read_lane.ReadLane | None:
    """The read lane, when this session may use it: it reads in autocommit and holds no
    connection (a connection it holds may be in a transaction that wrote)."""
    session = db.sync_session
    lane = session.info.get(LANE_KEY)
    if lane is None:
        return None
    transaction = session._transaction
    if transaction is not None and transaction._connections:
        return None
    return lane


async def begin_before_driver_write(connection: Any, driver: Any) -> None:
    """Code that writes through the driver itself (COPY) bypasses the statement hook: it calls
    this first (with the session's sync ``Connection``), so a lazy request's transaction begins
    before the write, not after it."""
    if connection.get_execution_options().get(LAZY_BEGIN) and driver.autocommit:
        await driver.set_autocommit(False)
