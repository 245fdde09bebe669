"""Storage rows: create, read, update, delete, check a connection, start a sync; and the
connector a row stands for (built by the kind's plugin, in a worker thread, cached per config)."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import LabelloomError, NotFound, StorageError
from ..input_limits import check_int
from ..jobs.models import JobRecord
from ..jobs.service import JobService
from ..net import check_outbound_url
from ..projects.models import Project
from ..registries import Registries
from ..settings import Settings
from ..specs import StorageConnector, StorageSpec
from ..users.models import User
from .config import config_struct, invalid, masked, spec_for, split_body
from .models import EXPORT, IMPORT, Storage

log = logging.getLogger(__name__)
T = TypeVar("T")

SYNC_JOB = "core.storage_sync"
EXPORT_SYNC_JOB = "core.storage_export_sync"
CONNECTOR_CACHE = 64  # connectors kept per process (building a cloud client costs tens of ms)


# -- connectors --------------------------------------------------------------------------------
class _Connectors:
    """A small LRU of built connectors keyed by kind and config, so media requests reuse clients."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, str], StorageConnector] = OrderedDict()

    def get(self, spec: StorageSpec, config: dict[str, Any]) -> StorageConnector | None:
        key = (id(spec), json.dumps(config, sort_keys=True, default=str))
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, spec: StorageSpec, config: dict[str, Any], connector: StorageConnector) -> None:
        key = (id(spec), json.dumps(config, sort_keys=True, default=str))
        self.items[key] = connector
        while len(self.items) > self.size:
            self.items.popitem(last=False)


_connectors = _Connectors(CONNECTOR_CACHE)


async def in_thread(function: Callable[..., T], *args: Any) -> T:
    """Run a blocking connector call in a worker thread; unexpected failures become a
    StorageError whose message names the kind of failure but never its arguments (credentials)."""
    try:
        return await anyio.to_thread.run_sync(function, *args)
    except LabelloomError:
        raise
    except Exception as exc:
        log.warning("storage call %s failed", getattr(function, "__name__", function), exc_info=True)
        raise StorageError(f"The storage failed unexpectedly ({type(exc).__name__}).") from None


async def check_urls(spec: StorageSpec, config: dict[str, Any], settings: Settings) -> None:
    """The SSRF guard on the kind's endpoint fields (``s3_endpoint`` ...)."""
    for name in spec.url_fields:
        value = config.get(name)
        if value:
            await check_outbound_url(str(value), allow_private=settings.allow_private_urls, field=name)


async def connector_for(spec: StorageSpec, config: dict[str, Any], settings: Settings) -> StorageConnector:
    if spec.connector is None:
        raise StorageError(f"Storage type {spec.name!r} cannot connect (its plugin gives no connector).")
    await check_urls(spec, config, settings)
    cached = _connectors.get(spec, config)
    if cached is not None:
        return cached
    connector = await in_thread(spec.connector, config_struct(spec, config))
    _connectors.put(spec, config, connector)
    return connector


async def storage_connector(registries: Registries, storage: Storage, settings: Settings) -> StorageConnector:
    return await connector_for(spec_for(registries, storage.kind), storage.config or {}, settings)


# -- rows ----------------------------------------------------------------------------------------
def storage_out(storage: Storage, spec: StorageSpec | None) -> dict[str, Any]:
    """Label Studio's storage JSON: common fields, the kind's config flat, secrets masked."""
    config = masked(spec, storage.config or {}) if spec is not None else {}
    out: dict[str, Any] = {
        **config,
        "id": storage.id,
        "type": storage.kind,
        "project": storage.project_id,
        "title": storage.title,
        "description": storage.description,
        "regex_filter": storage.regex_filter,
        "use_blob_urls": storage.use_blob_urls,
        "created_at": storage.created_at,
        "last_sync": storage.last_sync,
        "last_sync_count": storage.last_sync_count,
        "last_sync_job": storage.last_sync_job,
        "status": storage.status,
        "traceback": storage.traceback,
        "meta": storage.meta or {},
        "synchronizable": True,
    }
    if storage.role == IMPORT:
        out.update(presign=storage.presign, presign_ttl=storage.presign_ttl, recursive_scan=storage.recursive_scan)
    else:
        out["can_delete_objects"] = bool(storage.can_delete_objects)
    return out


def many_out(registries: Registries, storages: list[Storage]) -> list[dict[str, Any]]:
    return [storage_out(s, registries.storages.get(s.kind)) for s in storages]


async def list_storages(db: AsyncSession, role: str, *, project: int | None, kind: str | None = None) -> list[Storage]:
    query = select(Storage).where(Storage.role == role).order_by(Storage.id)
    if project is not None:
        query = query.where(Storage.project_id == project)
    if kind is not None:
        query = query.where(Storage.kind == kind)
    return list((await db.execute(query)).scalars())


