"""Storage media for the browser: URIs in task data (``s3://``, ``gs://`` ... any scheme a
registered StorageSpec declares) become ``/data/storage/{project id}/resolve/?fileuri=<base64>``
links, and
those links are answered by a storage of the project that holds the object: a 303 redirect to a
presigned URL when ``presign`` is on, else the bytes proxied through the server (Range requests
clamped to 8 MiB, chunks streamed from a worker thread, never the whole object in memory).
Local-style kinds that serve objects under a path of this server (``/data/local-files/``) are
answered the same way, by the storage whose connector claims the URL.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from litestar import Response
from litestar.response import Redirect, Stream
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import BadRequest, NotFound, StorageError
from ..registries import Registries, StorageRegistry
from ..settings import Settings
from ..specs import StorageConnector, StorageRead, StorageSpec, hookimpl
from .models import IMPORT, Storage
from .service import in_thread, storage_connector

# Where resolve links point. Label Studio's own /projects/{id}/resolve/ path is the web app's here
# (client-side routes), so project links live with the other media paths; /tasks/{id}/resolve/
# is served as in Label Studio.
RESOLVE_PATH = "/data/storage/{project_id}/resolve/"
MAX_RANGE = 8 << 20  # Label Studio's RESOLVER_PROXY_MAX_RANGE_SIZE
CACHE_SECONDS = 3600  # RESOLVER_PROXY_CACHE_TIMEOUT
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


# -- task data -> resolve links ----------------------------------------------------------------
def encode_uri(uri: str) -> str:
    return base64.urlsafe_b64encode(uri.encode()).decode()


def decode_uri(value: str) -> str:
    """``fileuri`` as Label Studio sends it: URL-safe base64 (padding optional) of the URI."""
    text = value.strip()
    try:
        uri = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        uri = ""
    if "://" not in uri:
        raise BadRequest("fileuri: must be the URL-safe base64 of a storage URI") from None
    return uri


class StorageMediaResolver:
    """The ``labelloom_resolve_media_url`` implementation core registers (last, so a plugin may
    resolve its own URLs differently): a URI whose scheme a storage kind declares becomes a
    resolve link of the task's project."""

    def __init__(self, storages: StorageRegistry) -> None:
        self.storages = storages
        self._schemes: frozenset[str] | None = None
        self._count = -1

    def schemes(self) -> frozenset[str]:
        if self._schemes is None or self._count != len(self.storages):
            self._schemes = frozenset(s.lower() for spec in self.storages for s in spec.schemes)
            self._count = len(self.storages)
        return self._schemes

    @hookimpl(trylast=True)
    def labelloom_resolve_media_url(self, url: str, project_id: int) -> str | None:
        match = _SCHEME.match(url)
        if match is None or match.group(1).lower() not in self.schemes():
            return None
        return f"{RESOLVE_PATH.format(project_id=project_id)}?fileuri={encode_uri(url)}"


# -- finding the storage that holds a URI ----------------------------------------------------
async def claiming_storage(db: AsyncSession, registries: Registries, settings: Settings, uri: str, *,
                           project_id: int | None = None,
                           kinds: list[StorageSpec] | None = None) -> tuple[Storage, StorageConnector, str]:
    """The first import storage (of the project, or any project) whose connector claims ``uri``:
    ``(storage, connector, key)``; 404 when none does (the URI names a bucket or folder no
    storage of the project connects to)."""
    if kinds is None:
        scheme = (_SCHEME.match(uri).group(1).lower() if _SCHEME.match(uri) else "")  # type: ignore[union-attr]
        kinds = [spec for spec in registries.storages if scheme in (s.lower() for s in spec.schemes)]
    names = [spec.name for spec in kinds]
    if names:
        query = select(Storage).where(Storage.role == IMPORT, Storage.kind.in_(names)).order_by(Storage.id)
        if project_id is not None:
            query = query.where(Storage.project_id == project_id)
        for storage in (await db.execute(query)).scalars():
            try:
                connector = await storage_connector(registries, storage, settings)
            except StorageError:
                continue
            key = connector.key_of(uri)
            if key is not None:
                return storage, connector, key
    raise NotFound("No storage of this project can read this file: add a storage connected to its bucket or folder.")


