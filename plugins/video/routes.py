"""``GET /api/plugins/video/meta?url=/data/upload/...``: a video's frame count and duration,
read on the server with PyAV (cached), so ``framesCount`` and ``duration`` are right before the
browser has loaded the file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
from litestar import get

from labelloom.core.plugin import BadRequest, NotFound

from .media import probe

UPLOAD_PREFIX = "/data/upload/"


def uploaded_path(media_dir: Path, url: str) -> Path:
    """The file of an uploaded media URL, refusing anything outside the upload folder."""
    path_part = urlsplit(url).path
    if not path_part.startswith(UPLOAD_PREFIX):
        raise BadRequest("Only uploaded videos (/data/upload/...) can be read here.")
    root = (Path(media_dir) / "upload").resolve()
    path = (root / unquote(path_part[len(UPLOAD_PREFIX):]).lstrip("/")).resolve()
    if not str(path).startswith(str(root) + os.sep) or not path.is_file():
        raise NotFound("File not found.")
    return path


@get("/meta", opt={"permission": "account.use"})  # as /data/upload
async def video_meta(url: str, settings: Any) -> dict[str, Any]:
    media_dir = getattr(settings, "media_dir", None) or Path(settings.data_dir) / "media"
    path = uploaded_path(media_dir, url)
    try:
        return await anyio.to_thread.run_sync(probe, path)
    except Exception as exc:  # not a video PyAV can read
        raise BadRequest(f"Cannot read the video: {exc}") from exc
