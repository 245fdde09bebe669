"""Compile data-manager filters and ordering (reference §4.1-4.2) to SQLAlchemy expressions.

Operators: equal, not_equal, less, greater, less_or_equal, greater_or_equal, in / not_in
(Label Studio's inclusive range ``{"min", "max"}``), in_list / not_in_list, contains /
not_contains (case-insensitive), starts_with, ends_with, regex (an invalid pattern matches
nothing), empty, exists / not_exists. Negative operators keep rows whose value is missing,
as Django's ``exclude()`` does in Label Studio.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Text, and_, cast, exists, false, func, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from ..db.regex import rejection as regex_rejection
from ..tasks.models import Task
from .columns import BUILTIN_TYPES, JSON_TEXT_COLUMNS, RelatedColumn, ScalarColumn, column_sql, data_key
from .keyset import SortKey
from .model_scores import version_of, version_score
from .query import DMQuery, FilterItem, fail
from .types import T

OPERATORS = (
    "equal", "not_equal", "less", "greater", "less_or_equal", "greater_or_equal", "in", "not_in",
    "in_list", "not_in_list", "contains", "not_contains", "starts_with", "ends_with", "regex",
    "empty", "exists", "not_exists",
)
NEGATIVE = {"not_equal": "equal", "not_in": "in", "not_in_list": "in_list", "not_contains": "contains"}
TEXT_OPERATORS = {"contains", "starts_with", "ends_with", "regex"}


class Compiler:
    """Turns one project's filters into conditions on ``tasks`` for one SQL dialect."""

    def __init__(self, dialect: str, viewer: int | None = None) -> None:
        self.dialect = dialect
        self.viewer = viewer  # the requesting user, for per-user columns (unread comments)

    # -- whole query ---------------------------------------------------------------------------
    def where(self, query: DMQuery) -> ColumnElement[bool] | None:
        conditions = [self.item(item, f"filters.items[{i}]") for i, item in enumerate(query.filters)]
        if not conditions:
            return None
        return and_(*conditions) if query.conjunction == "and" else or_(*conditions)

    def order_by(self, query: DMQuery, *, backwards: bool = False) -> list[Any]:
        """ORDER BY terms (reversed when ``backwards``: keyset paging towards the start)."""
        return [
            key.expr.desc() if key.descending != backwards else key.expr.asc() for key in self.sort_keys(query)
        ]

    def sort_keys(self, query: DMQuery) -> list[SortKey]:
        """The ordering's keys, ending with the task id (unique): the same task never shows on
        two pages, and a keyset cursor names exactly one row."""
        keys: list[SortKey] = []
        for item in query.ordering:
            name = item.lstrip("-")[len("tasks:"):]
            expr = self.sort_key(name)
            clause = expr.__clause_element__() if hasattr(expr, "__clause_element__") else expr
            keys.append(SortKey(clause, item.startswith("-")))
            if name == "id":  # unique: later keys never decide anything
                return keys
        keys.append(SortKey(Task.id.__clause_element__(), False))
        return keys

    def sort_key(self, name: str) -> ColumnElement[Any]:
        if name.startswith("data."):
            return data_key(name[5:], self.dialect).order
        if (version := version_of(name)) is not None:  # one model version's score
            return version_score(version)
        column = column_sql(name, self.viewer)
        if column is None:
            raise fail("ordering", f"unknown column {name!r}")
        return column.expr if isinstance(column, ScalarColumn) else column.order

    # -- one filter ----------------------------------------------------------------------------
    def item(self, item: FilterItem, where: str) -> ColumnElement[bool]:
        condition = self._one(item, where)
        if item.child is not None:  # a child filter is AND-merged with its parent
            condition = and_(condition, self._one(item.child, f"{where}.child_filter"))
        return condition

    def _one(self, item: FilterItem, where: str) -> ColumnElement[bool]:
        if item.operator not in OPERATORS:
            raise fail(f"{where}.operator", f"unknown operator {item.operator!r} in filter 'filter:tasks:{item.column}'")
        if item.column.startswith("data."):
            return self._data(item, where)
        if (version := version_of(item.column)) is not None:  # one model version's score
            return self._scalar(version_score(version), item, T.Number, where)
        column = column_sql(item.column, self.viewer)
        if column is None:
            raise fail(f"{where}.filter", f"unknown column 'filter:tasks:{item.column}'")
        kind = BUILTIN_TYPES.get(item.column, T.Boolean if item.column in ("is_labeled", "ground_truth") else T.Number)
        if isinstance(column, RelatedColumn):
            return self._related(column, item, kind, where)
        return self._scalar(column.expr, item, kind, where, counter=column.counter)

    def _data(self, item: FilterItem, where: str) -> ColumnElement[bool]:
        key = data_key(item.column[5:], self.dialect)
        if item.operator == "exists":
            return key.present
        if item.operator == "not_exists":
            return not_(key.present)
        if item.type == T.Number and item.operator not in TEXT_OPERATORS:
            return self._scalar(key.number, item, T.Number, where)
        if item.type == T.Boolean:
            return self._scalar(key.boolean, item, T.Boolean, where)
        kind = "Datetime-text" if item.type == T.Datetime else T.String
        return self._scalar(key.text, item, kind, where)

    def _related(self, column: RelatedColumn, item: FilterItem, kind: str, where: str) -> ColumnElement[bool]:
        model = column.model
        if item.operator in ("empty", "exists", "not_exists"):
            wanted_empty = _truth(item.value, where) if item.operator == "empty" else item.operator == "not_exists"
            has_any = exists().where(model.task_id == Task.id, column.value.is_not(None))
            return not_(has_any) if wanted_empty else has_any
        positive = NEGATIVE.get(item.operator, item.operator)
        value_kind = T.String if kind == T.String else T.List
        match = self._scalar(
            column.value, FilterItem(item.column, positive, item.type, item.value), value_kind, where,
            json_text=item.column in JSON_TEXT_COLUMNS,
        )
        found = exists(select(model.id).where(model.task_id == Task.id, match))
        return not_(found) if positive != item.operator else found

    def _scalar(
        self, expr: Any, item: FilterItem, kind: str, where: str, *, counter: bool = False, json_text: bool = False
    ) -> ColumnElement[bool]:
        op, value = item.operator, item.value
        name = f"filter:tasks:{item.column}"
        if kind == T.List and isinstance(getattr(expr, "type", None), Integer):
            kind = "Integer"  # user ids
        if op == "exists":
            return expr.is_not(None)
        if op == "not_exists":
            return expr.is_(None)
        if op == "empty":
            blank = expr.is_(None)
            if counter:
                blank = or_(blank, expr == 0)
            elif kind == T.String:
                blank = or_(blank, expr == "")
            return blank if _truth(value, where) else not_(blank)
        if op in NEGATIVE:
            positive = self._scalar(expr, FilterItem(item.column, NEGATIVE[op], item.type, value), kind, where,
                                    counter=counter, json_text=json_text)
            return or_(not_(positive), expr.is_(None))
        if op == "contains" and kind == "Integer":
            # "Annotated by contains <user id>" means that user, not ids sharing digits (1 vs 12).
            return expr == _typed(value, kind, where, name)
        if op in TEXT_OPERATORS:
            return self._text(expr, op, value, where, name, json_text)
        if op == "in":
            bounds = value if isinstance(value, dict) else {}
            if "min" not in bounds and "max" not in bounds:
                raise fail(f"{where}.value", f"operator 'in' of {name} needs {{\"min\", \"max\"}}")
            parts = []
            if bounds.get("min") is not None:
                parts.append(expr >= _typed(bounds["min"], kind, where, name))
            if bounds.get("max") is not None:
                parts.append(expr <= _typed(bounds["max"], kind, where, name))
            return and_(true(), *parts)
        if op == "in_list":
            values = value if isinstance(value, list) else [value]
            return expr.in_([_typed(v, kind, where, name) for v in values])
        typed = _typed(value, kind, where, name)
        if op == "equal":
            return expr.is_(None) if typed is None else expr == typed
        return {
            "less": expr < typed, "greater": expr > typed,
            "less_or_equal": expr <= typed, "greater_or_equal": expr >= typed,
        }[op]

    def _text(self, expr: Any, op: str, value: Any, where: str, name: str, json_text: bool) -> ColumnElement[bool]:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail(f"{where}.value", f"operator {op!r} of {name} needs a string")
        text = expr if isinstance(getattr(expr, "type", None), Text) else cast(expr, Text)
        needle = str(value)
        if op == "regex":
            try:
                re.compile(needle)
            except (re.error, RecursionError, OverflowError):
                return false()  # Label Studio: an invalid regex gives an empty result
            # SQLite runs user patterns with RE2 (linear time, core/db/regex.py): say so
            # rather than match nothing when a pattern needs what RE2 leaves out.
            refused = regex_rejection(needle) if self.dialect == "sqlite" else None
            if refused:
                raise fail(f"{where}.value", f"{name}: {refused}")
            return text.regexp_match(needle)
        pattern = {
            "contains": lambda s: f"%{_escape(s)}%",
            "starts_with": lambda s: f"{_escape(s)}%",
            "ends_with": lambda s: f"%{_escape(s)}",
        }[op]
        if not json_text:
            # lower() LIKE lower(): what SQLite's ILIKE compiles to, and on PostgreSQL half the
            # cost of ILIKE per row, which a filter on a data key pays on every task it reads.
            return func.lower(text).like(func.lower(pattern(needle)), escape="\\")
        # Result text: ILIKE, which its trigram indexes serve (migration 0004), on the value as
        # typed and as stored JSON escapes it (quotes; non-ASCII on SQLite).
        forms = {needle, json.dumps(needle, ensure_ascii=self.dialect != "postgresql")[1:-1]}
        return or_(*(text.ilike(pattern(form), escape="\\") for form in sorted(forms)))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _truth(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int):
        return bool(value)
    raise fail(f"{where}.value", "operator 'empty' needs true or false")


def _typed(value: Any, kind: str, where: str, name: str) -> Any:
    """The filter's value in the column's type; a wrong one is a 400 naming filter and field."""
    if value is None:
        return None
    try:
        if kind == T.Number:
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            # Whole numbers stay integers: comparing an integer column with a float casts the
            # column on PostgreSQL, and its index is no longer used.
            return int(number) if number.is_integer() else number
        if kind == "Integer":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == T.Boolean:
            return _truth(value, where)
        if kind == T.Datetime:
            return _datetime(value)
        if kind == T.List:
            return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        return str(value)
    except (TypeError, ValueError):
        raise fail(f"{where}.value", f"{value!r} is not a valid {kind} for {name}") from None


def _datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
