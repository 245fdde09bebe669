"""Planner help for data keys on PostgreSQL: statistics for filters, indexes for sorting.

``data.<key>`` filters and sorts are expressions over the JSON column. Without statistics on
``lower(data ->> 'key')`` PostgreSQL guesses that "contains" matches a few rows where it
matches tens of thousands, and picks plans 20x too slow; without an index on
``(project_id, (data -> 'key'))`` a sorted page of a million tasks reads and sorts every match
(measured on 1M tasks: 166 ms -> 1-10 ms with both). Which keys matter is only known when
users filter and sort, so the first page that uses a key enqueues ``core.tune_data_key``: it
creates the statistics object (free for writes), builds the index ``CONCURRENTLY`` when the key
is sorted on (writes go on), then refreshes the statistics. SQLite runs without them.

Keys are shared by all projects (the index leads with ``project_id``), and every index is paid
for by every task insert, so the budget is guarded against junk keys (issue 16):

- a project *claims* the keys it tunes (``data_key_tuning`` rows) and may claim at most
  ``PROJECT_STATISTICS`` keys, ``PROJECT_INDEXES`` of them sorted: importing thousands of keys
  and sorting on each takes a project its own share, never the whole ``MAX_INDEXES``;
- a key is claimed only when one of the project's tasks has it;
- at the global limit, indexes and statistics no project claims any more (their projects
  were deleted) are dropped to make room;
- all of it runs in the job, on connections of its own (autocommit): no request transaction
  ever waits for a ``CREATE INDEX CONCURRENTLY`` or holds a lock it needs.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Boolean, ForeignKey, Integer, Text, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UTCDateTime, utcnow
from ..db.bulk import TABLE_WORK_LOCK, wait_for_table_work
from ..specs import JobSpec
from .columns import quote_text
from .query import DMQuery

log = logging.getLogger(__name__)

JOB = "core.tune_data_key"
INDEX_PREFIX = "ix_tasks_data_"
STATISTICS_PREFIX = "st_tasks_data_"
MAX_INDEXES = 32
MAX_STATISTICS = 256
PROJECT_INDEXES = 4  # sorted keys one project may have indexed
PROJECT_STATISTICS = 16  # filtered or sorted keys one project may have statistics for
QUERY_KEYS = 8  # keys of one query that ask for tuning (a query naming 1,000 keys asks for 8)
REMEMBERED = 10_000  # (project, key, sort) asks a process remembers before it starts afresh

# (project, key, sort) triples this process has already asked for, per engine.
_requested: WeakKeyDictionary[Engine, set[tuple[int, str, bool]]] = WeakKeyDictionary()


class DataKeyTuning(Base):
    """A project's claim on the statistics (and, when ``sort``, the index) of one data key."""

    __tablename__ = "data_key_tuning"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    data_key: Mapped[str] = mapped_column(Text, primary_key=True)
    sort: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


async def request_tuning(db: AsyncSession, jobs: Any, query: DMQuery, project_id: int) -> None:
    """Ask for statistics (and a sort index) on the data keys of a query, once per process.
    Sorted keys first, then at most ``QUERY_KEYS`` of them: the job decides what is granted."""
    engine = db.get_bind()
    if engine.dialect.name != "postgresql" or jobs is None:
        return
    requested = _requested.setdefault(engine, set())
    if len(requested) > REMEMBERED:  # bounded memory whatever keys clients invent
        requested.clear()
    wanted = sorted(data_keys(query).items(), key=lambda item: not item[1])[:QUERY_KEYS]
    for key, sort in wanted:
        if (project_id, key, sort) not in requested:
            requested.add((project_id, key, sort))
            await jobs.enqueue(JOB, key=f"{JOB}:{project_id}:{_suffix(key)}:{int(sort)}",
                               project_id=project_id, data_key=key, sort=sort)


