"""Task import: items are validated and inserted batch by batch inside the caller's transaction,
so memory follows the batch while the import stays all or nothing (the first bad item raises,
and the caller's rollback undoes the batches before it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio
import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..annotations.models import Annotation, Draft
from ..db.bulk import EncodedRows, analyze, analyze_outside, bulk_insert, encode_rows, json_text, sqlite_datetime
from ..errors import ValidationFailed
from ..gc_pause import gc_paused
from ..events import BUS_KEY, after_commit, record_event
from ..history import service as history
from ..tasks import payloads
from ..labelconfig import ParsedConfig, validate_results
from ..predictions.models import Prediction
from ..projects.models import Project, ProjectCounters
from ..registries import Registries
from ..tasks.counters import overlap_for, touch_tasks
from ..tasks.models import Task
from ..users.models import User
from .parsers import UNDEFINED_KEY, RawItem, invalid
from .shorthand import expand_prediction_result

MAX_TASKS = 1_000_000
ANALYZE_AFTER = 5000  # refresh planner statistics after imports this big
BATCH_TASKS = 2000  # tasks validated and inserted together (the first batch smaller: the
FIRST_BATCH = 500  # database starts writing while the next batch is being validated)
BATCH_BYTES = 8 << 20  # ... or fewer, once their encoded data reach this size
MAX_DATA_COLUMNS = 1000  # data keys reported back (a hostile body could name millions)
TASK_COLUMNS = (
    "project_id", "inner_id", "data", "meta", "overlap", "total_annotations", "cancelled_annotations",
    "total_predictions", "predictions_score", "is_labeled", "completed_at", "created_at", "updated_at",
    "file_upload_id", "file_upload",
)
ANNOTATION_COLUMNS = (
    "task_id", "project_id", "completed_by_id", "result", "was_cancelled", "ground_truth", "lead_time",
    "import_id", "last_action", "created_at", "updated_at",
)
PREDICTION_COLUMNS = ("task_id", "project_id", "result", "score", "model_version", "mislabeling", "created_at", "updated_at")
DRAFT_COLUMNS = ("task_id", "project_id", "user_id", "result", "lead_time", "was_postponed", "import_id", "created_at", "updated_at")
_encode = msgspec.json.encode
# user reference (id or email, lower-cased) -> [(where, row, column)] to fill in with its id
_UserRefs = dict[str, list[tuple[str, dict[str, Any], str]]]


class PreparedTask(msgspec.Struct):
    """One validated task (a msgspec Struct: built in C, a third of a dataclass's cost)."""

    where: str
    data: dict[str, Any]
    meta: dict[str, Any] | None
    # Empty tuples unless the task brings them (no three new lists for every plain task).
    annotations: list[dict[str, Any]] | tuple[()] = ()
    predictions: list[dict[str, Any]] | tuple[()] = ()
    drafts: list[dict[str, Any]] | tuple[()] = ()
    upload: tuple[int, str] | None = None  # (FileUpload id, its file name)
    data_text: str = ""  # ``data`` as JSON, encoded while validating (off the event loop)


class _Batch:
    """Validated tasks, their user references, and their rows encoded for the database (on the
    worker thread that validated them, so the event loop only sends them)."""

    __slots__ = ("exhausted", "first_inner", "has_children", "refs", "rows", "tasks")

    def __init__(self, tasks: list[PreparedTask], refs: _UserRefs, exhausted: bool) -> None:
        self.tasks, self.refs, self.exhausted = tasks, refs, exhausted
        self.first_inner = 0
        self.rows: EncodedRows | None = None
        self.has_children = False  # annotations, predictions or drafts

    def __len__(self) -> int:
        return len(self.tasks)


@dataclass
class ImportResult:
    task_count: int
    annotation_count: int
    prediction_count: int
    duration: float
    task_ids: list[int]
    data_columns: list[str]


@dataclass
class _Totals:
    """What the inserted batches add to the project's counters."""

    tasks: int = 0
    labeled: int = 0
    annotations: int = 0
    cancelled: int = 0
    predictions: int = 0
    with_annotations: int = 0
    annotation_rows: int = 0
    first_inner: int | None = None
    end_inner: int = 0


class TaskImporter:
    """Validates raw items against the project's config and inserts them in bulk, a batch at a
    time. One importer serves one import: it adds up the counters, data keys and inner ids of
    every batch and settles them in :meth:`finish`."""

    def __init__(self, db: AsyncSession, registries: Registries, project: Project, parsed: ParsedConfig, user: User):
        self.db = db
        self.registries = registries
        self.project = project
        self.parsed = parsed
        self.user = user
        self.required_keys = [key.split(".")[0].split("[")[0] for key in parsed.data_keys]
        self.first_key = self.required_keys[0] if self.required_keys else None
        self._user_refs: _UserRefs = {}  # of the batch being validated
        self._known_users: dict[str, int] = {}
        self._totals = _Totals()
        self._columns: set[str] = set()
        self._task_ids: list[int] = []
        self._now = datetime.now(UTC)
        self._dialect = db.get_bind().dialect.name
        self._sqlite = self._dialect == "sqlite"  # rows carry datetimes as SQLite's text
        self._next_inner: int | None = None  # the inner id of the next batch's first task

    # -- validation -------------------------------------------------------------------------
    def prepare(self, items: Iterable[RawItem]) -> list[PreparedTask]:
        prepared = []
        for item in items:
            prepared.append(self._prepare_one(item))
            if len(prepared) > MAX_TASKS:
                raise invalid(item.where, f"an import may hold at most {MAX_TASKS} tasks")
        return prepared

    def _next_batch(self, items: Iterator[RawItem], done: int) -> tuple[list[PreparedTask], _UserRefs, bool]:
        """The next batch of validated tasks, the user references its annotations make, and
        whether ``items`` ran out (run on a worker thread: parsing and validation stay off the
        event loop)."""
        self._user_refs = refs = {}
        batch: list[PreparedTask] = []
        append, prepare = batch.append, self._prepare_one
        size = 0
        room = MAX_TASKS - done
        limit = BATCH_TASKS if done else min(FIRST_BATCH, BATCH_TASKS)
        for item in items:
            if len(batch) >= room:
                raise invalid(item.where, f"an import may hold at most {MAX_TASKS} tasks")
            task = prepare(item)
            append(task)
            size += len(task.data_text)
            if len(batch) >= limit or size >= BATCH_BYTES:
                return batch, refs, False
        return batch, refs, True

    def _prepare_one(self, item: RawItem) -> PreparedTask:
        where, raw = item.where, item.value
        if not isinstance(raw, dict):
            raise invalid(where, f"a task must be a JSON object, not {type(raw).__name__}")
        data = raw.get("data")
        if data:
            if not isinstance(data, dict):
                raise invalid(where, '"data" must be a JSON object')
            meta = raw.get("meta")
            task = PreparedTask(where, data, meta if isinstance(meta, dict) else None, upload=item.upload)
            if "annotations" in raw or "predictions" in raw or "drafts" in raw:
                self._prepare_children(task, raw)
        else:
            if "annotations" in raw or "predictions" in raw:
                raise invalid(where, 'tasks with "annotations" or "predictions" need their data under "data"')
            task = PreparedTask(where, raw, None, upload=item.upload)
        data = task.data
        if UNDEFINED_KEY in data and self.first_key:
            data = dict(data)
            data[self.first_key] = data.pop(UNDEFINED_KEY)
            task.data = data
        for key in self.required_keys:
            if key not in data:
                names = sorted(map(str, data))
                keys = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "") or "none"
                raise invalid(where, f'"{key}" key is expected in task data (the task has: {keys})')
        try:
            task.data_text = _encode(data).decode()
        except (TypeError, ValueError, OverflowError) as exc:
            raise invalid(where, f'"data" cannot be stored ({exc})') from None
        return task

    def _prepare_children(self, task: PreparedTask, raw: dict[str, Any]) -> None:
        where = task.where
        task.annotations = [
            self._annotation(annotation, f"{where}: annotations[{index}]")
            for index, annotation in enumerate(_list(raw, "annotations", where))
        ]
        task.predictions = [
            self._prediction(prediction, f"{where}: predictions[{index}]")
            for index, prediction in enumerate(_list(raw, "predictions", where))
        ]
        task.drafts = [self._draft(draft, f"{where}: drafts[{index}]") for index, draft in enumerate(_list(raw, "drafts", where))]

    def _result(self, result: Any, where: str) -> list[dict[str, Any]]:
        if not isinstance(result, list):
            raise invalid(where, '"result" must be a list')
        return validate_results(self.parsed, result, self.registries, where=f"{where}.result")

    def _annotation(self, raw: Any, where: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid(where, "must be a JSON object")
        row = {
            "result": self._result(raw.get("result", []), where),
            "was_cancelled": bool(raw.get("was_cancelled", False)),
            # Label Studio marks imported annotations as ground truth unless told otherwise.
            "ground_truth": bool(raw.get("ground_truth", True)),
            "lead_time": _number(raw.get("lead_time"), f"{where}.lead_time"),
            "import_id": raw.get("id") if isinstance(raw.get("id"), int) else None,
            "last_action": "imported",
            "created_at": _timestamp(raw.get("created_at"), f"{where}.created_at"),
        }
        self._remember_user(raw.get("completed_by"), where, row, "completed_by_id")
        return row

    def _prediction(self, raw: Any, where: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid(where, "must be a JSON object")
        result = expand_prediction_result(raw.get("result", []), self.parsed)
        return {
            "result": self._result(result, where),
            "score": _number(raw.get("score"), f"{where}.score"),
            "model_version": str(raw.get("model_version") or "undefined"),
        }

    def _draft(self, raw: Any, where: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid(where, "must be a JSON object")
        row = {
            "result": self._result(raw.get("result", []), where),
            "lead_time": _number(raw.get("lead_time"), f"{where}.lead_time"),
            "import_id": raw.get("id") if isinstance(raw.get("id"), int) else None,
        }
        self._remember_user(raw.get("user", raw.get("completed_by")), where, row, "user_id")
        return row

    def _remember_user(self, ref: Any, where: str, row: dict[str, Any], column: str) -> None:
        if ref is None:
            row[column] = self.user.id
            return
        if isinstance(ref, dict):
            ref = ref.get("email") or ref.get("id")
        if isinstance(ref, bool) or not isinstance(ref, (int, str)):
            raise invalid(where, "completed_by must be a user id or {\"email\": ...}")
        key = str(ref).strip().lower()
        self._user_refs.setdefault(key, []).append((where, row, column))

    async def resolve_users(self, refs: _UserRefs | None = None) -> None:
        """Turn a batch's user ids and emails into ids, in at most two queries (users already
        found for an earlier batch are not looked up again)."""
        refs = self._user_refs if refs is None else refs
        if not refs:
            return
        known = self._known_users
        ids = {int(k) for k in refs if k.isdigit() and k not in known}
        emails = {k for k in refs if not k.isdigit() and k not in known}
        if ids:
            for (user_id,) in await self.db.execute(select(User.id).where(User.id.in_(ids))):
                known[str(user_id)] = user_id
        if emails:
            for user_id, email in await self.db.execute(select(User.id, User.email).where(User.email.in_(emails))):
                known[email] = user_id
        for key, uses in refs.items():
            if key not in known:
                raise invalid(uses[0][0], f"completed_by refers to an unknown user {key!r}")
            for _, row, column in uses:
                row[column] = known[key]

    async def _analyze_after_commit(self, table: Any) -> None:
        """Fresh planner statistics once the import has committed, on a connection of their own:
        ANALYZE inside the import's transaction would hold its table lock until the commit and
        deadlock with a concurrent data-key index build (issue 16)."""
        session = self.db.sync_session
        if session.info.get(BUS_KEY) is None:  # a session without after-commit work (scripts)
            await analyze(self.db, table)
            return
        pending = session.info.setdefault("labelloom.analyze", set())
        if table.name in pending:
            return
        pending.add(table.name)
        engine = self.db.bind

        async def run() -> None:
            session.info.pop("labelloom.analyze", None)
            await analyze_outside(engine, table)

        after_commit(self.db, run)

    # -- insertion --------------------------------------------------------------------------
    async def import_items(self, items: Iterable[RawItem], *, want_ids: bool = False) -> ImportResult:
        """Validate and insert ``items`` a batch at a time in the caller's transaction; the first
        bad item raises (roll back to undo the batches before it). An empty stream inserts
        nothing and answers a task count of 0."""
        started = time.perf_counter()
        iterator = iter(items)
        done = 0
        written: list[_Batch] = []  # freed by the thread making the next batch, not on the loop
        pending: asyncio.Future[_Batch] | None = asyncio.ensure_future(
            anyio.to_thread.run_sync(self._next_encoded, iterator, 0, written)
        )
        try:
            while pending is not None:
                batch = await pending
                pending = None
                if batch.tasks and batch.rows is None:
                    # The first batch, validated before the project is locked (a bad body never
                    # waits for the write lock): the import's inner ids start here.
                    self._next_inner = await self._lock_inner_ids()
                    self._encode(batch)
                if not batch.exhausted:
                    # The next batch is validated and encoded on a worker thread while this one
                    # is written: the database works outside the GIL, so both run at once.
                    pending = asyncio.ensure_future(
                        anyio.to_thread.run_sync(self._next_encoded, iterator, done + len(batch), written)
                    )
                if batch.tasks:
                    await self._insert_batch(batch, batch.refs, want_ids=False)  # the ids: at the end
                    done += len(batch)
                written.append(batch)
                del batch
        finally:
            if pending is not None:  # an insert failed: the thread still reads the stream
                await asyncio.wait([pending])
                if not pending.cancelled():
                    pending.exception()  # the insert's error is the one raised
        if done:
            await self._settle_inner_ids()
            if want_ids:  # one query for every batch
                self._task_ids = await self._ids_of(self._totals.first_inner or 0, self._totals.end_inner)
        return await self.finish(started)

    async def insert(self, tasks: list[PreparedTask], *, want_ids: bool = False) -> ImportResult:
        """Insert tasks :meth:`prepare` validated, as one batch (their ids are always returned)."""
        started = time.perf_counter()
        batch = _Batch(tasks, self._user_refs, True)
        self._encode(batch, await self._reserve_inner_ids(len(tasks)))
        await self._insert_batch(batch, batch.refs, want_ids=True)
        return await self.finish(started)

    def _next_encoded(self, items: Iterator[RawItem], done: int, written: list[_Batch]) -> _Batch:
        """The next batch, encoded once the import's inner ids are known (worker thread)."""
        written.clear()
        with gc_paused():
            batch = _Batch(*self._next_batch(items, done))
            if batch.tasks and self._next_inner is not None:
                self._encode(batch)
        return batch

    def _encode(self, batch: _Batch, first_inner: int | None = None) -> None:
        """Give the batch its inner ids and its task rows in the database's input form."""
        tasks = batch.tasks
        if first_inner is None:
            assert self._next_inner is not None
            first_inner = self._next_inner
            self._next_inner += len(tasks)
        totals = self._totals
        if totals.first_inner is None:
            totals.first_inner = first_inner
        totals.end_inner = first_inner + len(tasks)
        batch.first_inner = first_inner
        batch.rows = encode_rows(self._dialect, Task.__table__, TASK_COLUMNS, self._task_rows(tasks, first_inner),
                                 sqlite_text=self._sqlite)
        columns = self._columns
        if len(columns) < MAX_DATA_COLUMNS:
            for task in tasks:
                columns.update(task.data)
        batch.has_children = any(t.annotations or t.predictions or t.drafts for t in tasks)

    async def _insert_batch(self, batch: _Batch, refs: _UserRefs, *, want_ids: bool) -> None:
        """Write an encoded batch, then its annotations, predictions and drafts."""
        await self.resolve_users(refs)
        tasks, first_inner, count, has_children = batch.tasks, batch.first_inner, len(batch), batch.has_children
        await bulk_insert(self.db, Task.__table__, TASK_COLUMNS, batch.rows or [])
        if not (want_ids or has_children):
            return
        task_ids = await self._ids_of(first_inner, first_inner + count)
        if want_ids:
            self._task_ids.extend(task_ids)
        if has_children:
            if any(t.annotations or t.predictions for t in tasks):  # agreement of imported annotations
                touch_tasks(self.db, self.project.id, (i for i, t in zip(task_ids, tasks) if t.annotations or t.predictions))
            await self._insert_children(tasks, task_ids)

    def _task_rows(self, tasks: list[PreparedTask], first_inner: int) -> list[tuple[Any, ...]]:
        """The tasks' rows, their counters added to the import's totals."""
        project = self.project
        project_id = project.id
        now = sqlite_datetime(self._now) if self._sqlite else self._now
        single_overlap = project.maximum_annotations <= 1
        ignore_skipped = project.skip_queue == "IGNORE_SKIPPED"
        totals = self._totals
        rows = []
        append = rows.append
        for offset, task in enumerate(tasks):
            inner_id = first_inner + offset
            overlap = 1 if single_overlap else overlap_for(inner_id, project)
            upload_id, upload_name = task.upload or (None, None)
            meta = None if task.meta is None else _encode(task.meta).decode()
            if not (task.annotations or task.predictions):
                append((project_id, inner_id, task.data_text, meta, overlap, 0, 0, 0, None, False, None, now, now,
                        upload_id, upload_name))
                continue
            done = cancelled = 0
            completed_at = None
            for annotation in task.annotations:
                if annotation["was_cancelled"]:
                    cancelled += 1
                else:
                    done += 1
                    created = annotation["created_at"] or self._now
                    completed_at = created if completed_at is None else max(completed_at, created)
            scores = [p["score"] for p in task.predictions if p["score"] is not None]
            labeled = done + (cancelled if ignore_skipped else 0) >= overlap
            totals.labeled += labeled
            totals.annotations += done
            totals.cancelled += cancelled
            totals.predictions += len(task.predictions)
            totals.with_annotations += done > 0
            if completed_at is not None and self._sqlite:
                completed_at = sqlite_datetime(completed_at)
            append((project_id, inner_id, task.data_text, meta, overlap, done, cancelled, len(task.predictions),
                    sum(scores) / len(scores) if scores else None, labeled, completed_at, now, now, upload_id, upload_name))
        totals.tasks += len(rows)
        return rows

    async def _insert_children(self, tasks: list[PreparedTask], task_ids: list[int]) -> None:
        project_id = self.project.id
        stamp = sqlite_datetime if self._sqlite else (lambda value: value)
        now = stamp(self._now)
        annotations, predictions, drafts = [], [], []
        for task_id, task in zip(task_ids, tasks):
            for a in task.annotations:
                annotations.append((
                    task_id, project_id, a["completed_by_id"], json_text(a["result"]), a["was_cancelled"],
                    a["ground_truth"], a["lead_time"], a["import_id"], a["last_action"],
                    stamp(a["created_at"]) if a["created_at"] else now, now,
                ))
            for p in task.predictions:
                predictions.append((task_id, project_id, json_text(p["result"]), p["score"], p["model_version"], 0.0, now, now))
            for d in task.drafts:
                drafts.append((task_id, project_id, d["user_id"], json_text(d["result"]), d["lead_time"], False, d["import_id"], now, now))
        sqlite_text = self._sqlite
        await bulk_insert(self.db, Annotation.__table__, ANNOTATION_COLUMNS, annotations, sqlite_text=sqlite_text)
        if annotations:  # their first versions, in one INSERT ... SELECT (the new tasks' ids are a range)
            await history.record_many(self.db, select(Annotation.id).where(
                Annotation.project_id == project_id, Annotation.task_id.between(min(task_ids), max(task_ids))
            ), "imported")
        await bulk_insert(self.db, Prediction.__table__, PREDICTION_COLUMNS, predictions, sqlite_text=sqlite_text)
        await bulk_insert(self.db, Draft.__table__, DRAFT_COLUMNS, drafts, sqlite_text=sqlite_text)
        self._totals.annotation_rows += len(annotations)
        if predictions and not self.project.model_version:
            self.project.model_version = predictions[-1][4]

    async def finish(self, started: float) -> ImportResult:
        """Settle what the batches added: the project's counters (one UPDATE), fresh planner
        statistics after a big import, and one TASKS_CREATED event."""
        totals = self._totals
        if totals.tasks:
            await self._count_new_tasks()
            if totals.tasks >= ANALYZE_AFTER:
                await self._analyze_after_commit(Task.__table__)
            if totals.annotation_rows >= ANALYZE_AFTER:
                await self._analyze_after_commit(Annotation.__table__)
            if totals.predictions >= ANALYZE_AFTER:
                await self._analyze_after_commit(Prediction.__table__)
            self._record_created(totals.first_inner or 0, totals.end_inner)
        return ImportResult(
            task_count=totals.tasks,
            annotation_count=totals.annotation_rows,
            prediction_count=totals.predictions,
            duration=time.perf_counter() - started,
            task_ids=self._task_ids,
            data_columns=sorted(self._columns)[:MAX_DATA_COLUMNS],
        )

    def _record_created(self, first_inner: int, end_inner: int) -> None:
        """TASKS_CREATED for the import's inner id range; its payload is read back from the
        database, and only when a webhook or plugin wants it (the tasks are not kept for it)."""
        project = self.project
        project_id = project.id
        now = self._now

        def payload(session: Session) -> dict[str, Any]:
            rows = session.execute(
                select(Task.id, Task.data, Task.meta, Task.inner_id)
                .where(Task.project_id == project_id, Task.inner_id >= first_inner, Task.inner_id < end_inner)
                .order_by(Task.inner_id)
            )
            return payloads.tasks_created(
                (
                    {"id": task_id, "data": data, "meta": meta or {}, "project": project_id, "inner_id": inner_id,
                     "created_at": now}
                    for task_id, data, meta, inner_id in rows
                ),
                project,
            )

        record_event(self.db, "TASKS_CREATED", payload, project_id=project_id)

    async def _count_new_tasks(self) -> None:
        """Add the new tasks to the project's counters (database triggers count updates and
        deletes; inserts are counted here, once per import, which is far cheaper)."""
        totals = self._totals
        await self.db.execute(
            update(ProjectCounters)
            .where(ProjectCounters.project_id == self.project.id)
            .values(
                task_number=ProjectCounters.task_number + totals.tasks,
                finished_task_number=ProjectCounters.finished_task_number + totals.labeled,
                total_annotations_number=ProjectCounters.total_annotations_number + totals.annotations,
                skipped_annotations_number=ProjectCounters.skipped_annotations_number + totals.cancelled,
                total_predictions_number=ProjectCounters.total_predictions_number + totals.predictions,
                num_tasks_with_annotations=ProjectCounters.num_tasks_with_annotations + totals.with_annotations,
            ),
            execution_options={"synchronize_session": False},
        )

    async def _ids_of(self, first_inner: int, end_inner: int) -> list[int]:
        """The ids of the tasks numbered ``first_inner`` up to ``end_inner``: the inner ids were
        taken for this import alone, so they find exactly its tasks."""
        rows = await self.db.execute(
            select(Task.id)
            .where(Task.project_id == self.project.id, Task.inner_id >= first_inner, Task.inner_id < end_inner)
            .order_by(Task.inner_id)
        )
        return list(rows.scalars())

    async def _lock_inner_ids(self) -> int:
        """Lock the project's row (its next inner id) until the commit and answer that id: the
        import numbers its tasks from it, however many come, and :meth:`_settle_inner_ids`
        writes the end. Concurrent writers wait for the commit, as they did for a reservation."""
        return await self._reserve_inner_ids(0)

    async def _settle_inner_ids(self) -> None:
        end = self._totals.end_inner
        await self.db.execute(
            update(Project).where(Project.id == self.project.id).values(next_inner_id=end),
            execution_options={"synchronize_session": False},
        )
        set_committed_value(self.project, "next_inner_id", end)

    async def _reserve_inner_ids(self, count: int) -> int:
        """Atomically take ``count`` per-project task numbers (safe under concurrent imports)."""
        result = await self.db.execute(
            update(Project)
            .where(Project.id == self.project.id)
            .values(next_inner_id=Project.next_inner_id + count)
            .returning(Project.next_inner_id),
            execution_options={"synchronize_session": False},
        )
        end = result.scalar_one()
        set_committed_value(self.project, "next_inner_id", end)  # as written: no second UPDATE at the flush
        return end - count

def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(where, f'"{key}" must be a list')
    return value


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationFailed(f"{where}: must be a number", validation_errors={where: ["must be a number"]})
    return float(value)


def _timestamp(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    raise ValidationFailed(f"{where}: must be an ISO 8601 date-time", validation_errors={where: ["invalid date-time"]})
