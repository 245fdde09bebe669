"""Import routes: ``POST /api/projects/{id}/import`` and ``.../import/predictions``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import anyio
import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..host import PluginHost
from ..input_limits import check_int
from ..projects.service import get_project, parsed_config
from ..settings import Settings
from ..users.models import User
from . import parsers
from .media import inline_extensions, media_extensions, media_item, store_upload
from .models import FileUpload
from .predictions import import_predictions
from .service import TaskImporter
from .spool import TRIM_AFTER, release_memory, spool_body
from .uploads import delete_uploads, get_upload, list_uploads, parse_upload_ids, record_uploads, upload_json


class ImportController(Controller):
    """Imports, and the file uploads they leave (Label Studio's ``/file-uploads`` and
    ``/import/file-upload/{id}`` routes live under other paths, hence the ``/api`` base)."""

    path = "/api"
    tags = ["Import"]

    @post("/projects/{project_id:int}/import", operation_id="projects_import", status_code=HTTP_201_CREATED)
    async def import_tasks(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        host: PluginHost,
        user: User,
        settings: Settings,
        project_id: int,
        return_task_ids: bool = False,
        preannotated_from_fields: str | None = None,
    ) -> dict[str, Any]:
        project = await get_project(db, project_id)
        parsed = parsed_config(project, host.registries)
        importer = TaskImporter(db, host.registries, project, parsed, user)
        stored: list[Path] = []  # the uploaded files kept, removed again if the import fails
        uploads: list[FileUpload] = []
        found_formats: dict[str, int] = {}
        content_type = request.headers.get("content-type", "")
        body: IO[bytes] | None = None
        size = 0
        failed = False
        try:
            items: Iterable[parsers.RawItem]
            if content_type.startswith("multipart/form-data"):
                form = await request.form()
                files = self._task_files(form, host, found_formats)
                items, uploads = await self._from_files(db, files, project, user, parsed, host, settings, stored)
            elif content_type.startswith("application/x-www-form-urlencoded"):
                items = self._from_url_form(await request.form())
            else:
                body, size = await spool_body(request)
                items = parsers.from_json(body)
            if preannotated_from_fields:
                items = _preannotate(items, [f.strip() for f in preannotated_from_fields.split(",") if f.strip()])
            result = await importer.import_items(items, want_ids=return_task_ids)
            if not result.task_count:
                raise ValidationFailed("No tasks found in the request.", validation_errors={"tasks": ["empty import"]})
        except BaseException:
            failed = True
            for path in stored:
                path.unlink(missing_ok=True)
            raise
        finally:
            if body is not None:
                body.close()
            if size >= TRIM_AFTER or stored or (failed and body is not None):
                release_memory()
        response: dict[str, Any] = {
            "task_count": result.task_count,
            "annotation_count": result.annotation_count,
            "prediction_count": result.prediction_count,
            "duration": round(result.duration, 4),
            "file_upload_ids": [upload.id for upload in uploads],
            "could_be_tasks_list": any(ext in found_formats for ext in (".csv", ".tsv", ".txt")),
            "found_formats": found_formats,
            "data_columns": result.data_columns,
        }
        if return_task_ids:
            response["task_ids"] = result.task_ids
        return response

    def _task_files(self, form: Any, host: PluginHost, found: dict[str, int]) -> list[tuple[str, str, UploadFile]]:
        """(name, extension, file) of every uploaded file, each of a kind the import takes."""
        media = media_extensions(host.registries)
        files = []
        for _, upload in form.multi_items():
            if not isinstance(upload, UploadFile):
                continue
            name = upload.filename or "upload"
            extension = parsers.extension_of(name)
            found[extension] = found.get(extension, 0) + 1
            if extension not in parsers.TASK_FORMATS and extension not in media:
                allowed = ", ".join(sorted(parsers.TASK_FORMATS | media))
                raise parsers.invalid(name, f"has an unsupported extension {extension or '(none)'}; allowed: {allowed}", "file")
            files.append((name, extension, upload))
        return files

    async def _from_files(
        self, db: AsyncSession, files: list[tuple[str, str, UploadFile]], project: Any, user: User, parsed: Any,
        host: PluginHost, settings: Settings, stored: list[Path],
    ) -> tuple[Iterator[parsers.RawItem], list[FileUpload]]:
        """Keep every uploaded file (Label Studio's FileUpload), then read their items lazily, each
        item naming the upload it came from."""
        kept: list[tuple[str, str, str, Path]] = []
        for name, extension, upload in files:
            url, path = await anyio.to_thread.run_sync(store_upload, settings.media_dir, project.id, name, upload.file)
            stored.append(path)
            kept.append((name, extension, url, path))
        uploads = await record_uploads(db, project.id, user, [f"upload/{project.id}/{path.name}" for *_, path in kept])
        inline = inline_extensions(host.registries)

        def items() -> Iterator[parsers.RawItem]:
            for (name, extension, url, path), upload in zip(kept, uploads):
                tag = (upload.id, upload.file_name)
                if extension in parsers.TASK_FORMATS:
                    with open(path, "rb") as stream:
                        for item in parsers.from_file(name, stream):
                            yield parsers.RawItem(item.where, item.value, tag)
                    continue
                if extension in inline:
                    try:
                        value = path.read_bytes().decode("utf-8")
                    except UnicodeDecodeError:
                        raise parsers.invalid(name, "is not UTF-8 text", "file") from None
                else:
                    value = url
                item = media_item(name, value, parsed, host.registries)
                yield parsers.RawItem(item.where, item.value, tag)

        return items(), uploads

    @get("/projects/{project_id:int}/import/formats", operation_id="projects_import_formats")
    async def formats(self, db: AsyncSession, host: PluginHost, user: User, project_id: int) -> dict[str, Any]:
        """What the import dialog accepts: task files, and media files per data type (from plugins)."""
        await get_project(db, project_id)
        inline = inline_extensions(host.registries)
        data_types = [
            {"name": spec.name, "extensions": sorted(spec.extensions), "inline": sorted(set(spec.extensions) & inline)}
            for spec in host.registries.data_types
            if spec.extensions
        ]
        return {"task_formats": sorted(parsers.TASK_FORMATS), "data_types": data_types}

    def _from_url_form(self, form: Any) -> list[parsers.RawItem]:
        url = str(form.get("url", "")).strip()
        try:
            return list(parsers.from_json_bytes(url.replace("'", '"').encode()))
        except ValidationFailed:
            raise ValidationFailed(
                "Importing from a URL is not supported; upload the file or post the tasks as JSON.",
                validation_errors={"url": ["import from URL is not supported"]},
            ) from None

    @post("/projects/{project_id:int}/import/predictions", operation_id="projects_import_predictions",
          status_code=HTTP_201_CREATED)
    async def predictions(
        self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User, project_id: int
    ) -> dict[str, int]:
        project = await get_project(db, project_id)
        try:
            body = msgspec.json.decode(await request.body())
        except msgspec.DecodeError as exc:
            raise ValidationFailed(f"JSON cannot be parsed ({exc})") from None
        created = await import_predictions(db, host.registries, project, body)
        return {"created": created}


    @get("/projects/{project_id:int}/file-uploads", operation_id="projects_file_uploads_list")
    async def file_uploads(
        self, request: Request[Any, Any, Any], db: AsyncSession, settings: Settings, user: User, project_id: int,
        all_: bool = Parameter(query="all", default=False), ordering: str | None = None,
    ) -> list[dict[str, Any]]:
        """The caller's uploads in the project: ``ids`` (``[1,2]``, ``1,2`` or repeated) or ``all=true``."""
        project = await get_project(db, project_id)
        ids = parse_upload_ids([*request.query_params.getall("ids", []), *request.query_params.getall("ids[]", [])])
        if ordering not in (None, "", "id", "-id"):
            raise ValidationFailed(f"ordering: {ordering!r} is not 'id' or '-id'",
                                   validation_errors={"ordering": ["must be 'id' or '-id'"]})
        uploads = await list_uploads(db, project.id, user, ids, all_, descending=ordering == "-id")
        return [upload_json(upload, settings.media_dir) for upload in uploads]

    @delete("/projects/{project_id:int}/file-uploads", operation_id="projects_file_uploads_delete", status_code=200)
    async def delete_file_uploads(
        self, request: Request[Any, Any, Any], db: AsyncSession, user: User, project_id: int
    ) -> dict[str, int]:
        """Delete ``{"file_upload_ids": [...]}`` of the project's uploads, or all without a body."""
        project = await get_project(db, project_id)
        raw = await request.body()
        ids: list[int] | None = None
        if raw.strip():
            try:
                body = msgspec.json.decode(raw)
            except msgspec.DecodeError as exc:
                raise ValidationFailed(f"JSON cannot be parsed ({exc})") from None
            chosen = body.get("file_upload_ids") if isinstance(body, dict) else body
            if chosen is not None:
                if not isinstance(chosen, list):
                    raise ValidationFailed(
                        "file_upload_ids: must be a list of integers",
                        validation_errors={"file_upload_ids": ["must be a list of integers"]},
                    )
                ids = [_upload_id(item) for item in chosen]
        return {"deleted": await delete_uploads(db, project.id, ids)}

    @get("/import/file-upload/{upload_id:int}", operation_id="file_upload_get")
    async def file_upload(self, db: AsyncSession, settings: Settings, user: User, upload_id: int) -> dict[str, Any]:
        upload = await get_upload(db, upload_id)
        await get_project(db, upload.project_id)
        return upload_json(upload, settings.media_dir)

    @delete("/import/file-upload/{upload_id:int}", operation_id="file_upload_delete", status_code=HTTP_204_NO_CONTENT)
    async def delete_file_upload(self, db: AsyncSession, user: User, upload_id: int) -> None:
        upload = await get_upload(db, upload_id)
        await get_project(db, upload.project_id)
        await delete_uploads(db, upload.project_id, [upload.id])


def _upload_id(item: Any) -> int:
    if isinstance(item, int) and not isinstance(item, bool) and item >= 0:
        check_int("file_upload_ids", item)
        return item
    raise ValidationFailed(
        f"file_upload_ids: {item!r} is not a file upload id",
        validation_errors={"file_upload_ids": [f"{item!r} is not a file upload id"]},
    )


def _preannotate(items: Iterable[parsers.RawItem], fields: list[str]) -> Iterator[parsers.RawItem]:
    """Label Studio's ``preannotated_from_fields``: flat columns become predictions."""
    for item in items:
        raw = item.value
        if not isinstance(raw, dict):
            yield item
            continue
        data = dict(raw.get("data") or raw)
        predictions = [{"result": data.pop(field)} for field in fields if field in data]
        yield parsers.RawItem(item.where, {"data": data, "predictions": predictions}, item.upload)
