"""``/api/ml``: Label Studio's ML backend routes, plus what our model views need.

``GET /api/ml`` and ``GET /api/ml/{id}`` refresh each backend's state by calling its ``/health``
and ``/setup`` first, as Label Studio does.
"""

from __future__ import annotations

import random
from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..host import PluginHost
from ..input_limits import check_int
from ..jobs import jobs_of
from ..jobs.controller import job_out
from ..predictions.models import Prediction
from ..projects.service import get_project
from ..settings import Settings
from ..tasks.models import Task
from ..tasks.service import get_task
from ..tasks.serialize import tasks_json
from ..users.models import User
from . import service
from .actions import submit_predictions
from .connect import connector
from .interactive import interactive_annotating
from .on_open import predictions_on_open
from .predict import ask
from .schemas import MLBackendIn, MLBackendPatch
from .train import train_backend
from .versions import version_stats


def _hostname(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


class MLController(Controller):
    path = "/api/ml"
    tags = ["Machine learning"]

    @get("/", operation_id="ml_list", opt={"writes": True})  # stores the refreshed states
    async def list_backends(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, settings: Settings,
                            user: User, project: int | None = None, is_interactive: bool | None = None) -> list[dict[str, Any]]:
        backends = await service.list_backends(db, project, is_interactive)
        await service.refresh_states(db, host, settings, backends, _hostname(request))
        return [service.backend_out(b) for b in backends]

    @post("/", operation_id="ml_create", status_code=HTTP_201_CREATED)
    async def create(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, settings: Settings,
                     user: User, data: MLBackendIn) -> dict[str, Any]:
        backend = await service.create_backend(db, settings, host, data)
        await service.refresh_states(db, host, settings, [backend], _hostname(request))
        await db.refresh(backend)
        return service.backend_out(backend)

    @get("/{backend_id:int}", operation_id="ml_get", opt={"writes": True})
    async def get_one(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, settings: Settings,
                      user: User, backend_id: int) -> dict[str, Any]:
        backend = await service.get_backend(db, backend_id)
        await service.refresh_states(db, host, settings, [backend], _hostname(request))
        return service.backend_out(backend)

    @patch("/{backend_id:int}", operation_id="ml_update")
    async def update(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, settings: Settings,
                     user: User, backend_id: int, data: MLBackendPatch) -> dict[str, Any]:
        backend = await service.get_backend(db, backend_id)
        await service.update_backend(db, settings, host, backend, data)
        await service.refresh_states(db, host, settings, [backend], _hostname(request))
        await db.refresh(backend)
        return service.backend_out(backend)

    @delete("/{backend_id:int}", operation_id="ml_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, backend_id: int) -> None:
        await service.delete_backend(db, await service.get_backend(db, backend_id))

    @post("/{backend_id:int}/train", operation_id="ml_train", status_code=HTTP_200_OK)
    async def train(self, db: AsyncSession, host: PluginHost, settings: Settings, user: User, backend_id: int,
                    data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Ask the model server to train now (``START_TRAINING`` to its ``/webhook``)."""
        backend = await service.get_backend(db, backend_id)
        use_gt = bool((data or {}).get("use_ground_truth"))
        answer = await train_backend(db, host, settings, backend, use_ground_truth=use_gt)
        return {"status": "ok", "response": answer}

    @post("/{backend_id:int}/predict/test", operation_id="ml_predict_test", status_code=HTTP_200_OK)
    async def predict_test(self, db: AsyncSession, host: PluginHost, settings: Settings, user: User,
                           backend_id: int) -> dict[str, Any]:
        """Predict one random task of the project (nothing is stored): a connection check."""
        backend = await service.get_backend(db, backend_id)
        project = await get_project(db, backend.project_id)
        count = (await db.execute(select(func.count()).where(Task.project_id == project.id))).scalar_one()
        if not count:
            raise ValidationFailed("The project has no tasks to test the model with.", validation_errors={"project": ["no tasks"]})
        task = (await db.execute(
            select(Task).where(Task.project_id == project.id).order_by(Task.id).offset(random.randrange(count)).limit(1)
        )).scalar_one()
        payload = await tasks_json(db, host, [task], user_id=user.id, full=True, resolve_uri=True)
        async with connector(host, settings, backend) as client:
            results, version = await ask(client, project, payload)
        return {"task": task.id, "model_version": version, "results": results}

    @post("/{backend_id:int}/interactive-annotating", operation_id="ml_interactive_annotating", status_code=HTTP_200_OK,
          opt={"writes": False})  # reads only: never holds the write gate during the round trip
    async def interactive(self, db: AsyncSession, host: PluginHost, settings: Settings, user: User, backend_id: int,
                          data: dict[str, Any] | None = None) -> dict[str, Any]:
        body = data or {}
        task_id = body.get("task")
        if not isinstance(task_id, int) or isinstance(task_id, bool):
            raise ValidationFailed("task: a task id is required.", validation_errors={"task": ["This field is required."]})
        check_int("task", task_id)
        backend = await service.get_backend(db, backend_id)
        task = await get_task(db, task_id)
        if task.project_id != backend.project_id:
            raise ValidationFailed("task: the task belongs to another project than the ML backend.",
                                   validation_errors={"task": ["not in the backend's project"]})
        project = await get_project(db, backend.project_id)
        return await interactive_annotating(db, host, settings, backend, project, task, body.get("context"), user.id)

    @get("/{backend_id:int}/versions", operation_id="ml_versions")
    async def versions(self, db: AsyncSession, user: User, backend_id: int) -> dict[str, Any]:
        backend = await service.get_backend(db, backend_id)
        rows = await db.execute(
            select(Prediction.model_version).where(Prediction.project_id == backend.project_id).distinct()
        )
        found = sorted({v for v in rows.scalars() if v} | ({backend.model_version} if backend.model_version else set()))
        return {"versions": found, "message": ""}

    @post("/{backend_id:int}/predict", operation_id="ml_predict_all", status_code=HTTP_200_OK)
    async def predict_all(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, backend_id: int,
                          batch_size: int | None = None) -> dict[str, Any]:
        """Predictions for every task of the project that lacks the current version's (a tracked job)."""
        backend = await service.get_backend(db, backend_id)
        ids = list((await db.execute(select(Task.id).where(Task.project_id == backend.project_id).order_by(Task.id))).scalars())
        record = await submit_predictions(db, jobs_of(request), backend, ids, user.id)
        return {"job": job_out(record), "tasks": len(ids)}

    @post("/tasks/{task_id:int}/predictions", operation_id="ml_task_predictions", status_code=HTTP_200_OK,
          opt={"writes": False})  # takes the write gate only to store what the model answered
    async def task_predictions(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost,
                               settings: Settings, user: User, task_id: int) -> dict[str, Any]:
        """The predictions an annotator sees for a task, asking the model first when the project
        wants predictions and the task has none of the current version (the labeling view calls
        this after showing the task)."""
        task = await get_task(db, task_id)
        project = await get_project(db, task.project_id)
        return await predictions_on_open(db, host, settings, project, task, gate=request.app.state.get("write_gate"))


class ModelVersionStatsController(Controller):
    path = "/api/projects/{project_id:int}/model-versions/stats"
    tags = ["Machine learning"]

    @get("/", operation_id="project_model_version_stats")
    async def stats(self, db: AsyncSession, user: User, project_id: int) -> dict[str, Any]:
        """Each model version: prediction count, mean score, label agreement with annotations
        and with ground truth."""
        project = await get_project(db, project_id)
        if project is None:
            raise NotFound("project not found")
        return {"current": project.model_version, "versions": await version_stats(db, project_id)}
