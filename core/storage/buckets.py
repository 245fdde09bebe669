"""What every object-store connector (S3, GCS, ...) shares: a bucket, a folder prefix, and the
``<scheme>://<bucket>/<key>`` URIs its tasks refer to objects by.

Public through :mod:`labelloom.core.plugin` as :class:`BucketConnector`, so storage plugins,
which may not import each other, do not each write it again.
"""

from __future__ import annotations

from typing import ClassVar


def folder_prefix(prefix: str | None) -> str:
    """Label Studio's rule: a non-empty prefix is a folder, so it ends with exactly one '/'."""
    prefix = (prefix or "").strip().lstrip("/")
    return prefix.rstrip("/") + "/" if prefix else ""


class BucketConnector:
    """Base of a connector for one bucket: subclasses set :attr:`scheme` and do the I/O.

    Its ``repr`` names the bucket and prefix only, never the credentials in the config.
    """

    scheme: ClassVar[str]

    def __init__(self, bucket: str, prefix: str | None) -> None:
        self.bucket = bucket.strip()
        self.prefix = folder_prefix(prefix)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def uri(self, key: str) -> str:
        return f"{self.scheme}://{self.bucket}/{key}"

    def key_of(self, uri: str) -> str | None:
        """The key of one of this bucket's URIs, or None for any other URI.

        Keys may hold '?', '#' or '%', so no URL parsing: the rest of the URI is the key, verbatim.
        """
        head = f"{self.scheme}://{self.bucket}/"
        if not uri.startswith(head) or len(uri) == len(head):
            return None
        return uri[len(head):]
