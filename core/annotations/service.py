"""Annotations and drafts: every write validated against the project's config, counters kept."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import msgspec
from sqlalchemy import Float, bindparam, cast, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.base import utcnow
from ..db.direct import DirectWrite, run_direct
from ..db.sqlite_loop import short_writes
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..events import record_event
from ..history import service as history
from ..input_limits import Id
from ..labelconfig import validate_results
from ..projects.models import Project
from ..projects.service import parsed_config
from ..registries import Registries
from ..tasks.counters import refresh_task_direct, refresh_tasks
from ..tasks.models import Task, TaskLock
from ..tasks.serialize import annotation_json
from ..users.models import User
from . import payloads
from .models import Annotation, Draft

UNSET = msgspec.UNSET
_TABLE = Annotation.__table__
_COLUMNS = tuple(c.name for c in _TABLE.c if c.name != "id")
_PARAMS = {name: bindparam(name, type_=_TABLE.c[name].type) for name in _COLUMNS}
_INSERT = insert(_TABLE).values(_PARAMS).returning(_TABLE.c.id)


def _create_in_one_statement() -> Any:
    """PostgreSQL: release the author's label-stream lock, insert the annotation and its first
    history version (what ``history.record`` writes for a content action) in ONE statement of
    data-modifying CTEs: two round trips fewer on the hottest write (issue 17). SQLite has no
    DML in a CTE and runs the three statements (no round trips there)."""
    locks, p = TaskLock.__table__, _PARAMS
    unlock = (
        delete(locks).where(locks.c.task_id == p["task_id"], locks.c.user_id == p["completed_by_id"])
        .returning(locks.c.task_id).cte("unlock")
    )
    inserted = _INSERT.cte("inserted")
    version = (
        insert(history.TABLE)
        .from_select(
            ["annotation_id", "task_id", "project_id", "created_by_id", "action", "result", "lead_time", "created_at"],
            # (a SELECT list does not take its types from the target columns: lead_time is cast)
            select(inserted.c.id, p["task_id"], p["project_id"], p["updated_by_id"], p["last_action"], p["result"],
                   cast(p["lead_time"], Float), p["created_at"]),
        )
        .returning(history.TABLE.c.id)
        .cte("version")
    )
    return select(inserted.c.id).add_cte(unlock, version)


_CREATE_IN_ONE = _create_in_one_statement()


class Written(SimpleNamespace):
    """An annotation as just inserted: every column as an attribute (what ``annotation_json``,
    history and the webhook payload read), without an ORM object in the session."""


# The annotator's label-stream reservation ends with their annotation.
_LOCKS = TaskLock.__table__.c
_DELETE_LOCK = delete(TaskLock.__table__).where(_LOCKS.task_id == bindparam("task_id"), _LOCKS.user_id == bindparam("user_id"))


class AnnotationWrite(msgspec.Struct, forbid_unknown_fields=False):
    result: list[Any] | str | msgspec.UnsetType = UNSET
    was_cancelled: bool | msgspec.UnsetType = UNSET
    ground_truth: bool | msgspec.UnsetType = UNSET
    lead_time: float | None | msgspec.UnsetType = UNSET
    draft_id: Id | None = None
    parent_prediction: Id | None = None
    parent_annotation: Id | None = None
    completed_by: Id | None = None
    import_id: Id | None = None
    unique_id: str | None = None


class DraftWrite(msgspec.Struct, forbid_unknown_fields=False):
    result: list[Any] | str | msgspec.UnsetType = UNSET
    lead_time: float | None | msgspec.UnsetType = UNSET
    was_postponed: bool | msgspec.UnsetType = UNSET
    annotation: Id | None = None


def _result_list(result: Any) -> list[Any]:
    """Label Studio accepts the result as a list or as a JSON string of one."""
    if isinstance(result, str):
        try:
            result = msgspec.json.decode(result)
        except msgspec.DecodeError:
            raise ValidationFailed("result is not valid JSON", validation_errors={"result": ["invalid JSON"]}) from None
    if not isinstance(result, list):
        raise ValidationFailed("result must be a list", validation_errors={"result": ["must be a list"]})
    return result


def annotation_payload(annotation: Annotation) -> dict[str, Any]:
    return annotation_json(annotation)


def clean_result(project: Project, registries: Registries, result: Any) -> list[Any]:
    return validate_results(parsed_config(project, registries), _result_list(result), registries)


async def get_annotation(db: AsyncSession, annotation_id: int) -> Annotation:
    annotation = await db.get(Annotation, annotation_id)
    if annotation is None:
        raise NotFound(f"Annotation {annotation_id} not found.")
    return annotation


async def create_annotation(
    db: AsyncSession, registries: Registries, project: Project | Any, task: Task | Any, user: User,
    data: AnnotationWrite, *, cancelled: bool = False,
) -> Annotation | Written:
    """A new annotation (or, for a retried ``unique_id``, the one it made before). ``task`` and
    ``project``: ORM objects or :func:`~..tasks.service.get_annotation_target`'s values."""
    was_cancelled = cancelled or (data.was_cancelled is True)
    if data.unique_id:
        # A retried submit (the response was lost) replays instead of duplicating (ux.md P4).
        replay = await db.scalar(
            select(Annotation).where(
                Annotation.task_id == task.id,
                Annotation.unique_id == data.unique_id,
                Annotation.completed_by_id == (data.completed_by or user.id),
            )
        )
        if replay is not None:
            return replay
    result = clean_result(project, registries, [] if data.result is UNSET else data.result)
    if not result and not was_cancelled and not project.enable_empty_annotation:
        raise ValidationFailed(
            "This project does not accept empty annotations.", validation_errors={"result": ["must not be empty"]}
        )
    author = user.id
    if data.completed_by is not None and data.completed_by != user.id:
        if not user.is_superuser:
            raise PermissionDenied("Only an administrator can create annotations for another user.")
        if await db.get(User, data.completed_by) is None:
            raise ValidationFailed(
                f"User {data.completed_by} does not exist.", validation_errors={"completed_by": ["unknown user"]}
            )
        author = data.completed_by
    draft_created_at = None
    if data.draft_id is not None:
        draft = await db.get(Draft, data.draft_id)
        if draft is not None and draft.user_id == user.id and draft.task_id == task.id:
            draft_created_at = draft.created_at
            with short_writes():
                await db.delete(draft)
                await db.flush()
    now = utcnow()
    values = {
        "task_id": task.id,
        "project_id": project.id,
        "completed_by_id": author,
        "updated_by_id": user.id,  # Label Studio: whoever saved it last, on create too
        "result": result,
        "was_cancelled": was_cancelled,
        "ground_truth": data.ground_truth is True,
        "lead_time": None if data.lead_time is UNSET else data.lead_time,
        "parent_prediction_id": data.parent_prediction,
        "parent_annotation_id": data.parent_annotation,
        "last_action": "skipped" if was_cancelled else "submitted",
        "unique_id": data.unique_id,
        "import_id": data.import_id,
        "draft_created_at": draft_created_at,
        "created_at": now,
        "updated_at": now,
    }
    with short_writes():  # rows of this task only: on SQLite they run without a thread hop
        # Core INSERTs, not an ORM object and a flush: the hottest write (issue 17). Every
        # column is given, so the written row is known without reading it back.
        if db.bind.dialect.name == "postgresql":
            annotation = await _create_on_postgresql(db, project, task.id, values)
        else:
            annotation = await _create_on_sqlite(db, project, task.id, author, user.id, values)
    # ``task`` and ``project`` may be plain values (get_annotation_target): the payload, built
    # only when something listens, loads the objects (the task with its new counters).
    record_event(
        db, "ANNOTATION_CREATED",
        lambda session: payloads.annotation(
            annotation_payload(annotation), session.get(Task, task.id), session.get(Project, project.id)
        ),
        project_id=project.id,
    )
    return annotation


