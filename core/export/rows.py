"""Tasks of an export as Label Studio's export JSON, read in keyset batches.

Each batch costs one query per table (tasks, annotations, predictions, drafts) and is dropped
before the next is read, so memory stays flat however large the project is.

``raw_json=True`` is for writers that only re-encode the tasks (the JSON export, snapshots):
task ``data``/``meta`` and every ``result`` then come as ``msgspec.Raw`` JSON text straight from
the database, never decoded into Python objects and encoded again (on PostgreSQL decoding was
a fifth of the export's time). PostgreSQL prints jsonb numbers as stored (``1.50``, not
``1.5``); everything else is byte for byte what the decoded path writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
from sqlalchemy import Text, and_, any_, cast, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..history.models import AnnotationHistory
from ..history.service import versions_by_annotation
from ..datamanager.selection import view_conditions
from ..predictions.models import Prediction
from ..tasks.models import Task
from ..tasks.serialize import annotation_json, draft_json, prediction_json
from ..users.models import User
from .options import AnnotationFilterOptions, ExportOptions, TaskFilterOptions

BATCH = 500  # tasks per round trip

TASKS, ANNOTATIONS, PREDICTIONS, DRAFTS = Task.__table__, Annotation.__table__, Prediction.__table__, Draft.__table__
JSON_COLUMNS = {"data", "meta", "result"}


def _columns(table: Any, raw_json: bool) -> list[Any]:
    """A table's columns, its JSON ones as text when ``raw_json``."""
    if not raw_json:
        return [table]
    return [cast(c, Text).label(c.name) if c.name in JSON_COLUMNS else c for c in table.c]


def _raw(text: str | None) -> Any:
    return None if text is None else msgspec.Raw(text)


def _batch_test(db: AsyncSession, ids: Any) -> Callable[[Any], Any]:
    """``test(column)``: the column holds one of the batch's task ids."""
    if db.get_bind().dialect.name == "postgresql":
        array = any_(func.array(ids))
        return lambda column: column == array
    return lambda column: column.in_(ids)


def _with_raw(item: dict[str, Any], row: Any, raw_json: bool) -> dict[str, Any]:
    if raw_json:
        item["result"] = _raw(row.result)
    return item


def task_conditions(project_id: int, options: TaskFilterOptions) -> list[Any]:
    """WHERE clauses choosing the exported tasks (all on indexed task columns)."""
    c = TASKS.c
    where: list[Any] = [c.project_id == project_id]
    if options.ids:
        where.append(c.id.in_(options.ids))
    if options.exclude_ids:
        where.append(c.id.not_in(options.exclude_ids))
    if options.only_with_annotations:
        where.append((c.total_annotations + c.cancelled_annotations) > 0)
    for value, condition in (
        (options.skipped, c.cancelled_annotations > 0),
        (options.finished, c.is_labeled.is_(True)),
        (options.annotated, c.total_annotations > 0),
    ):
        if value == "only":
            where.append(condition)
        elif value == "exclude":
            where.append(~condition)
    return where


def annotation_condition(options: AnnotationFilterOptions) -> Any | None:
    if options.keeps_all:
        return None
    c = ANNOTATIONS.c
    kept = []
    if options.usual:
        kept.append(and_(c.was_cancelled.is_(False), c.ground_truth.is_(False)))
    if options.ground_truth:
        kept.append(c.ground_truth.is_(True))
    if options.skipped:
        kept.append(c.was_cancelled.is_(True))
    return or_(*kept) if kept else false()


async def export_conditions(db: AsyncSession, project_id: int, options: ExportOptions) -> list[Any]:
    task_options = options.task_filter_options
    return [*task_conditions(project_id, task_options), *await view_conditions(db, project_id, task_options.view)]


async def count_tasks(db: AsyncSession, project_id: int, options: ExportOptions) -> int:
    query = select(func.count()).select_from(TASKS).where(*await export_conditions(db, project_id, options))
    return int((await db.execute(query)).scalar_one())


