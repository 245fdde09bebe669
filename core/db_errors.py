"""What a database refusal means for the client: a value the column cannot hold, a reference to
a row that does not exist, or a duplicate, as a 4xx naming what the database named.

The last line of defence behind validation at the edges (core/input_limits.py, the schemas):
a request that still reaches the database with such a value changed nothing (the request's
transaction is rolled back on any status >= 400) and must not read as a server fault.
Anything else the database raises stays a 500.
"""

from __future__ import annotations

import re
from typing import Any

from litestar.exceptions import SerializationException
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from .errors import BadRequest, Conflict, LabelloomError

# PostgreSQL: "Key (annotation_id)=(12) is not present in table "annotations"."
_PG_KEY = re.compile(r"Key \(([^)]+)\)=\((.*)\) (is not present|already exists)")
# SQLite: "UNIQUE constraint failed: users.email"
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+)")


def client_error(exc: BaseException) -> LabelloomError | None:
    """The 4xx for a database refusal caused by the request's values, or None (a real fault)."""
    if isinstance(exc, SerializationException):  # request.json() on a body that is not JSON
        return BadRequest(f"The body is not valid JSON: {exc.detail}")
    if isinstance(exc, RecursionError):  # msgspec and json give up on very deep JSON this way
        return BadRequest("The request is nested too deeply.")
    if isinstance(exc, UnicodeEncodeError):
        return BadRequest("Text in the request is not valid Unicode (a lone surrogate).")
    if isinstance(exc, OverflowError):
        return BadRequest("A number in the request is too large for the database.")
    orig = exc.orig if isinstance(exc, StatementError) else exc
    if isinstance(orig, UnicodeEncodeError | OverflowError):
        return client_error(orig)
    integrity, data = _kinds(exc, orig)
    if not (integrity or data):
        return None
    message = str(orig)
    detail = getattr(getattr(orig, "diag", None), "message_detail", None) or ""
    if integrity:
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate == "23505" or "UNIQUE constraint failed" in message:
            return Conflict(f"Already exists: {_name(detail, message)}.")
        if sqlstate == "23503" or "FOREIGN KEY constraint failed" in message:
            return BadRequest(f"Refers to a row that does not exist{_named(detail)}.")
        if sqlstate == "23502" or "NOT NULL constraint failed" in message:
            return BadRequest(f"A required value is missing: {message.splitlines()[0]}.")
        return None
    first = message.splitlines()[0] if message else "invalid value"
    more = f" ({detail.rstrip('.')})" if detail else ""
    return BadRequest(f"A value in the request does not fit the database: {first}{more}.")


def _kinds(exc: BaseException, orig: BaseException) -> tuple[bool, bool]:
    """(integrity error, data error), from SQLAlchemy's wrapper or a raw driver error (COPY)."""
    import sqlite3

    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        psycopg = None  # type: ignore[assignment]
    integrity = isinstance(exc, IntegrityError) or isinstance(orig, sqlite3.IntegrityError)
    data = isinstance(exc, DataError) or isinstance(orig, sqlite3.DataError)
    if psycopg is not None:
        integrity = integrity or isinstance(orig, psycopg.IntegrityError)
        data = data or isinstance(orig, psycopg.DataError)
    return integrity, data


def _named(detail: str) -> str:
    found = _PG_KEY.search(detail)
    return f" ({found.group(1)} = {found.group(2)})" if found else ""


def _name(detail: str, message: str) -> str:
    found = _PG_KEY.search(detail)
    if found:
        return f"{found.group(1)} = {found.group(2)}"
    unique = _SQLITE_UNIQUE.search(message)
    return unique.group(1) if unique else "a row with these values"
