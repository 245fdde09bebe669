"""The data manager's "Retrieve predictions" (``retrieve_tasks_predictions``): the selected
tasks go to the project's ML backend in a tracked job (progress at ``GET /api/jobs/{id}``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..datamanager.actions import ActionContext
from ..errors import ValidationFailed
from ..input_limits import check_int
from ..jobs.controller import job_out
from ..jobs.service import JobService
from ..specs import ActionSpec
from ..tasks.models import Task
from .jobs import PREDICT_JOB
from .models import MLBackend


async def project_backend(db: AsyncSession, project_id: int, backend_id: Any = None) -> MLBackend:
    """The backend asked for, else the project's first (Label Studio uses the project's one)."""
    query = select(MLBackend).where(MLBackend.project_id == project_id).order_by(MLBackend.id).limit(1)
    if backend_id is not None:
        if not isinstance(backend_id, int):
            raise ValidationFailed("backend must be an ML backend id.", validation_errors={"backend": ["must be an integer"]})
        check_int("backend", backend_id)
        query = query.where(MLBackend.id == backend_id)
    backend = (await db.execute(query)).scalar_one_or_none()
    if backend is None:
        raise ValidationFailed(
            "This project has no ML backend: connect one in Settings → Model first.",
            validation_errors={"backend": ["no ML backend connected to this project"]},
        )
    return backend


async def submit_predictions(db: AsyncSession, jobs: JobService, backend: MLBackend, task_ids: list[int], user_id: int) -> Any:
    return await jobs.submit(db, PREDICT_JOB, project_id=backend.project_id, user_id=user_id,
                             backend=backend.id, task_ids=task_ids)


async def retrieve_tasks_predictions(ctx: ActionContext) -> dict[str, Any]:
    backend = await project_backend(ctx.db, ctx.project.id, ctx.params.get("backend"))
    ids = list((await ctx.db.execute(select(Task.id).where(Task.id.in_(ctx.selected_ids())).order_by(Task.id))).scalars())
    if not ids:
        return {"processed_items": 0, "detail": "No tasks selected.", "reload": False}
    if ctx.jobs is None:
        raise ValidationFailed("Background jobs are not available in this process.")
    record = await submit_predictions(ctx.db, ctx.jobs, backend, ids, ctx.user.id)
    return {
        "processed_items": len(ids),
        "detail": f"Retrieving predictions for {len(ids)} tasks from {backend.title or backend.url}",
        "reload": False,
        "job": job_out(record),
    }


def ml_action_specs() -> list[ActionSpec]:
    return [
        ActionSpec(name="retrieve_tasks_predictions", title="Retrieve predictions", function=retrieve_tasks_predictions,
                   order=90, dialog={"title": "Retrieve predictions",
                                     "text": "Send the selected tasks to the project's ML backend and store its predictions.",
                                     "type": "confirm", "form": None}),
    ]
