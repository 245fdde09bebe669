"""Planner help for data keys on PostgreSQL: statistics for filters, indexes for sorting.

``data.<key>`` filters and sorts are expressions over the JSON column. Without statistics on
``lower(data ->> 'key')`` PostgreSQL guesses that "contains" matches a few rows where it
matches tens of thousands, and picks plans 20x too slow; without an index on
``(project_id, (data -> 'key'))`` a sorted page of a million tasks reads and sorts every match
(measured on 1M tasks: 166 ms -> 1-10 ms with both). Which keys matter is only known when
users filter and sort, so the first page that uses a key enqueues ``core.tune_data_key``: it
creates the statistics object (free for writes), builds the index ``CONCURRENTLY`` when the key
is sorted on (writes go on), then refreshes the statistics. Keys are shared by all projects (the
index leads with ``project_id``); at most ``MAX_INDEXES`` indexes are built, since each one is
paid for by every task insert. SQLite runs without them.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..specs import JobSpec
from .columns import quote_text
from .query import DMQuery

log = logging.getLogger(__name__)

JOB = "core.tune_data_key"
INDEX_PREFIX = "ix_tasks_data_"
STATISTICS_PREFIX = "st_tasks_data_"
MAX_INDEXES = 32
MAX_STATISTICS = 256

# (key, sorted) pairs this process has already asked for, per engine.
_requested: WeakKeyDictionary[Engine, set[tuple[str, bool]]] = WeakKeyDictionary()


def _suffix(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def index_name(key: str) -> str:
    return INDEX_PREFIX + _suffix(key)


def statistics_name(key: str) -> str:
    return STATISTICS_PREFIX + _suffix(key)


def data_keys(query: DMQuery) -> dict[str, bool]:
    """The data keys a query filters or sorts on, each with whether it sorts on it."""
    keys: dict[str, bool] = {}
    for item in query.filters:
        for one in (item, item.child):
            if one is not None and one.column.startswith("data."):
                keys.setdefault(one.column[len("data."):], False)
    for order in query.ordering:
        column = order.lstrip("-")[len("tasks:"):]
        if column.startswith("data."):
            keys[column[len("data."):]] = True
    return keys


async def request_tuning(db: AsyncSession, jobs: Any, query: DMQuery) -> None:
    """Ask for statistics (and a sort index) on the data keys of a query, once per process."""
    engine = db.get_bind()
    if engine.dialect.name != "postgresql":
        return
    requested = _requested.setdefault(engine, set())
    for key, sort in data_keys(query).items():
        if (key, sort) not in requested:
            requested.add((key, sort))
            await jobs.enqueue(JOB, key=f"{JOB}:{_suffix(key)}:{int(sort)}", data_key=key, sort=sort)


async def _names(conn: Any, sql: str, prefix: str) -> dict[str, Any]:
    return dict((await conn.execute(text(sql), {"prefix": prefix + "%"})).all())


async def tune_data_key(ctx: dict[str, Any], data_key: str, sort: bool = False) -> dict[str, Any]:
    """Create the statistics of one data key, and its sort index when ``sort``."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        conn = await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        created = await _create_statistics(conn, data_key)
        if sort:
            created = await _create_index(conn, data_key) or created
        if created:
            await conn.execute(text("ANALYZE tasks"))
    return {"data_key": data_key, "created": created}


async def _create_statistics(conn: Any, data_key: str) -> bool:
    name = statistics_name(data_key)
    existing = await _names(conn, "SELECT stxname, 1 FROM pg_statistic_ext WHERE stxname LIKE :prefix", STATISTICS_PREFIX)
    if name in existing:
        return False
    if len(existing) >= MAX_STATISTICS:
        log.warning("no statistics for data key %r: %d exist already", data_key, len(existing))
        return False
    # Driver SQL: a key such as "a:b" must not read as a bind parameter.
    await conn.exec_driver_sql(f"CREATE STATISTICS IF NOT EXISTS {name} ON (lower(data ->> {quote_text(data_key)})) FROM tasks")
    return True


async def _create_index(conn: Any, data_key: str) -> bool:
    name = index_name(data_key)
    existing = await _names(
        conn,
        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'tasks'::regclass AND c.relname LIKE :prefix",
        INDEX_PREFIX,
    )
    if existing.get(name):
        return False
    if name in existing:  # an interrupted CONCURRENTLY build leaves an invalid index behind
        await conn.exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    elif len(existing) >= MAX_INDEXES:
        log.warning("not indexing data key %r: %d data-key indexes exist already", data_key, len(existing))
        return False
    await conn.exec_driver_sql(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON tasks (project_id, (data -> {quote_text(data_key)}))"
    )
    log.info("built index %s for sorting on data.%s", name, data_key)
    return True


def tuning_job_specs() -> list[JobSpec]:
    return [JobSpec(name=JOB, function=tune_data_key, timeout=3600, retries=2, heartbeat=120)]
