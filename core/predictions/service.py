"""Predictions: CRUD with validation, model versions, counters."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.service import clean_result
from ..errors import NotFound, ValidationFailed
from ..input_limits import Id
from ..projects.models import Project
from ..registries import Registries
from ..tasks.counters import refresh_tasks
from ..tasks.models import Task
from .models import Prediction

UNSET = msgspec.UNSET


class PredictionWrite(msgspec.Struct, forbid_unknown_fields=False):
    task: Id | msgspec.UnsetType = UNSET
    result: list[Any] | str | msgspec.UnsetType = UNSET
    score: float | None | msgspec.UnsetType = UNSET
    model_version: str | None | msgspec.UnsetType = UNSET


async def get_prediction(db: AsyncSession, prediction_id: int) -> Prediction:
    prediction = await db.get(Prediction, prediction_id)
    if prediction is None:
        raise NotFound(f"Prediction {prediction_id} not found.")
    return prediction


async def create_prediction(db: AsyncSession, registries: Registries, project: Project, task: Task, data: PredictionWrite) -> Prediction:
    version = data.model_version if isinstance(data.model_version, str) and data.model_version else None
    prediction = Prediction(
        task_id=task.id,
        project_id=project.id,
        result=clean_result(project, registries, [] if data.result is UNSET else data.result),
        score=None if data.score is UNSET else data.score,
        model_version=version or project.model_version or "undefined",
    )
    db.add(prediction)
    await db.flush()
    await refresh_tasks(db, project, [task.id])
    return prediction


async def update_prediction(db: AsyncSession, registries: Registries, project: Project, prediction: Prediction, data: PredictionWrite) -> Prediction:
    if data.task is not UNSET and data.task != prediction.task_id:
        raise ValidationFailed("A prediction cannot move to another task.", validation_errors={"task": ["read-only"]})
    if data.result is not UNSET:
        prediction.result = clean_result(project, registries, data.result)
    if data.score is not UNSET:
        prediction.score = data.score
    if data.model_version is not UNSET:
        prediction.model_version = data.model_version or ""
    await db.flush()
    await refresh_tasks(db, project, [prediction.task_id])
    return prediction


async def delete_prediction(db: AsyncSession, project: Project, prediction: Prediction) -> None:
    await db.delete(prediction)
    await db.flush()
    await refresh_tasks(db, project, [prediction.task_id])


async def model_versions(db: AsyncSession, project: Project) -> dict[str, int]:
    query = (
        select(Prediction.model_version, func.count())
        .where(Prediction.project_id == project.id)
        .group_by(Prediction.model_version)
        .order_by(Prediction.model_version)
    )
    return {version: count for version, count in await db.execute(query)}


async def delete_model_version(db: AsyncSession, project: Project, version: str) -> int:
    task_ids = set(
        (await db.execute(select(Prediction.task_id).where(Prediction.project_id == project.id, Prediction.model_version == version))).scalars()
    )
    result = await db.execute(
        delete(Prediction).where(Prediction.project_id == project.id, Prediction.model_version == version)
    )
    await refresh_tasks(db, project, task_ids)
    return result.rowcount or 0
