"""What a database refusal means for the client: a value the column cannot hold, a reference to
a row that does not exist, or a duplicate, as a 4xx naming what the database named. And a disk
that refuses a write (full, over quota, read-only): a 507 saying what could not be written.

The last line of defence behind validation at the edges (core/input_limits.py, the schemas):
a request that still reaches the database with such a value changed nothing (the request's
transaction is rolled back on any status >= 400) and must not read as a server fault.
Anything else the database raises stays a 500. PostgreSQL names no column when it refuses a
NUL character or text past a ``varchar`` length: the statement's parameters tell which.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from typing import Any

import msgspec
from litestar.exceptions import SerializationException
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from .errors import BadRequest, Conflict, LabelloomError, ValidationFailed

log = logging.getLogger("labelloom")

# A write the disk refused: the request changed nothing (rolled back), the server needs space.
DISK_REFUSALS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


class InsufficientStorage(LabelloomError):
    status_code = 507


# PostgreSQL: "Key (annotation_id)=(12) is not present in table "annotations"."
_PG_KEY = re.compile(r"Key \(([^)]+)\)=\((.*)\) (is not present|already exists)")
# SQLite: "UNIQUE constraint failed: users.email"
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+)")


def client_error(exc: BaseException) -> LabelloomError | None:
    """The 4xx for a database refusal caused by the request's values (or the 507 of a disk
    that refused a write), or None (a real fault)."""
    if isinstance(exc, SerializationException):  # request.json() on a body that is not JSON
        return BadRequest(f"The body is not valid JSON: {exc.detail}")
    if isinstance(exc, msgspec.ValidationError | msgspec.DecodeError):  # a body decoded by hand
        return BadRequest(f"Invalid body: {exc}")
    if isinstance(exc, RecursionError):  # msgspec and json give up on very deep JSON this way
        return BadRequest("The request is nested too deeply.")
    if isinstance(exc, UnicodeEncodeError):
        return BadRequest("Text in the request is not valid Unicode (a lone surrogate).")
    if isinstance(exc, OverflowError):
        return BadRequest("A number in the request is too large for the database.")
    if isinstance(exc, OSError) and exc.errno in DISK_REFUSALS:
        what = os.path.basename(str(exc.filename)) if exc.filename else "a file"
        log.error("disk refused a write: %s", exc)
        return InsufficientStorage(f"The server could not write {what}: {exc.strerror or exc}.")
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
    named = _named_data_error(exc, message)
    if named is not None:
        return named
    first = message.splitlines()[0] if message else "invalid value"
    more = f" ({detail.rstrip('.')})" if detail else ""
    return BadRequest(f"A value in the request does not fit the database: {first}{more}.")


# PostgreSQL: "value too long for type character varying(16)"
_TOO_LONG = re.compile(r"value too long for type character varying\((\d+)\)")
_NUL_MESSAGES = ("cannot contain NUL", "\\u0000 cannot be converted")
_INSERT_COLUMNS = re.compile(r"INSERT INTO \S+ \(([^)]*)\)", re.I)


def _named_data_error(exc: BaseException, message: str) -> ValidationFailed | None:
    """PostgreSQL's NUL and length refusals name no column: find the statement parameter that
    holds the offending value, so the 400 names the field (``title``, ``color``, ``data``)."""
    if any(text in message for text in _NUL_MESSAGES):
        field = _culprit(exc, _has_nul)
        problem = "text cannot contain NUL characters (\\u0000)"
    elif (found := _TOO_LONG.search(message)) is not None:
        limit = int(found.group(1))
        columns = _columns_of_length(getattr(exc, "statement", "") or "", limit)
        field = _culprit(exc, lambda value: isinstance(value, str) and len(value) > limit, columns)
        problem = f"must be at most {limit} characters"
    else:
        return None
    if field is None:
        return None
    return ValidationFailed(f"{field}: {problem}.", validation_errors={field: [problem]})


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value or "\\u0000" in value
    inner = getattr(value, "obj", value)  # psycopg's Json/Jsonb wrappers
    if isinstance(inner, dict | list):
        try:
            return b"\\u0000" in msgspec.json.encode(inner)
        except (TypeError, msgspec.EncodeError):
            return False
    return False


_TABLE = re.compile(r"^\s*(?:INSERT INTO|UPDATE)\s+\"?(\w+)\"?", re.I)


def _columns_of_length(statement: str, limit: int) -> set[str] | None:
    """The columns of the statement's table declared ``String(limit)`` (None: not known), to
    tell which of several long values the database refused."""
    from .db.base import Base  # its metadata holds every table the running app has loaded

    found = _TABLE.search(statement)
    table = Base.metadata.tables.get(found.group(1)) if found else None
    if table is None:
        return None
    return {column.name for column in table.columns if getattr(column.type, "length", None) == limit}


def _culprit(exc: BaseException, bad: Any, among: set[str] | None = None) -> str | None:
    """The name of the first bound parameter ``bad`` holds for (of the columns ``among``, when
    given): its bind name without SQLAlchemy's ``_1`` suffix, or for positional rows the
    INSERT's column at that place."""
    params = getattr(exc, "params", None)
    rows = params if isinstance(params, list | tuple) and params and isinstance(params[0], dict | list | tuple) else [params]
    columns: list[str] | None = None
    for row in rows:
        if isinstance(row, dict):
            for key, value in row.items():
                name = re.sub(r"_\d+$", "", str(key))
                if bad(value) and (among is None or name in among):
                    return name
        elif isinstance(row, list | tuple):
            for index, value in enumerate(row):
                if bad(value):
                    if columns is None:
                        found = _INSERT_COLUMNS.search(getattr(exc, "statement", "") or "")
                        columns = [c.strip().strip('"') for c in found.group(1).split(",")] if found else []
                    name = columns[index] if index < len(columns) else None
                    if name is not None and (among is None or name in among):
                        return name
    return None


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
