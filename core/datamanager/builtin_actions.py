"""Core's data-manager actions: deletions and ground truth, each a few set-based statements.

Task counters are recounted for the touched tasks afterwards (project counters follow by
trigger), and the matching domain events are recorded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, func, select, update

from ..annotations.models import Annotation, Draft
from ..annotations.payloads import annotations_deleted
from ..events import record_event
from ..specs import ActionSpec
from ..predictions.models import Prediction
from ..projects.service import lock_counters
from ..tasks import counters
from ..tasks.models import Task
from ..tasks.payloads import tasks_deleted
from .actions import ActionContext
from .assignees import assignment_action_specs
from .task_actions import predictions_form, predictions_to_annotations, remove_duplicates


def _dialog(text: str) -> dict[str, Any]:
    return {"title": "Destructive action", "text": text, "type": "confirm", "form": None}


async def delete_tasks(ctx: ActionContext) -> dict[str, Any]:
    # Annotations, predictions and drafts go with their tasks (ON DELETE CASCADE).
    await lock_counters(ctx.db, ctx.project.id)  # before task rows, as the quality jobs do
    statement = delete(Task).where(Task.id.in_(ctx.selected_ids())).returning(Task.id)
    ids = sorted((await ctx.db.execute(statement, execution_options={"synchronize_session": False})).scalars())
    if ids:
        record_event(ctx.db, "TASKS_DELETED", tasks_deleted(ids, ctx.project))
    return {"processed_items": len(ids), "detail": f"Deleted {len(ids)} tasks", "reload": True}


async def delete_tasks_annotations(ctx: ActionContext) -> dict[str, Any]:
    await lock_counters(ctx.db, ctx.project.id)
    statement = (
        delete(Annotation)
        .where(Annotation.project_id == ctx.project.id, Annotation.task_id.in_(ctx.selected_ids()))
        .returning(Annotation.id, Annotation.task_id)
    )
    rows = list(await ctx.db.execute(statement, execution_options={"synchronize_session": False}))
    await counters.refresh_tasks(ctx.db, ctx.project, (task_id for _, task_id in rows))
    if rows:
        record_event(ctx.db, "ANNOTATIONS_DELETED", annotations_deleted(sorted(r[0] for r in rows), ctx.project))
    return {"processed_items": len(rows), "detail": f"Deleted {len(rows)} annotations", "reload": True}


async def delete_tasks_predictions(ctx: ActionContext) -> dict[str, Any]:
    await lock_counters(ctx.db, ctx.project.id)
    statement = (
        delete(Prediction)
        .where(Prediction.project_id == ctx.project.id, Prediction.task_id.in_(ctx.selected_ids()))
        .returning(Prediction.task_id)
    )
    task_ids = list((await ctx.db.execute(statement, execution_options={"synchronize_session": False})).scalars())
    await counters.refresh_tasks(ctx.db, ctx.project, task_ids)
    return {"processed_items": len(task_ids), "detail": f"Deleted {len(task_ids)} predictions", "reload": True}


async def delete_tasks_drafts(ctx: ActionContext) -> dict[str, Any]:
    statement = delete(Draft).where(Draft.project_id == ctx.project.id, Draft.task_id.in_(ctx.selected_ids()))
    result = await ctx.db.execute(statement, execution_options={"synchronize_session": False})
    return {"processed_items": result.rowcount, "detail": f"Deleted {result.rowcount} drafts", "reload": True}


async def mark_ground_truth(ctx: ActionContext) -> dict[str, Any]:
    """The latest submitted annotation of each selected task becomes its ground truth."""
    latest = (
        select(func.max(Annotation.id))
        .where(
            Annotation.project_id == ctx.project.id,
            Annotation.task_id.in_(ctx.selected_ids()),
            Annotation.was_cancelled.is_(False),
        )
        .group_by(Annotation.task_id)
    )
    result = await ctx.db.execute(
        update(Annotation).where(Annotation.id.in_(latest)).values(ground_truth=True).returning(Annotation.task_id),
        execution_options={"synchronize_session": False},
    )
    task_ids = list(result.scalars())
    counters.touch_tasks(ctx.db, ctx.project.id, task_ids)  # ground-truth scores follow (core/quality)
    return {"processed_items": len(task_ids), "detail": f"Marked {len(task_ids)} annotations", "reload": True}


async def delete_ground_truths(ctx: ActionContext) -> dict[str, Any]:
    result = await ctx.db.execute(
        update(Annotation)
        .where(and_(Annotation.project_id == ctx.project.id, Annotation.task_id.in_(ctx.selected_ids()),
                    Annotation.ground_truth.is_(True)))
        .values(ground_truth=False)
        .returning(Annotation.task_id),
        execution_options={"synchronize_session": False},
    )
    task_ids = list(result.scalars())
    counters.touch_tasks(ctx.db, ctx.project.id, task_ids)  # ground-truth scores follow (core/quality)
    return {"processed_items": len(task_ids), "detail": f"Unmarked {len(task_ids)} annotations", "reload": True}


def core_action_specs() -> list[ActionSpec]:
    return [
        ActionSpec(name="delete_tasks", title="Delete tasks", function=delete_tasks, order=100,
                   dialog=_dialog("You are going to delete the selected tasks. Please confirm your action.")),
        ActionSpec(name="delete_tasks_annotations", title="Delete annotations", function=delete_tasks_annotations,
                   order=101, dialog=_dialog("You are going to delete all annotations from the selected tasks. Please confirm your action.")),
        ActionSpec(name="delete_tasks_predictions", title="Delete predictions", function=delete_tasks_predictions,
                   order=102, dialog=_dialog("You are going to delete all predictions from the selected tasks. Please confirm your action.")),
        ActionSpec(name="delete_tasks_drafts", title="Delete drafts", function=delete_tasks_drafts, order=103,
                   dialog=_dialog("You are going to delete all drafts from the selected tasks. Please confirm your action.")),
        ActionSpec(name="predictions_to_annotations", title="Create annotations from predictions",
                   function=predictions_to_annotations, order=91, form=predictions_form,
                   dialog={"title": "Create annotations from predictions",
                           "text": "Annotations will be created from the predictions of the chosen model version.",
                           "type": "confirm", "form": None}),
        ActionSpec(name="remove_duplicates", title="Remove duplicated tasks", function=remove_duplicates, order=95,
                   dialog={"title": "Remove duplicated tasks",
                           "text": "Tasks with identical data are merged into the oldest one; their annotations move to it.",
                           "type": "confirm", "form": None}),
        ActionSpec(name="mark_ground_truth", title="Mark as ground truth", function=mark_ground_truth, order=110),
        ActionSpec(name="delete_ground_truths", title="Remove ground truth", function=delete_ground_truths, order=111),
        *assignment_action_specs(),  # teams: assign, distribute, unassign
    ]
