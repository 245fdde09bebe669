"""boto3 failures as StorageErrors a user can act on, never echoing credentials or raw tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from labelloom.core.plugin import StorageError

# S3 error codes -> what to tell the user ({bucket} and {key} are filled in).
MESSAGES = {
    "NoSuchBucket": "S3 bucket '{bucket}' does not exist.",
    "NoSuchKey": "Object '{key}' does not exist in S3 bucket '{bucket}'.",
    "AccessDenied": "Access denied to S3 bucket '{bucket}'{where}: check the access key's permissions and the bucket policy.",
    "AllAccessDisabled": "All access to S3 bucket '{bucket}' is disabled.",
    "InvalidAccessKeyId": "The AWS access key ID was not accepted by S3 (it does not exist or is disabled).",
    "SignatureDoesNotMatch": "The AWS secret access key does not match the access key ID.",
    "ExpiredToken": "The AWS session token has expired; enter fresh temporary credentials.",
    "InvalidToken": "The AWS session token is not valid.",
    "TokenRefreshRequired": "The AWS session token has expired; enter fresh temporary credentials.",
    "InvalidBucketName": "'{bucket}' is not a valid S3 bucket name.",
    "PermanentRedirect": "S3 bucket '{bucket}' is in another region: set the region name to the bucket's region.",
    "AuthorizationHeaderMalformed": "S3 bucket '{bucket}' is in another region: set the region name to the bucket's region.",
    "InvalidRange": "The requested byte range of '{key}' is outside the object.",
    "KMS.NotFoundException": "The KMS key for server-side encryption does not exist.",
    "KMS.DisabledException": "The KMS key for server-side encryption is disabled.",
}
# HEAD requests carry no body, so S3 answers them with a bare HTTP status as the code.
BARE_STATUS = {"404": "NoSuchKey", "403": "AccessDenied", "400": "BadRequest", "301": "PermanentRedirect"}


def shown_endpoint(endpoint: str | None) -> str:
    """The endpoint for messages, without any user:password@ part."""
    if not endpoint:
        return "AWS S3"
    parts = urlsplit(endpoint)
    host = parts.hostname or endpoint
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}"


def storage_error(exc: Exception, *, bucket: str, key: str | None, endpoint: str | None, anonymous: bool = False) -> StorageError:
    """The StorageError for one boto3 failure while working on ``bucket`` (and ``key``);
    ``anonymous``: the requests were unsigned (no access key was given)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "")
        code = BARE_STATUS.get(code, code)
        if code == "NoSuchKey" and key is None:
            code = "NoSuchBucket"  # a HEAD on the bucket itself
        template = MESSAGES.get(code)
        if code == "AccessDenied" and anonymous:
            template = "Access denied to S3 bucket '{bucket}'{where}: no access key was given, so only public objects can be read."
        if template:
            where = f" (key '{key}')" if key else ""
            return StorageError(template.format(bucket=bucket, key=key or "", where=where))
        message = str(error.get("Message") or "").strip()
        return StorageError(f"S3 refused the request on bucket '{bucket}': {code or 'error'}{': ' + message if message else ''}.")
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return StorageError("No usable AWS credentials: enter an access key ID and a secret access key.")
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return StorageError(f"Cannot connect to {shown_endpoint(endpoint)}: check the endpoint URL and the network.")
    if isinstance(exc, ReadTimeoutError):
        return StorageError(f"{shown_endpoint(endpoint)} did not answer in time.")
    if isinstance(exc, ParamValidationError):
        return StorageError(f"Invalid S3 request: {exc}")
    if isinstance(exc, BotoCoreError):
        return StorageError(f"S3 request failed ({type(exc).__name__}) on {shown_endpoint(endpoint)}.")
    return StorageError(f"S3 request failed: {type(exc).__name__}.")


@contextmanager
def s3_errors(*, bucket: str, key: str | None = None, endpoint: str | None = None, anonymous: bool = False) -> Iterator[None]:
    """Turn boto3 exceptions raised inside the block into StorageErrors."""
    try:
        yield
    except StorageError:
        raise
    except (BotoCoreError, ClientError) as exc:
        raise storage_error(exc, bucket=bucket, key=key, endpoint=endpoint, anonymous=anonymous) from exc
