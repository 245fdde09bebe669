"""Task import: validate everything first, then bulk-insert in one transaction (all or nothing)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..db.bulk import analyze, analyze_outside, bulk_insert, json_text
from ..errors import ValidationFailed
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


@dataclass
class PreparedTask:
    where: str
    data: dict[str, Any]
    meta: dict[str, Any] | None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportResult:
    task_count: int
    annotation_count: int
    prediction_count: int
    duration: float
    task_ids: list[int]
    data_columns: list[str]


class TaskImporter:
    """Validates raw items against the project's config, then inserts them in bulk."""

    def __init__(self, db: AsyncSession, registries: Registries, project: Project, parsed: ParsedConfig, user: User):
        self.db = db
        self.registries = registries
        self.project = project
        self.parsed = parsed
        self.user = user
        self.required_keys = [key.split(".")[0].split("[")[0] for key in parsed.data_keys]
        self.first_key = self.required_keys[0] if self.required_keys else None
        # user reference (id or email, lower-cased) -> [(where, row, column)] to fill in
        self._user_refs: dict[str, list[tuple[str, dict[str, Any], str]]] = {}
        # (first item, end, FileUpload id, its file name): the tasks each uploaded file made
        self.file_uploads: list[tuple[int, int, int, str]] = []

    # -- validation -------------------------------------------------------------------------
    def prepare(self, items: Iterable[RawItem]) -> list[PreparedTask]:
        prepared = []
        for item in items:
            prepared.append(self._prepare_one(item))
            if len(prepared) > MAX_TASKS:
                raise invalid(item.where, f"an import may hold at most {MAX_TASKS} tasks")
        return prepared

    def _prepare_one(self, item: RawItem) -> PreparedTask:
        where, raw = item.where, item.value
        if not isinstance(raw, dict):
            raise invalid(where, f"a task must be a JSON object, not {type(raw).__name__}")
        if raw.get("data"):
            data = raw["data"]
            if not isinstance(data, dict):
                raise invalid(where, '"data" must be a JSON object')
            task = PreparedTask(where, dict(data), raw.get("meta") if isinstance(raw.get("meta"), dict) else None)
            for index, annotation in enumerate(_list(raw, "annotations", where)):
                task.annotations.append(self._annotation(annotation, f"{where}: annotations[{index}]"))
            for index, prediction in enumerate(_list(raw, "predictions", where)):
                task.predictions.append(self._prediction(prediction, f"{where}: predictions[{index}]"))
            for index, draft in enumerate(_list(raw, "drafts", where)):
                task.drafts.append(self._draft(draft, f"{where}: drafts[{index}]"))
        else:
            if "annotations" in raw or "predictions" in raw:
                raise invalid(where, 'tasks with "annotations" or "predictions" need their data under "data"')
            task = PreparedTask(where, raw, None)
        if UNDEFINED_KEY in task.data and self.first_key:
            data = dict(task.data)
            data[self.first_key] = data.pop(UNDEFINED_KEY)
            task.data = data
        data = task.data
        missing = [key for key in self.required_keys if key not in data]
        if missing:
            keys = ", ".join(sorted(task.data)) or "none"
            raise invalid(where, f'"{missing[0]}" key is expected in task data (the task has: {keys})')
        return task

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

    async def resolve_users(self) -> None:
        """Turn user ids and emails in imported annotations into ids, in two queries."""
        if not self._user_refs:
            return
        ids = {int(k) for k in self._user_refs if k.isdigit()}
        emails = {k for k in self._user_refs if not k.isdigit()}
        known: dict[str, int] = {}
        if ids:
            for (user_id,) in await self.db.execute(select(User.id).where(User.id.in_(ids))):
                known[str(user_id)] = user_id
        if emails:
            for user_id, email in await self.db.execute(select(User.id, User.email).where(User.email.in_(emails))):
                known[email] = user_id
        for key, uses in self._user_refs.items():
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
    async def insert(self, tasks: list[PreparedTask], *, want_ids: bool = False) -> ImportResult:
        started = time.perf_counter()
        await self.resolve_users()
        count = len(tasks)
        now = datetime.now(UTC)
        first_inner = await self._reserve_inner_ids(count)
        ignore_skipped = self.project.skip_queue == "IGNORE_SKIPPED"
        project_id = self.project.id
        uploads: list[tuple[int | None, str | None]] = [(None, None)] * count
        for start, end, upload_id, file_name in self.file_uploads:
            uploads[start:end] = [(upload_id, file_name)] * (min(end, count) - start)
        rows = []
        for offset, task in enumerate(tasks):
            inner_id = first_inner + offset
            overlap = overlap_for(inner_id, self.project)
            done = cancelled = 0
            completed_at = None
            for annotation in task.annotations:
                if annotation["was_cancelled"]:
                    cancelled += 1
                else:
                    done += 1
                    created = annotation["created_at"] or now
                    completed_at = created if completed_at is None else max(completed_at, created)
            scores = [p["score"] for p in task.predictions if p["score"] is not None]
            rows.append(
                (
                    project_id, inner_id, json_text(task.data), json_text(task.meta), overlap,
                    done, cancelled, len(task.predictions), sum(scores) / len(scores) if scores else None,
                    done + (cancelled if ignore_skipped else 0) >= overlap, completed_at, now, now,
                    *uploads[offset],
                )
            )
        await bulk_insert(self.db, Task.__table__, TASK_COLUMNS, rows)
        await self._count_new_tasks(rows)
        del rows
        if count >= ANALYZE_AFTER:
            await self._analyze_after_commit(Task.__table__)
        has_children = any(t.annotations or t.predictions or t.drafts for t in tasks)
        # The inner ids were reserved for this import alone, so they find exactly its tasks.
        task_ids = list(
                (
                    await self.db.execute(
                        select(Task.id)
                        .where(Task.project_id == project_id, Task.inner_id >= first_inner, Task.inner_id < first_inner + count)
                        .order_by(Task.inner_id)
                    )
                ).scalars()
            )
        if any(t.annotations or t.predictions for t in tasks):  # agreement of imported annotations
            touch_tasks(self.db, project_id, (i for i, t in zip(task_ids, tasks) if t.annotations or t.predictions))
        project = self.project
        record_event(
            self.db,
            "TASKS_CREATED",
            lambda _: payloads.tasks_created(
                (
                    {"id": task_id, "data": task.data, "meta": task.meta or {}, "project": project_id,
                     "inner_id": first_inner + offset, "created_at": now}
                    for offset, (task_id, task) in enumerate(zip(task_ids, tasks))
                ),
                project,
            ),
            project_id=project_id,
        )
        annotation_count = prediction_count = 0
        if has_children:
            annotation_count, prediction_count = await self._insert_children(tasks, task_ids, now)
        columns = sorted({key for task in tasks for key in task.data})
        return ImportResult(
            task_count=count,
            annotation_count=annotation_count,
            prediction_count=prediction_count,
            duration=time.perf_counter() - started,
            task_ids=task_ids,
            data_columns=columns,
        )

    async def _insert_children(self, tasks: list[PreparedTask], task_ids: list[int], now: datetime) -> tuple[int, int]:
        project_id = self.project.id
        annotations, predictions, drafts = [], [], []
        for task_id, task in zip(task_ids, tasks):
            for a in task.annotations:
                annotations.append((
                    task_id, project_id, a["completed_by_id"], json_text(a["result"]), a["was_cancelled"],
                    a["ground_truth"], a["lead_time"], a["import_id"], a["last_action"], a["created_at"] or now, now,
                ))
            for p in task.predictions:
                predictions.append((task_id, project_id, json_text(p["result"]), p["score"], p["model_version"], 0.0, now, now))
            for d in task.drafts:
                drafts.append((task_id, project_id, d["user_id"], json_text(d["result"]), d["lead_time"], False, d["import_id"], now, now))
        await bulk_insert(self.db, Annotation.__table__, ANNOTATION_COLUMNS, annotations)
        if annotations:  # their first versions, in one INSERT ... SELECT (the new tasks' ids are a range)
            await history.record_many(self.db, select(Annotation.id).where(
                Annotation.project_id == project_id, Annotation.task_id.between(min(task_ids), max(task_ids))
            ), "imported")
        await bulk_insert(self.db, Prediction.__table__, PREDICTION_COLUMNS, predictions)
        await bulk_insert(self.db, Draft.__table__, DRAFT_COLUMNS, drafts)
        for table, inserted in ((Annotation.__table__, annotations), (Prediction.__table__, predictions)):
            if len(inserted) >= ANALYZE_AFTER:
                await self._analyze_after_commit(table)
        if predictions and not self.project.model_version:
            self.project.model_version = predictions[-1][4]
        return len(annotations), len(predictions)

    async def _count_new_tasks(self, rows: list[tuple[Any, ...]]) -> None:
        """Add the new tasks to the project's counters (database triggers count updates and
        deletes; inserts are counted here, once per import, which is far cheaper)."""
        at = {name: i for i, name in enumerate(TASK_COLUMNS)}
        labeled = sum(1 for row in rows if row[at["is_labeled"]])
        annotations = sum(row[at["total_annotations"]] for row in rows)
        await self.db.execute(
            update(ProjectCounters)
            .where(ProjectCounters.project_id == self.project.id)
            .values(
                task_number=ProjectCounters.task_number + len(rows),
                finished_task_number=ProjectCounters.finished_task_number + labeled,
                total_annotations_number=ProjectCounters.total_annotations_number + annotations,
                skipped_annotations_number=ProjectCounters.skipped_annotations_number
                + sum(row[at["cancelled_annotations"]] for row in rows),
                total_predictions_number=ProjectCounters.total_predictions_number
                + sum(row[at["total_predictions"]] for row in rows),
                num_tasks_with_annotations=ProjectCounters.num_tasks_with_annotations
                + sum(1 for row in rows if row[at["total_annotations"]] > 0),
            ),
            execution_options={"synchronize_session": False},
        )

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
        self.project.next_inner_id = end
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