_DELETE_LOCK_DIRECT, _INSERT_DIRECT = DirectWrite(_DELETE_LOCK), DirectWrite(_INSERT)
_CREATE_IN_ONE_DIRECT = DirectWrite(_CREATE_IN_ONE)


async def _create_on_postgresql(db: AsyncSession, project: Any, task_id: int, values: dict[str, Any]) -> Written:
    """Unlock, insert and first version in one statement, then the recount, both sent by
    psycopg itself (db/direct.py)."""
    refresh = await refresh_task_direct(db, project, task_id)
    rows = await run_direct(db, [(_CREATE_IN_ONE_DIRECT, values), refresh])
    if rows is not None:
        return Written(id=rows[0][0][0], **values)
    annotation = Written(id=(await db.execute(_CREATE_IN_ONE, values)).scalar_one(), **values)  # another driver
    await refresh_tasks(db, project, [task_id])
    return annotation


async def _create_on_sqlite(
    db: AsyncSession, project: Any, task_id: int, author: int, user_id: int, values: dict[str, Any]
) -> Written:
    """Unlock, insert, first version, recount: four short writes straight on the connection
    (db/direct.py); the usual way when another connection holds the write lock."""
    refresh = await refresh_task_direct(db, project, task_id)

    def version(rows: list[list[Any]]) -> dict[str, Any]:
        return history.record_values(Written(id=rows[1][0][0], **values), values["last_action"], user_id)

    rows = await run_direct(db, [
        (_DELETE_LOCK_DIRECT, {"task_id": task_id, "user_id": author}),
        (_INSERT_DIRECT, values),
        (history.RECORD_DIRECT, version),
        refresh,
    ])
    if rows is not None:
        return Written(id=rows[1][0][0], **values)
    await db.execute(_DELETE_LOCK, {"task_id": task_id, "user_id": author})
    annotation = Written(id=(await db.execute(_INSERT, values)).scalar_one(), **values)
    await history.record(db, annotation, annotation.last_action, user_id)
    await refresh_tasks(db, project, [task_id])
    return annotation


