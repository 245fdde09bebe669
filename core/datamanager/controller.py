"""Data-manager routes: ``/api/dm/columns/``, ``/api/dm/views/``, ``/api/dm/actions/``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..host import PluginHost
from ..input_limits import Id
from ..projects.controller import project_response
from ..projects.sections import read_sections, sections_of
from ..projects.service import get_project, parsed_config
from ..users.models import User
from . import views as view_service
from .actions import ActionContext, list_actions, run_action
from .query import DMQuery, parse_query, view_query
from .schema import project_columns


def _required(value: int | None, name: str) -> int:
    if value is None:
        raise ValidationFailed(f"Pass ?{name}=<id>.", validation_errors={name: ["this parameter is required"]})
    return value


class ViewCreate(msgspec.Struct, forbid_unknown_fields=False):
    project: Id
    data: dict[str, Any] | None = None


class ViewUpdate(msgspec.Struct, forbid_unknown_fields=False):
    data: dict[str, Any] | None = None
    project: Id | None = None


class ViewOrder(msgspec.Struct, forbid_unknown_fields=False):
    project: Id
    ids: list[Id]


class DMProjectController(Controller):
    path = "/api/dm/project"
    tags = ["Data Manager"]

    @get("/", operation_id="dm_project")
    async def project(
        self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User, project: int | None = None
    ) -> dict[str, Any]:
        """The project as ``GET /api/projects/{id}`` returns it, plus what Label Studio's data
        manager reads at start-up: data types, permissions, counts, storage-sync flags."""
        row = await get_project(db, _required(project, "project"))
        out = msgspec.structs.asdict(await project_response(db, host, row, user))
        # LSE's settings objects kept by other packages, as the project's own JSON has them.
        out.update(await read_sections(db, sections_of(request.app.state), row.id))
        parsed = parsed_config(row, host.registries)
        return {
            **out,
            "data_types": dict(parsed.data_types),
            "config_has_control_tags": bool(parsed.controls),
            "task_count": out["task_number"],
            "annotation_count": out["total_annotations_number"],
            "can_delete_tasks": True,
            "can_manage_annotations": True,
            "can_manage_tasks": True,
            "source_syncing": False,
            "target_syncing": False,
        }


class ColumnsController(Controller):
    path = "/api/dm/columns"
    tags = ["Data Manager"]

    @get("/", operation_id="dm_columns")
    async def columns(self, db: AsyncSession, host: PluginHost, user: User, project: int | None = None) -> dict[str, Any]:
        project_row = await get_project(db, _required(project, "project"))
        return {"columns": await project_columns(db, host, project_row)}


class ViewsController(Controller):
    path = "/api/dm/views"
    tags = ["Data Manager"]

    @get("/", operation_id="dm_views_list")
    async def list_views(self, db: AsyncSession, user: User, project: int | None = None) -> list[dict[str, Any]]:
        return [view_service.view_json(v) for v in await view_service.list_views(db, project)]

    @post("/", operation_id="dm_views_create", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, user: User, data: ViewCreate) -> dict[str, Any]:
        await get_project(db, data.project)
        return view_service.view_json(await view_service.create_view(db, data.project, user.id, data.data))

    @get("/{view_id:int}", operation_id="dm_views_get")
    async def get_one(self, db: AsyncSession, user: User, view_id: int) -> dict[str, Any]:
        return view_service.view_json(await view_service.get_view(db, view_id))

    @patch("/{view_id:int}", operation_id="dm_views_update")
    async def update(self, db: AsyncSession, user: User, view_id: int, data: ViewUpdate) -> dict[str, Any]:
        view = await view_service.get_view(db, view_id)
        return view_service.view_json(await view_service.update_view(db, view, data.data, merge=True))

    @put("/{view_id:int}", operation_id="dm_views_replace")
    async def replace(self, db: AsyncSession, user: User, view_id: int, data: ViewUpdate) -> dict[str, Any]:
        view = await view_service.get_view(db, view_id)
        return view_service.view_json(await view_service.update_view(db, view, data.data, merge=False))

    @delete("/{view_id:int}", operation_id="dm_views_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, view_id: int) -> None:
        await db.delete(await view_service.get_view(db, view_id))

    @delete("/reset", operation_id="dm_views_reset_delete", status_code=HTTP_204_NO_CONTENT)
    async def reset_by_delete(self, db: AsyncSession, user: User, project: int | None = None) -> None:
        await view_service.reset_views(db, (await get_project(db, _required(project, "project"))).id)

    @post("/reset", operation_id="dm_views_reset", status_code=HTTP_204_NO_CONTENT)
    async def reset(self, db: AsyncSession, user: User, request: Request[Any, Any, Any], project: int | None = None) -> None:
        if project is None:
            body = await request.json() if await request.body() else {}
            project = body.get("project") if isinstance(body, dict) else None
        await view_service.reset_views(db, (await get_project(db, _required(project, "project"))).id)

    @post("/order", operation_id="dm_views_order", status_code=HTTP_200_OK)
    async def order(self, db: AsyncSession, user: User, data: ViewOrder) -> None:
        await view_service.order_views(db, (await get_project(db, data.project)).id, data.ids)


class ActionsController(Controller):
    path = "/api/dm/actions"
    tags = ["Data Manager"]

    @get("/", operation_id="dm_actions_list")
    async def list_actions(self, host: PluginHost, user: User, project: int | None = None) -> list[dict[str, Any]]:
        return list_actions(host)

    @get("/{action_id:str}/form", operation_id="dm_action_form")
    async def form(self, db: AsyncSession, host: PluginHost, user: User, action_id: str, project: int | None = None) -> list[dict[str, Any]]:
        """The parameters an action asks for (Label Studio's form schema); [] when it takes none."""
        spec = host.registries.actions.get(action_id)
        if spec is None:
            raise NotFound(f"Action {action_id!r} not found.")
        if spec.form is None:
            return []
        return await spec.form(db, await get_project(db, _required(project, "project")))

    @post("/", operation_id="dm_actions_run", status_code=HTTP_200_OK)
    async def run(
        self,
        db: AsyncSession,
        host: PluginHost,
        user: User,
        request: Request[Any, Any, Any],
        id: str | None = None,
        project: int | None = None,
        view: int | None = None,
    ) -> dict[str, Any]:
        name = id
        if not name:
            raise ValidationFailed("Pass ?id=<action>.", validation_errors={"id": ["this parameter is required"]})
        body = await request.json() if await request.body() else {}
        if not isinstance(body, dict):
            raise ValidationFailed("The body must be a JSON object.", validation_errors={"body": ["must be an object"]})
        # The view's filters and ordering, then whatever the body says (its selection above all).
        base = DMQuery()
        if view is not None:
            view_row = await view_service.get_view(db, view)
            project = project or view_row.project_id
            base = view_query(view_row.data)
        query = replace(parse_query(body, base), viewer=user.id)  # per-user columns (unread comments)
        project_row = await get_project(db, _required(project, "project"))
        context = ActionContext(db=db, host=host, project=project_row, user=user, query=query, params=body,
                                jobs=getattr(request.app.state, "jobs", None))
        return await run_action(context, name)
