"""Adding contributions to ``quality_rollups``: one upsert per key (``n = n + delta``), in key
order so concurrent jobs lock rows in the same order and never deadlock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from .models import QualityRollup

Key = tuple[str, str, int, int, str]


ALL_TIME = "*"


def add_into(sums: dict[Key, list[float]], contrib: Iterable[Sequence[Any]], sign: int = 1) -> None:
    """Add (or with ``sign=-1`` subtract) contribution rows into ``sums`` (by day)."""
    for kind, day, user_a, user_b, key, n, total in contrib:
        entry = sums.get((kind, day, user_a, user_b, key))
        if entry is None:
            sums[(kind, day, user_a, user_b, key)] = [sign * n, sign * total]
        else:
            entry[0] += sign * n
            entry[1] += sign * total


def by_period(sums: dict[Key, list[float]]) -> dict[Key, list[float]]:
    """Day sums counted three times: on their day (``YYYY-MM-DD``), month (``YYYY-MM``) and all
    time (``*``), so a dashboard reads a year as 12 month rows, not 365 day rows, and an
    unfiltered dashboard only the all-time rows."""
    out: dict[Key, list[float]] = {}
    for (kind, day, user_a, user_b, key), (n, total) in sums.items():
        for period in (day, day[:7], ALL_TIME):
            entry = out.get((kind, period, user_a, user_b, key))
            if entry is None:
                out[(kind, period, user_a, user_b, key)] = [n, total]
            else:
                entry[0] += n
                entry[1] += total
    return out


def _statement(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = QualityRollup.__table__
    statement = insert(table)  # Core, not ORM: no per-row bookkeeping
    return statement.on_conflict_do_update(
        index_elements=["project_id", "kind", "day", "user_a", "user_b", "key"],
        set_={"n": table.c.n + statement.excluded.n, "total": table.c.total + statement.excluded.total},
    )


_STATEMENTS = {name: _statement(name) for name in ("postgresql", "sqlite")}


def deltas(sums: dict[Key, list[float]]) -> list[tuple[Key, int, float]]:
    """The non-zero deltas of day ``sums`` and of their months and all time, in key order."""
    return [(k, int(v[0]), float(v[1])) for k, v in sorted(by_period(sums).items()) if v[0] or abs(v[1]) > 1e-12]


async def apply(db: AsyncSession, project_id: int, sums: dict[Key, list[float]]) -> int:
    """Upsert the non-zero deltas of day ``sums`` (and of their months and all time); returns
    how many keys changed."""
    rows = [
        {"project_id": project_id, "kind": k[0], "day": k[1], "user_a": k[2], "user_b": k[3], "key": k[4],
         "n": n, "total": total}
        for k, n, total in deltas(sums)
    ]
    if rows:
        dialect = db.get_bind().dialect.name
        connection = await db.connection()
        await connection.execute(_STATEMENTS["postgresql" if dialect == "postgresql" else "sqlite"], rows)
    return len(rows)
