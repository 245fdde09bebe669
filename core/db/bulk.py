"""Bulk inserts at the database's own speed: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples in ``columns`` order whose JSON values the caller already encoded with
:func:`json_text` (so each document is serialised once, by msgspec). No ORM objects, no
RETURNING: callers select new ids back by a key they control.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 10000
_encode = msgspec.json.encode


def json_text(value: Any) -> str | None:
    return None if value is None else _encode(value).decode()


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = ("\\", "\t", "\n", "\r")


def _copy_text(value: str) -> str:
    for char in _NEEDS_ESCAPE:
        if char in value:
            return value.translate(_COPY_ESCAPES)
    return value


class _CopyEncoder:
    """Encodes rows in PostgreSQL's COPY text format, dispatching on each value's type."""

    def __init__(self) -> None:
        self._datetimes: dict[datetime, str] = {}
        self._by_type: dict[type, Any] = {
            str: _copy_text,
            type(None): lambda _: "\\N",
            bool: lambda v: "t" if v else "f",
            int: str,
            float: repr,
            datetime: self._datetime,
        }

    def _datetime(self, value: datetime) -> str:
        text = self._datetimes.get(value)
        if text is None:
            text = self._datetimes[value] = value.isoformat()
        return text

    def line(self, row: tuple[Any, ...]) -> str:
        by_type = self._by_type
        return "\t".join([by_type[type(v)](v) for v in row]) + "\n"


def sqlite_datetime(value: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime type reads back (naive UTC).
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_sqlite_datetime = sqlite_datetime


async def bulk_insert(
    db: AsyncSession, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *, sqlite_text: bool = False
) -> None:
    """``sqlite_text``: on SQLite the rows' datetimes are already :func:`sqlite_datetime` text
    (the rows go to the driver as they are, without a pass over every row)."""
    if not rows:
        return
    connection = await db.connection()
    if connection.dialect.name == "postgresql":
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection  # psycopg.AsyncConnection, inside SQLAlchemy's transaction
        async with driver.cursor() as cursor:
            encoder = _CopyEncoder()
            async with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for start in range(0, len(rows), CHUNK):
                    await copy.write("".join(map(encoder.line, rows[start : start + CHUNK])).encode())
        return
    datetime_at = [] if sqlite_text else [i for i, value in enumerate(rows[0]) if isinstance(value, datetime)]
    datetime_at += [] if sqlite_text else [i for i, name in enumerate(columns) if name.endswith("_at") and i not in datetime_at]
    memo: dict[datetime, str] = {}

    def sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not datetime_at:
            return row
        values = list(row)
        for i in datetime_at:
            value = values[i]
            if isinstance(value, datetime):
                text = memo.get(value)
                if text is None:
                    text = memo[value] = _sqlite_datetime(value)
                values[i] = text
        return tuple(values)

    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        await connection.exec_driver_sql(sql, chunk if not datetime_at else [sqlite_row(r) for r in chunk])


async def analyze(db: AsyncSession, table: Table) -> None:
    """Refresh the planner's statistics after a bulk load.

    Without them PostgreSQL plans a freshly imported table as if it were empty (a bitmap scan
    plus sort instead of walking the (project_id, id) index), making task pages 10x slower.
    """
    connection = await db.connection()
    if connection.dialect.name == "postgresql":
        await connection.exec_driver_sql(f"ANALYZE {table.name}")


async def analyze_outside(engine: Any, table: Table) -> None:
    """:func:`analyze` on a connection of its own in autocommit mode, outside any request's
    transaction (its lock lasts only as long as the ANALYZE)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql(f"ANALYZE {table.name}")
