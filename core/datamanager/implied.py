"""Filters the project's counters already answer, and filters that need no time budget.

The data manager's first filter is often "tasks without annotations" on a project nobody has
labeled yet. The project's trigger-kept counters (``project_counters``: sums of each task
counter, the number of labeled tasks) show that every task then has ``total_annotations``
0, so every task matches and the totals are the counters: no count over the tasks.

A filter on a value stored in the task row (a counter, a date, ``is_labeled``), compared
rather than matched as text, costs per task what reading the row costs, like the unfiltered
page; only the others (``data`` keys, text matching, related rows) need ``time_limit``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import QueryableAttribute

from ..errors import ValidationFailed
from .columns import SQL, ScalarColumn
from .filters import NEGATIVE, TEXT_OPERATORS, _truth, _typed
from .query import DMQuery, FilterItem
from .types import T

# Built-in columns that are a column of the task row itself.
ROW_COLUMNS = frozenset(
    name for name, column in SQL.items() if isinstance(column, ScalarColumn) and isinstance(column.expr, QueryableAttribute)
)
_COMPARISONS = {
    "less": lambda a, b: a < b, "greater": lambda a, b: a > b,
    "less_or_equal": lambda a, b: a <= b, "greater_or_equal": lambda a, b: a >= b,
}


def needs_time_limit(query: DMQuery) -> bool:
    """Whether some filter can cost more per task than reading the task's row."""
    return any(
        one.column not in ROW_COLUMNS or one.operator in TEXT_OPERATORS
        for item in query.filters for one in (item, item.child) if one is not None
    )


def known_values(counters: Any) -> dict[str, Any]:
    """Columns every task of the project has the same value in, by its counters (sums of
    non-negative task counters; how many tasks are labeled)."""
    known: dict[str, Any] = {}
    if not counters.total_annotations_number:
        known["total_annotations"] = 0
    if not counters.skipped_annotations_number:
        known["cancelled_annotations"] = 0
    if not counters.total_predictions_number:
        known["total_predictions"] = 0
    if not counters.finished_task_number:
        known["is_labeled"] = False
    elif counters.finished_task_number == counters.task_number:
        known["is_labeled"] = True
    return known


def every_task_matches(query: DMQuery, counters: Any) -> bool:
    """True when the counters show that every task of the project meets the query's filters
    (False: it may not, or it was not worked out here)."""
    if not (query.selection.all and not query.selection.ids and query.visible_to is None):
        return False
    known = known_values(counters)
    held = [_item_holds(item, known) for item in query.filters]
    return all(held) if query.conjunction == "and" else any(held)


def _item_holds(item: FilterItem, known: dict[str, Any]) -> bool:
    return all(_holds(one, known) is True for one in (item, item.child) if one is not None)


def _holds(item: FilterItem, known: dict[str, Any]) -> bool | None:
    """Whether a task meets ``item`` given its column's known value (never NULL: a stored
    counter or flag), as filters.Compiler compiles it; None when not known here."""
    if item.column not in known:
        return None
    value, op = known[item.column], item.operator
    if op in NEGATIVE:  # the column is never NULL: the negative is plain negation
        positive = _holds(replace(item, operator=NEGATIVE[op]), known)
        return None if positive is None else not positive
    if op == "exists":
        return True
    if op == "not_exists":
        return False
    boolean = isinstance(value, bool)
    kind = T.Boolean if boolean else T.Number
    name = f"filter:tasks:{item.column}"
    try:
        if op == "empty":  # a counter is "empty" at 0; a boolean never is
            return (value == 0 and not boolean) == _truth(item.value, "")
        if op == "equal":
            typed = _typed(item.value, kind, "", name)
            return typed is not None and value == typed
        if boolean:
            return None
        if op in _COMPARISONS:
            typed = _typed(item.value, kind, "", name)
            return None if typed is None else _COMPARISONS[op](value, typed)
        if op == "in" and isinstance(item.value, dict) and ("min" in item.value or "max" in item.value):
            low, high = (_typed(item.value.get(end), kind, "", name) for end in ("min", "max"))
            return (low is None or value >= low) and (high is None or value <= high)
        if op == "in_list":
            values = item.value if isinstance(item.value, list) else [item.value]
            return any(value == typed for typed in (_typed(v, kind, "", name) for v in values) if typed is not None)
    except ValidationFailed:  # the compiler says so with a 400 of its own
        return None
    return None
