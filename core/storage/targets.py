"""Target (export) storages: every saved annotation written as Label Studio's object, deletions
mirrored when ``can_delete_objects`` is on, and a manual sync that writes them all (a cancel
stops it between batches).

Object key: ``<prefix>/<annotation id>`` (no extension; ``prefix`` is the kind's config field of
that name, if it has one). Body: the annotation JSON with a nested ``task`` (its data, without
other annotations) and a ``completed_by`` object, as Label Studio writes it.

:class:`TargetStage` runs just before a commit that carries annotation events: if the event's
project has a target storage it queues ``core.storage_target_write`` after the commit. The job
retries with back-off (SAQ); each failure is shown in the storage's ``status``/``traceback``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from ..annotations.models import Annotation
from ..db.epochs import HOOKS, EpochCache
from ..errors import LabelloomError
from ..events import AfterCommit, DomainEvent
from ..jobs.service import JobService
from ..jobs.worker import set_progress
from ..tasks.models import Task
from ..tasks.serialize import annotation_json
from ..users.models import User
from .models import EXPORT, Storage
from .service import EXPORT_SYNC_JOB, in_thread, locked_storage, storage_connector

log = logging.getLogger(__name__)

WRITE_JOB = "core.storage_target_write"
WRITE_EVENTS = frozenset({"ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED"})
DELETE_EVENTS = frozenset({"ANNOTATIONS_DELETED"})
BATCH = 200  # annotations read at a time by a manual sync

_TARGET_PROJECTS = select(Storage.project_id).where(Storage.role == EXPORT).distinct()

__all__ = ["EXPORT_SYNC_JOB", "TargetStage", "WRITE_JOB", "export_sync", "object_key", "write_annotations"]


def object_key(config: dict[str, Any], annotation_id: int) -> str:
    prefix = str(config.get("prefix") or "").strip("/")
    return f"{prefix}/{annotation_id}" if prefix else str(annotation_id)


def _ids(payload: dict[str, Any], key: str) -> list[int]:
    value = payload.get(key)
    items = value if isinstance(value, list) else [value]
    return [int(item["id"]) for item in items if isinstance(item, dict) and isinstance(item.get("id"), int)]


class TargetStage:
    """Queues target writes for annotation events of projects that have a target storage."""

    def __init__(self, jobs: JobService) -> None:
        self.jobs = jobs
        # Kept while the ``hooks`` epoch stands (db/epochs.py): few projects have a target.
        self._targets = EpochCache(HOOKS, lambda session: frozenset(session.execute(_TARGET_PROJECTS).scalars()))

    def __call__(self, session: Session, events: list[DomainEvent]) -> list[AfterCommit]:
        relevant = [e for e in events if (e.name in WRITE_EVENTS or e.name in DELETE_EVENTS) and e.project_id]
        if not relevant:
            return []
        targets = self._targets.get(session)
        work: list[AfterCommit] = []
        for event in relevant:
            if event.project_id not in targets:
                continue
            payload = event.build(session)
            deleted = event.name in DELETE_EVENTS
            ids = _ids(payload, "annotations" if deleted else "annotation")
            if ids:
                work.append(self._enqueue(event.project_id, ids, deleted))
        return work

    def _enqueue(self, project_id: int, ids: list[int], deleted: bool) -> AfterCommit:
        async def send() -> None:
            await self.jobs.enqueue(WRITE_JOB, project_id=project_id, annotation_ids=ids, deleted=deleted)

        return send


async def _annotation_bodies(db: AsyncSession, annotations: Iterable[Annotation]) -> list[tuple[int, bytes]]:
    """``(annotation id, JSON body)`` for each annotation, in two queries (tasks, users)."""
    annotations = list(annotations)
    task_ids = {a.task_id for a in annotations}
    user_ids = {a.completed_by_id for a in annotations if a.completed_by_id}
    tasks = {t.id: t for t in (await db.execute(select(Task).where(Task.id.in_(task_ids)))).scalars()} if task_ids else {}
    users = {u.id: u for u in (await db.execute(select(User).where(User.id.in_(user_ids)))).scalars()} if user_ids else {}
    bodies = []
    for a in annotations:
        body = annotation_json(a)
        task = tasks.get(a.task_id)
        if task is not None:
            body["task"] = {
                "id": task.id, "data": task.data, "meta": task.meta or {}, "project": task.project_id,
                "inner_id": task.inner_id, "created_at": task.created_at, "updated_at": task.updated_at,
                "is_labeled": task.is_labeled, "overlap": task.overlap, "file_upload": task.file_upload,
            }
        user = users.get(a.completed_by_id) if a.completed_by_id else None
        body["completed_by"] = (
            {"id": user.id, "email": user.email, "first_name": user.first_name, "last_name": user.last_name}
            if user is not None else a.completed_by_id
        )
        bodies.append((a.id, msgspec.json.encode(body)))
    return bodies


async def _mark(sessions: async_sessionmaker[AsyncSession], storage_id: int, error: str | None) -> None:
    async with sessions() as db:
        storage = await locked_storage(db, storage_id)
        if storage is None:
            return
        if error is None:
            if storage.status == "failed":
                storage.status, storage.traceback = "completed", None
            storage.meta = {**(storage.meta or {}), "last_write_error": None}
        else:
            storage.status, storage.traceback = "failed", error
            storage.meta = {**(storage.meta or {}), "last_write_error": error,
                            "last_write_error_at": datetime.now(UTC).isoformat()}
        await db.commit()


async def write_annotations(ctx: dict[str, Any], *, project_id: int, annotation_ids: list[int],
                            deleted: bool = False) -> dict[str, Any]:
    """``core.storage_target_write``: write (or delete) these annotations in every target storage
    of the project. A failing storage is marked and the job raises, so SAQ retries it with
    back-off; writes are idempotent, so storages that succeeded are simply written again."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    registries, settings = ctx["host"].registries, ctx["settings"]
    async with sessions() as db:
        storages = list((await db.execute(
            select(Storage).where(Storage.project_id == project_id, Storage.role == EXPORT).order_by(Storage.id)
        )).scalars())
        bodies = [] if deleted else await _annotation_bodies(
            db, (await db.execute(select(Annotation).where(Annotation.id.in_(annotation_ids)))).scalars()
        )
    failures: list[str] = []
    written = 0
    for storage in storages:
        if deleted and not storage.can_delete_objects:
            continue
        try:
            connector = await storage_connector(registries, storage, settings)
            if deleted:
                for annotation_id in annotation_ids:
                    await in_thread(connector.delete, object_key(storage.config or {}, annotation_id))
            else:
                for annotation_id, body in bodies:
                    await in_thread(connector.write, object_key(storage.config or {}, annotation_id), body)
                    written += 1
        except LabelloomError as exc:
            message = str(getattr(exc, "detail", exc))
            failures.append(f"storage {storage.id}: {message}")
            await _mark(sessions, storage.id, f"Writing annotations failed: {message}")
            continue
        await _mark(sessions, storage.id, None)
    if failures:
        raise RuntimeError("; ".join(failures))
    return {"written": written, "storages": len(storages)}


