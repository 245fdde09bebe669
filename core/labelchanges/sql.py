"""The set-based SQL of label changes, per database.

PostgreSQL: counts are ``count(*) FILTER (WHERE result @> pattern)`` (jsonb containment, one
scan per table for every change), and the rewrite is one ``UPDATE`` per table and control whose
``SET result = (...)`` rebuilds the array with ``jsonb_array_elements ... WITH ORDINALITY`` and
``jsonb_agg``: mapped labels are replaced (a jsonb object ``label -> new label | null``), lists
deduplicated, emptied items dropped with the per-region items and relations of their region.

SQLite: counts come from ``json_each`` over the results (grouped by label); the rewrite reads the
touched rows in keyset batches, rewrites them with :func:`plan.transform` and writes each batch
back with one ``executemany``.

Rows keep their ``updated_at``: a label migration is not an edit of the annotation.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from .plan import Plan, transform

_decode = msgspec.json.decode
_encode = msgspec.json.encode

TABLES = {"annotations": "annotations", "predictions": "predictions", "drafts": "drafts"}
BATCH = 5000


def is_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _pattern(from_name: str, key: str, label: str) -> str:
    return json.dumps([{"from_name": from_name, "value": {key: [label]}}])


def _sqlite_path(key: str) -> str:
    return '$.value."' + key.replace('"', '""') + '"'


def _sqlite_touched(key: str) -> str:
    """SQLite: the row's result has an item of ``:f`` whose label list holds one of ``:labels``."""
    path = _sqlite_path(key).replace("'", "''")
    return (
        "EXISTS (SELECT 1 FROM json_each(t.result) i, "
        f"json_each(CASE WHEN i.type = 'object' AND json_type(i.value, '{path}') = 'array' "
        f"THEN json_extract(i.value, '{path}') ELSE '[]' END) l "
        "WHERE i.type = 'object' AND json_extract(i.value, '$.from_name') = :f AND l.type = 'text' AND l.value IN :labels)"
    )


async def count_touched(db: AsyncSession, project_id: int, plan: Plan) -> dict[tuple[str, str], dict[str, int]]:
    """``(from_name, label) -> {annotations, predictions, drafts}``: rows whose results hold it."""
    counts = {(c.from_name, c.label): dict.fromkeys(TABLES, 0) for c in plan.changes}
    if not counts:
        return counts
    postgres = is_postgres(db)
    for name, table in TABLES.items():
        if postgres:
            keys = list(counts)
            filters = ", ".join(
                f"count(*) FILTER (WHERE result @> CAST(:p{i} AS jsonb))" for i in range(len(keys))
            )
            params: dict[str, Any] = {"pid": project_id}
            for i, (from_name, label) in enumerate(keys):
                params[f"p{i}"] = _pattern(from_name, plan.controls[from_name].key, label)
            row = (await db.execute(text(f"SELECT {filters} FROM {table} WHERE project_id = :pid"), params)).one()
            for key, value in zip(keys, row):
                counts[key][name] = int(value or 0)
            continue
        for control in plan.controls.values():
            path = _sqlite_path(control.key).replace("'", "''")
            statement = text(
                "SELECT l.value, count(DISTINCT t.id) FROM " + table + " t, json_each(t.result) i, "
                f"json_each(CASE WHEN i.type = 'object' AND json_type(i.value, '{path}') = 'array' "
                f"THEN json_extract(i.value, '{path}') ELSE '[]' END) l "
                "WHERE t.project_id = :pid AND i.type = 'object' AND json_extract(i.value, '$.from_name') = :f "
                "AND l.type = 'text' AND l.value IN :labels GROUP BY l.value"
            ).bindparams(bindparam("labels", expanding=True))
            rows = await db.execute(statement, {"pid": project_id, "f": control.from_name, "labels": list(control.mapping)})
            for label, value in rows:
                counts[(control.from_name, label)][name] = int(value)
    return counts


async def examples(db: AsyncSession, project_id: int, plan: Plan, from_name: str, label: str,
                   limit: int = 3) -> list[tuple[str, int, int, Any]]:
    """Up to ``limit`` rows ``(source, id, task_id, result)`` whose results hold the label."""
    found: list[tuple[str, int, int, Any]] = []
    control = plan.controls[from_name]
    for name, table in TABLES.items():
        if len(found) >= limit:
            break
        if is_postgres(db):
            statement = text(f"SELECT id, task_id, result FROM {table} WHERE project_id = :pid "
                             "AND result @> CAST(:pattern AS jsonb) ORDER BY id LIMIT :n")
            params: dict[str, Any] = {"pid": project_id, "pattern": _pattern(from_name, control.key, label)}
        else:
            statement = text(f"SELECT id, task_id, result FROM {table} t WHERE +project_id = :pid AND "
                             f"{_sqlite_touched(control.key)} ORDER BY id LIMIT :n").bindparams(
                bindparam("labels", expanding=True))
            params = {"pid": project_id, "f": from_name, "labels": [label]}
        params["n"] = limit - len(found)
        for row_id, task_id, result in await db.execute(statement, params):
            if isinstance(result, str):
                result = json.loads(result)
            found.append((name, row_id, task_id, result))
    return found


