"""``core.ml_predict``: predictions for many tasks as a tracked job (``GET /api/jobs/{id}``).

Each batch is committed as it comes back, so progress survives a crash and the data manager
sees predictions arrive. The backend shows ``PR`` (predicting) meanwhile, then ``CO`` or ``ER``
with the first errors kept as its ``error_message``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import MLBackendError
from ..jobs.worker import set_progress
from ..projects.service import get_project
from ..specs import JobSpec
from .predict import PredictOutcome, predict_tasks
from .service import get_backend

PREDICT_JOB = "core.ml_predict"


def error_summary(outcome: PredictOutcome) -> str:
    head = "; ".join(outcome.errors[:3])
    return f"{outcome.failed} tasks failed: {head}" if outcome.failed else ""


def finish_state(backend: Any, outcome: PredictOutcome) -> None:
    backend.state = "ER" if outcome.failed else "CO"
    backend.error_message = error_summary(outcome) or None
    if outcome.model_version and not backend.model_version:
        backend.model_version = outcome.model_version


async def predict_job(ctx: dict[str, Any], *, backend: int, task_ids: list[int]) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        row = await get_backend(db, backend)
        project = await get_project(db, row.project_id)
        row.state, row.error_message = "PR", None
        await db.commit()
        await set_progress(ctx, 0.01, f"Asking {row.title or row.url} for {len(task_ids)} tasks")

        async def after_batch(done: int, total: int) -> None:
            await db.commit()  # keep each batch, and let SQLite's one writer record the progress
            await set_progress(ctx, 0.01 + 0.98 * done / max(total, 1), f"{done} of {total} tasks")

        try:
            outcome = await predict_tasks(db, ctx["host"], ctx["settings"], project, row, task_ids, after_batch=after_batch)
        except MLBackendError as exc:
            outcome = PredictOutcome()
            outcome.fail(len(task_ids), exc.detail)
        finish_state(row, outcome)
        await db.commit()
    if outcome.failed and not outcome.predicted and not outcome.skipped:
        raise MLBackendError(error_summary(outcome))
    return outcome.as_dict()


def ml_job_specs() -> list[JobSpec]:
    return [JobSpec(name=PREDICT_JOB, function=predict_job, timeout=36000, retries=1, heartbeat=300, track=True)]
