"""The GCS connector: list, read (with ranges), sign URLs, write and delete objects of one bucket.

Every call blocks (google-cloud-storage, requests); core runs them in worker threads. Keys are
whole object names inside the bucket (the prefix included), as listed by ``iter_objects``.

``STORAGE_EMULATOR_HOST`` (google-cloud-storage's own switch, e.g. ``http://127.0.0.1:4443``)
points every connector at an emulator; API calls then go unauthenticated, as emulators expect,
while a pasted service account key still signs URLs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import google.auth
from google.api_core.exceptions import NotFound
from google.api_core.retry import Retry
from google.auth.credentials import AnonymousCredentials
from google.auth.transport.requests import AuthorizedSession
from google.cloud import storage
from google.cloud.storage.retry import DEFAULT_RETRY

from labelloom.core.plugin import BucketConnector, StorageError, StorageObject, StorageRead

from .config import GCSConfig
from .credentials import SCOPES, can_sign, parse_credentials
from . import SCHEME  # one spelling, in the package: it loads without google-cloud-storage
from .errors import from_status, gcs_errors

GOOGLE_ENDPOINT = "https://storage.googleapis.com"
CHUNK_SIZE = 512 * 1024  # bytes per chunk of a streamed read (Label Studio's proxy buffer)
PAGE_SIZE = 1000
TIMEOUT = (5.0, 60.0)  # seconds to connect, seconds between bytes read
RETRY: Retry = DEFAULT_RETRY.with_timeout(120.0)  # back-off on 429/5xx and dropped connections

_build_lock = threading.Lock()


def emulator_host() -> str | None:
    host = os.environ.get("STORAGE_EMULATOR_HOST", "").strip().rstrip("/")
    if not host:
        return None
    return host if "://" in host else f"http://{host}"


@dataclass(frozen=True)
class Clients:
    api: storage.Client
    http: AuthorizedSession  # streamed media downloads (the library buffers whole objects)
    endpoint: str
    signer: Any  # service account credentials that sign URLs, or None


@lru_cache(maxsize=64)
def _clients(credentials_text: str | None, project: str | None, emulator: str | None) -> Clients:
    """One client set per distinct connection (thread-safe; building one costs a key parse)."""
    parsed = parse_credentials(credentials_text)
    credentials, info = parsed if parsed else (None, {})
    if emulator:
        api_credentials: Any = AnonymousCredentials()
    elif credentials is not None:
        api_credentials = credentials
    else:
        api_credentials, _ = google.auth.default(scopes=SCOPES)  # the server's own (env, metadata)
    with _build_lock:
        client = storage.Client(
            project=project or info.get("project_id") or "<none>",
            credentials=api_credentials,
            client_options={"api_endpoint": emulator} if emulator else None,
        )
    return Clients(client, AuthorizedSession(api_credentials), emulator or GOOGLE_ENDPOINT, credentials if can_sign(credentials) else None)


def parse_content_range(value: str | None) -> tuple[int, int | None]:
    """``(first byte, total)`` from ``bytes 100-199/1234``."""
    if not value or " " not in value:
        return 0, None
    span, _, total = value.split(" ", 1)[1].partition("/")
    first = span.split("-")[0]
    return (int(first) if first.isdigit() else 0), (int(total) if total.isdigit() else None)


class GCSConnector(BucketConnector):
    """One GCS bucket, configured by :class:`GCSConfig`."""

    scheme = SCHEME

    def __init__(self, config: GCSConfig) -> None:
        super().__init__(config.bucket, config.prefix)
        self.config = config
        self.project = (config.google_project_id or "").strip() or None
        parse_credentials(config.google_application_credentials)  # bad JSON fails now, clearly

    @property
    def clients(self) -> Clients:
        with gcs_errors(bucket=self.bucket):
            return _clients(self.config.google_application_credentials or None, self.project, emulator_host())

    def validate(self) -> None:
        with gcs_errors(bucket=self.bucket):
            blobs = self.clients.api.list_blobs(self.bucket, prefix=self.prefix or None, max_results=1, timeout=TIMEOUT, retry=RETRY)
            list(blobs)

    def iter_objects(self, *, recursive: bool) -> Iterator[StorageObject]:
        with gcs_errors(bucket=self.bucket):
            blobs = self.clients.api.list_blobs(
                self.bucket,
                prefix=self.prefix or None,
                delimiter=None if recursive else "/",  # sub-folders come back as prefixes, skipped
                page_size=PAGE_SIZE,
                timeout=TIMEOUT,
                retry=RETRY,
            )
            for blob in blobs:  # fetched one page at a time
                if not blob.name.endswith("/"):  # folder placeholders made by consoles
                    yield StorageObject(key=blob.name, size=blob.size)

    def media_url(self, key: str) -> str:
        return f"{self.clients.endpoint}/storage/v1/b/{quote(self.bucket, safe='')}/o/{quote(key, safe='')}?alt=media"

    def open(self, key: str, *, start: int | None = None, end: int | None = None) -> StorageRead:
        headers = {}
        if start is not None or end is not None:
            headers["Range"] = f"bytes={start or 0}-{'' if end is None else end}"
        with gcs_errors(bucket=self.bucket, key=key):
            response = self.clients.http.get(self.media_url(key), headers=headers, stream=True, timeout=TIMEOUT)
        if response.status_code >= 400:
            detail = response.text[:300] if response.status_code not in (401, 403, 404, 416) else ""
            response.close()
            raise from_status(response.status_code, bucket=self.bucket, key=key, detail=detail)
        length = response.headers.get("Content-Length")
        size = int(length) if length and length.isdigit() else None
        if response.status_code == 206:
            first, total = parse_content_range(response.headers.get("Content-Range"))
        else:
            first, total = 0, size

        def chunks() -> Iterator[bytes]:
            with gcs_errors(bucket=self.bucket, key=key):
                yield from response.iter_content(CHUNK_SIZE)

        return StorageRead(
            chunks=chunks(), size=size, total=total, content_type=response.headers.get("Content-Type"), start=first, close=response.close
        )

    def presign(self, key: str, *, ttl: int) -> str | None:
        clients = self.clients
        if clients.signer is None:
            return None  # no private key to sign with: core proxies the media instead
        blob = clients.api.bucket(self.bucket).blob(key)
        try:
            return blob.generate_signed_url(
                version="v4",
                expiration=timedelta(seconds=max(1, int(ttl))),
                method="GET",
                credentials=clients.signer,
                api_access_endpoint=clients.endpoint,
            )
        except (ValueError, TypeError) as exc:
            raise StorageError(f"Cannot sign a URL for '{key}' with the service account key ({type(exc).__name__}).") from None

    def write(self, key: str, data: bytes, *, content_type: str = "application/json") -> None:
        with gcs_errors(bucket=self.bucket, key=key):
            blob = self.clients.api.bucket(self.bucket).blob(key)
            # Rewriting the same annotation is idempotent, so retrying an unconditional upload is safe.
            blob.upload_from_string(data, content_type=content_type, timeout=TIMEOUT, retry=RETRY)

    def delete(self, key: str) -> None:
        with gcs_errors(bucket=self.bucket, key=key):
            try:
                self.clients.api.bucket(self.bucket).blob(key).delete(timeout=TIMEOUT, retry=RETRY)
            except NotFound:
                pass  # already gone


def build_connector(config: GCSConfig) -> GCSConnector:
    if not config.bucket.strip():
        raise StorageError("The GCS bucket name is empty.")
    return GCSConnector(config)
