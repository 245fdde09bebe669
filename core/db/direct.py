"""A request's few short statements by key, run straight on the session's driver connection.

Through SQLAlchemy a statement costs ~40 us of Python on SQLite (execution context, cache key,
result objects) on top of SQLite's few microseconds, and ~100 us on PostgreSQL over psycopg's
own ~35 us (greenlet switches too); creating an annotation runs four writes (issue 17).
:class:`DirectWrite` is a statement compiled once per dialect.

On PostgreSQL, :func:`run_direct` sends each through psycopg's async connection, inside the
session's transaction (a lazy request's begins before the first one that is not a plain read);
writes that do not take each other's rows go together in pipeline mode, one round trip.

On SQLite, :func:`run_direct` runs them on the raw ``sqlite3`` connection, on the event loop,
inside the session's transaction, the way ``db/sqlite_loop.py`` runs short writes: the first
takes the database's write lock without waiting (``busy_timeout`` 0), and when another connection holds it nothing
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
from typing import Any, NamedTuple

import psycopg
from psycopg.pq import ExecStatus
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from . import lazy_begin
from .sqlite_loop import _BUSY_TIMEOUT_MS  # the one the engine sets

_TUPLES_OK = ExecStatus.TUPLES_OK


class _Compiled(NamedTuple):
    """A statement compiled for one dialect."""

    sql: str
    names: tuple[str, ...]  # the parameters, in the order a positional driver takes them
    positional: bool  # SQLite's qmark; psycopg's pyformat takes a dict
    processors: dict[str, Any]  # bind processing per parameter
    literals: dict[str, Any]  # the statement's own values (``False``, a constant)
    defaults: dict[str, Any]  # columns SQLAlchemy computes in Python per run (onupdate, default)
    columns: tuple[tuple[str, Any], ...]  # a SELECT's (or RETURNING's) names and types
    plain_read: bool  # a SELECT that neither writes nor locks (PostgreSQL's lazy transaction)


def _compile(statement: Any, dialect: Any) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    literals = dict(compiled.params)
    computed = {
        column.key: column.onupdate if column in compiled.update_prefetch else column.default
        for column in (*compiled.insert_prefetch, *compiled.update_prefetch)
    }
    for name in computed:
        literals.pop(name, None)
    positional = compiled.positiontup is not None
    return _Compiled(
        sql=compiled.string,
        names=tuple(compiled.positiontup if positional else compiled.params),
        positional=positional,
        processors=dict(compiled._bind_processors),
        literals=literals,
        defaults=computed,
        columns=tuple((column.keyname, column.type) for column in compiled._result_columns),
        plain_read=lazy_begin.plain_read(compiled.string),
    )


class DirectWrite:
    """A statement and, compiled once per dialect, its SQL, parameters and bind processing."""

    __slots__ = ("statement", "_by_dialect", "_results")

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}
        self._results: dict[tuple[str, Any], tuple[tuple[str, Any], ...]] = {}

    def compiled(self, dialect: Any) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = _compile(self.statement, dialect)
        return found

    def columns(self, dialect: Any, type_codes: tuple[Any, ...] | None = None) -> tuple[tuple[str, Any], ...]:
        """Each result column's name and result processing. PostgreSQL's processing of a
        number depends on the type the server sent (``type_codes``, from the cursor)."""
        key = (dialect.name, type_codes)
        found = self._results.get(key)
        if found is None:
            columns = self.compiled(dialect).columns
            codes = type_codes or (None,) * len(columns)
            found = self._results[key] = tuple(
                (name, type_._cached_result_processor(dialect, code)) for (name, type_), code in zip(columns, codes)
            )
        return found

    def arguments(self, dialect: Any, values: dict[str, Any]) -> tuple[str, Any]:
        """The SQL and its parameters as the dialect's driver takes them (a list or a dict)."""
        compiled = self.compiled(dialect)
        processors, literals, defaults = compiled.processors, compiled.literals, compiled.defaults
        out = []
        for name in compiled.names:
            if name in values:
                value = values[name]
            elif name in defaults:
                default = defaults[name]
                value = default.arg(None) if default.is_callable else default.arg
            else:
                value = literals[name]
            process = processors.get(name)
            out.append(process(value) if process is not None and value is not None else value)
        return compiled.sql, (out if compiled.positional else dict(zip(compiled.names, out)))


async def session_connection(db: AsyncSession) -> Connection:
    """The session's (sync) connection. When its transaction already holds one, it is taken
    from there: ``AsyncSession.connection()`` spawns a greenlet on every call (~50 us, each
    direct statement paid it; issue 17)."""
    transaction = db.sync_session._transaction
    if transaction is not None and transaction.is_active:
        held = transaction._connections.get(db.sync_session.bind)
        if held is not None:
            connection: Connection = held[0]
            return connection
    return (await db.connection()).sync_connection


def _loop_connection(connection: Any) -> tuple[Any, sqlite3.Connection] | None:
    """db/sqlite_loop.py's connection under this SQLAlchemy connection and its ``sqlite3``
    connection; None on another database or driver."""
    if connection.dialect.name != "sqlite":
        return None
    adapt = connection.connection.dbapi_connection
    raw: sqlite3.Connection | None = getattr(getattr(adapt, "_connection", None), "_conn", None)
    if raw is None or not hasattr(adapt, "writing"):
        return None
    return adapt, raw


def _psycopg_connection(connection: Any) -> Any:
    """psycopg's own async connection under this SQLAlchemy connection; None on another driver."""
    if connection.dialect.driver != "psycopg":
        return None
    return connection.connection.driver_connection