# -- what annotations use --------------------------------------------------------------------

_PG_CONTROLS = """
SELECT i ->> 'from_name', i ->> 'type', i ->> 'to_name', count(*)
FROM annotations t, jsonb_array_elements(CASE WHEN jsonb_typeof(t.result) = 'array' THEN t.result ELSE '[]'::jsonb END) i
WHERE t.project_id = :pid AND jsonb_typeof(i) = 'object' GROUP BY 1, 2, 3
"""
_PG_LABELS = """
SELECT DISTINCT i ->> 'from_name', v.key, CAST(l AS text)
FROM annotations t,
     jsonb_array_elements(CASE WHEN jsonb_typeof(t.result) = 'array' THEN t.result ELSE '[]'::jsonb END) i,
     jsonb_each(CASE WHEN jsonb_typeof(i -> 'value') = 'object' THEN i -> 'value' ELSE '{}'::jsonb END) v,
     jsonb_array_elements(CASE WHEN jsonb_typeof(v.value) = 'array' THEN v.value ELSE '[]'::jsonb END) l
WHERE t.project_id = :pid AND jsonb_typeof(i) = 'object' AND (v.key = i ->> 'type' OR v.key = 'labels')
"""
_SQLITE_CONTROLS = """
SELECT json_extract(i.value, '$.from_name'), json_extract(i.value, '$.type'), json_extract(i.value, '$.to_name'), count(*)
FROM annotations t, json_each(t.result) i
WHERE t.project_id = :pid AND i.type = 'object' GROUP BY 1, 2, 3
"""
_SQLITE_LABELS = """
SELECT DISTINCT json_extract(i.value, '$.from_name'), v.key, CASE WHEN l.type = 'text' THEN json_quote(l.value) ELSE l.value END
FROM annotations t, json_each(t.result) i,
     json_each(CASE WHEN i.type = 'object' AND json_type(i.value, '$.value') = 'object' THEN json_extract(i.value, '$.value') ELSE '{}' END) v,
     json_each(CASE WHEN v.type = 'array' THEN v.value ELSE '[]' END) l
WHERE t.project_id = :pid AND i.type = 'object' AND (v.key = json_extract(i.value, '$.type') OR v.key = 'labels')
"""


async def usage_rows(db: AsyncSession, project_id: int) -> tuple[list[Any], list[tuple[str, str, Any]]]:
    """What the project's annotations use, aggregated in SQL: ``(from_name, type, to_name,
    count)`` rows and distinct ``(from_name, value key, label entry)`` (entries as JSON values)."""
    postgres = is_postgres(db)
    controls = (await db.execute(text(_PG_CONTROLS if postgres else _SQLITE_CONTROLS), {"pid": project_id})).all()
    labels = []
    for from_name, key, entry in await db.execute(text(_PG_LABELS if postgres else _SQLITE_LABELS), {"pid": project_id}):
        labels.append((from_name, key, json.loads(entry) if isinstance(entry, str) else entry))
    return controls, labels


# -- rewriting --------------------------------------------------------------------------------

_PG_REWRITE = """
UPDATE {table} AS t SET result = (
  WITH els AS (
    SELECT e.item, e.ord,
      CASE WHEN e.item ->> 'from_name' = :f AND jsonb_typeof(e.item -> 'value' -> :k) = 'array'
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.item -> 'value' -> :k) x(l)
                        WHERE jsonb_typeof(l) = 'string' AND (CAST(:m AS jsonb) -> (l #>> '{{}}')) IS NOT NULL)
      THEN (SELECT coalesce(jsonb_agg(s.n ORDER BY s.o), '[]'::jsonb) FROM (
              SELECT r.n, min(r.o) AS o FROM (
                SELECT CASE WHEN jsonb_typeof(l) = 'string' AND (CAST(:m AS jsonb) -> (l #>> '{{}}')) IS NOT NULL
                            THEN CAST(:m AS jsonb) -> (l #>> '{{}}') ELSE l END AS n, o
                FROM jsonb_array_elements(e.item -> 'value' -> :k) WITH ORDINALITY x(l, o)) r
              WHERE r.n <> 'null'::jsonb GROUP BY r.n) s)
      END AS labels
    FROM jsonb_array_elements(t.result) WITH ORDINALITY e(item, ord)
  ), dead AS (
    SELECT item ->> 'id' AS id FROM els WHERE labels = '[]'::jsonb AND item ->> 'id' IS NOT NULL
  )
  SELECT coalesce(jsonb_agg(CASE WHEN labels IS NULL THEN item
                                 ELSE jsonb_set(item, ARRAY['value', CAST(:k AS text)], labels) END ORDER BY ord), '[]'::jsonb)
  FROM els
  WHERE coalesce(labels <> '[]'::jsonb, true)
    AND NOT coalesce(labels IS NULL AND item ->> 'id' IN (SELECT id FROM dead)
                     AND item ->> 'from_name' = ANY(CAST(:classes AS text[])), false)
    AND NOT coalesce(item ->> 'type' = 'relation'
                     AND (item ->> 'from_id' IN (SELECT id FROM dead) OR item ->> 'to_id' IN (SELECT id FROM dead)), false)
)
WHERE t.project_id = :pid AND t.result @> ANY(CAST(:patterns AS jsonb[]))
"""


