"""Label Studio's file uploads: the rows a multipart import leaves, listed and deleted.

``GET /api/projects/{id}/file-uploads?ids=[1,2]`` (or ``all=true``) lists the caller's uploads
as ``{id, file, size}``; ``DELETE`` with ``{"file_upload_ids": [...]}`` (or no body: all of the
project's) removes rows and answers ``{"deleted": n}``. Tasks made from a deleted upload keep
their data; their ``file_upload`` becomes null, as Label Studio's ``SET NULL`` does. The files
stay on disk: task data may still point at them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..input_limits import check_int
from ..tasks.models import Task
from ..users.models import User
from .models import FileUpload


async def record_uploads(db: AsyncSession, project_id: int, user: User, files: list[str]) -> list[FileUpload]:
    """Rows for the stored files (paths relative to the media folder), with their ids."""
    uploads = [FileUpload(project_id=project_id, user_id=user.id, file=file) for file in files]
    if uploads:
        db.add_all(uploads)
        await db.flush()
    return uploads


def upload_json(upload: FileUpload, media_dir: Path) -> dict[str, Any]:
    try:
        size: int | None = (media_dir / upload.file).stat().st_size
    except OSError:
        size = None
    return {"id": upload.id, "file": upload.file, "size": size}


def parse_upload_ids(raw: list[str], field: str = "ids") -> list[int]:
    """``ids`` as Label Studio's UI sends it (a JSON list, ``[1,2]``), comma-separated, or
    repeated; a value that is not an id is a 400 naming it."""
    ids: list[int] = []
    for value in raw:
        text = value.strip()
        try:
            decoded = json.loads(text) if text.startswith("[") else [p for p in text.split(",") if p.strip()]
        except ValueError:
            decoded = None
        if not isinstance(decoded, list):
            raise _bad(field, value)
        for item in decoded:
            ids.append(_one_id(item, field))
    return ids


def _one_id(item: Any, field: str) -> int:
    if isinstance(item, bool):
        raise _bad(field, item)
    if isinstance(item, int) and item >= 0:
        check_int(field, item)
        return item
    if isinstance(item, str) and item.strip().isdigit() and item.strip().isascii():
        check_int(field, item)
        return int(item.strip())
    raise _bad(field, item)


def _bad(field: str, value: Any) -> ValidationFailed:
    message = f"{value!r} is not a list of file upload ids"
    return ValidationFailed(f"{field}: {message}", validation_errors={field: [message]})


async def list_uploads(
    db: AsyncSession, project_id: int, user: User, ids: list[int], everything: bool, descending: bool = False
) -> list[FileUpload]:
    """The caller's uploads in the project: ``ids`` of them, or all (Label Studio's ``all``)."""
    query = select(FileUpload).where(FileUpload.project_id == project_id, FileUpload.user_id == user.id)
    if not everything:
        if not ids:
            return []
        query = query.where(FileUpload.id.in_(ids))
    query = query.order_by(FileUpload.id.desc() if descending else FileUpload.id)
    return list((await db.execute(query)).scalars())


async def get_upload(db: AsyncSession, upload_id: int) -> FileUpload:
    upload = await db.get(FileUpload, upload_id)
    if upload is None:
        raise NotFound(f"File upload {upload_id} not found.")
    return upload


async def delete_uploads(db: AsyncSession, project_id: int, ids: list[int] | None) -> int:
    """Delete the project's uploads (``ids`` of them, or all); tasks keep their data."""
    terms: list[Any] = [FileUpload.project_id == project_id]
    if ids is not None:
        terms.append(FileUpload.id.in_(ids))
    await db.execute(
        update(Task)
        .where(Task.project_id == project_id, Task.file_upload_id.in_(select(FileUpload.id).where(*terms)))
        .values(file_upload=None, file_upload_id=None)
        .execution_options(synchronize_session=False)
    )
    deleted = await db.execute(delete(FileUpload).where(*terms).execution_options(synchronize_session=False))
    return int(deleted.rowcount or 0)
