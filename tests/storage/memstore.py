"""A tiny storage kind for core's tests: buckets are dicts in this process (scheme ``mem://``).

It implements the whole connector protocol, so core's sync, media and target code is tested
without any cloud server; ``FAIL`` makes chosen keys or operations fail like a real storage.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Annotated

import msgspec

from labelloom.core.plugin import StorageError, StorageObject, StorageRead, StorageSpec, hookimpl

BUCKETS: dict[str, dict[str, bytes]] = {}
# "open:<key>" / "write" / "validate" -> error message; "stream:<key>": reading fails halfway
FAIL: dict[str, str] = {}
DELAY: dict[str, float] = {}  # "list" -> seconds per listed object, "write" -> seconds per write
LOCK = threading.Lock()


class MemConfig(msgspec.Struct, kw_only=True):
    bucket: Annotated[str, msgspec.Meta(min_length=1, title="Bucket name", description="Which bucket")]
    prefix: Annotated[str | None, msgspec.Meta(title="Prefix")] = None
    secret_key: Annotated[str | None, msgspec.Meta(title="Secret key", description="Write-only")] = None
    endpoint: Annotated[str | None, msgspec.Meta(title="Endpoint")] = None


def _broken(chunks: Iterator[bytes], after: int, message: str) -> Iterator[bytes]:
    """``chunks`` until about ``after`` bytes were sent, then a failing read (a dropped connection)."""
    sent = 0
    for chunk in chunks:
        if sent >= after:
            raise StorageError(message)
        sent += len(chunk)
        yield chunk


class MemConnector:
    def __init__(self, config: MemConfig) -> None:
        self.config = config
        self.bucket = config.bucket
        self.prefix = (config.prefix or "").strip("/")

    def _objects(self) -> dict[str, bytes]:
        if self.bucket not in BUCKETS:
            raise StorageError(f"bucket '{self.bucket}' does not exist")
        return BUCKETS[self.bucket]

    def validate(self) -> None:
        if "validate" in FAIL:
            raise StorageError(FAIL["validate"])
        if self.config.secret_key not in (None, "right"):
            raise StorageError("access denied: wrong secret key")
        self._objects()

    def iter_objects(self, *, recursive: bool) -> Iterator[StorageObject]:
        start = f"{self.prefix}/" if self.prefix else ""
        with LOCK:
            keys = sorted(k for k in self._objects() if k.startswith(start))
        for key in keys:
            rest = key[len(start):]
            if not recursive and "/" in rest:
                continue
            if DELAY.get("list"):
                time.sleep(DELAY["list"])
            yield StorageObject(key=key, size=len(BUCKETS[self.bucket].get(key, b"")))

    def open(self, key: str, *, start: int | None = None, end: int | None = None) -> StorageRead:
        if f"open:{key}" in FAIL:
            raise StorageError(FAIL[f"open:{key}"])
        try:
            data = self._objects()[key]
        except KeyError:
            raise StorageError(f"object '{key}' does not exist") from None
        first = start or 0
        last = len(data) - 1 if end is None else min(end, len(data) - 1)
        part = data[first:last + 1]
        chunks = (part[i:i + 7] for i in range(0, len(part), 7))  # small chunks: streaming is exercised
        if f"stream:{key}" in FAIL:
            chunks = _broken(chunks, len(part) // 2, FAIL[f"stream:{key}"])
        return StorageRead(chunks=chunks, size=len(part), total=len(data), start=first,
                           content_type="image/png" if key.endswith(".png") else None)

    def presign(self, key: str, *, ttl: int) -> str | None:
        return f"https://mem.example/{self.bucket}/{key}?ttl={ttl}"

    def write(self, key: str, data: bytes, *, content_type: str = "application/json") -> None:
        if "write" in FAIL:
            raise StorageError(FAIL["write"])
        if DELAY.get("write"):
            time.sleep(DELAY["write"])
        with LOCK:
            self._objects()[key] = data

    def delete(self, key: str) -> None:
        with LOCK:
            self._objects().pop(key, None)

    def uri(self, key: str) -> str:
        return f"mem://{self.bucket}/{key}"

    def key_of(self, uri: str) -> str | None:
        head = f"mem://{self.bucket}/"
        return uri[len(head):] if uri.startswith(head) else None


SPEC = StorageSpec(
    name="mem", title="Memory buckets", schemes=("mem",), config=MemConfig, secret_fields=("secret_key",),
    connector=MemConnector, url_fields=("endpoint",),
)


@hookimpl
def labelloom_register_storages(registry):
    registry.add(SPEC)
