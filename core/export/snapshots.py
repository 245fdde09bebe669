"""Snapshots: create, list, delete; the jobs that build a snapshot and convert it.

A snapshot is the project's tasks in Label Studio's JSON export layout, frozen into a file by
``core.export_snapshot``. Other formats are made from that file by ``core.export_convert``,
so a conversion sees exactly the snapshot's tasks.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import NotFound, ValidationFailed
from ..jobs.worker import set_progress
from ..projects.models import Project
from ..projects.service import parsed_config
from ..specs import JobSpec
from ..users.models import User
from .context import ExportContext
from .files import export_filename, export_root, remove_quietly, write_file
from .formats import exporter
from .media import MediaReader
from .models import Export
from .options import ExportOptions
from ..datamanager.selection import view_conditions
from .rows import count_tasks, task_batches
from .sources import file_source
from .writer import write_tasks_json

SNAPSHOT_JOB = "core.export_snapshot"
CONVERT_JOB = "core.export_convert"
SNAPSHOT_FORMAT = "JSON"  # the layout of the snapshot file itself


def export_json(export: Export, creator: User | None) -> dict[str, Any]:
    options = ExportOptions.from_json(export.options).to_json()
    return {
        "id": export.id,
        "title": export.title,
        "created_by": _user_json(creator) if creator else None,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "status": export.status,
        "md5": export.md5,
        "counters": export.counters or {},
        "converted_formats": [
            {k: f.get(k) for k in ("id", "status", "export_type", "traceback")} for f in export.converted_formats or []
        ],
        **options,
    }


def _user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "avatar": None}


async def get_export(db: AsyncSession, project_id: int, export_id: int) -> Export:
    export = await db.get(Export, export_id)
    if export is None or export.project_id != project_id:
        raise NotFound("Export not found.")
    return export


async def list_exports(db: AsyncSession, project_id: int) -> list[Export]:
    query = select(Export).where(Export.project_id == project_id).order_by(Export.id.desc())
    return list((await db.execute(query)).scalars())


async def create_export(db: AsyncSession, jobs: Any, project: Project, user: User, body: dict[str, Any]) -> Export:
    try:
        options = ExportOptions.from_json({k: body[k] for k in ExportOptions.__struct_fields__ if body.get(k) is not None})
    except Exception as exc:  # msgspec.ValidationError names the bad field
        raise ValidationFailed(str(exc), validation_errors={"non_field_errors": [str(exc)]}) from None
    await view_conditions(db, project.id, options.task_filter_options.view)  # 404 now, not a failed job
    export = Export(project_id=project.id, title=str(body.get("title") or ""), created_by_id=user.id,
                    status="created", options=options.to_json(), counters={}, converted_formats=[])
    db.add(export)
    await db.flush()
    await jobs.submit(db, SNAPSHOT_JOB, project_id=project.id, user_id=user.id, export_id=export.id)
    return export


async def convert_export(db: AsyncSession, jobs: Any, registries: Any, project: Project, export: Export,
                         export_type: str, user: User, *, download_resources: bool = False) -> int:
    if export.status != "completed":
        raise ValidationFailed("The snapshot is not ready yet.", validation_errors={"status": [export.status]})
    exporter(registries, export_type, parsed_config(project, registries))
    formats = list(export.converted_formats or [])
    existing = next((f for f in formats if f["export_type"] == export_type and f["status"] != "failed"), None)
    if existing is not None:
        return int(existing["id"])
    converted_id = max((f["id"] for f in formats), default=0) + 1
    formats.append({"id": converted_id, "status": "created", "export_type": export_type, "traceback": None, "file": None})
    export.converted_formats = formats
    await db.flush()
    await jobs.submit(db, CONVERT_JOB, project_id=project.id, user_id=user.id, export_id=export.id,
                      export_type=export_type, download_resources=download_resources)
    return converted_id


def export_file(data_dir: str, export: Export, export_type: str) -> Path:
    """The finished file of the snapshot in ``export_type`` (JSON = the snapshot itself)."""
    if export_type.upper() == SNAPSHOT_FORMAT and export.status == "completed" and export.file:
        return export_root(data_dir) / export.file
    for converted in export.converted_formats or []:
        if converted["export_type"] == export_type and converted["status"] == "completed" and converted.get("file"):
            return export_root(data_dir) / converted["file"]
    raise NotFound(f"No finished {export_type} file for this export; convert it first.")


async def delete_export(db: AsyncSession, data_dir: str, export: Export) -> None:
    for name in [export.file, *(f.get("file") for f in export.converted_formats or [])]:
        if name:
            remove_quietly(export_root(data_dir) / name)
    await db.delete(export)


# --- jobs ---------------------------------------------------------------------------------------


async def build_snapshot(ctx: dict[str, Any], *, export_id: int) -> dict[str, Any]:
    """``core.export_snapshot``: write the snapshot file, batch by batch, reporting progress."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    data_dir = ctx["settings"].data_dir
    async with sessions() as db:
        export = await db.get(Export, export_id)
        if export is None:
            return {"skipped": "export deleted"}
        export.status = "in_progress"
        project_id, options = export.project_id, ExportOptions.from_json(export.options)
        await db.commit()
    try:
        async with sessions() as db:
            total = await count_tasks(db, project_id, options)
            counters = {"task_number": 0, "annotation_number": 0, "prediction_number": 0}

            async def batches():
                async for batch in task_batches(db, project_id, options, raw_json=True):
                    counters["task_number"] += len(batch)
                    counters["annotation_number"] += sum(len(t["annotations"]) for t in batch)
                    counters["prediction_number"] += sum(len(t["predictions"]) for t in batch)
                    await set_progress(ctx, counters["task_number"] / max(total, 1),
                                       f"{counters['task_number']} of {total} tasks")
                    yield batch

            name = f"{project_id}/{export_filename(project_id, 'json')}"
            md5 = await write_file(export_root(data_dir) / name, write_tasks_json(batches()))
    except Exception:
        await _finish(sessions, export_id, status="failed", traceback=traceback.format_exc())
        raise
    await _finish(sessions, export_id, status="completed", file=name, md5=md5, counters=counters)
    return {"export_id": export_id, **counters}