async def get_storage(db: AsyncSession, role: str, kind: str | None, storage_id: int) -> Storage:
    storage = await db.get(Storage, storage_id)
    if storage is None or storage.role != role or (kind is not None and storage.kind != kind):
        raise NotFound("No storage matches the given query.")
    return storage


def _project_id(body: dict[str, Any]) -> int:
    project = body.get("project")
    if isinstance(project, bool) or not isinstance(project, int):
        raise invalid("project", "is required (the id of the project)")
    check_int("project", project)
    return project


async def create_storage(db: AsyncSession, registries: Registries, settings: Settings, role: str, kind: str,
                         body: dict[str, Any]) -> Storage:
    spec = spec_for(registries, kind)
    common, config = split_body(spec, role, body)
    project_id = _project_id(body)
    if await db.get(Project, project_id) is None:
        raise invalid("project", f"project {project_id} does not exist")
    await check_connection(spec, config, settings)
    storage = Storage(project_id=project_id, kind=kind, role=role, config=config, status="initialized", meta={},
                      **common)
    db.add(storage)
    await db.flush()
    return storage


async def update_storage(db: AsyncSession, registries: Registries, settings: Settings, storage: Storage,
                         body: dict[str, Any]) -> Storage:
    spec = spec_for(registries, storage.kind)
    common, config = split_body(spec, storage.role, body, stored=storage.config or {}, partial=True)
    if config != (storage.config or {}):
        await check_connection(spec, config, settings)
    for name, value in common.items():
        setattr(storage, name, value)
    storage.config = config
    await db.flush()
    return storage


async def validate_storage(db: AsyncSession, registries: Registries, settings: Settings, role: str, kind: str,
                           body: dict[str, Any]) -> None:
    """*Check connection*: the settings as sent (merged into the stored ones when ``id`` is
    given, so secrets need not be typed again), then the connector's own check."""
    spec = spec_for(registries, kind)
    stored = None
    if isinstance(body, dict) and isinstance(body.get("id"), int):
        stored = (await get_storage(db, role, kind, body["id"])).config
    _, config = split_body(spec, role, body, stored=stored, partial=stored is not None)
    await check_connection(spec, config, settings)


async def check_connection(spec: StorageSpec, config: dict[str, Any], settings: Settings) -> None:
    """Label Studio checks the connection before saving: a storage that cannot be listed is a
    400 saying why, not a row that fails later."""
    connector = await connector_for(spec, config, settings)
    await in_thread(connector.validate)


async def locked_storage(db: AsyncSession, storage_id: int) -> Storage | None:
    """The storage row, fresh and write-locked until the transaction ends.

    ``meta`` is rewritten whole by the sync job (progress) and by requests (a cancel): each
    reads it and writes it back, so without the lock one overwrites what the other just
    committed, and a cancel asked mid-sync was lost. SQLite locks the database, not a row: a
    write taken first makes the read that follows see the latest row, and holds off others
    (of ``status``: a write of a column the hooks cache watches would bump its epoch, 0018)."""
    postgres = db.get_bind().dialect.name == "postgresql"
    if not postgres:
        await db.execute(update(Storage).where(Storage.id == storage_id).values(status=Storage.status),
                         execution_options={"synchronize_session": False})
    return await db.get(Storage, storage_id, with_for_update=postgres, populate_existing=True)


async def start_sync(db: AsyncSession, jobs: JobService, storage: Storage, user: User) -> Storage:
    """Queue a tracked sync job (one at a time per storage: a running one is reported, not doubled)."""
    storage = await locked_storage(db, storage.id) or storage
    if storage.status in ("queued", "in_progress") and await _job_running(db, storage.last_sync_job):
        return storage
    name = SYNC_JOB if storage.role == IMPORT else EXPORT_SYNC_JOB
    record = await jobs.submit(db, name, project_id=storage.project_id, user_id=user.id, storage_id=storage.id,
                              by_user=user.id)
    storage.status = "queued"
    storage.traceback = None
    storage.last_sync_job = str(record.id)
    storage.meta = {**(storage.meta or {}), "cancel_requested": False, "job": record.id}
    await db.flush()
    return storage


async def _job_running(db: AsyncSession, job_id: str | None) -> bool:
    """Whether the storage's sync job is still queued or running (a worker that died leaves the
    storage "in_progress"; a new sync may then start)."""
    if not job_id or not job_id.isdigit():
        return False
    record = await db.get(JobRecord, int(job_id))
    return record is not None and record.status in ("queued", "active")


async def cancel_sync(db: AsyncSession, storage: Storage) -> Storage:
    """Ask a queued or running sync to stop after its current batch (what it added stays)."""
    storage = await locked_storage(db, storage.id) or storage
    if storage.status in ("queued", "in_progress"):
        storage.meta = {**(storage.meta or {}), "cancel_requested": True}
        await db.flush()
    return storage


__all__ = ["EXPORT", "IMPORT"]
