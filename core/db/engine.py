"""Engine creation with the per-backend settings Labelloom relies on."""

from __future__ import annotations

from typing import Any

import msgspec

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from .regex import regexp


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
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


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
