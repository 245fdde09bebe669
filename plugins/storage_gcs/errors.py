"""google-cloud-storage failures as StorageErrors a user can act on, never echoing credentials."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from google.api_core import exceptions as api
from google.auth import exceptions as auth

from labelloom.core.plugin import StorageError


def from_status(status: int, *, bucket: str, key: str | None, detail: str = "") -> StorageError:
    """The StorageError for an HTTP status GCS answered while working on ``bucket`` (and ``key``)."""
    if status == 404:
        if key is None:
            return StorageError(f"GCS bucket '{bucket}' does not exist.")
        return StorageError(f"Object '{key}' does not exist in GCS bucket '{bucket}'.")
    if status == 401:
        return StorageError("Google rejected the credentials: check the service account key.")
    if status == 403:
        return StorageError(
            f"Access denied to GCS bucket '{bucket}': the service account needs the Storage Object Viewer "
            "role (and Storage Object Creator for target storages)."
        )
    if status == 416:
        return StorageError(f"The requested byte range of '{key}' is outside the object.")
    if status == 429:
        return StorageError(f"GCS is throttling requests to bucket '{bucket}'; try again later.")
    return StorageError(f"GCS refused the request on bucket '{bucket}' (HTTP {status}){': ' + detail if detail else ''}.")


def storage_error(exc: Exception, *, bucket: str, key: str | None) -> StorageError:
    if isinstance(exc, api.GoogleAPICallError) and exc.code:
        message = exc.message if isinstance(exc.message, str) else ""
        return from_status(int(exc.code), bucket=bucket, key=key, detail=message[:300])
    if isinstance(exc, auth.RefreshError):
        return StorageError("Google rejected the credentials (no access token could be obtained): check the service account key.")
    if isinstance(exc, auth.DefaultCredentialsError):
        return StorageError("No Google credentials: paste a service account key into Google application credentials.")
    if isinstance(exc, (requests.Timeout, api.RetryError)):
        return StorageError("Google Cloud Storage did not answer in time.")
    if isinstance(exc, (requests.ConnectionError, auth.TransportError)):
        return StorageError("Cannot connect to Google Cloud Storage: check the network.")
    return StorageError(f"GCS request failed: {type(exc).__name__}.")


@contextmanager
def gcs_errors(*, bucket: str, key: str | None = None) -> Iterator[None]:
    """Turn google-cloud-storage and transport exceptions raised inside the block into StorageErrors."""
    try:
        yield
    except StorageError:
        raise
    except (api.GoogleAPIError, auth.GoogleAuthError, requests.RequestException) as exc:
        raise storage_error(exc, bucket=bucket, key=key) from exc