async def update_annotation(
    db: AsyncSession, registries: Registries, project: Project, annotation: Annotation, user: User, data: AnnotationWrite,
    *, action: str | None = None, review_id: int | None = None,
) -> Annotation:
    """``action``: the history action (default ``updated``, or ``skipped`` when this skips it);
    a reviewer's fix passes ``fixed_and_accepted``."""
    if data.result is not UNSET:
        annotation.result = clean_result(project, registries, data.result)
    if data.was_cancelled is not UNSET:
        annotation.was_cancelled = data.was_cancelled
    if data.ground_truth is not UNSET:
        annotation.ground_truth = data.ground_truth
    if data.lead_time is not UNSET:
        annotation.lead_time = data.lead_time
    annotation.updated_by_id = user.id
    annotation.last_action = action or "updated"
    annotation.updated_at = datetime.now(UTC)
    history_action = action or ("skipped" if data.was_cancelled is True else "updated")
    with short_writes():
        await db.flush()
        await history.record(db, annotation, history_action, user.id, review_id=review_id)
        await refresh_tasks(db, project, [annotation.task_id])
    record_event(
        db, "ANNOTATION_UPDATED",
        lambda _: payloads.annotation(annotation_payload(annotation), {"id": annotation.task_id}, project),
        project_id=project.id,
    )
    return annotation


async def delete_annotation(db: AsyncSession, project: Project, annotation: Annotation) -> None:
    task_id, annotation_id = annotation.task_id, annotation.id
    await db.delete(annotation)
    await db.flush()
    await refresh_tasks(db, project, [task_id])
    record_event(db, "ANNOTATIONS_DELETED", payloads.annotations_deleted([annotation_id], project))


async def list_task_annotations(db: AsyncSession, task: Task) -> list[Annotation]:
    query = select(Annotation).where(Annotation.task_id == task.id, Annotation.was_cancelled.is_(False))
    return list((await db.execute(query.order_by(Annotation.id))).scalars())


# -- drafts ---------------------------------------------------------------------------------
async def get_own_draft(db: AsyncSession, draft_id: int, user: User) -> Draft:
    draft = await db.get(Draft, draft_id)
    if draft is None or (draft.user_id != user.id and not user.is_superuser):
        raise NotFound(f"Draft {draft_id} not found.")
    return draft


async def save_draft(
    db: AsyncSession, registries: Registries, project: Project, task: Task, user: User, data: DraftWrite,
    draft: Draft | None = None, annotation_id: int | None = None,
) -> Draft:
    if draft is None:
        draft = Draft(task_id=task.id, project_id=project.id, user_id=user.id, annotation_id=annotation_id or data.annotation, result=[])
        db.add(draft)
    if data.result is not UNSET:
        draft.result = clean_result(project, registries, data.result)
    if data.lead_time is not UNSET:
        draft.lead_time = data.lead_time
    if data.was_postponed is not UNSET:
        draft.was_postponed = data.was_postponed
    draft.updated_at = datetime.now(UTC)
    with short_writes():
        await db.flush()
    return draft


async def list_user_drafts(db: AsyncSession, task: Task, user: User) -> list[Draft]:
    query = select(Draft).where(Draft.task_id == task.id, Draft.user_id == user.id).order_by(Draft.id)
    return list((await db.execute(query)).scalars())