async def export_sync(ctx: dict[str, Any], *, storage_id: int, by_user: int | None = None) -> dict[str, Any]:
    """``core.storage_export_sync``: write every annotation of the project to one target storage."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    registries, settings = ctx["host"].registries, ctx["settings"]
    async with sessions() as db:
        storage = await db.get(Storage, storage_id)
        if storage is None:
            return {"skipped": "the storage was deleted"}
        storage.status, storage.traceback = "in_progress", None
        project_id, config = storage.project_id, dict(storage.config or {})
        await db.commit()
    written, after = 0, 0
    try:
        async with sessions() as db:
            storage = await db.get(Storage, storage_id)
            connector = await storage_connector(registries, storage, settings)
        while True:
            if await _cancel_requested(sessions, storage_id):  # checked between batches, as sources do
                await _finish(sessions, storage_id, "cancelled", written, None)
                return {"written": written, "cancelled": True}
            async with sessions() as db:
                batch = list((await db.execute(
                    select(Annotation).where(Annotation.project_id == project_id, Annotation.id > after)
                    .order_by(Annotation.id).limit(BATCH)
                )).scalars())
                if not batch:
                    break
                bodies = await _annotation_bodies(db, batch)
            for annotation_id, body in bodies:
                await in_thread(connector.write, object_key(config, annotation_id), body)
            written += len(bodies)
            after = batch[-1].id
            await set_progress(ctx, 0.5, f"{written} annotations written")
    except LabelloomError as exc:
        await _finish(sessions, storage_id, "failed", written, str(getattr(exc, "detail", exc)))
        raise
    except Exception as exc:
        await _finish(sessions, storage_id, "failed", written, f"{type(exc).__name__}: {exc}")
        raise
    await _finish(sessions, storage_id, "completed", written, None)
    return {"written": written}


async def _cancel_requested(sessions: async_sessionmaker[AsyncSession], storage_id: int) -> bool:
    async with sessions() as db:
        storage = await db.get(Storage, storage_id)
        return storage is None or bool((storage.meta or {}).get("cancel_requested"))


async def _finish(sessions: async_sessionmaker[AsyncSession], storage_id: int, status: str, count: int,
                  error: str | None) -> None:
    async with sessions() as db:
        storage = await locked_storage(db, storage_id)
        if storage is None:
            return
        storage.status, storage.traceback = status, error
        storage.last_sync, storage.last_sync_count = datetime.now(UTC), count
        storage.meta = {**(storage.meta or {}), "annotations_written": count, "cancel_requested": False}
        await db.commit()
