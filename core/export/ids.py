"""Task ids chosen for an export, in every form Label Studio's docs and SDK send them.

``?ids[]=1&ids[]=2`` (its curl examples), ``?ids=1&ids=2`` (its SDK), ``?ids=1,2`` and a JSON
body's ``{"ids": [1, 2]}`` (or ``"1,2"``). A value that is not a task id is a 400 naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import ValidationFailed


def _bad(field: str, value: Any) -> ValidationFailed:
    message = f"{value!r} is not a task id (ids are whole numbers, repeated or comma-separated)"
    return ValidationFailed(f"{field}: {message}", validation_errors={field: [message]})


def parse_task_ids(values: Iterable[Any], field: str) -> list[int] | None:
    """The ids in ``values`` (strings that may hold comma-separated ids, or numbers), in order
    and without repeats; None when there are none."""
    ids: dict[int, None] = {}
    for value in values:
        if isinstance(value, bool) or value is None:
            raise _bad(field, value)
        if isinstance(value, int):
            parts: list[Any] = [value]
        elif isinstance(value, float) and value.is_integer():
            parts = [int(value)]
        elif isinstance(value, str):
            parts = [p.strip() for p in value.strip().strip("[]").split(",") if p.strip()]
        else:
            raise _bad(field, value)
        for part in parts:
            if isinstance(part, str):
                if not part.isdigit() or not part.isascii():
                    raise _bad(field, part)
                part = int(part)
            if part < 0 or part > 2**63 - 1:
                raise _bad(field, part)
            ids[part] = None
    return list(ids) or None


def query_task_ids(query: Any, name: str) -> list[int] | None:
    """``name`` and ``name[]`` of a request's query string (a multi-dict)."""
    return parse_task_ids([*query.getall(name, []), *query.getall(f"{name}[]", [])], name)


def body_task_ids(body: Any, name: str) -> list[int] | None:
    """``name`` of a JSON body: a list of ids, one id, or a comma-separated string."""
    if not isinstance(body, dict) or body.get(name) is None:
        return None
    value = body[name]
    return parse_task_ids(value if isinstance(value, list) else [value], name)
