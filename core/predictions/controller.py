"""Prediction routes and per-project model versions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..host import PluginHost
from ..projects.service import get_project
from ..tasks.serialize import prediction_json
from ..tasks.service import get_task
from ..users.models import User
from . import service
from .models import Prediction
from .service import PredictionWrite


class PredictionController(Controller):
    path = "/api/predictions"
    tags = ["Predictions"]

    @get("/", operation_id="predictions_list")
    async def list_predictions(self, db: AsyncSession, user: User, task: int | None = None, project: int | None = None) -> list[dict[str, Any]]:
        if task is None and project is None:
            raise ValidationFailed("Pass ?task=<id> or ?project=<id>.", validation_errors={"task": ["required"]})
        query = select(Prediction).order_by(Prediction.id)
        if task is not None:
            query = query.where(Prediction.task_id == task)
        if project is not None:
            query = query.where(Prediction.project_id == project)
        return [prediction_json(p) for p in (await db.execute(query)).scalars()]

    @post("/", operation_id="predictions_create", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, host: PluginHost, user: User, data: PredictionWrite) -> dict[str, Any]:
        if not isinstance(data.task, int):
            raise ValidationFailed("task is required", validation_errors={"task": ["This field is required."]})
        task = await get_task(db, data.task)
        project = await get_project(db, task.project_id)
        return prediction_json(await service.create_prediction(db, host.registries, project, task, data))

    @get("/{prediction_id:int}", operation_id="predictions_get")
    async def get_one(self, db: AsyncSession, user: User, prediction_id: int) -> dict[str, Any]:
        return prediction_json(await service.get_prediction(db, prediction_id))

    @patch("/{prediction_id:int}", operation_id="predictions_update")
    async def update(self, db: AsyncSession, host: PluginHost, user: User, prediction_id: int, data: PredictionWrite) -> dict[str, Any]:
        prediction = await service.get_prediction(db, prediction_id)
        project = await get_project(db, prediction.project_id)
        return prediction_json(await service.update_prediction(db, host.registries, project, prediction, data))

    @delete("/{prediction_id:int}", operation_id="predictions_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, prediction_id: int) -> None:
        prediction = await service.get_prediction(db, prediction_id)
        await service.delete_prediction(db, await get_project(db, prediction.project_id), prediction)


class ModelVersionController(Controller):
    path = "/api/projects/{project_id:int}/model-versions"
    tags = ["Predictions"]

    @get("/", operation_id="project_model_versions")
    async def list_versions(self, db: AsyncSession, user: User, project_id: int) -> dict[str, int]:
        return await service.model_versions(db, await get_project(db, project_id))

    @delete("/", operation_id="project_model_versions_delete", status_code=200)
    async def delete_version(self, db: AsyncSession, user: User, project_id: int, model_version: str) -> dict[str, int]:
        deleted = await service.delete_model_version(db, await get_project(db, project_id), model_version)
        return {"deleted": deleted}
