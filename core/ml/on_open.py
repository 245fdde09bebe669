"""Predictions for a task an annotator opens (Label Studio calls the model when a task has no
prediction and ``evaluate_predictions_automatically`` or ``show_collab_predictions`` is on).

The labeling view asks for them after it has shown the task, so a slow or dead model server
never holds the view up; it shows a notice instead.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import LabelloomError
from ..host import PluginHost
from ..predictions.models import Prediction
from ..projects.models import Project
from ..settings import Settings
from ..tasks.models import Task
from ..tasks.serialize import prediction_json
from .models import MLBackend
from .connect import connector
from .predict import Predictor, ask


def wants_predictions(project: Project) -> bool:
    return bool(project.evaluate_predictions_automatically or project.show_collab_predictions)


async def shown_predictions(db: AsyncSession, project: Project, task_id: int) -> list[dict[str, Any]]:
    query = select(Prediction).where(Prediction.task_id == task_id).order_by(Prediction.id)
    if project.model_version:
        query = query.where(Prediction.model_version == project.model_version)
    return [prediction_json(p) for p in (await db.execute(query)).scalars()]


async def predictions_on_open(db: AsyncSession, host: PluginHost, settings: Settings, project: Project,
                              task: Task, gate: AbstractAsyncContextManager[Any] | None = None) -> dict[str, Any]:
    """``{"status": "off"|"exists"|"predicted"|"error", "predictions": [...], "error"?}``."""
    backend = (await db.execute(
        select(MLBackend).where(MLBackend.project_id == project.id).order_by(MLBackend.id).limit(1)
    )).scalar_one_or_none()
    if backend is None or not wants_predictions(project):
        return {"status": "off", "predictions": await shown_predictions(db, project, task.id)}
    version = project.model_version or backend.model_version
    if version:
        have = await db.execute(select(Prediction.id).where(Prediction.task_id == task.id, Prediction.model_version == version).limit(1))
        if have.first() is not None:
            return {"status": "exists", "predictions": await shown_predictions(db, project, task.id)}
    predictor = Predictor(db, host, project, backend, None)  # type: ignore[arg-type]
    payload = await predictor.payload([task.id])
    # End the read transaction before waiting on the model: no lock is held meanwhile.
    await db.commit()
    try:
        async with connector(host, settings, backend) as client:
            results, answered = await ask(client, project, payload)
    except LabelloomError as exc:
        return {"status": "error", "error": exc.detail, "predictions": []}
    async with gate or nullcontext():  # SQLite: writers take turns (the app's write gate)
        await predictor.store(payload, results, answered)
        if predictor.outcome.failed:
            error = predictor.outcome.errors[0] if predictor.outcome.errors else "prediction failed"
            backend.state, backend.error_message = "ER", error
            await db.commit()
            return {"status": "error", "error": error, "predictions": []}
        await db.commit()
    return {"status": "predicted", "predictions": await shown_predictions(db, project, task.id)}
