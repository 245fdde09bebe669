"""Serving files with HTTP Range support (media players seek with Range requests)."""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
from litestar import Request, Response, get
from litestar.response import Stream

from .errors import NotFound
from .settings import Settings

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


async def _read(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as handle:
        await handle.seek(start)
        while length > 0:
            chunk = await handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


def file_response(path: Path, range_header: str | None) -> Response[Any]:
    size = path.stat().st_size
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, max-age=3600"}
    match = _RANGE.match(range_header or "")
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:  # suffix range: the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            return Response(b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        headers.update({"Content-Range": f"bytes {start}-{end}/{size}", "Content-Length": str(end - start + 1)})
        return Stream(_read(path, start, end - start + 1), status_code=206, media_type=media_type, headers=headers)
    headers["Content-Length"] = str(size)
    return Stream(_read(path, 0, size), media_type=media_type, headers=headers)


@get("/data/upload/{file_path:path}", operation_id="uploaded_file", tags=["Files"], include_in_schema=False)
async def uploaded_file(request: Request[Any, Any, Any], settings: Settings, file_path: str) -> Response[Any]:
    """An uploaded media file; only signed-in users may read it."""
    root = (settings.media_dir / "upload").resolve()
    if "\x00" in file_path:  # no file name holds one; the OS call would raise ValueError
        raise NotFound("File not found.")
    path = (root / file_path.lstrip("/")).resolve()
    if not str(path).startswith(str(root) + os.sep) or not path.is_file():
        raise NotFound("File not found.")
    return file_response(path, request.headers.get("range"))
