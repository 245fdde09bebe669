"""Tasks of an export as Label Studio's export JSON, read in keyset batches.

Each batch costs one query per table (tasks, annotations, predictions, drafts) and is dropped
before the next is read, so memory stays flat however large the project is. While a batch is
being written, the next one is already being read (the database works on its own thread or
process meanwhile).

Rows are read as plain values, never ORM objects: each batch statement is compiled once and
run on the DBAPI cursor (the driver's tuples, no SQLAlchemy rows), and the dicts are built from
them directly. JSON columns come as text; ``raw_json=True`` (for writers that only re-encode the
tasks: the JSON export, snapshots) hands them on as ``msgspec.Raw`` instead of decoding them, in
records (core/export/records.py) instead of dicts. PostgreSQL prints jsonb numbers as stored
(``1.50``, not ``1.5``); everything else is byte for byte what the decoded path writes.
Timestamps are the text msgspec writes for them, made by the database on both backends (a
snapshot file holds the same strings).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from operator import itemgetter
from typing import Any

import msgspec
from sqlalchemy import Integer, String, Text, and_, any_, bindparam, case, cast, exists, false, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..datamanager.selection import view_conditions
from ..history.models import AnnotationHistory
from ..history.service import versions_by_annotation
from ..predictions.models import Prediction
from ..tasks.models import Task
from ..users.models import User
from .options import AnnotationFilterOptions, ExportOptions, TaskFilterOptions
from .records import AnnotationRecord, DraftRecord, PredictionRecord, TaskRecord

BATCH = 1000  # tasks per round trip

TASKS, ANNOTATIONS, PREDICTIONS, DRAFTS = Task.__table__, Annotation.__table__, Prediction.__table__, Draft.__table__
_decode = msgspec.json.decode
_Raw = msgspec.Raw
_EMPTY: tuple[Any, ...] = ()  # a table that was not asked
# A task row's counts (positions of _Reader.tasks): whether its batch has related rows to read.
_TOTAL, _CANCELLED, _PREDICTED = itemgetter(6), itemgetter(7), itemgetter(8)


# --- what is read ------------------------------------------------------------------------------


class _Reader:
    """Column expressions for one database: values that need no per-value processing."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def json(self, column: Any) -> Any:
        return cast(column, Text)

    def time(self, column: Any) -> Any:
        """A timestamp as the text msgspec writes for a UTC datetime (``T`` between, ``Z`` after,
        no fraction when it is zero, else six digits), made by the database: cheaper than
        parsing datetimes in Python to format them again. SQLite stores ``YYYY-MM-DD
        HH:MM:SS[.ffffff]`` UTC text; PostgreSQL's timestamptz is printed in UTC whatever the
        session's time zone."""
        if not self.sqlite:
            utc = func.timezone("UTC", column)
            return case(
                (func.date_trunc("second", column) == column, func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                else_=func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            )
        text = func.replace(column, " ", "T", type_=String)
        return case(
            (func.substr(column, 21) == "000000", func.substr(text, 1, 19, type_=String) + literal("Z")),
            else_=text + literal("Z"),
        )

    def tasks(self) -> list[Any]:
        c = TASKS.c
        return [c.id, self.json(c.data), self.json(c.meta), self.time(c.created_at), self.time(c.updated_at),
                c.inner_id, c.total_annotations, c.cancelled_annotations, c.total_predictions, c.project_id,
                c.updated_by_id, c.file_upload]

    def annotations(self) -> list[Any]:
        c = ANNOTATIONS.c
        return [c.id, self.json(c.result), c.task_id, c.project_id, c.completed_by_id, c.updated_by_id,
                c.was_cancelled, c.ground_truth, c.lead_time, self.time(c.created_at), self.time(c.updated_at),
                self.time(c.draft_created_at), c.parent_prediction_id, c.parent_annotation_id, c.import_id,
                c.last_action]

    def predictions(self) -> list[Any]:
        c = PREDICTIONS.c
        return [c.id, self.json(c.result), c.score, c.model_version, c.task_id, c.project_id, c.cluster,
                self.json(c.neighbors), c.mislabeling, self.time(c.created_at), self.time(c.updated_at)]

    def drafts(self) -> list[Any]:
        c = DRAFTS.c
        return [c.id, self.json(c.result), c.lead_time, c.task_id, c.annotation_id, c.user_id, c.was_postponed,
                c.import_id, self.time(c.created_at), self.time(c.updated_at)]


# The dicts, in the key order of core.tasks.serialize (the API's shapes); ``j`` reads a JSON
# column's text (Raw or decoded). Positions follow the _Reader's column lists.


def _annotation(r: Any, j: Callable[[Any], Any]) -> dict[str, Any]:
    return {"id": r[0], "result": j(r[1]), "task": r[2], "project": r[3], "completed_by": r[4],
            "updated_by": r[5], "last_created_by": r[4], "was_cancelled": bool(r[6]), "ground_truth": bool(r[7]),
            "lead_time": r[8], "created_at": r[9], "updated_at": r[10], "draft_created_at": r[11],
            "parent_prediction": r[12], "parent_annotation": r[13], "import_id": r[14], "last_action": r[15],
            "bulk_created": False}


def _prediction(r: Any, j: Callable[[Any], Any]) -> dict[str, Any]:
    return {"id": r[0], "result": j(r[1]), "score": r[2], "model_version": r[3], "task": r[4], "project": r[5],
            "cluster": r[6], "neighbors": None if r[7] is None else _decode(r[7]), "mislabeling": r[8],
            "created_at": r[9], "updated_at": r[10]}


def _draft(r: Any, j: Callable[[Any], Any]) -> dict[str, Any]:
    return {"id": r[0], "result": j(r[1]), "lead_time": r[2], "task": r[3], "annotation": r[4], "user": r[5],
            "was_postponed": bool(r[6]), "import_id": r[7], "created_at": r[8], "updated_at": r[9]}


def _raw(text: Any) -> Any:
    return None if text is None else _Raw(text)


def _decoded(text: Any) -> Any:
    return None if text is None else _decode(text)


# --- which tasks and annotations ---------------------------------------------------------------


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


# --- batches -----------------------------------------------------------------------------------


def _param(name: str) -> Any:
    """A batch's own value (``after``, ``first``, ``last``): given a stand-in so the statement
    compiles to its final SQL once (``IN`` lists of chosen ids rendered as plain parameters)."""
    return bindparam(name, 0, type_=Integer)


class _Compiled:
    """A statement compiled once for the session's dialect and run on the DBAPI cursor: rows
    come as the driver's tuples, without SQLAlchemy's per-statement execution and per-row
    objects (a fifth of an export's time). Every column is read as a plain value (see
    :class:`_Reader`), so no result processing is lost; the statement's own parameters go
    through their types' bind processing here, once."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        self.sql = compiled.string
        params = dict(compiled.params)
        # SQLAlchemy's own table of them (datetimes in view filters become SQLite's text).
        for name, process in compiled._bind_processors.items():
            if name in params and params[name] is not None:
                params[name] = process(params[name])
        self.params, self.positions = params, compiled.positiontup

    def arguments(self, values: dict[str, Any]) -> Any:
        params = {**self.params, **values}
        return params if self.positions is None else [params[name] for name in self.positions]


async def _fetch(db: AsyncSession, statement: _Compiled, values: dict[str, Any]) -> list[Any]:
    def run(connection: Any) -> list[Any]:
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(statement.sql, statement.arguments(values))
            return cursor.fetchall()
        finally:
            cursor.close()

    return await (await db.connection()).run_sync(run)


class _Batch(msgspec.Struct):
    """One batch as read: plain rows, turned into records or dicts by :meth:`_Plan.build`."""

    tasks: Sequence[Any]
    annotations: Sequence[Any]
    predictions: Sequence[Any]
    drafts: Sequence[Any]
    users: dict[int, dict[str, Any]] | None
    history: dict[int, list[dict[str, Any]]] | None


class _Plan:
    """The statements of one export, built once and reused batch after batch."""

    def __init__(self, db: AsyncSession, project_id: int, options: ExportOptions, where: list[Any], batch: int,
                 drafts: bool) -> None:
        self.db, self.project_id, self.options, self.where, self.size = db, project_id, options, where, batch
        self.reader = _Reader(db.get_bind().dialect.name)
        self.postgres = not self.reader.sqlite
        serial = options.serialization_options
        self.predictions = serial.predictions is not None
        self.with_drafts = serial.drafts is not None and drafts
        self.annotation_filter = annotation_condition(options.annotation_filter_options)
        self.expand_users = serial.annotations__completed_by is not None and not serial.annotations__completed_by.only_id
        self.history = serial.include_annotation_history
        # Only the project's condition: the batch's related rows are those in its task id range.
        self.by_range = len(where) == 1
        self.statements = self._statements()

    def of_batch(self, column: Any, project_column: Any, span: dict[str, int] | None = None) -> Any:
        """``column`` holds one of the batch's task ids (``span``'s, or bound as ``first`` and ``last``).
        Exporting every task: the batch's id range, an index range scan (``project_id + 0``:
        SQLite would otherwise pick a project_id index and scan the whole project per batch).
        Otherwise chosen by the batch's own query, not a list of 500 bound ids (whose expansion
        costs more than the database's second look at an index); on PostgreSQL as an array
        (``task_id = ANY(ARRAY(...))``): an index lookup whatever the statistics say, where
        ``IN (subquery)`` became a scan of all annotations per batch after a bulk import that
        autovacuum had not analysed yet (45 ms a batch instead of 1 ms)."""
        first = _param("first") if span is None else span["first"]
        if self.by_range:
            last = _param("last") if span is None else span["last"]
            return and_(column >= first, column <= last, project_column + 0 == self.project_id)
        ids = (select(TASKS.c.id).where(*self.where, TASKS.c.id >= first).order_by(TASKS.c.id)
               .limit(self.size).scalar_subquery())
        return column == any_(func.array(ids)) if self.postgres else column.in_(ids)

    def _statements(self) -> dict[str, Any]:
        """Built once: a statement object per batch cost as much as reading the batch."""
        reader = self.reader
        tasks = (select(*reader.tasks()).where(*self.where, TASKS.c.id > _param("after"))
                 .order_by(TASKS.c.id).limit(self.size))
        annotations = (select(*reader.annotations()).where(self.of_batch(ANNOTATIONS.c.task_id, ANNOTATIONS.c.project_id))
                       .order_by(ANNOTATIONS.c.task_id, ANNOTATIONS.c.id))
        if self.annotation_filter is not None:
            annotations = annotations.where(self.annotation_filter)
        predictions = (select(*reader.predictions()).where(self.of_batch(PREDICTIONS.c.task_id, PREDICTIONS.c.project_id))
                       .order_by(PREDICTIONS.c.id))
        drafts = (select(*reader.drafts()).where(self.of_batch(DRAFTS.c.task_id, DRAFTS.c.project_id))
                  .order_by(DRAFTS.c.id))
        dialect = self.db.get_bind().dialect
        return {name: _Compiled(statement, dialect) for name, statement in
                (("tasks", tasks), ("annotations", annotations), ("predictions", predictions), ("drafts", drafts))}

    async def read(self, after: int) -> _Batch | None:
        db, statements = self.db, self.statements
        tasks = await _fetch(db, statements["tasks"], {"after": after})
        if not tasks:
            return None
        span = {"first": tasks[0][0], "last": tasks[-1][0]}
        # Tables with nothing to give are not asked: tasks count their own annotations and
        # predictions (cancelled ones are not in total_annotations); drafts were looked for once.
        annotations: Sequence[Any] = _EMPTY
        if any(map(_TOTAL, tasks)) or any(map(_CANCELLED, tasks)):  # C loops: no Python frame per task
            annotations = await _fetch(db, statements["annotations"], span)
        predictions: Sequence[Any] = _EMPTY
        if self.predictions and any(map(_PREDICTED, tasks)):
            predictions = await _fetch(db, statements["predictions"], span)
        drafts: Sequence[Any] = _EMPTY
        if self.with_drafts:
            drafts = await _fetch(db, statements["drafts"], span)
        users = await _users(db, {a[4] for a in annotations if a[4]}) if self.expand_users else None
        history = None
        if self.history and annotations:
            condition = self.of_batch(AnnotationHistory.task_id, AnnotationHistory.project_id, span)
            history = await versions_by_annotation(db, condition)
        return _Batch(tasks, annotations, predictions, drafts, users, history)

    def build(self, batch: _Batch, raw_json: bool) -> list[Any]:
        """Records for the writers that only encode (an annotation's history is an extra key:
        dicts then), dicts otherwise."""
        if raw_json and not self.history:
            return self.records(batch)
        return self.dicts(batch, raw_json)

    def dicts(self, batch: _Batch, raw_json: bool) -> list[dict[str, Any]]:
        j = _raw if raw_json else _decoded
        annotations: dict[int, list[Any]] = defaultdict(list)
        users, history = batch.users, batch.history
        for a in batch.annotations:
            item = _annotation(a, j)
            if users is not None and a[4] in users:
                item["completed_by"] = users[a[4]]
            if history is not None:  # Label Studio's include_annotation_history: each annotation's versions
                item["history"] = history.get(a[0], [])
            annotations[a[2]].append(item)
        predictions: dict[int, list[Any]] = defaultdict(list)
        only_id = self.predictions and self.options.serialization_options.predictions.only_id
        for p in batch.predictions:
            predictions[p[4]].append(p[0] if only_id else _prediction(p, j))
        drafts: dict[int, list[Any]] = defaultdict(list)
        only_id = self.with_drafts and self.options.serialization_options.drafts.only_id
        for d in batch.drafts:
            drafts[d[3]].append(d[0] if only_id else _draft(d, j))
        get_a, get_p, get_d = annotations.get, predictions.get, drafts.get
        return [
            {"id": t[0], "data": j(t[1]), "annotations": get_a(t[0]) or [], "predictions": get_p(t[0]) or [],
             "drafts": get_d(t[0]) or [], "meta": {} if t[2] is None or t[2] == "null" else j(t[2]) or {},
             "created_at": t[3], "updated_at": t[4], "inner_id": t[5], "total_annotations": t[6],
             "cancelled_annotations": t[7], "total_predictions": t[8], "comment_count": 0,
             "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": t[9], "updated_by": t[10],
             "file_upload": t[11], "comment_authors": []}
            for t in batch.tasks
        ]

    def records(self, batch: _Batch) -> list[TaskRecord]:
        """The batch as records (core/export/records.py) with JSON columns as ``msgspec.Raw``:
        the same values as :meth:`dicts` gives with ``raw_json``, built inline (no call per row)."""
        raw = _Raw
        users = batch.users
        annotations: dict[int, list[Any]] = defaultdict(list)
        for a in batch.annotations:
            who = a[4]
            annotations[a[2]].append(AnnotationRecord(
                a[0], None if a[1] is None else raw(a[1]), a[2], a[3],
                users.get(who, who) if users is not None and who is not None else who, a[5], who,
                bool(a[6]), bool(a[7]), a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], False))
        predictions: dict[int, list[Any]] = defaultdict(list)
        only_id = self.predictions and self.options.serialization_options.predictions.only_id
        for p in batch.predictions:
            predictions[p[4]].append(p[0] if only_id else PredictionRecord(
                p[0], None if p[1] is None else raw(p[1]), p[2], p[3], p[4], p[5], p[6],
                None if p[7] is None else _decode(p[7]), p[8], p[9], p[10]))
        drafts: dict[int, list[Any]] = defaultdict(list)
        only_id = self.with_drafts and self.options.serialization_options.drafts.only_id
        for d in batch.drafts:
            drafts[d[3]].append(d[0] if only_id else DraftRecord(
                d[0], None if d[1] is None else raw(d[1]), d[2], d[3], d[4], d[5], bool(d[6]), d[7], d[8], d[9]))
        # Nothing to list: the empty tuple (encoded as ``[]``), not a new list per task.
        none: tuple[()] = ()
        get_a, get_p, get_d = annotations.get, predictions.get, drafts.get
        if not predictions and not drafts:  # most batches: two lookups per task fewer
            return [
                TaskRecord(t[0], None if t[1] is None else raw(t[1]), get_a(t[0], none), none, none,
                           {} if t[2] is None or t[2] == "null" else raw(t[2]) or {},
                           t[3], t[4], t[5], t[6], t[7], t[8], 0, 0, None, t[9], t[10], t[11], none)
                for t in batch.tasks
            ]
        return [
            TaskRecord(t[0], None if t[1] is None else raw(t[1]), get_a(t[0], none), get_p(t[0], none),
                       get_d(t[0], none), {} if t[2] is None or t[2] == "null" else raw(t[2]) or {},
                       t[3], t[4], t[5], t[6], t[7], t[8], 0, 0, None, t[9], t[10], t[11], none)
            for t in batch.tasks
        ]


async def task_batches(
    db: AsyncSession, project_id: int, options: ExportOptions, *, batch: int = BATCH, raw_json: bool = False
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield lists of export task dicts, in task id order (see ``raw_json`` above). The next
    batch is read while the caller writes this one (the session is not used meanwhile)."""
    where = await export_conditions(db, project_id, options)
    drafts = bool((await db.execute(select(exists().where(DRAFTS.c.project_id == project_id)))).scalar())
    plan = _Plan(db, project_id, options, where, batch, drafts)
    read = await plan.read(0)
    while read is not None:
        full = len(read.tasks) == batch
        ahead = asyncio.ensure_future(plan.read(read.tasks[-1][0])) if full else None
        try:
            yield plan.build(read, raw_json)
        except BaseException:
            if ahead is not None:  # let the read finish: the session must not be closed under it
                await asyncio.wait([ahead])
                if not ahead.cancelled():
                    ahead.exception()  # retrieved, so it is not reported as never retrieved
            raise
        read = await ahead if ahead is not None else None


async def iter_tasks(db: AsyncSession, project_id: int, options: ExportOptions) -> AsyncIterator[dict[str, Any]]:
    async for tasks in task_batches(db, project_id, options):
        for task in tasks:
            yield task


async def _users(db: AsyncSession, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    out = {}
    for u in await db.execute(select(User.__table__).where(User.__table__.c.id.in_(ids))):
        initials = ((u.first_name[:1] + u.last_name[:1]) or u.email[:2]).lower()
        out[u.id] = {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "avatar": None,
                     "email": u.email, "initials": initials}
    return out
