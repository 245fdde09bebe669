"""The data-manager query (filters, ordering, selectedItems) parsed and checked.

Label Studio's JSON arrives from a view, a ``query=`` parameter or an action's body; every
mistake is a 400 naming the filter and the field, never a 500 from the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationFailed
from ..input_limits import check_ids

PREFIX = "filter:tasks:"
CONJUNCTIONS = ("and", "or")


@dataclass(frozen=True)
class FilterItem:
    column: str  # "total_annotations", "data.category" ...
    operator: str
    type: str
    value: Any
    child: FilterItem | None = None


@dataclass(frozen=True)
class Selection:
    all: bool = True
    ids: tuple[int, ...] = ()  # excluded when ``all``, else included


@dataclass(frozen=True)
class DMQuery:
    conjunction: str = "and"
    filters: tuple[FilterItem, ...] = ()
    ordering: tuple[str, ...] = ()  # "tasks:id", "-tasks:data.key"
    selection: Selection = field(default_factory=Selection)
    # An annotator's user id: only the tasks they may see (teams.visibility); set by the
    # routes, never read from a request.
    visible_to: int | None = None
    # The requesting user's id, for per-user columns (unread comments); set by the routes.
    viewer: int | None = None

    @property
    def is_plain(self) -> bool:
        """No filter and nothing deselected: the project's stored counters are the totals."""
        return not self.filters and self.selection.all and not self.selection.ids and self.visible_to is None


def fail(where: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}", validation_errors={where: [message]})


def _json(raw: Any, where: str) -> Any:
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw) if raw else None
        except ValueError:
            raise fail(where, "is not valid JSON") from None
        except RecursionError:
            raise fail(where, "is nested too deeply") from None
        try:  # JSON escapes can spell lone surrogates, which no database column takes
            json.dumps(raw, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise fail(where, "contains a lone surrogate (not valid Unicode)") from None
    return raw


def parse_item(raw: Any, where: str, nested: bool = False) -> FilterItem:
    if not isinstance(raw, dict):
        raise fail(where, "must be an object")
    name = raw.get("filter")
    if not isinstance(name, str) or not name.startswith(PREFIX) or len(name) == len(PREFIX):
        raise fail(f"{where}.filter", f"must start with {PREFIX!r}, got {name!r}")
    column = name[len(PREFIX):]
    if "\x00" in column:
        raise fail(f"{where}.filter", "must not contain NUL characters")
    if "__" in column:  # Label Studio's CVE-2023-47117 guard: no relation traversal
        raise fail(f"{where}.filter", f"{name!r} is not a filterable column")
    operator = raw.get("operator")
    if not isinstance(operator, str):
        raise fail(f"{where}.operator", f"missing operator in filter {name!r}")
    child = raw.get("child_filter")
    parsed_child = None
    if child:
        if nested:
            raise fail(f"{where}.child_filter", "only one level of child filters is allowed")
        parsed_child = parse_item(child, f"{where}.child_filter", nested=True)
    kind = raw.get("type") or "String"
    if not isinstance(kind, str):
        raise fail(f"{where}.type", f"must be a string in filter {name!r}")
    return FilterItem(column, operator, kind, raw.get("value"), parsed_child)


def parse_selection(raw: Any) -> Selection:
    raw = _json(raw, "selectedItems")
    if raw is None:
        return Selection()
    if not isinstance(raw, dict):
        raise fail("selectedItems", "must be an object")
    everything = bool(raw.get("all", False))
    key = "excluded" if everything else "included"
    ids = raw.get(key) or []
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise fail(f"selectedItems.{key}", "must be a list of task ids")
    check_ids(f"selectedItems.{key}", ids)
    return Selection(everything, tuple(ids))


def parse_ordering(raw: Any) -> tuple[str, ...]:
    raw = _json(raw, "ordering")
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(o, str) for o in raw):
        raise fail("ordering", "must be a list of 'tasks:<column>' strings")
    for item in raw:
        if "\x00" in item:
            raise fail("ordering", "must not contain NUL characters")
        if not item.lstrip("-").startswith("tasks:"):
            raise fail("ordering", f"{item!r} must look like 'tasks:<column>' or '-tasks:<column>'")
    return tuple(raw)


def parse_filters(raw: Any) -> tuple[str, tuple[FilterItem, ...]]:
    raw = _json(raw, "filters")
    if raw is None:
        return "and", ()
    if not isinstance(raw, dict):
        raise fail("filters", "must be an object with 'conjunction' and 'items'")
    conjunction = raw.get("conjunction") or "and"
    if conjunction not in CONJUNCTIONS:
        raise fail("filters.conjunction", f"must be 'and' or 'or', got {conjunction!r}")
    items = raw.get("items")
    items = [] if items is None else items
    if not isinstance(items, list):  # checked before any default: {} must not mean "no filter"
        raise fail("filters.items", "must be a list")
    return conjunction, tuple(parse_item(item, f"filters.items[{i}]") for i, item in enumerate(items))


def parse_query(raw: Any, base: DMQuery | None = None) -> DMQuery:
    """Parse ``{"filters", "ordering", "selectedItems"}``; keys absent keep ``base``'s values."""
    raw = _json(raw, "query")
    base = base or DMQuery()
    if raw is None:
        return base
    if not isinstance(raw, dict):
        raise fail("query", "must be a JSON object")
    conjunction, filters = (base.conjunction, base.filters)
    if raw.get("filters") is not None:
        conjunction, filters = parse_filters(raw["filters"])
    ordering = parse_ordering(raw["ordering"]) if raw.get("ordering") is not None else base.ordering
    selection = parse_selection(raw["selectedItems"]) if raw.get("selectedItems") is not None else base.selection
    return DMQuery(conjunction, filters, ordering, selection)


def view_query(view_data: dict[str, Any]) -> DMQuery:
    """A view's stored filters and ordering (its selection is never saved)."""
    return parse_query({"filters": view_data.get("filters"), "ordering": view_data.get("ordering")})
