"""Asking a model server for predictions and storing them (Label Studio's ``predict_tasks``).

Tasks that already have a prediction of the backend's current model version are skipped. Tasks
go in batches; a batch whose answer has the wrong length is asked again one task per request,
as Label Studio does. Results are validated against the project's config like imported
predictions; a task whose answer is malformed or invalid is counted as failed, the rest are kept.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.service import clean_result
from ..errors import LabelloomError, MLBackendError
from ..host import PluginHost
from ..predictions.models import Prediction
from ..projects.models import Project
from ..settings import Settings
from ..specs import MLConnector
from ..tasks.counters import refresh_tasks
from ..tasks.models import Task
from ..tasks.serialize import tasks_json
from .connect import connector, predict_body
from .models import MLBackend

NO_USER = -1  # serialise tasks without anyone's drafts
MAX_ERRORS_KEPT = 20


def batch_size() -> int:
    return max(1, int(os.environ.get("LABELLOOM_ML_PREDICT_BATCH_SIZE", "100")))


@dataclass
class PredictOutcome:
    predicted: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    model_version: str = ""

    def fail(self, count: int, message: str) -> None:
        self.failed += count
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)

    def as_dict(self) -> dict[str, Any]:
        return {"predicted": self.predicted, "skipped": self.skipped, "failed": self.failed,
                "errors": self.errors, "model_version": self.model_version}


def predictions_of(item: Any) -> list[dict[str, Any]]:
    """One task's answer: a prediction ``{result, score?, model_version?}``, a list of them, or
    a bare list of result items."""
    if isinstance(item, dict) and isinstance(item.get("result"), list):
        return [item]
    if isinstance(item, list):
        if all(isinstance(p, dict) and isinstance(p.get("result"), list) for p in item):
            return item
        if all(isinstance(p, dict) for p in item):
            return [{"result": item}]
    raise MLBackendError(f"answered a malformed prediction: {str(item)[:120]}")


def _score(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


async def ask(client: MLConnector, project: Project, tasks: list[dict[str, Any]], context: Any = None) -> tuple[list[Any], str]:
    """One ``/predict`` call: the ``results`` list and the answer's ``model_version``."""
    answer = await client.predict(predict_body(project, tasks, context), interactive=context is not None)
    results = answer.get("results")
    if not isinstance(results, list):
        raise MLBackendError(f"/predict answered without a results list: {str(answer)[:120]}")
    return results, str(answer.get("model_version") or "")


async def tasks_without_version(db: AsyncSession, task_ids: Sequence[int], version: str) -> list[int]:
    if not version:
        return list(task_ids)
    have: set[int] = set()
    for start in range(0, len(task_ids), 1000):
        chunk = list(task_ids[start : start + 1000])
        rows = await db.execute(
            select(Prediction.task_id).where(Prediction.task_id.in_(chunk), Prediction.model_version == version).distinct()
        )
        have.update(rows.scalars())
    return [t for t in task_ids if t not in have]


class Predictor:
    """Predicts tasks of one project with one backend, storing what comes back."""

    def __init__(self, db: AsyncSession, host: PluginHost, project: Project, backend: MLBackend, client: MLConnector) -> None:
        self.db, self.host, self.project, self.backend, self.client = db, host, project, backend, client
        self.outcome = PredictOutcome(model_version=backend.model_version)

    async def payload(self, task_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The tasks as Label Studio sends them to ``/predict`` (annotations, predictions included)."""
        rows = list((await self.db.execute(select(Task).where(Task.id.in_(task_ids)).order_by(Task.id))).scalars())
        return await tasks_json(self.db, self.host, rows, user_id=NO_USER, full=True, resolve_uri=True)

    async def run_batch(self, task_ids: Sequence[int]) -> None:
        payload = await self.payload(task_ids)
        rows = payload
        try:
            results, version = await ask(self.client, self.project, payload)
        except LabelloomError as exc:  # unreachable, refused by the SSRF guard, malformed ...
            self.outcome.fail(len(rows), exc.detail)
            return
        if len(results) != len(rows) and len(rows) > 1:
            # Label Studio's rule: a wrong-length batch answer is asked again one task at a time.
            for one in payload:
                try:
                    single, one_version = await ask(self.client, self.project, [one])
                except LabelloomError as exc:
                    self.outcome.fail(1, f"task {one['id']}: {exc.detail}")
                    continue
                await self.store([one], single, one_version)
            return
        await self.store(payload, results, version)

    async def store(self, payload: list[dict[str, Any]], results: list[Any], version: str) -> None:
        if len(results) != len(payload):
            self.outcome.fail(len(payload), f"/predict answered {len(results)} results for {len(payload)} tasks")
            return
        rows: list[dict[str, Any]] = []
        for task, item in zip(payload, results, strict=True):
            try:
                for prediction in predictions_of(item):
                    rows.append({
                        "task_id": task["id"],
                        "project_id": self.project.id,
                        "result": clean_result(self.project, self.host.registries, prediction.get("result") or []),
                        "score": _score(prediction.get("score")),
                        "model_version": str(prediction.get("model_version") or version or self.backend.model_version
                                             or self.backend.title or "undefined"),
                        "mislabeling": 0.0,
                    })
            except LabelloomError as exc:
                self.outcome.fail(1, f"task {task['id']}: {exc.detail}")
                continue
        if rows:
            await self.db.execute(insert(Prediction), rows)
            await refresh_tasks(self.db, self.project, {r["task_id"] for r in rows})
            self.outcome.predicted += len({r["task_id"] for r in rows})
            if version and not self.outcome.model_version:
                self.outcome.model_version = version


Progress = Callable[[int, int], Awaitable[None]]


async def predict_tasks(
    db: AsyncSession, host: PluginHost, settings: Settings, project: Project, backend: MLBackend,
    task_ids: Sequence[int], *, size: int | None = None, after_batch: Progress | None = None,
) -> PredictOutcome:
    """Predict ``task_ids`` (deduplicated by the backend's model version), batch by batch.
    ``after_batch(done, total)`` runs after each batch (the job commits and reports progress)."""
    todo = await tasks_without_version(db, list(dict.fromkeys(task_ids)), backend.model_version)
    size = size or batch_size()
    async with connector(host, settings, backend) as client:
        predictor = Predictor(db, host, project, backend, client)
        predictor.outcome.skipped = len(set(task_ids)) - len(todo)
        for start in range(0, len(todo), size):
            await predictor.run_batch(todo[start : start + size])
            if after_batch is not None:
                await after_batch(min(start + size, len(todo)), len(todo))
    return predictor.outcome
