"""Bulk inserts (core/db/bulk.py) keep every value as it was given, whatever the statement
shape: SQLite binds a column that holds one value for every row once and the others per row,
several statements per batch; PostgreSQL gets COPY text built column by column (issue 17)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Boolean, Column, Float, Integer, MetaData, Table, Text, select

from labelloom.core.db import bulk
from labelloom.core.db.base import UTCDateTime
from labelloom.core.db.engine import make_engine, make_sessionmaker

COLUMNS = ("n", "same", "score", "flag", "at", "label", "doc")
AWKWARD = ["tab\there", "new\nline", "cr\rhere", "back\\slash", "\\N", "", "ünï ✓ \"quoted\"", "a\\tb", "},{"]


def probe_table() -> Table:
    return Table(
        f"bulk_probe_{uuid.uuid4().hex[:8]}", MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("n", Integer, nullable=False),
        Column("same", Integer, nullable=False),
        Column("score", Float),
        Column("flag", Boolean),
        Column("at", UTCDateTime),
        Column("label", Text),
        Column("doc", Text),
    )


def rows(count: int) -> list[tuple]:
    start = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    return [
        (
            i,
            7,  # one value in every row: bound (or encoded) once
            None if i % 3 == 0 else (1 if i % 3 == 1 else 2.5),  # int and float in one column
            i % 2 == 0,
            None if i % 5 == 0 else start + timedelta(seconds=i),
            AWKWARD[i % len(AWKWARD)],
            bulk.json_text({"i": i, "s": AWKWARD[i % len(AWKWARD)]}),
        )
        for i in range(count)
    ]


@pytest.fixture
async def probe(database_url):
    engine = make_engine(database_url)
    table = probe_table()
    async with engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    try:
        yield engine, table
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(table.metadata.drop_all)
        await engine.dispose()


async def insert_and_read(engine, table, given, *, encoded: bool = False) -> list[tuple]:
    async with make_sessionmaker(engine)() as db:
        payload = given
        if encoded:
            payload = bulk.encode_rows(engine.dialect.name, table, COLUMNS, given)
        await bulk.bulk_insert(db, table, COLUMNS, payload)
        await db.commit()
        got = (await db.execute(select(*(table.c[name] for name in COLUMNS)).order_by(table.c.id))).all()
    return [tuple(row) for row in got]


@pytest.mark.parametrize("encoded", [False, True])
async def test_every_value_comes_back_as_given(probe, encoded):
    engine, table = probe
    given = rows(777)  # several statements on SQLite, and a last one of another size
    assert await insert_and_read(engine, table, given, encoded=encoded) == given


async def test_rows_wider_than_a_statement_split_without_loss(probe, monkeypatch):
    engine, table = probe
    monkeypatch.setattr(bulk, "SQLITE_VARIABLES", 20)  # three varying rows per statement at most
    given = rows(50)
    assert await insert_and_read(engine, table, given) == given


async def test_identical_rows_and_a_single_row(probe):
    engine, table = probe
    one = rows(1)
    same = [rows(2)[1]] * 300  # every column constant
    assert await insert_and_read(engine, table, one) == one
    assert (await insert_and_read(engine, table, same))[1:] == same


def test_sqlite_statements_bind_constant_columns_once():
    given = rows(600)
    statements = bulk.sqlite_statements("t", COLUMNS, given)
    per_statement = min(bulk.SQLITE_ROWS, (bulk.SQLITE_VARIABLES - 1) // 6)  # one constant, six varying
    assert [len(sets) for _, sets in statements] == [600 // per_statement, 1]
    sql, sets = statements[0]
    assert sql.startswith("INSERT INTO t (same, n, score, flag, at, label, doc) VALUES (?1,?,?,?,?,?,?),(?1,")
    assert all(len(parameters) == 1 + 6 * per_statement for parameters in sets)
    assert sets[0][:8] == (7, 0, None, True, None, "tab\there", '{"i":0,"s":"tab\\there"}', 1)


def test_copy_text_escapes_what_copy_reads_specially():
    body = bulk.copy_body([(1, "a\tb\\c\nd\re", None, True, 1.5), (2, "plain", "x", False, 2.0)])
    assert body == b"1\ta\\tb\\\\c\\nd\\re\t\\N\tt\t1.5\n2\tplain\tx\tf\t2.0\n"
