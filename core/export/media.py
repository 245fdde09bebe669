"""Reading a task's media file for formats that ship it (``COCO_WITH_IMAGES``, ``YOLO_WITH_IMAGES`` ...).

A task's media value may be an uploaded file (``/data/upload/...``), an inline ``data:`` URI, a
storage URI a plugin turns into a URL (``s3://``, ``gs://`` ...) or a plain http(s) URL. Remote
URLs go through the SSRF guard (:mod:`labelloom.core.net`) like every other outbound request.
A file that cannot be read is reported, never fatal: the export goes on without it and says so.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import os
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import anyio
import httpx

from ..errors import LabelloomError
from ..net import UnsafeURL, guarded_request

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from ..host import PluginHost
    from ..settings import Settings

UPLOAD_PREFIX = "/data/upload/"
STORAGE_PREFIX = "/data/storage/"  # core's resolve links of storage URIs
MAX_BYTES = 512 << 20  # one media file; bigger ones are reported, not buffered


class MediaUnavailable(Exception):
    """Why a media file could not be read (the message is shown to the user)."""


@dataclass
class MediaReader:
    """Reads media values of one project's tasks into bytes.

    :ivar failures: ``(value, reason)`` for every value that could not be read, in order.
    """

    media_dir: Path
    host: PluginHost | None
    project_id: int
    allow_private_urls: bool = False
    timeout: float = 60.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    _client: httpx.AsyncClient | None = None
    # With these, storage URIs (s3://, gs:// ...) are read from the project's storages.
    sessions: async_sessionmaker[AsyncSession] | None = None
    settings: Settings | None = None

    @classmethod
    def for_project(cls, settings: Settings, host: PluginHost | None, project_id: int,
                    sessions: async_sessionmaker[AsyncSession] | None = None) -> MediaReader:
        return cls(settings.media_dir, host, project_id, allow_private_urls=settings.allow_private_urls,
                   sessions=sessions, settings=settings)

    async def read(self, value: str) -> bytes | None:
        """The file's bytes, or None (and an entry in ``failures``) when it cannot be read."""
        try:
            return await self._read(value)
        except MediaUnavailable as exc:
            self.failures.append((value, str(exc)))
        except UnsafeURL as exc:
            self.failures.append((value, str(exc.detail)))
        except (httpx.HTTPError, OSError) as exc:
            self.failures.append((value, f"{type(exc).__name__}: {exc}"))
        return None

    async def read_many(self, values: Iterable[str], *, window: int = 8) -> AsyncIterator[tuple[str, bytes | None]]:
        """``(value, bytes or None)`` in the order given, with up to ``window`` reads in flight
        (remote files overlap their latency; memory holds at most ``window`` files)."""
        pending: deque[tuple[str, asyncio.Task[bytes | None]]] = deque()
        try:
            for value in values:
                pending.append((value, asyncio.ensure_future(self.read(value))))
                if len(pending) >= window:
                    value, task = pending.popleft()
                    yield value, await task
            while pending:
                value, task = pending.popleft()
                yield value, await task
        finally:
            for _, task in pending:  # the consumer stopped early (client gone): drop the rest
                task.cancel()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _read(self, value: str) -> bytes:
        if value.startswith("data:"):
            return _data_uri(value)
        if not value.startswith(("http://", "https://", UPLOAD_PREFIX)):
            url = self.host.resolve_media_url(value, self.project_id) if self.host is not None else None
            if url is None:
                raise MediaUnavailable("no plugin can read this kind of URL")
            if url.startswith(STORAGE_PREFIX):
                return await self._from_storage(value)
            value = url
        if value.startswith(UPLOAD_PREFIX):
            return await self._uploaded(urlsplit(value).path[len(UPLOAD_PREFIX):])
        return await self._download(value)

    async def _from_storage(self, uri: str) -> bytes:
        """A storage object, read through the project's storage that holds it."""
        if self.sessions is None or self.settings is None or self.host is None:
            raise MediaUnavailable("storage files cannot be read here")
        from ..storage.media import read_uri

        try:
            async with self.sessions() as db:
                return await read_uri(db, self.host.registries, self.settings, self.project_id, uri, limit=MAX_BYTES)
        except LabelloomError as exc:
            raise MediaUnavailable(str(exc.detail)) from None

    async def _uploaded(self, relative: str) -> bytes:
        root = (self.media_dir / "upload").resolve()
        path = (root / unquote(relative).lstrip("/")).resolve()
        if not str(path).startswith(str(root) + os.sep) or not path.is_file():
            raise MediaUnavailable("uploaded file not found")
        if path.stat().st_size > MAX_BYTES:
            raise MediaUnavailable(f"file larger than {MAX_BYTES >> 20} MB")
        return await anyio.Path(path).read_bytes()

    async def _download(self, url: str) -> bytes:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)
        response = await guarded_request(self._client, "GET", url, allow_private=self.allow_private_urls, stream=True)
        try:
            if response.status_code != 200:
                raise MediaUnavailable(f"HTTP {response.status_code}")
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > MAX_BYTES:  # checked as it arrives: a huge file never sits in memory
                    raise MediaUnavailable(f"file larger than {MAX_BYTES >> 20} MB")
            return bytes(content)
        finally:
            await response.aclose()


def _data_uri(value: str) -> bytes:
    header, _, payload = value.partition(",")
    try:
        return base64.b64decode(payload, validate=True) if header.endswith(";base64") else unquote(payload).encode()
    except (binascii.Error, ValueError):
        raise MediaUnavailable("malformed data: URI") from None


def url_file_name(value: str) -> str:
    """The file name a media URL ends in, unquoted, query dropped ("" when it has none); for
    Label Studio's local-files URLs (``...?d=dir/file``) the file the query names."""
    parts = urlsplit(value)
    path = parts.path
    if parts.query.startswith("d=") and not PurePosixPath(path).suffix:
        path = unquote(parts.query[2:])
    return PurePosixPath(unquote(path)).name


def downloaded_name(value: str) -> str:
    """The file name Label Studio gives a downloaded media file: ``<md5(url)[:8]>__<name>``, so
    two URLs ending in the same name stay apart (and label files follow their images)."""
    digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{digest}__{url_file_name(value) or 'file'}"[:251]


__all__ = ["MediaReader", "MediaUnavailable", "downloaded_name", "url_file_name"]
