"""Turns every exception into a JSON body: ``detail`` always, ``validation_errors`` for 400s."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .db_errors import client_error
from .errors import LabelloomError

log = logging.getLogger("labelloom")


def _json(status: int, body: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, media_type=MediaType.JSON)


def labelloom_error(_: Request[Any, Any, Any], exc: LabelloomError) -> Response[dict[str, Any]]:
    return _json(exc.status_code, exc.to_dict())


def validation_error(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    """Litestar's request decoding errors, keyed by field as Label Studio's clients expect."""
    fields: dict[str, list[str]] = {}
    for item in exc.extra or []:
        if isinstance(item, dict):
            key = str(item.get("key") or "non_field_errors")
            fields.setdefault(key, []).append(str(item.get("message")))
    detail = "Validation error"
    if fields:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
    elif exc.detail:
        detail = exc.detail
    return _json(400, {"status_code": 400, "detail": detail, "validation_errors": fields})


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.detail}
    response = _json(exc.status_code, body)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


RETRY_AFTER_S = 5
# PostgreSQL refusing a connection because it has too many (SQLSTATE 53300) or is starting up or
# shutting down (57P03): the server is overloaded or restarting, not broken.
BUSY_SQLSTATES = {"53300", "57P03"}


def _overloaded(exc: Exception) -> bool:
    """No database connection could be had in time: the pool is exhausted or PostgreSQL full."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, OperationalError):
        return getattr(exc.orig, "sqlstate", None) in BUSY_SQLSTATES
    return False


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if _overloaded(exc):
        # A client may retry; a load balancer may send the request elsewhere. Not a bug: no traceback.
        log.warning("overloaded, answered 503: %s %s: %s", request.method, request.url.path, exc)
        response = _json(503, {"status_code": 503, "detail": "The server is busy; retry in a few seconds."})
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response
    refused = client_error(exc)  # a value the database cannot take is the client's, not ours
    if refused is not None:
        log.info("database refused %s %s: %s", request.method, request.url.path, exc)
        return _json(refused.status_code, refused.to_dict())
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, {"status_code": 500, "detail": "Internal server error"})


EXCEPTION_HANDLERS: dict[Any, Any] = {
    LabelloomError: labelloom_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: internal_error,
}
