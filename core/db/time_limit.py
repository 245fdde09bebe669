"""A time budget for one expensive read (data-manager filters): past it the database stops
the statement and the client gets a 400 saying what was too slow, instead of a request that
holds a connection (and, on SQLite, the process's database thread) for as long as it likes.

PostgreSQL: ``SET LOCAL statement_timeout`` for the statements inside, restored after.
SQLite: a deadline on the connection (``sqlite_loop.LoopConnection.deadline``, a plain
attribute: no thread hop to set or clear), past which its statements are interrupted; a fast
read under it still runs on the event loop. Through stock aiosqlite: a progress handler.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import BadRequest
from .sqlite_loop import LoopConnection

FILTER_SECONDS = 15.0  # far above any indexed filter on a million tasks; stops runaway scans
_SQLITE_STEPS = 1000  # virtual-machine instructions between deadline checks


class TooSlow(BadRequest):
    """The statement ran past its budget and was stopped."""


@asynccontextmanager
async def time_limit(db: AsyncSession, seconds: float, what: str) -> AsyncIterator[None]:
    """Stop the statements run inside after ``seconds``; ``what`` names them in the 400."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        await db.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
        try:
            yield
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled
                raise _too_slow(seconds, what) from None
            raise
        await db.execute(text("SET LOCAL statement_timeout = DEFAULT"))
        return
    if dialect != "sqlite":
        yield
        return
    driver = (await (await db.connection()).get_raw_connection()).driver_connection
    deadline = time.monotonic() + seconds
    loop = isinstance(driver, LoopConnection)
    if loop:
        outer = driver.deadline  # an enclosing budget, if any, still holds
        driver.deadline = deadline if outer is None else min(outer, deadline)
    else:  # stock aiosqlite: a progress handler, set and cleared on its thread
        await driver.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_STEPS)
    try:
        yield
    except DBAPIError as exc:
        if "interrupted" in str(exc.orig):
            raise _too_slow(seconds, what) from None
        raise
    finally:
        if loop:
            driver.deadline = outer
        else:
            await driver.set_progress_handler(None, 0)


def _too_slow(seconds: float, what: str) -> TooSlow:
    return TooSlow(
        f"{what} took longer than {seconds:g} s and was stopped; narrow or simplify it.",
        validation_errors={"filters": [f"took longer than {seconds:g} s"]},
    )
