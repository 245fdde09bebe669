"""The S3 connector: list, read (with ranges), presign, write and delete objects of one bucket.

Every call blocks (boto3); core runs them in worker threads. Keys are whole object keys inside
the bucket (the prefix included), as listed by :meth:`S3Connector.iter_objects`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import boto3
import botocore.session
from botocore import UNSIGNED
from botocore.config import Config

from labelloom.core.plugin import BucketConnector, StorageError, StorageObject, StorageRead

from . import SCHEME  # one spelling, in the package: it loads without boto3
from .config import S3Config
from .errors import s3_errors
from .prefetch import prefetched

CHUNK_SIZE = 512 * 1024  # bytes per chunk of a streamed read (Label Studio's proxy buffer)
PAGE_SIZE = 1000  # S3's maximum keys per listing page
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_ATTEMPTS = 3  # first try included; "standard" mode backs off and retries throttling and 5xx

_client_lock = threading.Lock()


@lru_cache(maxsize=64)
def _client(key_id: str | None, secret: str | None, token: str | None, region: str | None, endpoint: str | None) -> Any:
    """One boto3 client per distinct connection (they are thread-safe; building one costs ~50 ms)."""
    # A custom endpoint without keys gets unsigned requests (public buckets): the server's own
    # AWS identity (environment, instance role) is only ever presented to AWS itself.
    anonymous = bool(endpoint) and not key_id
    config = Config(
        signature_version=UNSIGNED if anonymous else "s3v4",
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
        # S3-compatible servers rarely have virtual-host DNS for buckets.
        s3={"addressing_style": "path" if endpoint else "auto"},
    )
    with _client_lock:  # creating clients from sessions is not thread-safe in boto3
        core = botocore.session.get_session()
        # Timestamps (LastModified ...) stay strings: nothing here reads them, and botocore's
        # dateutil parsing is most of the CPU a 1,000-key listing page costs.
        core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
        session = boto3.session.Session(
            aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, botocore_session=core
        )
        return session.client("s3", region_name=region or "us-east-1", endpoint_url=endpoint, config=config)


def parse_total(content_range: str | None) -> int | None:
    """The object's full size from ``bytes 0-99/1234``."""
    if content_range and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else None
    return None


def range_header(start: int | None, end: int | None) -> str | None:
    if start is None and end is None:
        return None
    return f"bytes={start or 0}-{'' if end is None else end}"


class S3Connector(BucketConnector):
    """One S3 (or S3-compatible) bucket, configured by :class:`S3Config`."""

    scheme = SCHEME

    def __init__(self, config: S3Config) -> None:
        super().__init__(config.bucket, config.prefix)
        self.config = config
        self.endpoint = (config.s3_endpoint or "").strip() or None

    @property
    def client(self) -> Any:
        # s3_endpoint is one of the spec's url_fields: core's SSRF guard checked it before
        # building this connector.
        c = self.config
        return _client(
            (c.aws_access_key_id or "").strip() or None,
            (c.aws_secret_access_key or "").strip() or None,
            (c.aws_session_token or "").strip() or None,
            (c.region_name or "").strip() or None,
            self.endpoint,
        )

    def _errors(self, key: str | None = None) -> Any:
        anonymous = bool(self.endpoint) and not (self.config.aws_access_key_id or "").strip()
        return s3_errors(bucket=self.bucket, key=key, endpoint=self.endpoint, anonymous=anonymous)

    def validate(self) -> None:
        with self._errors():
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)

    def iter_objects(self, *, recursive: bool) -> Iterator[StorageObject]:
        return prefetched(self._pages(recursive))

    def _pages(self, recursive: bool) -> Iterator[list[StorageObject]]:
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
        if not recursive:
            params["Delimiter"] = "/"  # "sub-folders" come back as CommonPrefixes, skipped
        with self._errors():
            pages = self.client.get_paginator("list_objects_v2").paginate(**params, PaginationConfig={"PageSize": PAGE_SIZE})
            for page in pages:
                # folder markers made by consoles end with '/'
                yield [StorageObject(key=item["Key"], size=item.get("Size")) for item in page.get("Contents", ())
                       if not item["Key"].endswith("/")]

    def open(self, key: str, *, start: int | None = None, end: int | None = None) -> StorageRead:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        asked = range_header(start, end)
        if asked:
            params["Range"] = asked
        with self._errors(key):
            response = self.client.get_object(**params)
        body = response["Body"]
        size = response.get("ContentLength")
        total = parse_total(response.get("ContentRange")) if asked else size
        first = int(response["ContentRange"].split()[1].split("-")[0]) if asked and response.get("ContentRange") else 0

        def chunks() -> Iterator[bytes]:
            with self._errors(key):
                yield from body.iter_chunks(CHUNK_SIZE)

        return StorageRead(
            chunks=chunks(), size=size, total=total, content_type=response.get("ContentType"), start=first, close=body.close
        )

    def presign(self, key: str, *, ttl: int) -> str | None:
        with self._errors(key):
            return self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=max(1, int(ttl))
            )

    def write(self, key: str, data: bytes, *, content_type: str = "application/json") -> None:
        with self._errors(key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, **self.encryption())

    def encryption(self) -> dict[str, str]:
        """Label Studio's server-side encryption of written objects: the KMS key when one is set,
        else S3-managed AES256."""
        kms_key = (self.config.aws_sse_kms_key_id or "").strip()
        if kms_key:
            return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key}
        return {"ServerSideEncryption": "AES256"}

    def delete(self, key: str) -> None:
        with self._errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=key)  # S3 answers 204 for missing keys too


def build_connector(config: S3Config) -> S3Connector:
    if not config.bucket.strip():
        raise StorageError("The S3 bucket name is empty.")
    return S3Connector(config)