async def tune_data_key(ctx: dict[str, Any], data_key: str, sort: bool = False, project_id: int | None = None) -> dict[str, Any]:
    """Claim ``data_key`` for the project, then create its statistics, and its sort index when
    ``sort``, within the project's and the global budget."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    if project_id is None:  # queued by a version without per-project budgets
        return {"data_key": data_key, "created": False, "refused": "no project"}
    claimed = await _claim(sessions, project_id, data_key, sort)
    if claimed is None:
        return {"data_key": data_key, "created": False, "refused": "not in the project's data or over its budget"}
    async with sessions() as db:
        conn = await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        # One at a time with the imports' ANALYZE of tasks (db/bulk.py: they deadlock otherwise).
        await wait_for_table_work(conn, "tasks")
        try:
            created = await _create_statistics(conn, data_key)
            if claimed:
                created = await _create_index(conn, data_key) or created
            if created:
                await conn.execute(text("ANALYZE tasks"))
        finally:
            await conn.execute(text(f"SELECT pg_advisory_unlock({TABLE_WORK_LOCK})"), {"table": "tasks"})
    return {"data_key": data_key, "created": created}


async def _claim(sessions: async_sessionmaker[AsyncSession], project_id: int, data_key: str, sort: bool) -> bool | None:
    """Record the project's claim on the key; whether it may have the index, or None when it
    may have nothing (the key is in none of its tasks, or its budget is spent). One short
    transaction, serialized per project so that concurrent jobs cannot overrun the budget."""
    async with sessions() as db, db.begin():
        await db.execute(text("SELECT pg_advisory_xact_lock(hashtext('labelloom.data_key_tuning'), :project)"),
                         {"project": project_id})
        rows = (await db.execute(
            text("SELECT data_key, sort FROM data_key_tuning WHERE project_id = :project"), {"project": project_id}
        )).all()
        claims = {key: bool(sorted_) for key, sorted_ in rows}
        if data_key in claims and (claims[data_key] or not sort):
            return claims[data_key]
        if data_key not in claims:
            if len(claims) >= PROJECT_STATISTICS:
                log.warning("project %s: no statistics for data key %r, it has %d already", project_id, data_key, len(claims))
                return None
            present = (await db.execute(
                text("SELECT 1 FROM tasks WHERE project_id = :project AND (data -> :key) IS NOT NULL LIMIT 1"),
                {"project": project_id, "key": data_key},
            )).first()
            if present is None:
                return None
        index = sort and sum(claims.values()) < PROJECT_INDEXES
        if sort and not index:
            log.warning("project %s: not indexing data key %r, it has %d indexes already", project_id, data_key, PROJECT_INDEXES)
        if data_key in claims:
            if index:
                await db.execute(text("UPDATE data_key_tuning SET sort = true WHERE project_id = :project AND data_key = :key"),
                                 {"project": project_id, "key": data_key})
            return index
        await db.execute(
            text("INSERT INTO data_key_tuning (project_id, data_key, sort, created_at) VALUES (:project, :key, :sort, now())"),
            {"project": project_id, "key": data_key, "sort": index},
        )
        return index


async def _names(conn: Any, sql: str, prefix: str) -> dict[str, Any]:
    return dict((await conn.execute(text(sql), {"prefix": prefix + "%"})).all())


async def _claimed_names(conn: Any, *, sorted_only: bool) -> set[str]:
    sql = "SELECT DISTINCT data_key FROM data_key_tuning" + (" WHERE sort" if sorted_only else "")
    keys = (await conn.execute(text(sql))).scalars()
    name = index_name if sorted_only else statistics_name
    return {name(key) for key in keys}


async def _create_statistics(conn: Any, data_key: str) -> bool:
    name = statistics_name(data_key)
    sql = "SELECT stxname, 1 FROM pg_statistic_ext WHERE stxname LIKE :prefix"
    existing = await _names(conn, sql, STATISTICS_PREFIX)
    if name in existing:
        return False
    if len(existing) >= MAX_STATISTICS:
        for orphan in set(existing) - await _claimed_names(conn, sorted_only=False):
            await conn.exec_driver_sql(f"DROP STATISTICS IF EXISTS {orphan}")
        existing = await _names(conn, sql, STATISTICS_PREFIX)
        if len(existing) >= MAX_STATISTICS:
            log.warning("no statistics for data key %r: %d exist already", data_key, len(existing))
            return False
    # Driver SQL: a key such as "a:b" must not read as a bind parameter.
    await conn.exec_driver_sql(f"CREATE STATISTICS IF NOT EXISTS {name} ON (lower(data ->> {quote_text(data_key)})) FROM tasks")
    return True


async def _create_index(conn: Any, data_key: str) -> bool:
    name = index_name(data_key)
    sql = ("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
           "WHERE i.indrelid = 'tasks'::regclass AND c.relname LIKE :prefix")
    existing = await _names(conn, sql, INDEX_PREFIX)
    if existing.get(name):
        return False
    if name in existing:  # an interrupted CONCURRENTLY build leaves an invalid index behind
        await conn.exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    elif len(existing) >= MAX_INDEXES:
        for orphan in set(existing) - await _claimed_names(conn, sorted_only=True):
            await conn.exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {orphan}")
        existing = await _names(conn, sql, INDEX_PREFIX)
        if len(existing) >= MAX_INDEXES:
            log.warning("not indexing data key %r: %d data-key indexes exist already", data_key, len(existing))
            return False
    await conn.exec_driver_sql(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON tasks (project_id, (data -> {quote_text(data_key)}))"
    )
    log.info("built index %s for sorting on data.%s", name, data_key)
    return True


def tuning_job_specs() -> list[JobSpec]:
    return [JobSpec(name=JOB, function=tune_data_key, timeout=3600, retries=2, heartbeat=120)]
