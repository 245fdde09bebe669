"""Task routes: ``/api/tasks`` and ``/api/projects/{id}/tasks``.

Listing tasks is the data manager's work (views, filters, ordering, totals) and creating one
goes through the importer, so these routes live here, above the tasks package they serve."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..comments.columns import add_comment_columns
from ..errors import ValidationFailed
from ..host import PluginHost
from ..imports.parsers import RawItem
from ..imports.service import TaskImporter
from ..input_limits import Id
from ..jobs import jobs_of
from ..projects.service import get_project, parsed_config
from ..quality.tasks import add_agreement
from ..review.columns import add_review_columns
from ..tasks import service
from ..tasks.serialize import tasks_json
from ..teams import visibility
from ..teams.permissions import Role, role_of
from ..users.models import User
from .query import DMQuery, parse_query, view_query
from .selection import page_of_tasks
from .tuning import request_tuning
from .views import get_view


async def visible_query(db: AsyncSession, user: User, query: DMQuery | None) -> DMQuery | None:
    """Annotators list only their tasks (teams): the query gains their id."""
    if await role_of(db, user) is not Role.ANNOTATOR:
        return query
    return replace(query or DMQuery(), visible_to=user.id)


async def own_annotations_only(db: AsyncSession, user: User) -> bool:
    """Annotators see only their own annotations on their tasks (teams)."""
    return visibility.own_annotations_only(await role_of(db, user))


class TaskCreate(msgspec.Struct, forbid_unknown_fields=False):
    project: Id
    data: dict[str, Any]
    meta: dict[str, Any] | None = None


class TaskUpdate(msgspec.Struct, forbid_unknown_fields=False):
    data: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    meta: dict[str, Any] | None | msgspec.UnsetType = msgspec.UNSET


class TaskController(Controller):
    path = "/api/tasks"
    tags = ["Tasks"]

    @get("/", operation_id="tasks_list")
    async def list_tasks(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        host: PluginHost,
        user: User,
        project: int | None = None,
        view: int | None = None,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=100, ge=1),
        fields: str = "task_only",
        resolve_uri: bool = True,
        dm_query_text: str | None = Parameter(query="query", default=None),
        cursor: str | None = Parameter(default=None, max_length=4096),
        exact_total: bool = False,
    ) -> dict[str, Any]:
        """Label Studio's task list, plus keyset paging and estimated totals (issue 17):
        ``cursor`` (a page's ``next_cursor``/``previous_cursor``) replaces ``page``; on a big
        project a filtered ``total`` may be estimated (``total_exact: false``) unless
        ``exact_total=true``."""
        # A view supplies its project, filters and ordering; ``query=`` overrides what it names.
        dm_query = None
        if view is not None:
            view_row = await get_view(db, view)
            project = project or view_row.project_id
            dm_query = view_query(view_row.data)
        if dm_query_text:
            dm_query = parse_query(dm_query_text, dm_query)
        if project is None:
            raise ValidationFailed(
                "Pass ?project=<id> (or ?view=<id>) to list tasks.",
                validation_errors={"project": ["this parameter is required"]},
            )
        tuned = dm_query
        dm_query = replace(await visible_query(db, user, dm_query) or DMQuery(), viewer=user.id)
        # An unknown project is a 404 from here (its counters row is read first).
        found, totals = await page_of_tasks(
            db, project, page, page_size, dm_query, cursor=cursor, exact_total=exact_total
        )
        if tuned is not None:  # the data keys this query filters or sorts on, for the next pages
            await request_tuning(db, jobs_of(request), tuned, project)
        tasks = found.rows
        own = await own_annotations_only(db, user)
        items = await tasks_json(
            db, host, tasks, user_id=user.id, full=fields == "all", resolve_uri=resolve_uri, only_user_annotations=own,
            drafts_or_assignments=found.has_drafts_or_assignments,
        )
        await add_agreement(db, items)
        await add_review_columns(db, items, any_reviews=found.has_reviews)
        await add_comment_columns(db, items, user.id, annotator=own, any_comments=found.has_comments)
        return {"tasks": items, **totals, "next_cursor": found.next_cursor, "previous_cursor": found.previous_cursor}

    @post("/", operation_id="tasks_create", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, host: PluginHost, user: User, data: TaskCreate) -> dict[str, Any]:
        project = await get_project(db, data.project)
        importer = TaskImporter(db, host.registries, project, parsed_config(project, host.registries), user)
        prepared = importer.prepare([RawItem("task", {"data": data.data, "meta": data.meta})])
        result = await importer.insert(prepared, want_ids=True)
        task = await service.get_task(db, result.task_ids[0])
        return (await tasks_json(db, host, [task], user_id=user.id, full=True, resolve_uri=False))[0]

    @get("/{task_id:int}", operation_id="tasks_get")
    async def get_one(self, db: AsyncSession, host: PluginHost, user: User, task_id: int, resolve_uri: bool = True) -> dict[str, Any]:
        task = await service.get_task_row(db, task_id)
        own = await own_annotations_only(db, user)
        items = await tasks_json(db, host, [task], user_id=user.id, full=True, resolve_uri=resolve_uri,
                                 only_user_annotations=own, drafts_or_assignments=bool(task.drafts_or_assignments))
        return items[0]

    @patch("/{task_id:int}", operation_id="tasks_update")
    async def update(self, db: AsyncSession, host: PluginHost, user: User, task_id: int, data: TaskUpdate) -> dict[str, Any]:
        task = await service.get_task(db, task_id)
        if data.data is not msgspec.UNSET:
            task.data = data.data
        if data.meta is not msgspec.UNSET:
            task.meta = data.meta
        task.updated_by_id = user.id
        await db.flush()
        await db.refresh(task)
        return (await tasks_json(db, host, [task], user_id=user.id, full=True, resolve_uri=False))[0]

    @delete("/{task_id:int}", operation_id="tasks_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, task_id: int) -> None:
        await service.delete_task(db, await service.get_task(db, task_id))


class ProjectTasksController(Controller):
    path = "/api/projects/{project_id:int}/tasks"
    tags = ["Tasks"]

    @get("/", operation_id="project_tasks_list")
    async def list_tasks(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        host: PluginHost,
        user: User,
        project_id: int,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=100, ge=1),
    ) -> list[dict[str, Any]]:
        query = await visible_query(db, user, None)
        found, _ = await page_of_tasks(db, project_id, page, page_size, query)
        own = await own_annotations_only(db, user)
        return await tasks_json(db, host, found.rows, user_id=user.id, full=True, resolve_uri=False,
                                only_user_annotations=own, drafts_or_assignments=found.has_drafts_or_assignments)

    @delete("/", operation_id="project_tasks_delete_all", status_code=HTTP_204_NO_CONTENT)
    async def delete_all(self, db: AsyncSession, user: User, project_id: int) -> None:
        await service.delete_all_tasks(db, await get_project(db, project_id))
