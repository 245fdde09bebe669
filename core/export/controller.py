"""Export routes: the streamed easy export, its formats, and snapshots (``/exports/``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import Parameter
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..files import file_response
from ..jobs import jobs_of
from ..host import PluginHost
from ..projects.service import get_project, parsed_config
from ..settings import Settings
from ..users.models import User
from . import snapshots
from .context import ExportContext
from .files import export_filename
from .formats import exporter, formats_json
from .ids import body_task_ids, query_task_ids
from .media import MediaReader
from .options import easy_export_options
from ..datamanager.selection import view_conditions
from .sources import database_source


class ProjectExportController(Controller):
    path = "/api/projects/{project_id:int}/export"
    tags = ["Export"]

    @get("/", operation_id="projects_export")
    async def export(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        host: PluginHost,
        settings: Settings,
        user: User,
        project_id: int,
        export_type_camel: str | None = Parameter(query="exportType", default=None),
        export_type: str | None = None,
        download_all_tasks: bool = False,
        download_resources: bool = False,
        interpolate_key_frames: bool = False,
        view: int | None = None,
    ) -> Stream:
        """Stream the project's tasks in a format, written as they are read from the database.
        ``ids`` chooses tasks in any form Label Studio's docs and SDK send: ``ids[]=1&ids[]=2``,
        ``ids=1&ids=2`` or ``ids=1,2``. ``exclude_ids`` (ours, same forms) leaves tasks out:
        with ``view``, the data manager's "all but excluded" selection. ``interpolate_key_frames``
        expands keyframed regions (video tracks) into every frame, as Label Studio's option does."""
        ids = query_task_ids(request.query_params, "ids")
        exclude_ids = query_task_ids(request.query_params, "exclude_ids")
        project = await get_project(db, project_id)
        config = parsed_config(project, host.registries)
        spec = exporter(host.registries, export_type_camel or export_type or "JSON", config)
        options = easy_export_options(download_all_tasks=download_all_tasks, ids=ids, view=view, exclude_ids=exclude_ids)
        options.serialization_options.interpolate_key_frames = interpolate_key_frames
        await view_conditions(db, project.id, view)  # an unknown or foreign view is a 404 before streaming
        context = ExportContext(project_id=project.id, config=config, options=options,
                                source=database_source(request.app.state.sessionmaker, project.id, options),
                                media=MediaReader.for_project(settings, host, project.id, request.app.state.sessionmaker),
                                download_resources=download_resources)
        filename = export_filename(project.id, spec.file_extension)
        return Stream(spec.write(context), media_type=spec.media_type,
                      headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @get("/formats", operation_id="projects_export_formats")
    async def formats(self, db: AsyncSession, host: PluginHost, user: User, project_id: int) -> list[dict[str, Any]]:
        project = await get_project(db, project_id)
        return formats_json(host.registries, parsed_config(project, host.registries))


def _with_task_ids(body: Any) -> dict[str, Any]:
    """A snapshot body whose chosen tasks may also be given as a top-level ``ids`` (a list or
    ``"1,2"``), as the easy export takes them; they land in ``task_filter_options.ids``."""
    if not isinstance(body, dict):
        return {}
    options = body.get("task_filter_options")
    if options is not None and not isinstance(options, dict):
        return body  # refused, naming the field, by the options' own check
    options = dict(options or {})
    for name in ("ids", "exclude_ids"):
        chosen = body_task_ids(options, name) or body_task_ids(body, name)
        if chosen is not None:
            options[name] = chosen
    return {**body, "task_filter_options": options} if options or "task_filter_options" in body else body


class ExportSnapshotController(Controller):
    path = "/api/projects/{project_id:int}/exports"
    tags = ["Export"]

    @get("/", operation_id="projects_exports_list")
    async def list_exports(self, db: AsyncSession, user: User, project_id: int) -> list[dict[str, Any]]:
        await get_project(db, project_id)
        exports = await snapshots.list_exports(db, project_id)
        creators = {e.created_by_id: await db.get(User, e.created_by_id) for e in exports if e.created_by_id}
        return [snapshots.export_json(e, creators.get(e.created_by_id)) for e in exports]

    @post("/", operation_id="projects_exports_create", status_code=HTTP_201_CREATED)
    async def create(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, project_id: int,
                     data: dict[str, Any] | None = None) -> dict[str, Any]:
        project = await get_project(db, project_id)
        export = await snapshots.create_export(db, jobs_of(request), project, user, _with_task_ids(data))
        return snapshots.export_json(export, user)

    @get("/{export_id:int}", operation_id="projects_exports_get")
    async def get_one(self, db: AsyncSession, user: User, project_id: int, export_id: int) -> dict[str, Any]:
        export = await snapshots.get_export(db, project_id, export_id)
        creator = await db.get(User, export.created_by_id) if export.created_by_id else None
        return snapshots.export_json(export, creator)

    @delete("/{export_id:int}", operation_id="projects_exports_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, settings: Settings, user: User, project_id: int, export_id: int) -> None:
        export = await snapshots.get_export(db, project_id, export_id)
        await snapshots.delete_export(db, settings.data_dir, export)

    @get("/{export_id:int}/download", operation_id="projects_exports_download")
    async def download(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        settings: Settings,
        user: User,
        project_id: int,
        export_id: int,
        export_type: str = Parameter(query="exportType", default="JSON"),
    ) -> Response[Any]:
        export = await snapshots.get_export(db, project_id, export_id)
        path = snapshots.export_file(settings.data_dir, export, export_type)
        response = file_response(path, request.headers.get("range"))
        response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
        return response

    @post("/{export_id:int}/convert", operation_id="projects_exports_convert", status_code=200)
    async def convert(self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User,
                      project_id: int, export_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        project = await get_project(db, project_id)
        export = await snapshots.get_export(db, project_id, export_id)
        export_type = str((data or {}).get("export_type") or "JSON")
        converted = await snapshots.convert_export(db, jobs_of(request), host.registries, project, export,
                                                   export_type, user,
                                                   download_resources=bool((data or {}).get("download_resources")))
        return {"export_type": export_type, "converted_format": converted}
