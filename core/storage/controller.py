"""Label Studio's storage API: ``/api/storages/`` (sources) and ``/api/storages/export/``
(targets): list, types, per-type CRUD, ``validate`` and ``sync`` (+ ``cancel``, ours); and the
media endpoints: ``/data/storage/{project id}/resolve/`` and ``/tasks/{id}/resolve/?fileuri=`` and the paths kinds serve at."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..host import PluginHost
from ..jobs import jobs_of
from ..projects.service import get_project
from ..registries import Registries
from ..settings import Settings
from ..tasks.models import Task
from ..users.models import User
from . import service
from .config import form_fields, spec_for
from .media import claiming_storage, object_response, resolve_response
from .models import EXPORT, IMPORT
from .stale import settle_stalled


def _types(registries: Registries) -> list[dict[str, Any]]:
    return [{"name": spec.name, "title": spec.title, "schemes": list(spec.schemes), "fields": form_fields(spec)}
            for spec in registries.storages]


class _StorageApi(Controller):
    role = IMPORT

    @get("/")
    async def list_all(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, registries: Registries,
                       project: int | None = None) -> list[dict[str, Any]]:
        """Every storage of this role (of one project with ``?project=``), whatever its type."""
        storages = await service.list_storages(db, self.role, project=project)
        await settle_stalled(db, jobs_of(request), storages)
        return service.many_out(registries, storages)

    @get("/types")
    async def types(self, user: User, registries: Registries) -> list[dict[str, Any]]:
        """``[{name, title, schemes, fields}]``: the storage types the plugins offer and each
        type's settings (what the settings dialog is generated from)."""
        return _types(registries)

    @get("/{kind:str}")
    async def list_kind(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, registries: Registries,
                        kind: str, project: int | None = None) -> list[dict[str, Any]]:
        spec_for(registries, kind)
        storages = await service.list_storages(db, self.role, project=project, kind=kind)
        await settle_stalled(db, jobs_of(request), storages)
        return service.many_out(registries, storages)

    @post("/{kind:str}", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, user: User, registries: Registries, settings: Settings, kind: str,
                     data: dict[str, Any]) -> dict[str, Any]:
        storage = await service.create_storage(db, registries, settings, self.role, kind, data)
        return service.storage_out(storage, spec_for(registries, kind))

    @post("/{kind:str}/validate", status_code=HTTP_200_OK)
    async def validate(self, db: AsyncSession, user: User, registries: Registries, settings: Settings, kind: str,
                       data: dict[str, Any]) -> dict[str, Any]:
        """Check connection: 200 ``{}`` when the storage can be listed, 400 saying why not."""
        await service.validate_storage(db, registries, settings, self.role, kind, data)
        return {}

    @get("/{kind:str}/form")
    async def form(self, user: User, registries: Registries, kind: str) -> list[dict[str, Any]]:
        return form_fields(spec_for(registries, kind))

    @get("/{kind:str}/{storage_id:int}")
    async def get_one(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, registries: Registries,
                      kind: str, storage_id: int) -> dict[str, Any]:
        storage = await service.get_storage(db, self.role, kind, storage_id)
        await settle_stalled(db, jobs_of(request), [storage])
        return service.storage_out(storage, registries.storages.get(kind))

    @patch("/{kind:str}/{storage_id:int}")
    async def update(self, db: AsyncSession, user: User, registries: Registries, settings: Settings, kind: str,
                     storage_id: int, data: dict[str, Any]) -> dict[str, Any]:
        storage = await service.get_storage(db, self.role, kind, storage_id)
        storage = await service.update_storage(db, registries, settings, storage, data)
        return service.storage_out(storage, spec_for(registries, kind))

    @delete("/{kind:str}/{storage_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, kind: str, storage_id: int) -> None:
        """Delete the connection; tasks it created stay (as in Label Studio)."""
        await db.delete(await service.get_storage(db, self.role, kind, storage_id))

    @post("/{kind:str}/{storage_id:int}/sync", status_code=HTTP_200_OK)
    async def sync(self, request: Request[Any, Any, Any], db: AsyncSession, user: User, registries: Registries,
                   kind: str, storage_id: int) -> dict[str, Any]:
        """Start a sync job; the storage's ``status`` and ``meta`` show its progress."""
        storage = await service.get_storage(db, self.role, kind, storage_id)
        storage = await service.start_sync(db, jobs_of(request), storage, user)
        return service.storage_out(storage, registries.storages.get(kind))

    @post("/{kind:str}/{storage_id:int}/cancel", status_code=HTTP_200_OK)
    async def cancel(self, db: AsyncSession, user: User, registries: Registries, kind: str, storage_id: int) -> dict[str, Any]:
        """Stop a queued or running sync after its current batch (what it added stays)."""
        storage = await service.cancel_sync(db, await service.get_storage(db, self.role, kind, storage_id))
        return service.storage_out(storage, registries.storages.get(kind))


class ImportStorageController(_StorageApi):
    path = "/api/storages"
    tags = ["Storage"]
    role = IMPORT


class ExportStorageController(_StorageApi):
    path = "/api/storages/export"
    tags = ["Storage"]
    role = EXPORT


# -- media ---------------------------------------------------------------------------------------
@get(["/data/storage/{project_id:int}/resolve", "/data/storage/{project_id:int}/presign"], tags=["Storage"],
     include_in_schema=False)
async def project_resolve(request: Request[Any, Any, Any], db: AsyncSession, user: User, host: PluginHost,
                          settings: Settings, project_id: int, fileuri: str) -> Response[Any]:
    """A storage object of the project: 303 to a presigned URL, or the bytes (Range supported)."""
    await get_project(db, project_id)
    return await resolve_response(db, host.registries, settings, project_id, fileuri, request.headers.get("range"))


@get(["/tasks/{task_id:int}/resolve", "/tasks/{task_id:int}/presign"], tags=["Storage"], include_in_schema=False)
async def task_resolve(request: Request[Any, Any, Any], db: AsyncSession, user: User, host: PluginHost,
                       settings: Settings, task_id: int, fileuri: str) -> Response[Any]:
    task = await db.get(Task, task_id)
    if task is None:
        raise NotFound("Task not found.")
    return await resolve_response(db, host.registries, settings, task.project_id, fileuri, request.headers.get("range"))


def served_routes(registries: Registries) -> list[HTTPRouteHandler]:
    """A GET handler for each path a storage kind serves its objects at (``/data/local-files/``):
    the object of the first source storage whose connector claims the URL (Label Studio's rule:
    a storage of that kind must contain the file), for signed-in users."""
    paths = sorted({spec.served_at for spec in registries.storages if spec.served_at})
    return [_served_route(path, [spec for spec in registries.storages if spec.served_at == path]) for path in paths]


def _served_route(path: str, kinds: list[Any]) -> HTTPRouteHandler:
    async def serve(request: Request[Any, Any, Any], db: AsyncSession, user: User, host: PluginHost,
                    settings: Settings) -> Response[Any]:
        query = request.scope.get("query_string", b"").decode("latin-1")
        uri = f"{path}?{query}" if query else path
        _, connector, key = await claiming_storage(db, host.registries, settings, uri, kinds=kinds)
        return await object_response(connector, key, request.headers.get("range"))

    name = "storage_served_" + "".join(c if c.isalnum() else "_" for c in path).strip("_")
    return get(path, name=name, operation_id=name, tags=["Storage"], include_in_schema=False)(serve)
