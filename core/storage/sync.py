"""``core.storage_sync``: a source storage's objects become tasks, page by page.

The listing is pulled from the connector a page at a time (bounded memory at any bucket size);
keys already linked to a task of this storage are skipped, so a sync only adds what is new and
running it twice changes nothing; a task file committed only in part is resumed after its last
linked row. With ``use_blob_urls`` each object is one task whose first data
key holds the object's URI; otherwise each object is a task file (JSON, JSON array, JSONL) whose
rows, annotations and predictions included, go through the task importer. Tasks are inserted and
committed in batches, so a failure keeps what came before it; a failing object or row is reported
by key in the storage's ``meta.errors`` and the sync goes on. A cancel stops after the batch.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..db.bulk import bulk_insert
from ..errors import LabelloomError, ValidationFailed
from ..imports.parsers import UNDEFINED_KEY, RawItem
from ..imports.service import PreparedTask, TaskImporter
from ..jobs.worker import set_progress
from ..projects.service import get_project, parsed_config
from ..specs import JobSpec
from ..tasks.models import Task
from ..users.models import User
from .config import compile_filter
from .models import Storage, StorageLink
from .service import SYNC_JOB, in_thread, locked_storage, storage_connector
from .taskfiles import TaskFileError, task_rows

log = logging.getLogger(__name__)

PAGE = 1000  # listed objects handled at a time
BATCH = 1000  # tasks inserted per transaction
ROWS = 500  # task-file rows read from a worker thread at a time
MAX_ERRORS = 100  # errors kept in the storage's meta (the count goes on)
LINK_COLUMNS = ("storage_id", "task_id", "key", "row_index", "created_at")


class Cancelled(Exception):
    pass


@dataclass
class Pending:
    """Task items waiting for the next insert, with the (key, row) each came from."""

    items: list[tuple[RawItem, str, int]] = field(default_factory=list)


@dataclass
class Progress:
    listed: int = 0
    skipped: int = 0
    created: int = 0
    annotations: int = 0
    predictions: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def fail(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message[:1000])

    def meta(self) -> dict[str, Any]:
        return {
            "objects_listed": self.listed, "objects_skipped": self.skipped, "tasks_created": self.created,
            "annotations_created": self.annotations, "predictions_created": self.predictions,
            "errors": self.errors, "error_count": self.error_count, "time_last_ping": datetime.now(UTC).isoformat(),
        }

    def message(self) -> str:
        text = f"{self.listed} objects listed, {self.created} tasks created"
        return text + (f", {self.error_count} errors" if self.error_count else "")


def _take(iterator: Iterator[Any], count: int) -> list[Any]:
    return list(itertools.islice(iterator, count))


class StorageSync:
    def __init__(self, ctx: dict[str, Any], storage_id: int, user_id: int | None) -> None:
        self.ctx = ctx
        self.sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
        self.registries = ctx["host"].registries
        self.settings = ctx["settings"]
        self.storage_id = storage_id
        self.user_id = user_id
        self.progress = Progress()
        self.pending = Pending()
        # Task files with rows committed but not all of them (a sync died or a read failed
        # partway), kept in ``meta.partial_files``: the next sync resumes them after their last
        # linked row. ``unfinished``: files being read now or whose read failed.
        self.partial: set[str] = set()
        self.unfinished: set[str] = set()

    # -- status ------------------------------------------------------------------------------
    async def _write_status(self, **values: Any) -> bool:
        """Save counters (and ``values``) in the storage row; returns whether a cancel was asked."""
        async with self.sessions() as db:
            storage = await locked_storage(db, self.storage_id)
            if storage is None:
                raise Cancelled()
            cancel = bool((storage.meta or {}).get("cancel_requested"))
            storage.meta = {**(storage.meta or {}), **self.progress.meta(), "partial_files": sorted(self.partial)}
            for name, value in values.items():
                setattr(storage, name, value)
            await db.commit()
        return cancel

    async def _checkpoint(self) -> None:
        cancel = await self._write_status()
        await set_progress(self.ctx, 0.5, self.progress.message())
        if cancel:
            raise Cancelled()

    # -- the run -------------------------------------------------------------------------------
    async def run(self) -> dict[str, Any]:
        async with self.sessions() as db:
            storage = await db.get(Storage, self.storage_id)
            if storage is None:
                return {"skipped": "the storage was deleted"}
            project = await get_project(db, storage.project_id)
            self.parsed = parsed_config(project, self.registries)
            self.project_id = project.id
            self.blob_urls = storage.use_blob_urls
            self.recursive = storage.recursive_scan
            self.pattern = compile_filter(storage.regex_filter)
            self.connector = await storage_connector(self.registries, storage, self.settings)
            # Read again, locked, only now: the lock is not held while the connector is made.
            storage = await locked_storage(db, self.storage_id)
            if storage is None:
                return {"skipped": "the storage was deleted"}
            cancel = bool((storage.meta or {}).get("cancel_requested"))
            self.partial = set((storage.meta or {}).get("partial_files") or ())
            storage.status = "in_progress"
            storage.traceback = None
            storage.meta = {**(storage.meta or {}), **self.progress.meta()}
            await db.commit()
        try:
            if cancel:
                raise Cancelled()
            await self._sync()
        except Cancelled:
            await self._finish("cancelled")
            return {"cancelled": True, **self.progress.meta()}
        except LabelloomError as exc:
            self.progress.fail(str(exc.detail if hasattr(exc, "detail") else exc))
            await self._finish("failed", str(getattr(exc, "detail", exc)))
            raise
        except Exception as exc:
            log.exception("storage %s sync failed", self.storage_id)
            await self._finish("failed", f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}")
            raise
        await self._finish("completed_with_errors" if self.progress.error_count else "completed")
        return self.progress.meta()

    async def _finish(self, status: str, trace: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "last_sync": datetime.now(UTC), "last_sync_count": self.progress.created}
        if trace is not None:
            values["traceback"] = trace
        elif self.progress.error_count:
            values["traceback"] = "\n".join(self.progress.errors[:20])
        async with self.sessions() as db:
            storage = await locked_storage(db, self.storage_id)
            if storage is None:
                return
            meta = {**(storage.meta or {}), **self.progress.meta(), "cancel_requested": False,
                    "partial_files": sorted(self.partial)}
            storage.meta = meta
            for name, value in values.items():
                setattr(storage, name, value)
            await db.commit()

    async def _sync(self) -> None:
        listing = await in_thread(lambda: iter(self.connector.iter_objects(recursive=self.recursive)))
        listed_partial: set[str] = set()
        while True:
            page = await in_thread(_take, listing, PAGE)
            if not page:
                self.partial &= listed_partial | self.unfinished  # files gone from the storage
                break
            self.progress.listed += len(page)
            keys = [o.key for o in page if not o.key.endswith("/") and (self.pattern is None or self.pattern.match(o.key))]
            new = await self._unlinked(keys)
            self.progress.skipped += len(page) - len(new)
            for key, start_row in new:
                if self.blob_urls:
                    self._add(RawItem(key, {UNDEFINED_KEY: self.connector.uri(key)}), key, 0)
                else:
                    await self._read_task_file(key, start_row)
                if len(self.pending.items) >= BATCH:
                    await self._flush()
            await self._flush()
            listed_partial.update(self.partial.intersection(keys))
            await self._checkpoint()

    async def _unlinked(self, keys: list[str]) -> list[tuple[str, int]]:
        """``(key, first row to read)``: keys without a linked task from row 0, and partly
        imported task files from the row after their last linked one."""
        if not keys:
            return []
        async with self.sessions() as db:
            links = StorageLink.key.in_(keys), StorageLink.storage_id == self.storage_id
            linked = set((await db.execute(select(StorageLink.key).where(*links).distinct())).scalars())
            resume = [k for k in keys if k in linked and k in self.partial]
            starts = dict((await db.execute(
                select(StorageLink.key, func.max(StorageLink.row_index) + 1)
                .where(StorageLink.storage_id == self.storage_id, StorageLink.key.in_(resume))
                .group_by(StorageLink.key)
            )).all()) if resume else {}
        unique = dict.fromkeys(k for k in keys if k not in linked or k in starts)
        return [(k, int(starts.get(k, 0))) for k in unique]

    def _add(self, item: RawItem, key: str, row: int) -> None:
        self.pending.items.append((item, key, row))

    async def _read_task_file(self, key: str, start_row: int = 0) -> None:
        rows = await in_thread(lambda: task_rows(self.connector, key, start_row=start_row))
        self.unfinished.add(key)
        try:
            while True:
                try:
                    chunk = await in_thread(_take, rows, ROWS)
                except TaskFileError as exc:  # the file itself is wrong: reading it again will not help
                    self.progress.fail(exc.detail)
                    self._file_done(key)
                    return
                except LabelloomError as exc:  # the read failed: stays unfinished, resumed next sync
                    self.progress.fail(f"'{key}': {getattr(exc, 'detail', exc)}")
                    return
                if not chunk:
                    self._file_done(key)
                    return
                for row, value in chunk:
                    self._add(RawItem(f"'{key}' item {row}", value), key, row)
                    if len(self.pending.items) >= BATCH:
                        await self._flush()
        finally:
            await in_thread(rows.close)

    def _file_done(self, key: str) -> None:
        self.unfinished.discard(key)
        if not any(k == key for _, k, _ in self.pending.items):
            self.partial.discard(key)  # all its rows are committed already

    def _mark_partial(self, keys: set[str]) -> None:
        """Before committing rows of ``keys``: files still unfinished become partial, the others
        (their last rows go in now) stop being partial. Blob URLs are never unfinished."""
        for key in keys:
            (self.partial.add if key in self.unfinished else self.partial.discard)(key)

    async def _flush(self) -> None:
        pending, self.pending = self.pending, Pending()
        if not pending.items:
            return
        try:
            async with self.sessions() as db:
                project = await get_project(db, self.project_id)
                user = await db.get(User, self.user_id) if self.user_id is not None else None
                if user is None:
                    user = (await db.execute(select(User).order_by(User.id).limit(1))).scalar_one()
                importer = TaskImporter(db, self.registries, project, self.parsed, user)
                tasks: list[PreparedTask] = []
                origins: list[tuple[str, int]] = []
                for item, key, row in pending.items:
                    try:
                        tasks.extend(importer.prepare([item]))
                    except ValidationFailed as exc:  # one bad row is reported, the others go in
                        self.progress.fail(str(exc.detail))
                        continue
                    origins.append((key, row))
                if not tasks:
                    return
                result = await importer.insert(tasks)
                now = datetime.now(UTC)
                links = [(self.storage_id, task_id, key, row, now) for task_id, (key, row) in zip(result.task_ids, origins)]
                await bulk_insert(db, StorageLink.__table__, LINK_COLUMNS, links)
                # Committed with the links, so a killed sync leaves both or neither (written only
                # when it changes: at the first and last batch of a file spanning several).
                before = set(self.partial)
                self._mark_partial({key for key, _ in origins})
                storage = await locked_storage(db, self.storage_id) if self.partial != before else None
                if storage is not None:
                    storage.meta = {**(storage.meta or {}), "partial_files": sorted(self.partial)}
                # One statement (not one per task): each new task's filename from its link.
                tasks_table, links_table = Task.__table__, StorageLink.__table__
                await db.execute(
                    update(tasks_table)
                    .where(tasks_table.c.id.in_(result.task_ids))
                    .values(storage_filename=select(links_table.c.key)
                            .where(links_table.c.task_id == tasks_table.c.id).limit(1).scalar_subquery())
                )
                await db.commit()
        except ValidationFailed as exc:
            keys = sorted({key for _, key, _ in pending.items})
            shown = ", ".join(f"'{k}'" for k in keys[:5]) + (" ..." if len(keys) > 5 else "")
            self.progress.fail(f"{shown}: {exc.detail}")
            return
        self.progress.created += result.task_count
        self.progress.annotations += result.annotation_count
        self.progress.predictions += result.prediction_count


async def sync_storage(ctx: dict[str, Any], *, storage_id: int, by_user: int | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = await StorageSync(ctx, storage_id, by_user).run()
    return {**outcome, "duration": round(time.perf_counter() - started, 3)}


def storage_job_specs() -> list[JobSpec]:
    from .targets import EXPORT_SYNC_JOB, WRITE_JOB, export_sync, write_annotations

    return [
        JobSpec(name=SYNC_JOB, function=sync_storage, timeout=36000, retries=1, heartbeat=120, track=True),
        JobSpec(name=EXPORT_SYNC_JOB, function=export_sync, timeout=36000, retries=1, heartbeat=120, track=True),
        JobSpec(name=WRITE_JOB, function=write_annotations, timeout=600, retries=5, retry_delay=2.0,
                retry_backoff=120.0, heartbeat=60),
    ]


__all__ = ["StorageSync", "storage_job_specs", "sync_storage"]
