"""SQLite without a thread hop per short read.

aiosqlite runs every call (open a cursor, execute, fetch, close, commit) on the connection's
own thread and wakes the event loop for each result: four hand-offs of ~30-150 us per statement,
which was most of a short request's cost. This DBAPI shim keeps aiosqlite's connection and
thread but changes what crosses to it:

- **A SELECT runs on the event loop, within a time budget** (``INLINE_BUDGET``). A progress
  handler stops it once the budget is spent; an interrupted SELECT changes nothing (SQLite
  aborts only that statement, the transaction stays), so it is run again on the connection's
  thread and its text is remembered as slow (later runs go to the thread at once). Outside a
  transaction a read may meet SQLITE_BUSY (WAL recovery): it runs with ``busy_timeout=0``, so
  it fails at once and is retried on the thread instead of sleeping on the loop.
- **A caller's deadline** (``time_limit``: ``LoopConnection.deadline``, a plain attribute, so
  setting it costs no hop) stops every statement run past it with SQLite's "interrupted"
  error. A read under it still starts on the loop, its budget cut to the deadline when that
  comes first; stopped by the budget alone it runs again on the thread, which installs the
  deadline's progress handler and removes it within the same hop. Writes under a deadline run
  on the thread, under its handler. A statement under a progress handler a caller installed
  itself (``set_progress_handler``) runs on the thread.
- **Everything else (writes, DDL, PRAGMAs, COMMIT) runs on the thread, in ONE hop**: cursor,
  execute and fetch together. A write cannot be interrupted without losing its transaction,
  so a write of unknown size never runs on the loop.
- **Except short writes**: code that knows its writes touch a few rows by key (an annotation,
  its history row, a task's counters, a label-stream lock) runs them inside
  ``short_writes()``, and they run on the loop too. One that must first take the database's
  write lock runs with ``busy_timeout=0``: when another connection holds the lock it fails at
  once, having changed nothing, and runs again on the thread, which waits for the lock.
- COMMIT and ROLLBACK with no transaction open (every read-only request) are no-ops, answered
  without a hop. A transaction whose writes were all short commits on the loop too (a WAL
  append, no fsync at ``synchronous=NORMAL``) with the WAL's automatic checkpoint held back
  for that commit; every ``CHECKPOINT_EVERY``-th such commit runs on the thread instead, where
  the checkpoint (copying the WAL into the database file, with an fsync) may happen.
- Server-side cursors (streamed exports) are aiosqlite's own, on the thread.

Calls on one connection stay strictly sequential (SQLAlchemy awaits each), so the loop and the
thread never use the sqlite3 connection at once; SQLite is built serialized, and SQLAlchemy opens
file databases with ``check_same_thread=False``.
"""

from __future__ import annotations

import collections
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

# How long one statement may hold the event loop before it moves to the connection's thread.
INLINE_BUDGET = 0.002
_STEPS = 1000  # SQLite virtual-machine instructions between budget checks (~10-30 us)
_BUSY_TIMEOUT_MS = 10000  # as core/db/engine.py sets it
_SLOW_LIMIT = 1024
CHECKPOINT_EVERY = 64  # short commits on the loop between commits on the thread
_WAL_AUTOCHECKPOINT = 1000  # SQLite's default, restored after a loop commit
_loop_commits = 0
# Statement texts that ran past the budget: straight to the thread next time.
_slow: dict[str, None] = {}
_short_writes: ContextVar[bool] = ContextVar("labelloom_sqlite_short_writes", default=False)


@contextmanager
def short_writes() -> Iterator[None]:
    """The writes inside touch a few rows by key: on SQLite they may run on the event loop.
    Harmless elsewhere (PostgreSQL ignores it)."""
    token = _short_writes.set(True)
    try:
        yield
    finally:
        _short_writes.reset(token)


