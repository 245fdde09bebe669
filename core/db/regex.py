"""User regular expressions in linear time: SQLite's REGEXP runs RE2, not Python's ``re``.

SQLAlchemy's default REGEXP for SQLite calls ``re.search``, a backtracking engine: a pattern
such as ``(a+)+$`` takes time doubling with each character, holding the GIL on the database
thread and so stalling every request of the process. RE2 matches in time linear in the text
and refuses what needs backtracking (backreferences, lookaround) instead of running it.
"""

from __future__ import annotations

import functools
import re

import re2

# Enough for any realistic filter; a pattern whose automaton needs more is refused, not run.
_MAX_MEMORY = 8 << 20


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = _MAX_MEMORY
    options.log_errors = False
    return options


_OPTIONS = _options()


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re2._Regexp | None:
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error:
        return None


def rejection(pattern: str) -> str | None:
    """Why RE2 will not run ``pattern`` (None when it will). Patterns Python's ``re`` cannot
    parse either are not rejected here: Label Studio matches nothing for those."""
    if _compiled(pattern) is not None:
        return None
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    return (
        "this regular expression needs backtracking (backreferences, lookaround) or is too large; "
        "patterns run in linear time here (RE2 syntax)"
    )


def regexp(pattern: str | None, value: str | None) -> bool | None:
    """SQLite's ``pattern REGEXP value`` (``regexp(pattern, value)``): a match anywhere in value."""
    if pattern is None or value is None:
        return None
    compiled = _compiled(pattern)
    if compiled is None:
        return False
    return compiled.search(value if isinstance(value, str) else str(value)) is not None
