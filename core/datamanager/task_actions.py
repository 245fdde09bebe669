"""Actions that create or merge data: annotations from predictions, duplicate-task removal.

Both are set-based (one INSERT ... SELECT, or an UPDATE ... FROM over a window query), so they
cost the same few statements for ten tasks or a hundred thousand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..annotations.payloads import annotations_created
from ..db.base import utcnow
from ..errors import ValidationFailed
from ..events import record_event, serialize
from ..history import service as history
from ..predictions.models import Prediction
from ..projects.models import Project
from ..tasks import counters
from ..tasks.models import Task
from ..tasks.payloads import tasks_deleted
from .actions import ActionContext

# Bulk webhook payloads carry whole objects; past this many, the event names the ids only.
EVENT_OBJECTS_LIMIT = 1000


async def model_versions(db: AsyncSession, project_id: int) -> list[str]:
    rows = await db.execute(
        select(Prediction.model_version)
        .where(Prediction.project_id == project_id)
        .group_by(Prediction.model_version)
        .order_by(func.max(Prediction.id).desc())
    )
    return [version for (version,) in rows]


async def predictions_form(db: AsyncSession, project: Project) -> list[dict[str, Any]]:
    """Label Studio's form: pick the model version whose predictions become annotations."""
    versions = await model_versions(db, project.id)
    return [
        {
            "columnCount": 1,
            "fields": [
                {"type": "select", "name": "model_version", "label": "Choose predictions", "options": versions,
                 "value": project.model_version if project.model_version in versions else (versions or [None])[0]}
            ],
        }
    ]


async def predictions_to_annotations(ctx: ActionContext) -> dict[str, Any]:
    """Each selected task's latest prediction of the chosen model version becomes an annotation
    by the caller (result copied, ``parent_prediction`` set)."""
    versions = await model_versions(ctx.db, ctx.project.id)
    version = ctx.params.get("model_version")
    if version is None:
        version = ctx.project.model_version if ctx.project.model_version in versions else (versions or [None])[0]
    if version is None:
        return {"processed_items": 0, "detail": "The selected tasks have no predictions", "reload": False}
    if version not in versions:
        raise ValidationFailed(
            f"model_version {version!r} has no predictions in this project.",
            validation_errors={"model_version": [f"choose one of: {', '.join(versions)}"]},
        )
    latest = (
        select(func.max(Prediction.id))
        .where(Prediction.project_id == ctx.project.id, Prediction.model_version == version,
               Prediction.task_id.in_(ctx.selected_ids()))
        .group_by(Prediction.task_id)
    )
    now = utcnow()
    source = select(
        Prediction.task_id, Prediction.project_id, literal(ctx.user.id), literal(ctx.user.id), Prediction.result,
        literal(False), literal(False), Prediction.id, literal("prediction"), literal(now), literal(now),
    ).where(Prediction.id.in_(latest))
    columns = ["task_id", "project_id", "completed_by_id", "updated_by_id", "result", "was_cancelled",
               "ground_truth", "parent_prediction_id", "last_action", "created_at", "updated_at"]
    statement = insert(Annotation).from_select(columns, source).returning(Annotation.id, Annotation.task_id)
    rows = list(await ctx.db.execute(statement, execution_options={"synchronize_session": False}))
    if rows:
        # Their first versions: the new annotations are those made from ``latest`` with no history yet.
        await history.record_many(ctx.db, select(Annotation.id).where(
            Annotation.project_id == ctx.project.id, Annotation.parent_prediction_id.in_(latest)), "prediction")
    await counters.refresh_tasks(ctx.db, ctx.project, (task_id for _, task_id in rows))
    if rows:
        await _annotations_created_event(ctx, [annotation_id for annotation_id, _ in rows])
    return {"processed_items": len(rows), "detail": f"Created {len(rows)} annotations", "reload": True}


async def _annotations_created_event(ctx: ActionContext, ids: list[int]) -> None:
    if len(ids) > EVENT_OBJECTS_LIMIT:
        payload = {"annotation": [{"id": i} for i in ids], "project": serialize(ctx.project)}
    else:
        annotations = list((await ctx.db.execute(select(Annotation).where(Annotation.id.in_(ids)))).scalars())
        task_ids = {a.task_id for a in annotations}
        tasks = list((await ctx.db.execute(select(Task).where(Task.id.in_(task_ids)))).scalars())
        payload = annotations_created(annotations, tasks, ctx.project)
    record_event(ctx.db, "ANNOTATIONS_CREATED", payload)


async def remove_duplicates(ctx: ActionContext) -> dict[str, Any]:
    """Among the selected tasks, tasks with equal data collapse into the oldest one; the
    annotations of the removed copies move to it (Label Studio's behaviour)."""
    # PostgreSQL compares jsonb by value (key order ignored); SQLite compares the stored text.
    data_key = Task.data if ctx.db.bind.dialect.name == "postgresql" else cast(Task.data, String)
    ranked = (
        select(Task.id.label("id"), func.min(Task.id).over(partition_by=data_key).label("keep"))
        .where(Task.project_id == ctx.project.id, Task.id.in_(ctx.selected_ids()))
        .subquery()
    )
    copies = select(ranked.c.id, ranked.c.keep).where(ranked.c.id != ranked.c.keep).cte("copies")
    pairs = list(await ctx.db.execute(select(copies.c.id, copies.c.keep)))
    if not pairs:
        return {"processed_items": 0, "detail": "No duplicated tasks found", "reload": False}
    moved = await ctx.db.execute(
        update(Annotation).where(Annotation.task_id == copies.c.id).values(task_id=copies.c.keep),
        execution_options={"synchronize_session": False},
    )
    removed = [copy for copy, _ in pairs]
    await ctx.db.execute(delete(Task).where(Task.id.in_(removed)), execution_options={"synchronize_session": False})
    await counters.refresh_tasks(ctx.db, ctx.project, {keep for _, keep in pairs})
    record_event(ctx.db, "TASKS_DELETED", tasks_deleted(sorted(removed), ctx.project))
    return {
        "processed_items": len(removed),
        "detail": f"Removed {len(removed)} duplicated tasks; moved {moved.rowcount} annotations",
        "reload": True,
    }
