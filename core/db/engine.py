"""Engine creation with the per-backend settings Labelloom relies on."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from . import lazy_begin, read_lane
from .regex import regexp
from .sqlite_loop import loop_dbapi


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``sqlite://`` URLs and pick the async drivers."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = normalize_url(url)
    # msgspec (de)serialises JSON columns several times faster than the json module.
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("json_deserializer", msgspec.json.decode)
    if url.startswith("sqlite"):
        # One file, many readers, one writer: WAL + a busy timeout instead of "database is locked".
        # Short reads run on the event loop, the rest on aiosqlite's thread (db/sqlite_loop.py).
        if url.startswith("sqlite+aiosqlite"):
            kwargs.setdefault("module", loop_dbapi())
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    url, pool = pool_options(url)
    for name, value in pool.items():
        kwargs.setdefault(name, value)
    # The connection used last is handed out first: a few stay hot (and keep their prepared
    # statements) instead of every one taking turns.
    kwargs.setdefault("pool_use_lifo", True)
    engine = create_async_engine(url, **kwargs)
    ping_when_idle(engine)
    lazy_begin.install(engine)
    read_lane.install(engine, kwargs["pool_size"])
    return engine


# A connection back in the pool for longer than this is pinged before use. SQLAlchemy's
# pre-ping cost one round trip on every request (issue 17); a connection that served a request
# moments ago is alive, and one that died since (the server restarted) fails its statement,
# which invalidates the pool, and the client's retry gets fresh connections.
IDLE_PING_AFTER = 10.0  # seconds


def ping_when_idle(engine: AsyncEngine, after: float = IDLE_PING_AFTER) -> None:
    pool, dialect = engine.sync_engine.pool, engine.dialect

    @event.listens_for(pool, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < after:
            return  # new, or used moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("a pooled connection was closed while idle") from error  # the pool retries
            raise


# Connections per process (steady + burst). Every web process and worker holds its own pool,
# so PostgreSQL's max_connections must cover (pool_size + max_overflow) x processes; a
# Python process uses one core, and past ~10 statements in flight it only queues them in
# the server instead of in the pool. docs/deployment.md has the budget.
POOL_DEFAULTS = {"pool_size": 5, "max_overflow": 10, "pool_timeout": 60}


def pool_options(url: str) -> tuple[str, dict[str, int]]:
    """The URL without Labelloom's pool parameters, and the pool settings it asked for.

    ``...?pool_size=5&max_overflow=10&pool_timeout=60`` in LABELLOOM_DATABASE_URL sizes each
    process's pool (PostgreSQL); the driver never sees these parameters."""
    parts = urlsplit(url)
    pool, kept = dict(POOL_DEFAULTS), []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in POOL_DEFAULTS:
            if not value.isdigit():
                raise ValueError(f"{name} in the database URL must be a whole number, not {value!r}")
            pool[name] = int(value)
        else:
            kept.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(kept))), pool


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # REGEXP in linear time (user filters), replacing SQLAlchemy's backtracking re.search.
    dbapi_connection.create_function("regexp", 2, regexp, deterministic=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
