"""``/api/projects/{id}/quality/...``: agreement settings, recompute, dashboard figures (JSON
and one CSV per chart), an annotator's own figures and one task's scores explained."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import Parameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..host import PluginHost
from ..jobs import jobs_of
from ..jobs.controller import job_out
from ..projects.service import get_project
from ..tasks.models import Task
from ..teams.permissions import allowed
from ..users.models import User
from . import store
from .compute import score_task
from .dashboard import CHARTS, Filters, chart_csv, dashboard
from .jobs import RECOMPUTE_JOB, request_recompute
from .models import METHODS, QualitySettings, QualityTask


def settings_out(row: QualitySettings, host: PluginHost) -> dict[str, Any]:
    metrics = host.registries.metrics
    return {
        "method": row.method,
        "threshold": row.threshold,
        "match_labels": row.match_labels,
        "version": row.version,
        "recomputed_at": row.recomputed_at,
        "metrics": [
            {"name": m.name, "kind": m.kind, "title": m.title, "description": m.description, "plugin": metrics.owner(m.name)}
            for m in metrics
        ],
    }


def _check(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed("Send a JSON object with method, threshold and/or match_labels.")
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name == "method":
            if value not in METHODS:
                errors[name] = [f"must be one of: {', '.join(METHODS)}"]
            else:
                out[name] = value
        elif name == "threshold":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                errors[name] = ["must be a number above 0 and at most 1"]
            else:
                out[name] = float(value)
        elif name == "match_labels":
            if not isinstance(value, bool):
                errors[name] = ["must be true or false"]
            else:
                out[name] = value
        elif name not in ("version", "recomputed_at", "metrics"):
            errors[name] = ["unknown setting"]
    if errors:
        raise ValidationFailed("Invalid quality settings.", validation_errors=errors)
    return out


def _known_chart(chart: str) -> None:
    if chart not in CHARTS:
        raise ValidationFailed(f"Unknown chart {chart!r}.", validation_errors={"chart": [f"one of: {', '.join(CHARTS)}"]})


def _csv(data: dict[str, Any], chart: str, filename: str) -> Response[str]:
    return Response(chart_csv(data, chart), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def _annotator(db: AsyncSession, user: User, project_id: int, annotator: str) -> int:
    """The user id an ``annotators/<id or me>`` path names, if the caller may see their figures."""
    await get_project(db, project_id)
    if annotator == "me":
        return user.id
    if not annotator.isdigit():
        raise ValidationFailed("Name an annotator by user id or 'me'.", validation_errors={"annotator": ["not a user id"]})
    if int(annotator) != user.id and not await allowed(db, user, project_id, "projects.manage"):
        raise PermissionDenied("Only managers see other annotators' figures.")
    return int(annotator)


class QualityController(Controller):
    path = "/api/projects/{project_id:int}/quality"
    tags = ["Quality"]

    @get("/settings", operation_id="quality_settings", opt={"writes": True, "permission": "projects.view"})
    async def get_settings(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User,
                           project_id: int) -> dict[str, Any]:
        """How agreement is scored, and the metrics the plugins registered. Until the project's
        first full recompute (a project from before quality tracking, or whose first annotation
        job has not run yet) this starts it, or names the one pending, as ``job``."""
        await get_project(db, project_id)
        row = await store.settings_row(db, project_id)
        out = settings_out(row, host)
        if row.recomputed_at is None:
            record = await request_recompute(db, jobs_of(request), project_id, user.id)
            out["job"] = job_out(record)
        return out

    @patch("/settings", operation_id="quality_settings_update", opt={"permission": "projects.manage"})
    async def update_settings(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User,
                              project_id: int, data: Any = None) -> dict[str, Any]:
        """Change the method, threshold or label matching; a change starts a full recompute
        (``job``: follow ``GET /api/jobs/{id}``)."""
        await get_project(db, project_id)
        changes = _check(data)
        row = await store.settings_row(db, project_id, lock="update")
        changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
        out = settings_out(row, host)
        if changed:
            for key, value in changed.items():
                setattr(row, key, value)
            row.version += 1
            row.updated_at = datetime.now(UTC)
            record = await jobs_of(request).submit(db, RECOMPUTE_JOB, project_id=project_id, user_id=user.id,
                                                   project=project_id)
            out = {**settings_out(row, host), "job": job_out(record)}
        return out

    @post("/recompute", operation_id="quality_recompute", status_code=202, opt={"permission": "projects.manage"})
    async def recompute(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, project_id: int) -> dict[str, Any]:
        """Recompute every task's agreement and the dashboard's rollups in a tracked job."""
        await get_project(db, project_id)
        record = await jobs_of(request).submit(db, RECOMPUTE_JOB, project_id=project_id, user_id=user.id,
                                               project=project_id)
        return {"job": job_out(record)}

    @get("/dashboard", operation_id="quality_dashboard", opt={"permission": "projects.manage"})
    async def get_dashboard(self, db: AsyncSession, user: User, project_id: int, from_: Annotated[str | None, Parameter(query="from")] = None,
                            to: str | None = None, annotators: str | None = None) -> dict[str, Any]:
        """Every chart's rows: ``?from=YYYY-MM-DD&to=YYYY-MM-DD&annotators=1,2`` filter them."""
        await get_project(db, project_id)
        return await dashboard(db, project_id, Filters.parse(from_, to, annotators))

    @get("/dashboard/{chart:str}/csv", operation_id="quality_dashboard_csv", opt={"permission": "projects.manage"})
    async def get_chart_csv(self, db: AsyncSession, user: User, project_id: int, chart: str, from_: Annotated[str | None, Parameter(query="from")] = None,
                            to: str | None = None, annotators: str | None = None) -> Response[str]:
        """One chart's rows as CSV (the same rows and filters as the JSON)."""
        _known_chart(chart)
        await get_project(db, project_id)
        data = await dashboard(db, project_id, Filters.parse(from_, to, annotators))
        return _csv(data, chart, f"project-{project_id}-{chart}.csv")

    @get("/annotators/{annotator:str}", operation_id="quality_annotator", opt={"permission": "projects.view"})
    async def get_annotator(self, db: AsyncSession, user: User, project_id: int, annotator: str,
                            from_: Annotated[str | None, Parameter(query="from")] = None, to: str | None = None) -> dict[str, Any]:
        """One annotator's figures (``me`` for the caller): the dashboard filtered to them."""
        uid = await _annotator(db, user, project_id, annotator)
        data = await dashboard(db, project_id, Filters.parse(from_, to, str(uid)))
        return {"user": uid, **data}

    @get("/annotators/{annotator:str}/{chart:str}/csv", operation_id="quality_annotator_csv",
         opt={"permission": "projects.view"})
    async def get_annotator_csv(self, db: AsyncSession, user: User, project_id: int, annotator: str, chart: str,
                                from_: Annotated[str | None, Parameter(query="from")] = None,
                                to: str | None = None) -> Response[str]:
        """One chart of an annotator's figures as CSV."""
        _known_chart(chart)
        uid = await _annotator(db, user, project_id, annotator)
        data = await dashboard(db, project_id, Filters.parse(from_, to, str(uid)))
        return _csv(data, chart, f"project-{project_id}-user-{uid}-{chart}.csv")

    @get("/tasks/{task_id:int}", operation_id="quality_task", opt={"writes": True, "permission": "annotations.review"})
    async def get_task(self, db: AsyncSession, host: PluginHost, user: User, project_id: int, task_id: int) -> dict[str, Any]:
        """One task's agreement explained: stored value, every annotation pair's score and each
        annotation's score against ground truth, computed now with the project's settings."""
        project = await get_project(db, project_id)
        task = await db.get(Task, task_id)
        if task is None or task.project_id != project_id:
            raise NotFound(f"Task {task_id} not found in project {project_id}.")
        settings = await store.settings_row(db, project_id)
        scorer = store.scorer_for(project, host.registries, store.rules_of(settings))
        annotations, predictions = await store.rows_of(db, [task_id])
        scores = score_task(scorer, annotations.get(task_id, ()), predictions.get(task_id, ()))
        stored = (await db.execute(select(QualityTask.agreement).where(QualityTask.task_id == task_id))).scalar()
        return {
            "task": task_id,
            "agreement": scores.agreement,
            "stored_agreement": stored,
            "annotations": scores.annotations,
            "pairs": [{"annotation_a": a, "annotation_b": b, "score": s} for a, b, s in scores.pairs],
            "ground_truth_scores": [{"annotation": a, "score": s} for a, s in sorted(scores.gt_scores.items())],
        }