async def _finish(sessions: async_sessionmaker[AsyncSession], export_id: int, **values: Any) -> None:
    async with sessions() as db:
        export = await db.get(Export, export_id)
        if export is None:
            return
        for key, value in values.items():
            setattr(export, key, value)
        export.finished_at = datetime.now(UTC)
        await db.commit()


async def convert_snapshot(ctx: dict[str, Any], *, export_id: int, export_type: str,
                           download_resources: bool = False) -> dict[str, Any]:
    """``core.export_convert``: run a format's writer over the snapshot file."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    data_dir = ctx["settings"].data_dir
    registries = ctx["host"].registries
    async with sessions() as db:
        export = await db.get(Export, export_id)
        if export is None or not export.file:
            return {"skipped": "export deleted or unfinished"}
        project = await db.get(Project, export.project_id)
        config = parsed_config(project, registries)
        spec = exporter(registries, export_type, config)
        source_path = export_root(data_dir) / export.file
        await _set_converted(db, export, export_type, status="in_progress")
        await db.commit()
    context = ExportContext(project_id=project.id, config=config, options=ExportOptions.from_json(export.options),
                            source=file_source(source_path),
                            media=MediaReader.for_project(ctx["settings"], ctx["host"], project.id, ctx["sessionmaker"]),
                            download_resources=download_resources)
    name = f"{project.id}/{export_filename(project.id, spec.file_extension)}"
    try:
        await write_file(export_root(data_dir) / name, spec.write(context))
    except Exception:
        async with sessions() as db:
            await _set_converted(db, await db.get(Export, export_id), export_type, status="failed",
                                 traceback=traceback.format_exc())
            await db.commit()
        raise
    async with sessions() as db:
        await _set_converted(db, await db.get(Export, export_id), export_type, status="completed", file=name)
        await db.commit()
    return {"export_id": export_id, "export_type": export_type, "file": name}


async def _set_converted(db: AsyncSession, export: Export | None, export_type: str, **values: Any) -> None:
    if export is None:
        return
    formats = [dict(f) for f in export.converted_formats or []]
    for converted in formats:
        if converted["export_type"] == export_type and converted["status"] != "failed":
            converted.update(values)
            break
    export.converted_formats = formats  # a new list: JSON columns track assignment, not mutation
    await db.flush()


def export_job_specs() -> list[JobSpec]:
    return [
        JobSpec(name=SNAPSHOT_JOB, function=build_snapshot, timeout=36000, retries=1, heartbeat=120, track=True),
        JobSpec(name=CONVERT_JOB, function=convert_snapshot, timeout=36000, retries=1, heartbeat=120, track=True),
    ]