class LoopConnection(aiosqlite.Connection):
    """aiosqlite's connection, knowing whether a caller installed its own progress handler,
    and the caller's deadline (``time.monotonic()``) for the statements it runs, if any."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_progress_handler = False
        self.deadline: float | None = None

    async def set_progress_handler(self, handler: Any, n: int) -> None:
        self.user_progress_handler = handler is not None
        await super().set_progress_handler(handler, n)


def connect(database: str | bytes | Path, *, iter_chunk_size: int = 64, **kwargs: Any) -> LoopConnection:
    def connector() -> sqlite3.Connection:
        location = database.decode() if isinstance(database, bytes) else str(database)
        return sqlite3.connect(location, **kwargs)

    return LoopConnection(connector, iter_chunk_size)


async def _done() -> None:
    return None


def _is_read(operation: str) -> bool:
    return operation[:6].upper() == "SELECT"


def _execute_all(raw: sqlite3.Connection, operation: str, parameters: Any) -> tuple[sqlite3.Cursor, list[Any], float]:
    """Cursor, rows, and the seconds the statement took on the thread (the hop excluded)."""
    started = time.perf_counter()
    cursor = raw.cursor()
    cursor.execute(operation, () if parameters is None else parameters)
    return cursor, (cursor.fetchall() if cursor.description else []), time.perf_counter() - started


def _execute_many(raw: sqlite3.Connection, operation: str, parameters: Any) -> sqlite3.Cursor:
    cursor = raw.cursor()
    cursor.executemany(operation, parameters)
    return cursor


def _until(deadline: float | None, run: Any) -> Any:
    """``run`` (one of the two above), interrupted past ``deadline``: the handler is installed
    and removed on the thread, in the hop that runs the statement."""
    if deadline is None:
        return run

    def limited(raw: sqlite3.Connection, operation: str, parameters: Any) -> Any:
        raw.set_progress_handler(lambda: time.monotonic() > deadline, _STEPS)
        try:
            return run(raw, operation, parameters)
        finally:
            raw.set_progress_handler(None, 0)

    limited.__name__ = run.__name__
    return limited


class LoopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor: a plain sqlite3 cursor plus its rows, run as described above."""

    __slots__ = ()
    _awaitable_cursor_close = False  # a sqlite3 cursor closes synchronously

    def __init__(self, adapt_connection: Any) -> None:  # no hop: the cursor is made on execute
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    @property
    def description(self) -> Any:
        if "description" in self._soft_closed_memoized:
            return self._soft_closed_memoized["description"]
        return None if self._cursor is None else self._cursor.description

    @property
    def rowcount(self) -> int:
        return -1 if self._cursor is None else self._cursor.rowcount

    @property
    def lastrowid(self) -> int:
        return self._cursor.lastrowid if self._cursor is not None else 0

    def close(self) -> None:
        self._rows.clear()
        if self._cursor is not None:
            self._cursor.close()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            connection: LoopConnection = self._connection  # type: ignore[assignment]
            raw = connection._conn
            read = _is_read(operation)
            deadline = connection.deadline
            found = None
            if read and operation not in _slow and not connection.user_progress_handler:
                found = _run_inline(raw, operation, parameters, deadline)
            elif not read and deadline is None and _short_writes.get() and operation[:6].upper() in _SHORT_VERBS:
                found = _write_inline(raw, operation, parameters, self._adapt_connection)
            if found is not None:
                # AsyncConnection.execute insists that a driver awaited something: a
                # coroutine that finishes at once costs two greenlet switches, not a hop.
                await_(_done())
                self._cursor, rows = found
                self._rows = collections.deque(rows)
                return None
            self._cursor, rows, took = await_(connection._execute(_until(deadline, _execute_all), raw, operation, parameters))
            self._rows = collections.deque(rows)
            if operation[:6].upper() in _SHORT_VERBS:
                self._adapt_connection.writing = True  # this transaction holds the write lock
            if not read:
                self._adapt_connection.only_short = False
            if operation in _slow and took < INLINE_BUDGET / 4:
                # Fast again (a smaller project): try the loop again. Timed on the thread: the
                # hop's own latency (long on a busy machine) would keep it off the loop for good.
                _slow.pop(operation, None)
            return None
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            connection: LoopConnection = self._connection  # type: ignore[assignment]
            run = _until(connection.deadline, _execute_many)
            self._cursor = await_(connection._execute(run, connection._conn, operation, seq_of_parameters))
            self._rows = collections.deque()
            if operation[:6].upper() in _SHORT_VERBS:
                self._adapt_connection.writing = True
            self._adapt_connection.only_short = False
            return None
        except Exception as error:
            self._adapt_connection._handle_exception(error)


