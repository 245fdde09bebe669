"""``POST /api/projects/{id}/import/predictions``: predictions for existing tasks, in bulk."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..input_limits import check_ids
from ..labelconfig import validate_results
from ..predictions.models import Prediction
from ..projects.models import Project
from ..projects.service import parsed_config
from ..registries import Registries
from ..tasks.counters import refresh_tasks
from ..tasks.models import Task
from .parsers import invalid
from .shorthand import expand_prediction_result


async def import_predictions(db: AsyncSession, registries: Registries, project: Project, body: Any) -> int:
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list):
        raise invalid("body", "must be a list of predictions")
    parsed = parsed_config(project, registries)
    task_ids = {item.get("task") for item in body if isinstance(item, dict)}
    check_ids("task", (t for t in task_ids if isinstance(t, int)))
    known = set(
        (await db.execute(select(Task.id).where(Task.project_id == project.id, Task.id.in_([t for t in task_ids if isinstance(t, int)])))).scalars()
    ) if task_ids else set()
    now = datetime.now(UTC)
    rows = []
    for index, item in enumerate(body):
        where = f"item {index}"
        if not isinstance(item, dict):
            raise invalid(where, "must be a JSON object")
        task_id = item.get("task")
        if task_id not in known:
            raise invalid(where, f"task {task_id!r} is not a task of project {project.id}")
        score = item.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            raise invalid(where, "score must be a number")
        result = expand_prediction_result(item.get("result", []), parsed)
        if not isinstance(result, list):
            raise invalid(where, '"result" must be a list')
        rows.append(
            {
                "task_id": task_id,
                "project_id": project.id,
                "result": validate_results(parsed, result, registries, where=f"{where}.result"),
                "score": score,
                "model_version": str(item.get("model_version") or project.model_version or "undefined"),
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 5000):
        await db.execute(insert(Prediction.__table__), rows[start : start + 5000])
    await refresh_tasks(db, project, {row["task_id"] for row in rows})
    if rows and not project.model_version:
        project.model_version = rows[-1]["model_version"]
    return len(rows)