# Renames and merges only (no label removed): no item disappears, so no region cascade.
_PG_RENAME = """
UPDATE {table} AS t SET result = (
  SELECT jsonb_agg(CASE WHEN e.item ->> 'from_name' = :f AND jsonb_typeof(e.item -> 'value' -> :k) = 'array'
                         AND e.item -> 'value' -> :k ?| CAST(:labels AS text[])
    THEN jsonb_set(e.item, ARRAY['value', CAST(:k AS text)], (
      SELECT jsonb_agg(s.n ORDER BY s.o) FROM (
        SELECT r.n, min(r.o) AS o FROM (
          SELECT coalesce(CASE WHEN jsonb_typeof(l) = 'string' THEN CAST(:m AS jsonb) -> (l #>> '{{}}') END, l) AS n, o
          FROM jsonb_array_elements(e.item -> 'value' -> :k) WITH ORDINALITY x(l, o)) r
        GROUP BY r.n) s))
    ELSE e.item END ORDER BY e.ord)
  FROM jsonb_array_elements(t.result) WITH ORDINALITY e(item, ord)
)
WHERE t.project_id = :pid AND t.result @> ANY(CAST(:patterns AS jsonb[]))
"""


Progress = Callable[[float, str], Awaitable[None]]


async def rewrite(db: AsyncSession, project_id: int, plan: Plan, progress: Progress | None = None) -> int:
    """Rewrite every touched annotation, prediction and draft; returns the number of rows."""
    if is_postgres(db):
        return await _rewrite_postgres(db, project_id, plan, progress)
    return await _rewrite_sqlite(db, project_id, plan, progress)


async def _rewrite_postgres(db: AsyncSession, project_id: int, plan: Plan, progress: Progress | None) -> int:
    steps = [(name, table, control) for name, table in TABLES.items() for control in plan.controls.values()]
    total = 0
    for index, (name, table, control) in enumerate(steps):
        if progress:
            await progress(index / len(steps), f"Rewriting {name} ({control.from_name})")
        params = {
            "pid": project_id,
            "f": control.from_name,
            "k": control.key,
            "m": json.dumps(control.mapping),
            "classes": sorted(plan.classifications),
            "patterns": [_pattern(control.from_name, control.key, label) for label in control.mapping],
        }
        renames_only = all(target is not None for target in control.mapping.values())
        if renames_only:
            params["labels"] = list(control.mapping)
        statement = (_PG_RENAME if renames_only else _PG_REWRITE).format(table=table)
        result = await db.execute(text(statement), params)
        total += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return total


async def _rewrite_sqlite(db: AsyncSession, project_id: int, plan: Plan, progress: Progress | None) -> int:
    touched = " OR ".join(
        _sqlite_touched(c.key).replace(":f", f":f{i}").replace(":labels", f":labels{i}")
        for i, c in enumerate(plan.controls.values())
    )
    params: dict[str, Any] = {"pid": project_id}
    binds = []
    for i, control in enumerate(plan.controls.values()):
        params[f"f{i}"] = control.from_name
        params[f"labels{i}"] = list(control.mapping)
        binds.append(bindparam(f"labels{i}", expanding=True))
    total = 0
    tables = list(TABLES.items())
    for step, (name, table) in enumerate(tables):
        select = text(
            f"SELECT id, result FROM {table} t WHERE id > :after AND +project_id = :pid AND ({touched}) "
            f"ORDER BY id LIMIT {BATCH}"
        ).bindparams(*binds)
        update = f"UPDATE {table} SET result = ? WHERE id = ?"  # table names are ours, not input
        connection = await db.connection()
        after = 0
        while True:
            rows = (await db.execute(select, {**params, "after": after})).all()
            if not rows:
                break
            after = rows[-1][0]
            batch = []
            for row_id, result in rows:
                new = transform(_decode(result) if isinstance(result, (str, bytes)) else result, plan)
                if new is not None:
                    batch.append((_encode(new).decode(), row_id))
            if batch:
                # one executemany per batch, straight to the driver (no per-row parameter building)
                await connection.exec_driver_sql(update, batch)
                total += len(batch)
            if progress:
                await progress(step / len(tables), f"Rewriting {name}: {total} rows so far")
    return total
