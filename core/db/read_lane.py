"""PostgreSQL: a request's short reads before it touches its session, on a lean pool.

A request that reads in autocommit (db/lazy_begin.py) and whose session holds no connection
yet runs its short reads by key (the credential epochs, the label stream's project and held
task: db/direct.py) on a connection of this small per-process pool of psycopg connections kept
in autocommit. Checking a connection out of SQLAlchemy's pool into a session and back cost
~250 us of CPU per request on PostgreSQL (autocommit set and reset, transaction bookkeeping,
greenlet hops), more than a statement; a held ``next`` needs nothing else (issue 17).

In autocommit every statement sees the latest committed data, whichever connection runs it, so
the answers are the ones the session's own connection would give. Once the session holds a
connection (it wrote, or ran a statement through SQLAlchemy), its reads stay there, inside its
transaction.

At most ``size`` connections (the engine's ``pool_size``; docs/deployment.md counts them),
opened on first use, with the adapters SQLAlchemy's dialect gives its own (JSON through the
engine's decoder). A connection that broke is dropped and the read, being a read, is tried
once more on a new one; one interrupted mid-statement (a cancelled request) is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

_ATTRIBUTE = "_labelloom_read_lane"


class ReadLane:
    def __init__(self, engine: AsyncEngine, size: int) -> None:
        dialect = engine.sync_engine.dialect
        args, params = dialect.create_connect_args(engine.sync_engine.url)
        self._args, self._params = args, {**params, "autocommit": True}
        self._size = size
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    def _slot(self) -> asyncio.Semaphore:
        """At most ``size`` reads at once (made on first use: inside the serving event loop)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        return self._slots

    async def fetch(self, sql: str, arguments: Any) -> tuple[list[Any], Any]:
        """The rows of one plain read, and libpq's result (its columns' types)."""
        async with self._slot():
            connection = self._idle.pop() if self._idle else None
            for attempt in (1, 2):
                if connection is None or connection.closed:
                    connection = await self._connect(sql, arguments)
                try:
                    cursor = await connection.execute(sql, arguments)
                    rows = await cursor.fetchall()
                    result = cursor.pgresult
                except psycopg.OperationalError as error:
                    if connection.broken and attempt == 1:
                        await connection.close()
                        connection = None
                        continue  # the server restarted since: once more, on a new connection
                    await connection.close()
                    raise DBAPIError.instance(sql, arguments, error, psycopg.Error) from error
                except psycopg.Error as error:
                    await self._put_back(connection)  # refused before running: the connection is fine
                    raise DBAPIError.instance(sql, arguments, error, psycopg.Error) from error
                except BaseException:
                    await connection.close()  # interrupted mid-statement: its state is unknown
                    raise
                await self._put_back(connection)
                return rows, result
        raise AssertionError("unreachable")

    async def fetch_two(self, first: tuple[str, Any], second: tuple[str, Any]) -> tuple[tuple[list[Any], Any], Any]:
        """Two plain reads in one round trip (psycopg's pipeline): ``(rows, result)`` of the
        first, and of the second or None. Should the pipeline fail (a connection the server
        dropped, the second read refused), the first is read alone as :meth:`fetch` does, with
        its retry: a read ahead never fails a request."""
        async with self._slot():
            connection = self._idle.pop() if self._idle else None
            if connection is not None and not connection.closed:
                try:
                    async with connection.pipeline():
                        cursors = [await connection.execute(sql, arguments) for sql, arguments in (first, second)]
                    found = [(await cursor.fetchall(), cursor.pgresult) for cursor in cursors]
                except psycopg.Error:
                    await connection.close()
                except BaseException:
                    await connection.close()  # interrupted mid-statement: its state is unknown
                    raise
                else:
                    await self._put_back(connection)
                    return found[0], found[1]
            elif connection is not None:
                await connection.close()
        return await self.fetch(*first), None

    async def _connect(self, sql: str, arguments: Any) -> psycopg.AsyncConnection[Any]:
        try:
            return await psycopg.AsyncConnection.connect(*self._args, **self._params)
        except psycopg.Error as error:
            raise DBAPIError.instance(sql, arguments, error, psycopg.Error) from error

    async def _put_back(self, connection: psycopg.AsyncConnection[Any]) -> None:
        if self._closed or connection.broken or connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            await connection.close()  # (closing a psycopg connection does not wait)
        else:
            self._idle.append(connection)

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


def install(engine: AsyncEngine, size: int) -> None:
    """Give this PostgreSQL (psycopg) engine a read lane."""
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        setattr(engine.sync_engine, _ATTRIBUTE, ReadLane(engine, size))


def lane_of(engine: Any) -> ReadLane | None:
    return getattr(engine, _ATTRIBUTE, None)


async def close(engine: AsyncEngine) -> None:
    lane = lane_of(engine.sync_engine)
    if lane is not None:
        await lane.close()
