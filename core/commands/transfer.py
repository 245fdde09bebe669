"""``labelloom export`` and ``labelloom import``: the same streaming writers and importer as
the API, run against the database directly, with a progress bar on a terminal."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tqdm import tqdm

from ..background import build_background
from ..db.engine import make_engine
from ..errors import NotFound
from ..export.context import ExportContext
from ..export.formats import exporter
from ..export.media import MediaReader
from ..export.options import easy_export_options
from ..export.rows import count_tasks
from ..export.sources import database_source
from ..imports import parsers
from ..imports.service import TaskImporter
from ..manager import build_plugin_host
from ..projects.models import Project
from ..projects.service import parsed_config
from ..settings import Settings
from ..users.models import User

IMPORT_BATCH = 1000  # tasks validated and inserted per transaction


@asynccontextmanager
async def _runtime(settings: Settings) -> AsyncIterator[tuple[Any, async_sessionmaker[AsyncSession]]]:
    """Plugins and sessions whose commits publish domain events (webhooks fire for CLI imports
    too); the queue is connected so those events are delivered by the running server's workers."""
    host = build_plugin_host(enabled=settings.plugins, disabled=settings.disable_plugins)
    host.register_all()
    engine = make_engine(settings.resolved_database_url)
    background = build_background(settings, host, engine)
    try:
        async with background.running(workers=0):
            yield host, background.sessionmaker
    finally:
        await engine.dispose()


def _bar(total: int | None, unit: str) -> tqdm:
    return tqdm(total=total, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)


async def export_project(settings: Settings, project_id: int, export_type: str, output: str, *, all_tasks: bool) -> int:
    """Write the project's export to ``output`` (``-`` = stdout); return the task count."""
    async with _runtime(settings) as (host, sessions):
        async with sessions() as db:
            project = await db.get(Project, project_id)
            if project is None:
                raise NotFound(f"Project {project_id} not found.")
            config = parsed_config(project, host.registries)
            spec = exporter(host.registries, export_type, config)
            options = easy_export_options(download_all_tasks=all_tasks, ids=None)
            total = await count_tasks(db, project_id, options)
        source = database_source(sessions, project_id, options)
        bar = _bar(total, "task")
        exported = 0

        async def counted(raw_json: bool = False) -> AsyncIterator[list[dict[str, Any]]]:
            nonlocal exported
            # A writer may read more than once: the bar follows the last pass.
            bar.reset(total)
            exported = 0
            async for batch in source(raw_json=raw_json):
                exported += len(batch)
                bar.update(len(batch))
                yield batch

        context = ExportContext(project_id=project_id, config=config, options=options, source=counted,
                                media=MediaReader.for_project(settings, host, project_id))
        with bar:
            if output == "-":
                async for chunk in spec.write(context):
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
            else:
                async with await anyio.open_file(Path(output), "wb") as handle:
                    async for chunk in spec.write(context):
                        await handle.write(chunk)
        return exported


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def import_file(settings: Settings, project_id: int, path: str, *, user_email: str | None) -> dict[str, int]:
    """Import a task file (JSON, JSONL, CSV, TSV, TXT) as the API would, batch by batch."""
    totals = {"task_count": 0, "annotation_count": 0, "prediction_count": 0}
    async with _runtime(settings) as (host, sessions):
        async with sessions() as db:
            project = await db.get(Project, project_id)
            if project is None:
                raise NotFound(f"Project {project_id} not found.")
            query = select(User).where(User.is_active.is_(True))
            query = query.where(User.email == user_email) if user_email else query.where(User.is_superuser.is_(True))
            user = (await db.execute(query.order_by(User.id).limit(1))).scalar_one_or_none()
            if user is None:
                raise NotFound(f"No user {user_email}." if user_email else "No administrator to import as; pass --user.")
            parsed = parsed_config(project, host.registries)
            with open(path, "rb") as stream, _bar(None, "task") as bar:
                items: IO[bytes] = stream
                for batch in _batches(parsers.from_file(Path(path).name, items), IMPORT_BATCH):
                    importer = TaskImporter(db, host.registries, project, parsed, user)
                    prepared = await anyio.to_thread.run_sync(importer.prepare, batch)
                    result = await importer.insert(prepared)
                    await db.commit()
                    totals["task_count"] += result.task_count
                    totals["annotation_count"] += result.annotation_count
                    totals["prediction_count"] += result.prediction_count
                    bar.update(result.task_count)
    return totals
