"""SQLite: a request's few short statements by key, run straight on the session's connection.

Through SQLAlchemy a statement costs ~40 us of Python (execution context, cache key, result
objects) on top of SQLite's few microseconds, and creating an annotation runs four writes
(issue 17). :class:`DirectWrite` is a statement compiled once for SQLite; :func:`run_direct`
runs a list of them on the raw ``sqlite3`` connection, on the event loop, inside the session's
transaction, the way ``db/sqlite_loop.py`` runs short writes: the first takes the database's
write lock without waiting (``busy_timeout`` 0), and when another connection holds it nothing
has changed and ``None`` tells the caller to run them the usual way (the connection's thread
waits for the lock). A failing statement raises SQLAlchemy's error, as ``db.execute`` would, and
the request's rollback undoes what ran before it.

:class:`DirectRead` and :func:`read_direct` do the same for a SELECT of a few rows by key (the
label stream's project and held task): each column goes through its type's result processing,
as SQLAlchemy's would, and rows come as :class:`DirectRow` (a dict, its columns also attributes).

Only for statements that touch a few rows by key: a write of unknown size never runs on the
loop, and a read that could be slow goes through SQLAlchemy (db/sqlite_loop.py budgets it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from .sqlite_loop import _BUSY_TIMEOUT_MS  # the one the engine sets


class DirectWrite:
    """A statement and, once compiled for SQLite, its SQL, parameter order and bind processing."""

    __slots__ = ("statement", "_compiled", "_defaults", "_columns")

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._compiled: tuple[str, tuple[str, ...], dict[str, Any], dict[str, Any]] | None = None
        self._defaults: dict[str, Any] = {}
        self._columns: tuple[tuple[str, Any], ...] = ()

    def prepared(self, dialect: Any) -> tuple[str, tuple[str, ...], dict[str, Any], dict[str, Any]]:
        if self._compiled is None:
            compiled = self.statement.compile(dialect=dialect)
            # The statement's own literals (``False``, a constant) are parameters with a value.
            literals = dict(compiled.params)
            # Columns whose value SQLAlchemy computes in Python at each execution (``onupdate``,
            # ``default``): computed here the same way, per run (``_defaults``).
            computed = {
                column.key: column.onupdate if column in compiled.update_prefetch else column.default
                for column in (*compiled.insert_prefetch, *compiled.update_prefetch)
            }
            for name in computed:
                literals.pop(name, None)
            self._compiled = (compiled.string, tuple(compiled.positiontup or ()), dict(compiled._bind_processors), literals)
            self._defaults = computed
            # What a SELECT's rows hold: each column's name and its type's result processing.
            self._columns = tuple(
                (column.keyname, column.type._cached_result_processor(dialect, None))
                for column in compiled._result_columns
            )
        return self._compiled

    def columns(self, dialect: Any) -> tuple[tuple[str, Any], ...]:
        self.prepared(dialect)
        return self._columns

    def arguments(self, dialect: Any, values: dict[str, Any]) -> tuple[str, list[Any]]:
        sql, names, processors, literals = self.prepared(dialect)
        out = []
        for name in names:
            if name in values:
                value = values[name]
            elif name in self._defaults:
                default = self._defaults[name]
                value = default.arg(None) if default.is_callable else default.arg
            else:
                value = literals[name]
            process = processors.get(name)
            out.append(process(value) if process is not None and value is not None else value)
        return sql, out


def _loop_connection(connection: Any) -> tuple[Any, sqlite3.Connection] | None:
    """db/sqlite_loop.py's connection under this SQLAlchemy connection and its ``sqlite3``
    connection; None on another database or driver."""
    if connection.dialect.name != "sqlite":
        return None
    adapt = connection.sync_connection.connection.dbapi_connection
    raw: sqlite3.Connection | None = getattr(getattr(adapt, "_connection", None), "_conn", None)
    if raw is None or not hasattr(adapt, "writing"):
        return None
    return adapt, raw


Values = dict[str, Any] | Callable[[list[list[Any]]], dict[str, Any]]


async def run_direct(db: AsyncSession, writes: Sequence[tuple[DirectWrite, Values]]) -> list[list[Any]] | None:
    """Each write's rows (``RETURNING``), or None: not SQLite, or another connection holds the
    write lock (nothing ran). A write's values may be a function of the rows before it (an id
    just returned). See the module's docstring."""
    connection = await db.connection()
    found = _loop_connection(connection)
    if found is None:
        return None
    adapt, raw = found
    locking = not (adapt.writing and raw.in_transaction)  # the first write takes the lock
    results: list[list[Any]] = []
    if locking:
        raw.execute("PRAGMA busy_timeout=0")
    try:
        for write, values in writes:
            sql, arguments = write.arguments(connection.dialect, values(results) if callable(values) else values)
            try:
                cursor = raw.execute(sql, arguments)
                results.append(cursor.fetchall() if cursor.description else [])
            except sqlite3.Error as error:
                if locking and not results and isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                    return None  # nothing ran: the usual way waits for the lock on the thread
                raise DBAPIError.instance(sql, arguments, error, sqlite3.Error) from error
            if locking:
                raw.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
                locking = False
                adapt.writing = True  # this transaction holds the write lock (commit on the loop)
    finally:
        if locking:
            raw.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    return results


class DirectRow(dict):  # type: ignore[type-arg]
    """A row read by :func:`read_direct`: its columns by name, or as attributes."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class DirectRead(DirectWrite):
    """A SELECT compiled once for SQLite, with its columns' names and result processing."""

    __slots__ = ()


async def read_direct(db: AsyncSession, read: DirectRead, values: dict[str, Any]) -> list[DirectRow] | None:
    """The rows, or None: not SQLite, or the database is busy for a new read (WAL recovery):
    then read it the usual way (the connection's thread waits)."""
    connection = await db.connection()
    found = _loop_connection(connection)
    if found is None:
        return None
    sql, arguments = read.arguments(connection.dialect, values)
    rows = read_on_loop(found[1], sql, arguments)
    if rows is None:
        return None
    columns = read.columns(connection.dialect)
    return [
        DirectRow((name, value if process is None or value is None else process(value))
                  for (name, process), value in zip(columns, row))
        for row in rows
    ]


def read_on_loop(raw: sqlite3.Connection, sql: str, arguments: Sequence[Any] = ()) -> list[Any] | None:
    """A short read's raw rows, run here on the event loop; None when the database is busy for
    a new read (WAL recovery: it fails at once, ``busy_timeout`` 0), so that the caller reads
    the usual way, on the connection's thread, which may wait. Errors are SQLAlchemy's."""
    fresh = not raw.in_transaction  # only a read that starts a snapshot can meet a busy database
    if fresh:
        raw.execute("PRAGMA busy_timeout=0")
    try:
        return raw.execute(sql, arguments).fetchall()
    except sqlite3.Error as error:
        if fresh and isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)):
            return None
        raise DBAPIError.instance(sql, arguments, error, sqlite3.Error) from error
    finally:
        if fresh:
            raw.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
