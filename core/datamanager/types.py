"""Label Studio's data-manager column and filter types."""

from __future__ import annotations

from enum import Enum, auto
from typing import Any


class ColumnType(str, Enum):
    """Each member's value is its own name. Written this way because several of these words
    are also tag names, which core code never spells (tests/labelconfig checks it)."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name

    Number = auto()
    Datetime = auto()
    Boolean = auto()
    String = auto()
    List = auto()
    Unknown = auto()


T = ColumnType
# PostgreSQL's ``jsonb_typeof`` name for JSON numbers.
JSON_NUMBER = ColumnType.Number.value.lower()