async def _on_psycopg(connection: Any, driver: Any, statement: DirectWrite, values: dict[str, Any]) -> Any:
    """One statement's cursor, sent by psycopg itself inside the session's transaction. A lazy
    request (db/lazy_begin.py) begins its transaction before the first statement that is not a
    plain read, as the engine's hook does for SQLAlchemy's statements."""
    sql, arguments = statement.arguments(connection.dialect, values)
    if not statement.compiled(connection.dialect).plain_read:
        await lazy_begin.begin_before_driver_write(connection, driver)
    try:
        return await driver.execute(sql, arguments)
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, arguments, error, psycopg.Error) from error


def _has_rows(cursor: Any) -> bool:
    """Whether the statement returned rows (``RETURNING``), from libpq's result: psycopg's
    ``cursor.description`` builds a Column object per column on every call (~4 us each)."""
    result = cursor.pgresult
    return result is not None and result.status == _TUPLES_OK


Values = dict[str, Any] | Callable[[list[list[Any]]], dict[str, Any]]


async def _pipelined(connection: Any, driver: Any, writes: Sequence[tuple[DirectWrite, dict[str, Any]]]) -> list[list[Any]]:
    """Writes that do not need each other's rows, sent together in psycopg's pipeline mode: one
    round trip for all of them (and for the BEGIN of a lazy request's transaction). A failing
    statement skips the rest, and its error is raised as SQLAlchemy's."""
    cursors = []
    try:
        async with driver.pipeline():
            for write, values in writes:
                cursors.append(await _on_psycopg(connection, driver, write, values))
    except psycopg.Error as error:
        raise DBAPIError.instance(None, None, error, psycopg.Error) from error
    return [await cursor.fetchall() if _has_rows(cursor) else [] for cursor in cursors]


async def run_direct(db: AsyncSession, writes: Sequence[tuple[DirectWrite, Values]]) -> list[list[Any]] | None:
    """Each write's rows (``RETURNING``), or None: not SQLite nor psycopg, or (SQLite) another
    connection holds the write lock (nothing ran). A write's values may be a function of the
    rows before it (an id just returned). See the module's docstring."""
    connection = await session_connection(db)
    driver = _psycopg_connection(connection)
    if driver is not None and len(writes) > 1 and not any(callable(values) for _, values in writes):
        return await _pipelined(connection, driver, writes)
    if driver is not None:
        results: list[list[Any]] = []
        for write, values in writes:
            cursor = await _on_psycopg(connection, driver, write, values(results) if callable(values) else values)
            results.append(await cursor.fetchall() if _has_rows(cursor) else [])
        return results
    found = _loop_connection(connection)
    if found is None:
        return None
    adapt, raw = found
    locking = not (adapt.writing and raw.in_transaction)  # the first write takes the lock
    results = []
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
    """A SELECT compiled once per dialect, with its columns' names and result processing."""

    __slots__ = ()


async def read_direct(db: AsyncSession, read: DirectRead, values: dict[str, Any]) -> list[DirectRow] | None:
    """The rows, or None: not SQLite nor psycopg, or SQLite is busy for a new read (WAL
    recovery): then read it the usual way (the connection's thread waits)."""
    lane = lazy_begin.lane_for(db)
    if lane is not None:  # PostgreSQL, nothing checked out yet: no session round (db/read_lane.py)
        dialect = db.bind.dialect
        rows, result = await lane.fetch(*read.arguments(dialect, values))
        return _rows(read, dialect, _type_codes(result), rows)
    connection = await session_connection(db)
    driver = _psycopg_connection(connection)
    type_codes = None
    if driver is not None:
        cursor = await _on_psycopg(connection, driver, read, values)
        rows = await cursor.fetchall()
        type_codes = _type_codes(cursor.pgresult)
    else:
        found = _loop_connection(connection)
        if found is None:
            return None
        sql, arguments = read.arguments(connection.dialect, values)
        rows = read_on_loop(found[1], sql, arguments)
        if rows is None:
            return None
    return _rows(read, connection.dialect, type_codes, rows)


# session.info: a read made ahead, in the round trip of the credential epochs, for the
# request's route (``opt={"read_ahead": ...}``, see users/auth.py): (read, values, raw rows).
READ_AHEAD = "labelloom.read_ahead"


def hold_read_ahead(db: AsyncSession, read: DirectRead, values: dict[str, Any], found: tuple[list[Any], Any]) -> None:
    db.sync_session.info[READ_AHEAD] = (read, values, found)


def forget_read_ahead(db: AsyncSession) -> None:
    """Drop the read made ahead: the credential it was made for did not stand."""
    db.sync_session.info.pop(READ_AHEAD, None)


def take_read_ahead(
    db: AsyncSession, read: DirectRead, expected: dict[str, Any]
) -> tuple[dict[str, Any], list[DirectRow]] | None:
    """The values and rows of ``read`` made ahead for this request, once, when its values
    hold ``expected`` (what the caller would read with); None when there is none, when they
    differ, or when the session has a connection since (it may have written: its reads
    belong in its transaction)."""
    held = db.sync_session.info.pop(READ_AHEAD, None)
    if held is None or held[0] is not read or lazy_begin.lane_for(db) is None:
        return None
    if any(held[1].get(name) != value for name, value in expected.items()):
        return None
    rows, result = held[2]
    return held[1], _rows(read, db.bind.dialect, _type_codes(result), rows)


def _type_codes(result: Any) -> tuple[int, ...]:
    """The type of each column PostgreSQL sent, from libpq's result."""
    return tuple(map(result.ftype, range(result.nfields)))


def _rows(read: DirectRead, dialect: Any, type_codes: tuple[Any, ...] | None, rows: list[Any]) -> list[DirectRow]:
    columns = read.columns(dialect, type_codes)
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
