"""``$variable`` references from config attributes into task data.

Rules (as Label Studio's editor applies them):

- ``$key``, ``$a.b``, ``$items[0].url``, ``$images[{{idx}}]`` are paths into ``task.data``
  (lodash-style: dots for keys, brackets for list indexes).
- An attribute that is *exactly* one variable receives the raw value (list, dict, number ...).
- Variables embedded in text (``"Title: $title"``) are each replaced by their string form.
- A ``$`` not followed by a letter or underscore (``$16,935``) is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# An index is a number, or a Repeater placeholder such as {{idx}} before expansion.
_SEGMENT = r"(?:\.\w+|\[(?:\d+|\{\{[^{}\s\]]+\}\})\])"
VARIABLE = re.compile(r"\$([A-Za-z_]\w*)(" + _SEGMENT + r"*)")
_PATH_PART = re.compile(r"\.(\w+)|\[(\d+|\{\{[^{}\s\]]+\}\})\]")


def is_variable(value: Any) -> bool:
    """True when ``value`` is exactly one variable (the raw data structure is passed)."""
    return isinstance(value, str) and VARIABLE.fullmatch(value.strip()) is not None


def has_variable(value: Any) -> bool:
    return isinstance(value, str) and "$" in value and VARIABLE.search(value) is not None


def variables_in(value: str) -> Iterator[str]:
    """Every variable in ``value`` without its ``$`` (``"a.b"``, ``"items[0]"``)."""
    for match in VARIABLE.finditer(value):
        yield match.group(0)[1:]


def data_key(variable: str) -> str:
    """The top-level task data key of a variable: ``"images[{{idx}}].url"`` -> ``"images"``."""
    match = VARIABLE.match("$" + variable.lstrip("$"))
    return match.group(1) if match else variable.lstrip("$")


def path_of(variable: str) -> list[str | int]:
    """``"items[2].url"`` -> ``["items", 2, "url"]`` (placeholders stay strings)."""
    match = VARIABLE.fullmatch("$" + variable.lstrip("$"))
    if match is None:
        return [variable.lstrip("$")]
    path: list[str | int] = [match.group(1)]
    for key, index in _PATH_PART.findall(match.group(2)):
        if key:
            path.append(key)
        elif index.isdigit():
            path.append(int(index))
        else:
            path.append(index)
    return path


def get_path(data: Any, path: list[str | int]) -> Any:
    """Follow ``path`` into ``data``; None when any step is missing."""
    current = data
    for step in path:
        if isinstance(step, int) and isinstance(current, list):
            if not -len(current) <= step < len(current):
                return None
            current = current[step]
        elif isinstance(current, dict):
            current = current.get(str(step))
        else:
            return None
    return current


def set_path(data: dict[str, Any], path: list[str | int], value: Any) -> None:
    """Write ``value`` at ``path``, creating dicts and lists on the way (for sample tasks)."""
    current: Any = data
    for position, step in enumerate(path):
        last = position == len(path) - 1
        nxt = path[position + 1] if not last else None
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(step, int) and isinstance(current, list):
            while len(current) <= step:
                current.append(None)
            if last:
                current[step] = value
            else:
                if not isinstance(current[step], (dict, list)):
                    current[step] = empty
                current = current[step]
        elif isinstance(current, dict):
            key = str(step)
            if last:
                current[key] = value
            else:
                if not isinstance(current.get(key), (dict, list)):
                    current[key] = empty
                current = current[key]
        else:
            return


def resolve(value: str, data: dict[str, Any]) -> Any:
    """The attribute's value for a task: raw data for an exact variable, else substituted text."""
    if is_variable(value):
        return get_path(data, path_of(value.strip()))

    def substitute(match: re.Match[str]) -> str:
        found = get_path(data, path_of(match.group(0)))
        return "" if found is None else str(found)

    return VARIABLE.sub(substitute, value)