# -- answering -----------------------------------------------------------------------------------
def _requested_range(header: str | None) -> tuple[int | None, int | None] | None:
    match = _RANGE.match((header or "").strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    return (int(first) if first else None, int(last) if last else None)


async def _chunks(read: StorageRead) -> AsyncIterator[bytes]:
    iterator: Iterator[bytes] = iter(read.chunks)
    try:
        while True:
            chunk = await in_thread(next, iterator, None)
            if chunk is None:
                break
            yield chunk
    finally:
        await in_thread(read.close)


async def object_response(connector: StorageConnector, key: str, range_header: str | None,
                          *, cache: str = f"private, max-age={CACHE_SECONDS}") -> Response[Any]:
    """The object's bytes, whole or the asked range (clamped to 8 MiB), streamed."""
    wanted = _requested_range(range_header)
    start = end = None
    if wanted is not None:
        start, end = wanted
        if start is None:  # the last N bytes: the connector needs the size first
            probe = await in_thread(lambda: connector.open(key, start=0, end=0))
            await in_thread(probe.close)
            total = probe.total or 0
            start, end = max(total - (end or 0), 0), total - 1
        if end is None or end - start + 1 > MAX_RANGE:
            end = start + MAX_RANGE - 1
    try:
        read = await in_thread(lambda: connector.open(key, start=start, end=end))
    except StorageError as exc:
        if wanted is not None and "range" in str(exc.detail).lower():
            return Response(b"", status_code=416)
        raise
    headers = {"Accept-Ranges": "bytes", "Cache-Control": cache}
    media_type = read.content_type or "application/octet-stream"
    if wanted is not None and read.total is not None:
        if read.start >= read.total and read.total > 0:
            await in_thread(read.close)
            return Response(b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{read.total}"})
        last = read.start + (read.size or 0) - 1
        headers["Content-Range"] = f"bytes {read.start}-{last}/{read.total}"
        if read.size is not None:
            headers["Content-Length"] = str(read.size)
        return Stream(_chunks(read), status_code=206, media_type=media_type, headers=headers)
    if read.size is not None:
        headers["Content-Length"] = str(read.size)
    return Stream(_chunks(read), media_type=media_type, headers=headers)


async def resolve_response(db: AsyncSession, registries: Registries, settings: Settings, project_id: int,
                           fileuri: str, range_header: str | None) -> Response[Any]:
    uri = decode_uri(fileuri)
    storage, connector, key = await claiming_storage(db, registries, settings, uri, project_id=project_id)
    if storage.presign:
        url = await in_thread(lambda: connector.presign(key, ttl=max(1, storage.presign_ttl) * 60))
        if url:
            return Redirect(url, status_code=303, headers={"Cache-Control": "no-store"})
    return await object_response(connector, key, range_header)


async def read_uri(db: AsyncSession, registries: Registries, settings: Settings, project_id: int, uri: str,
                   *, limit: int) -> bytes:
    """A storage object's bytes for exports that ship media (at most ``limit`` bytes)."""
    _, connector, key = await claiming_storage(db, registries, settings, uri, project_id=project_id)
    read = await in_thread(lambda: connector.open(key))
    try:
        return await in_thread(_read_all, read, limit)
    finally:
        await in_thread(read.close)


def _read_all(read: StorageRead, limit: int) -> bytes:
    if read.size is not None and read.size > limit:
        raise StorageError(f"file larger than {limit >> 20} MB")
    content = bytearray()
    for chunk in read.chunks:
        content += chunk
        if len(content) > limit:  # checked as it arrives: a huge object never sits in memory
            raise StorageError(f"file larger than {limit >> 20} MB")
    return bytes(content)
