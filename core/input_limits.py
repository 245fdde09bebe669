"""Bounds on integers that reach SQL: an id or page number no column can hold is a 400 naming
its parameter, never a driver error (SQLite refuses Python ints past 2**63 with OverflowError,
PostgreSQL's ``integer`` stops at 2**31-1).

Every id column is a 32-bit ``Integer`` on both databases, so one range covers paths, queries
and request bodies. Run as the app's first guard, :func:`check_integer_parameters` checks each
``int`` path or query parameter the matched handler declares, by the name the client used. In
bodies, every integer field of a request struct is :data:`Id` (or narrower), so msgspec names
the field (``tests/api/test_hardening_bodies.py`` walks every route's body struct to keep it
so), and bodies decoded by hand call :func:`check_int` / :func:`check_ids`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Annotated, Any

import msgspec
from litestar.connection import ASGIConnection

from .errors import ValidationFailed

ID_MIN, ID_MAX = -(2**31), 2**31 - 1
# An integer in a request body bound for a 32-bit column (ids, counts, pages).
Id = Annotated[int, msgspec.Meta(ge=ID_MIN, le=ID_MAX)]


def out_of_range(field: str, value: Any) -> ValidationFailed:
    return ValidationFailed(
        f"{field}: {value} is out of range (from {ID_MIN} to {ID_MAX})",
        validation_errors={field: [f"must be between {ID_MIN} and {ID_MAX}"]},
    )


def check_int(field: str, value: Any) -> None:
    """Raise the 400 for an int (or integer text) outside the 32-bit range; anything else passes
    (Litestar reports what is not an integer at all)."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return
    if isinstance(value, int) and not isinstance(value, bool) and not ID_MIN <= value <= ID_MAX:
        raise out_of_range(field, value)


def check_ids(field: str, values: Iterable[Any]) -> None:
    """:func:`check_int` on each value of a list of ids decoded by hand (a JSON body that is a
    plain dict: data-manager selections, user lists)."""
    for value in values:
        check_int(field, value)


# Keyed by the handler's function: Litestar's own guard call hands each guard a fresh copy of
# the handler (litestar_tuning.py passes the handler itself), so a copy would never hit twice.
_CACHE: weakref.WeakKeyDictionary[Any, list[tuple[str, str]]] = weakref.WeakKeyDictionary()


def _int_parameters(handler: Any) -> list[tuple[str, str]]:
    """(kwarg name, name in the request) of a handler's integer parameters, computed once."""
    cached = _CACHE.get(handler.fn)
    if cached is not None:
        return cached
    found: list[tuple[str, str]] = []
    for name, field in handler.parsed_fn_signature.parameters.items():
        if field.is_subclass_of(bool) or field.has_inner_subclass_of(bool):
            continue
        if field.is_subclass_of(int) or field.has_inner_subclass_of(int):
            alias = getattr(field.kwarg_definition, "query", None) or name
            found.append((name, alias))
    _CACHE[handler.fn] = found
    return found


async def check_integer_parameters(connection: ASGIConnection[Any, Any, Any, Any], handler: Any) -> None:
    """The app's first guard (before any guard looks rows up by these values): every integer
    path or query parameter of the handler within the column range."""
    path_params = connection.path_params
    for name, alias in _int_parameters(handler):
        if name in path_params:
            check_int(name, path_params[name])
        for value in connection.query_params.getall(alias, []):
            check_int(alias, value)
