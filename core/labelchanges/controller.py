"""``/api/projects/{id}/label-changes``: preview and apply label renames, merges and removals.

Body of both: ``{"label_config": "<View>...", "changes": [{"from_name", "from", "to"} |
{"from_name", "remove"}]}``. ``apply`` answers ``{"applied": true, "rows", "changes", "project"}``
or, for big projects, ``{"applied": false, "job": {...}}`` (HTTP 202; follow ``GET /api/jobs/{id}``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..host import PluginHost
from ..jobs import jobs_of
from ..jobs.controller import job_out
from ..projects.service import counters, get_project, project_out
from ..users.models import User
from . import service
from .job import LABEL_CHANGES_JOB


def _body(data: Any) -> tuple[Any, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed("Send a JSON object with label_config and changes.")
    return data.get("label_config"), data.get("changes")


class LabelChangesController(Controller):
    path = "/api/projects/{project_id:int}/label-changes"
    tags = ["Projects"]

    @post("/preview", operation_id="projects_label_changes_preview", status_code=200)
    async def preview(self, db: AsyncSession, host: PluginHost, user: User, project_id: int,
                      data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Per change: the annotations, predictions and drafts it touches and a few items before
        and after; ``problems``: what the new config would still orphan (apply refuses then)."""
        project = await get_project(db, project_id)
        label_config, changes = _body(data)
        return await service.preview(db, host.registries, project, label_config, changes)

    @post("/apply", operation_id="projects_label_changes_apply", status_code=200)
    async def apply(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User,
                    project_id: int, data: dict[str, Any] | None = None) -> Response[dict[str, Any]]:
        """Rewrite the results and save the config in one transaction (a tracked job for big
        projects); a config still invalid after the changes is a 400 and nothing changes."""
        project = await get_project(db, project_id)
        label_config, changes = _body(data)
        if await service.runs_in_background(db, project.id):
            await service.check(db, host.registries, project, label_config, changes)
            record = await jobs_of(request).submit(
                db, LABEL_CHANGES_JOB, project_id=project.id, user_id=user.id, project=project.id, label_config=label_config,
                changes=changes, config_digest=service.config_digest(project.label_config))
            return Response({"applied": False, "job": job_out(record)}, status_code=202)
        outcome = await service.apply(db, host.registries, project, label_config, changes)
        counts = (await counters(db, [project.id]))[project.id]
        return Response({**outcome, "project": project_out(project, counts, None, host.registries)})