def _run_inline(
    raw: sqlite3.Connection, operation: str, parameters: Any, deadline: float | None = None
) -> tuple[sqlite3.Cursor, list[Any]] | None:
    """Run a read here within the budget (or the caller's ``deadline``, if sooner); None when
    it must go to the thread instead. Past the caller's deadline: SQLite's "interrupted"."""
    stop = time.monotonic() + INLINE_BUDGET
    if deadline is not None and deadline < stop:
        stop = deadline
    fresh = not raw.in_transaction  # a read outside a transaction may meet a busy database
    if fresh:
        raw.execute("PRAGMA busy_timeout=0")
    raw.set_progress_handler(lambda: time.monotonic() > stop, _STEPS)
    cursor = raw.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        return cursor, (cursor.fetchall() if cursor.description else [])
    except sqlite3.OperationalError as error:
        message = str(error)
        if "interrupted" in message:
            if deadline is not None and time.monotonic() > deadline:
                cursor.close()
                raise  # the caller's time is up, not just the loop's budget
            if len(_slow) >= _SLOW_LIMIT:
                _slow.clear()
            _slow[operation] = None
        elif not (fresh and "locked" in message):
            raise
        cursor.close()
        return None
    finally:
        raw.set_progress_handler(None, 0)
        if fresh:
            raw.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")


_SHORT_VERBS = frozenset({"INSERT", "UPDATE", "DELETE"})


def _write_inline(
    raw: sqlite3.Connection, operation: str, parameters: Any, adapt: LoopAdaptConnection
) -> tuple[sqlite3.Cursor, list[Any]] | None:
    """Run a short write here; None when the write lock is another connection's (no change made)."""
    locking = not (adapt.writing and raw.in_transaction)  # this statement takes the write lock
    if locking:
        raw.execute("PRAGMA busy_timeout=0")
    cursor = raw.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
    except sqlite3.OperationalError as error:
        if not (locking and "locked" in str(error)):
            raise
        cursor.close()
        return None
    finally:
        if locking:
            raw.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    adapt.writing = True
    return cursor, rows


class LoopAdaptConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("writing", "only_short")
    _cursor_cls = LoopCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.writing = False  # this connection's transaction holds SQLite's write lock
        self.only_short = True  # every write of this transaction ran inside short_writes()

    def _open(self) -> bool:
        raw = self._connection._connection
        return raw is not None and raw.in_transaction

    def commit(self) -> None:
        global _loop_commits
        writing, only_short = self.writing, self.only_short
        self.writing, self.only_short = False, True
        if not self._open():  # no transaction: nothing to commit, no hop
            return
        if writing and only_short and _loop_commits < CHECKPOINT_EVERY:
            _loop_commits += 1
            raw = self._connection._conn
            try:
                raw.execute("PRAGMA wal_autocheckpoint=0")
                try:
                    raw.commit()
                finally:
                    raw.execute(f"PRAGMA wal_autocheckpoint={_WAL_AUTOCHECKPOINT}")
            except Exception as error:
                self._handle_exception(error)
            return
        _loop_commits = 0
        super().commit()

    def rollback(self) -> None:
        self.writing, self.only_short = False, True
        if self._open():
            super().rollback()


class LoopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module given to ``create_async_engine(..., module=...)``."""

    def connect(self, *arg: Any, **kw: Any) -> LoopAdaptConnection:
        kw.pop("async_creator_fn", None)
        connection = connect(*arg, **kw)
        connection._thread.daemon = True
        return LoopAdaptConnection(self, await_(connection))


def loop_dbapi() -> LoopDBAPI:
    return LoopDBAPI(aiosqlite, sqlite3)
