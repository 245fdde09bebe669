"""Keyset paging: the page after (or before) a task in a query's order, without OFFSET.

``OFFSET n`` reads and throws away n rows, so page 10,000 of a million tasks costs what the
first 10,000 pages cost together. A cursor instead names the last row a client has: the
values of its sort keys (the query's ordering, then ``id``), and the next page is the rows
that sort after them, found with a range on the same index that serves the ordering.

A cursor is opaque to clients: base64url JSON of the direction, the ordering it was made
for (a cursor from another ordering is a 400), and the typed key values. NULLs sort first
ascending on SQLite and last ascending on PostgreSQL; the conditions follow each dialect.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy import JSON, Column, Text, and_, cast, false, literal, or_, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from .query import DMQuery, fail

NEXT, PREVIOUS = "n", "p"


@dataclass(frozen=True)
class SortKey:
    expr: ColumnElement[Any]
    descending: bool

    @property
    def nullable(self) -> bool:
        """Only a plain NOT NULL column is known never to be NULL."""
        return not (isinstance(self.expr, Column) and not self.expr.nullable)

    @property
    def is_json(self) -> bool:
        return isinstance(getattr(self.expr, "type", None), JSON)


@dataclass(frozen=True)
class Cursor:
    direction: str  # NEXT: rows after the key values; PREVIOUS: rows before them
    values: tuple[Any, ...]


@lru_cache(maxsize=256)
def _fingerprint(ordering: tuple[str, ...]) -> str:
    return hashlib.sha1(repr(ordering).encode()).hexdigest()[:10]


def fingerprint(query: DMQuery) -> str:
    """Which ordering a cursor belongs to."""
    return _fingerprint(query.ordering)


def selected_value(key: SortKey) -> ColumnElement[Any]:
    """What the page query selects to remember a row's key: JSON as its text (a JSON null and
    a missing key stay different)."""
    return cast(key.expr, Text) if key.is_json else key.expr


def encode(direction: str, query: DMQuery, values: tuple[Any, ...]) -> str:
    typed = [["t", v.isoformat()] if isinstance(v, datetime) else ["v", v] for v in values]
    raw = msgspec.json.encode({"d": direction, "o": fingerprint(query), "k": typed})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, query: DMQuery, keys: list[SortKey]) -> Cursor:
    def bad(message: str) -> Exception:
        return fail("cursor", message)

    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        body = msgspec.json.decode(raw)
    except (ValueError, msgspec.DecodeError):
        raise bad("is not a cursor this server gave out") from None
    if not isinstance(body, dict) or body.get("d") not in (NEXT, PREVIOUS) or not isinstance(body.get("k"), list):
        raise bad("is not a cursor this server gave out")
    if body.get("o") != fingerprint(query) or len(body["k"]) != len(keys):
        raise bad("was made for another ordering: start again from page 1")
    values = []
    for item in body["k"]:
        if not (isinstance(item, list) and len(item) == 2 and item[0] in ("t", "v")):
            raise bad("is not a cursor this server gave out")
        kind, value = item
        if kind == "t":
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise bad("holds an invalid date") from None
        elif value is not None and not isinstance(value, str | int | float | bool):
            raise bad("is not a cursor this server gave out")
        values.append(value)
    return Cursor(body["d"], tuple(values))


def _bind(key: SortKey, value: Any, dialect: str) -> Any:
    if key.is_json and dialect == "postgresql":
        if not isinstance(value, str):
            raise fail("cursor", "is not a cursor this server gave out")
        return cast(literal(value, Text), JSONB)
    return value


def after(keys: list[SortKey], values: tuple[Any, ...], dialect: str, *, backwards: bool = False) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys`` (strictly before when
    ``backwards``): the lexicographic comparison, spelled so an index range can serve it."""
    condition: ColumnElement[bool] | None = None
    for key, value in reversed(list(zip(keys, values, strict=True))):
        descending = key.descending != backwards
        # The dialect's NULL: the smallest value on SQLite, the largest on PostgreSQL.
        nulls_after = (dialect == "postgresql") != descending
        expr = key.expr
        if value is None:
            equal: ColumnElement[bool] = expr.is_(None)
            greater: ColumnElement[bool] = false() if nulls_after else expr.is_not(None)
        else:
            bound = _bind(key, value, dialect)
            equal = expr == bound
            greater = expr < bound if descending else expr > bound
            if nulls_after and key.nullable:
                greater = or_(greater, expr.is_(None))
        condition = greater if condition is None else or_(greater, and_(equal, condition))
    assert condition is not None  # the last key is always the task id
    # The first key's bound again, alone: the form index range scans recognise.
    first, value = keys[0], values[0]
    descending = first.descending != backwards
    nulls_after = (dialect == "postgresql") != descending
    if value is not None and not (nulls_after and first.nullable) and len(keys) > 1:
        bound = _bind(first, value, dialect)
        condition = and_(first.expr <= bound if descending else first.expr >= bound, condition)
    return condition if condition is not None else true()
