"""Writing and reading annotation versions.

Every write is ONE INSERT in the caller's transaction (``record``), or one INSERT ... SELECT for
a batch (``record_many``): history never costs a write an extra round trip or a read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, bindparam, column, exists, func, insert, literal, or_, select, table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from ..db.base import JSONType, utcnow
from ..db.direct import DirectWrite
from ..errors import NotFound
from .models import AnnotationHistory

# Actions that give the annotation new content (a new version to review); the others
# (accepted, rejected) record a judgement of the version before them.
CONTENT_ACTIONS = ("imported", "prediction", "submitted", "updated", "skipped", "fixed_and_accepted")
ACTIONS = (*CONTENT_ACTIONS, "accepted", "rejected", "deleted_review")

TABLE = AnnotationHistory.__table__
# The annotations table by name: history sits beside the annotations domain, not above it
# (annotations write history), so it does not import its model.
_ANNOTATIONS = table(
    "annotations", column("id"), column("task_id"), column("project_id"), column("completed_by_id"),
    column("result", JSONType), column("lead_time"), column("created_at"),
)


_COLUMNS = ("annotation_id", "task_id", "project_id", "created_by_id", "action", "result", "lead_time",
            "review_id", "comment_id", "created_at")
# Built once: every annotation write runs it.
_RECORD = insert(TABLE).values({name: bindparam(name, type_=TABLE.c[name].type) for name in _COLUMNS}).returning(TABLE.c.id)


RECORD_DIRECT = DirectWrite(_RECORD)  # the same, for db.direct.run_direct (SQLite's create)


async def record(
    db: AsyncSession, annotation: Any, action: str, user_id: int | None, *,
    review_id: int | None = None, comment_id: int | None = None,
) -> int:
    """Append one version of ``annotation`` (as it is now) and return its id."""
    return int((await db.execute(_RECORD, record_values(annotation, action, user_id, review_id, comment_id))).scalar_one())


def record_values(
    annotation: Any, action: str, user_id: int | None, review_id: int | None = None, comment_id: int | None = None,
) -> dict[str, Any]:
    """The parameters of :func:`record`'s INSERT."""
    return {
        "annotation_id": annotation.id,
        "task_id": annotation.task_id,
        "project_id": annotation.project_id,
        "created_by_id": user_id,
        "action": action,
        "result": annotation.result,
        # A judgement (accept, reject) takes no labeling time; content versions keep the annotation's.
        "lead_time": annotation.lead_time if action in CONTENT_ACTIONS else None,
        "review_id": review_id,
        "comment_id": comment_id,
        "created_at": utcnow(),
    }


async def record_many(db: AsyncSession, annotation_ids: Select[Any], action: str) -> None:
    """Append a version of every annotation whose id ``annotation_ids`` selects and that has none
    yet (bulk imports, predictions turned into annotations): one INSERT ... SELECT."""
    a = _ANNOTATIONS.c
    source = select(
        a.id, a.task_id, a.project_id, a.completed_by_id, literal(action), a.result, a.lead_time, a.created_at,
    ).where(a.id.in_(annotation_ids), ~exists().where(AnnotationHistory.annotation_id == a.id))
    columns = ["annotation_id", "task_id", "project_id", "created_by_id", "action", "result", "lead_time", "created_at"]
    await db.execute(insert(TABLE).from_select(columns, source))


def latest_content_version(annotation_id: Any) -> ColumnElement[int]:
    """SQL: the id of the annotation's newest content version (0 when it has none)."""
    return func.coalesce(
        select(func.max(AnnotationHistory.id))
        .where(AnnotationHistory.annotation_id == annotation_id, AnnotationHistory.action.in_(CONTENT_ACTIONS))
        .correlate_except(AnnotationHistory)  # the annotation comes from any enclosing level
        .scalar_subquery(),
        literal(0, Integer),
    )


async def current_version(db: AsyncSession, annotation_id: int) -> int:
    return int(await db.scalar(select(latest_content_version(literal(annotation_id, Integer)))) or 0)


def owned_by(user_id: int) -> ColumnElement[bool]:
    """Versions of the user's own annotations (or written by them: their deleted ones)."""
    own = select(_ANNOTATIONS.c.id).where(_ANNOTATIONS.c.completed_by_id == user_id)
    return or_(AnnotationHistory.annotation_id.in_(own), AnnotationHistory.created_by_id == user_id)


def history_conditions(*, annotation_id: int | None = None, project_id: int | None = None,
                       owner_id: int | None = None) -> list[ColumnElement[bool]]:
    conditions = []
    if annotation_id is not None:
        conditions.append(AnnotationHistory.annotation_id == annotation_id)
    if project_id is not None:
        conditions.append(AnnotationHistory.project_id == project_id)
    if owner_id is not None:
        conditions.append(owned_by(owner_id))
    return conditions


async def versions(db: AsyncSession, *, annotation_id: int | None = None, project_id: int | None = None,
                   owner_id: int | None = None, descending: bool = False, limit: int | None = None,
                   offset: int = 0) -> list[AnnotationHistory]:
    conditions = history_conditions(annotation_id=annotation_id, project_id=project_id, owner_id=owner_id)
    order = AnnotationHistory.id.desc() if descending else AnnotationHistory.id
    query = select(AnnotationHistory).where(and_(*conditions)).order_by(order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list((await db.execute(query)).scalars())


async def get_version(db: AsyncSession, version_id: int) -> AnnotationHistory:
    version = await db.get(AnnotationHistory, version_id)
    if version is None:
        raise NotFound(f"Annotation history {version_id} not found.")
    return version


def version_json(v: AnnotationHistory, organization_id: int = 1) -> dict[str, Any]:
    """Label Studio Enterprise's AnnotationHistory shape."""
    return {
        "id": v.id,
        "annotation_id": v.annotation_id,
        "task_id": v.task_id,
        "project_id": v.project_id,
        "organization_id": organization_id,
        "created_by": v.created_by_id,
        "action": v.action,
        "result": v.result,
        "lead_time": v.lead_time,
        "review_id": v.review_id,
        "comment_id": v.comment_id,
        "draft_id": None,
        "started_at": None,
        "comment": None,
        "created_at": v.created_at,
    }


async def versions_by_annotation(db: AsyncSession, condition: ColumnElement[bool]) -> dict[int, list[dict[str, Any]]]:
    """``{annotation id: [version JSON, oldest first]}`` of the history rows matching ``condition``
    (exports: one query per batch of tasks)."""
    query = select(AnnotationHistory).where(condition).order_by(AnnotationHistory.id)
    found: dict[int, list[dict[str, Any]]] = {}
    for version in (await db.execute(query)).scalars():
        found.setdefault(version.annotation_id, []).append(version_json(version))
    return found
