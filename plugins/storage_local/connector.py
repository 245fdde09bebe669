"""The local-files connector: a folder inside the allowed root, read and written with plain
file calls. Nothing outside the root is ever listed, read, written or served: every path is
resolved (symbolic links included) and checked to lie inside the storage's folder."""

from __future__ import annotations

import mimetypes
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, quote, urlsplit

import msgspec

from labelloom.core.plugin import StorageError, StorageObject, StorageRead

ROOT_VARIABLE = "LABELLOOM_LOCAL_FILES_ROOT"
SERVED_AT = "/data/local-files/"
CHUNK = 256 * 1024


class LocalFilesConfig(msgspec.Struct, kw_only=True):
    path: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            title="Absolute local path",
            description="A folder on the server inside LABELLOOM_LOCAL_FILES_ROOT, e.g. /data/datasets/cats.",
        ),
    ]


def files_root() -> Path:
    value = os.environ.get(ROOT_VARIABLE, "").strip()
    if not value:
        raise StorageError(
            f"Local files are turned off on this server: its administrator sets {ROOT_VARIABLE} to the "
            "folder whose subfolders may be used."
        )
    return Path(value).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


class LocalFilesConnector:
    def __init__(self, config: LocalFilesConfig) -> None:
        self.root = files_root()
        folder = Path(config.path)
        if not folder.is_absolute():
            folder = self.root / folder
        self.folder = folder.resolve()
        self.shown = config.path
        if not _inside(self.folder, self.root):
            raise StorageError(f"'{config.path}' is outside the allowed folder {self.root} ({ROOT_VARIABLE}).")

    # -- paths ---------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        path = (self.folder / key.lstrip("/")).resolve()
        if not _inside(path, self.folder) or path == self.folder:
            raise StorageError(f"'{key}' is not a file of the folder '{self.shown}'.")
        return path

    def _key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    # -- the protocol --------------------------------------------------------------------------
    def validate(self) -> None:
        if not self.folder.is_dir():
            raise StorageError(f"The folder '{self.shown}' does not exist on the server.")
        if not os.access(self.folder, os.R_OK | os.X_OK):
            raise StorageError(f"The server may not read the folder '{self.shown}'.")

    def iter_objects(self, *, recursive: bool) -> Iterator[StorageObject]:
        self.validate()
        yield from self._walk(self.folder, recursive)

    def _walk(self, folder: Path, recursive: bool) -> Iterator[StorageObject]:
        # One directory's entries at a time, sorted, so listings are stable and memory bounded.
        with os.scandir(folder) as entries:
            names = sorted((e.name, e.is_dir(follow_symlinks=False), e.is_file()) for e in entries)
        for name, is_dir, is_file in names:
            path = folder / name
            if is_dir:
                if recursive:
                    yield from self._walk(path, recursive)
            elif is_file and _inside(path.resolve(), self.folder):
                yield StorageObject(key=self._key(path), size=path.stat().st_size)

    def open(self, key: str, *, start: int | None = None, end: int | None = None) -> StorageRead:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise StorageError(f"The file '{key}' does not exist in '{self.shown}'.") from None
        except OSError as exc:
            raise StorageError(f"The file '{key}' cannot be read ({exc.strerror}).") from None
        total = os.fstat(handle.fileno()).st_size
        first = max(0, start or 0)
        last = total - 1 if end is None else min(end, total - 1)
        if first >= total and total > 0:
            handle.close()
            raise StorageError(f"The requested byte range of '{key}' is outside the file (invalid range).")
        handle.seek(first)
        size = max(0, last - first + 1)

        def chunks() -> Iterator[bytes]:
            left = size
            while left > 0:
                data = handle.read(min(CHUNK, left))
                if not data:
                    break
                left -= len(data)
                yield data

        return StorageRead(
            chunks=chunks(), size=size, total=total, start=first,
            content_type=mimetypes.guess_type(path.name)[0], close=handle.close,
        )

    def presign(self, key: str, *, ttl: int) -> str | None:
        return None  # served by this server at /data/local-files/

    def write(self, key: str, data: bytes, *, content_type: str = "application/json") -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".labelloom-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)  # readers never see a half-written file
        except OSError as exc:
            raise StorageError(f"Cannot write '{key}' in '{self.shown}' ({exc.strerror}).") from None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot delete '{key}' in '{self.shown}' ({exc.strerror}).") from None

    def uri(self, key: str) -> str:
        relative = self._path(key).relative_to(self.root).as_posix()
        return f"{SERVED_AT}?d={quote(relative, safe='/')}"

    def key_of(self, uri: str) -> str | None:
        parts = urlsplit(uri)
        if parts.path.rstrip("/") != SERVED_AT.rstrip("/"):
            return None
        values = parse_qs(parts.query).get("d")
        if not values:
            return None
        path = (self.root / values[0].lstrip("/")).resolve()
        if not _inside(path, self.folder) or path == self.folder:
            return None
        return self._key(path)


def build_connector(config: LocalFilesConfig) -> LocalFilesConnector:
    return LocalFilesConnector(config)