async def task_batches(
    db: AsyncSession, project_id: int, options: ExportOptions, *, batch: int = BATCH, raw_json: bool = False
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield lists of export task dicts, in task id order (see ``raw_json`` above)."""
    where = await export_conditions(db, project_id, options)
    # Tables with nothing to give are not asked, batch after batch: tasks count their own
    # annotations and predictions; drafts are looked for once.
    drafts = bool((await db.execute(select(exists().where(DRAFTS.c.project_id == project_id)))).scalar())
    after = 0
    while True:
        ids = select(TASKS.c.id).where(*where, TASKS.c.id > after).order_by(TASKS.c.id).limit(batch)
        query = select(*_columns(TASKS, raw_json)).where(*where, TASKS.c.id > after).order_by(TASKS.c.id).limit(batch)
        rows = (await db.execute(query)).all()
        if not rows:
            return
        after = rows[-1].id
        # Related rows are chosen by the batch's own query, not a list of 500 bound ids (whose
        # expansion costs more than the database's second look at an index). On PostgreSQL as
        # an array (``task_id = ANY(ARRAY(...))``): an index lookup whatever the statistics say,
        # where ``IN (subquery)`` became a scan of all annotations per batch after a bulk import
        # that autovacuum had not analysed yet (100k tasks: 45 ms a batch instead of 1 ms).
        yield await _serialise(db, rows, _batch_test(db, ids.scalar_subquery()), options, drafts=drafts, raw_json=raw_json)
        if len(rows) < batch:
            return


async def iter_tasks(db: AsyncSession, project_id: int, options: ExportOptions) -> AsyncIterator[dict[str, Any]]:
    async for tasks in task_batches(db, project_id, options):
        for task in tasks:
            yield task


async def _serialise(
    db: AsyncSession, rows: list[Any], of_batch: Callable[[Any], Any], options: ExportOptions, *, drafts: bool,
    raw_json: bool,
) -> list[dict[str, Any]]:
    annotations, predictions, task_drafts = await _related(db, rows, of_batch, options, drafts=drafts, raw_json=raw_json)
    tasks = [
        export_task(row, annotations.get(row.id) or [], predictions.get(row.id) or [], task_drafts.get(row.id) or [])
        for row in rows
    ]
    if raw_json:
        for task, row in zip(tasks, rows, strict=True):
            task["data"] = _raw(row.data)
            task["meta"] = _raw(row.meta) if row.meta not in (None, "null") else {}
    return tasks


async def _related(
    db: AsyncSession, rows: list[Any], of_batch: Callable[[Any], Any], options: ExportOptions, *, drafts: bool,
    raw_json: bool,
) -> tuple[dict[int, list[Any]], ...]:
    annotations: dict[int, list[Any]] = defaultdict(list)
    predictions: dict[int, list[Any]] = defaultdict(list)
    task_drafts: dict[int, list[Any]] = defaultdict(list)
    serial = options.serialization_options
    query = select(*_columns(ANNOTATIONS, raw_json)).where(of_batch(ANNOTATIONS.c.task_id)).order_by(ANNOTATIONS.c.id)
    condition = annotation_condition(options.annotation_filter_options)
    if condition is not None:
        query = query.where(condition)
    annotated = any(r.total_annotations or r.cancelled_annotations for r in rows)
    annotation_rows = (await db.execute(query)).all() if annotated else []
    users = await _users(db, {a.completed_by_id for a in annotation_rows if a.completed_by_id}) if _expand_users(serial) else None
    history = (
        await versions_by_annotation(db, of_batch(AnnotationHistory.task_id))
        if serial.include_annotation_history and annotation_rows else None
    )
    for a in annotation_rows:
        item = _with_raw(annotation_json(a), a, raw_json)
        if users is not None and a.completed_by_id in users:
            item["completed_by"] = users[a.completed_by_id]
        if history is not None:  # Label Studio's include_annotation_history: each annotation's versions
            item["history"] = history.get(a.id, [])
        annotations[a.task_id].append(item)
    if serial.predictions is not None and any(r.total_predictions for r in rows):
        query = select(*_columns(PREDICTIONS, raw_json)).where(of_batch(PREDICTIONS.c.task_id)).order_by(PREDICTIONS.c.id)
        for p in await db.execute(query):
            predictions[p.task_id].append(p.id if serial.predictions.only_id else _with_raw(prediction_json(p), p, raw_json))
    if serial.drafts is not None and drafts:
        query = select(*_columns(DRAFTS, raw_json)).where(of_batch(DRAFTS.c.task_id)).order_by(DRAFTS.c.id)
        for d in await db.execute(query):
            task_drafts[d.task_id].append(d.id if serial.drafts.only_id else _with_raw(draft_json(d), d, raw_json))
    return annotations, predictions, task_drafts


def _expand_users(serial: Any) -> bool:
    return serial.annotations__completed_by is not None and not serial.annotations__completed_by.only_id


async def _users(db: AsyncSession, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    out = {}
    for u in await db.execute(select(User.__table__).where(User.__table__.c.id.in_(ids))):
        initials = ((u.first_name[:1] + u.last_name[:1]) or u.email[:2]).lower()
        out[u.id] = {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "avatar": None,
                     "email": u.email, "initials": initials}
    return out


def export_task(task: Any, annotations: list[Any], predictions: list[Any], drafts: list[Any]) -> dict[str, Any]:
    """One task of Label Studio's JSON export (its ``ExportDataSerializer`` fields)."""
    return {
        "id": task.id,
        "data": task.data,
        "annotations": annotations,
        "predictions": predictions,
        "drafts": drafts,
        "meta": task.meta or {},
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "inner_id": task.inner_id,
        "total_annotations": task.total_annotations,
        "cancelled_annotations": task.cancelled_annotations,
        "total_predictions": task.total_predictions,
        "comment_count": 0,
        "unresolved_comment_count": 0,
        "last_comment_updated_at": None,
        "project": task.project_id,
        "updated_by": task.updated_by_id,
        "file_upload": task.file_upload,
        "comment_authors": [],
    }
