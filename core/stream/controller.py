"""``GET /api/projects/{id}/next/``."""

from __future__ import annotations

from typing import Any

from litestar import get
from sqlalchemy.ext.asyncio import AsyncSession

from ..datamanager.selection import view_scope
from ..errors import NotFound
from ..host import PluginHost
from ..projects.service import parse_ids
from ..settings import Settings
from ..tasks.models import Task
from ..tasks.serialize import tasks_json
from ..teams.assignments import stream_scope_for
from ..users.models import User
from .service import next_task, project_and_held, project_and_held_ahead


@get(
    "/api/projects/{project_id:int}/next",
    operation_id="projects_next_task",
    tags=["Label stream"],
    # Reserves the task it returns; PostgreSQL: a held task is read without a transaction, in
    # the round trip of the credential check.
    opt={"writes": True, "lazy_transaction": True, "read_ahead": project_and_held_ahead},
)
async def next_task_route(
    db: AsyncSession, host: PluginHost, user: User, settings: Settings, project_id: int,
    view: int | None = None, tasks: str | None = None,
) -> dict[str, Any]:
    """The next task to label. ``view`` keeps to a data-manager tab's filters and, when the tab
    is sorted, serves its tasks in the tab's order (Label Studio's "Data manager queue");
    ``tasks`` (comma-separated ids) keeps to chosen tasks ("Label 3 tasks")."""
    # The project, its assignment mode, review requeue and the task the user holds, in one statement.
    project, held = await project_and_held(db, project_id, user.id)
    scope, order = await view_scope(db, project.id, view)
    if tasks:
        scope.append(Task.id.in_(parse_ids(tasks) or []))
    # Manual assignment (teams): an assigned_only project serves each user only their tasks.
    scope.extend(stream_scope_for(project.distribution, user.id, Task.id))
    task, queue = await next_task(db, project, user, settings.task_lock_ttl, scope, order, held)
    if task is None:
        raise NotFound("There are no more tasks for you to label in this project.")
    item = (await tasks_json(
        db, host, [task], user_id=user.id, full=True, resolve_uri=True, only_user_annotations=True,
        drafts_or_assignments=project.drafts_or_assignments,
    ))[0]
    if project.model_version:
        item["predictions"] = [p for p in item["predictions"] if p["model_version"] == project.model_version]
    item["queue"] = queue
    return item
