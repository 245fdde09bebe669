"""The ``Code`` object tag (regions: line ranges) and the ``CodeLabels`` control."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import re

import msgspec

from labelloom.core.plugin import (
    DataTypeSpec,
    LabelsFamilyAttrs,
    ObjectAttrs,
    RegionSpec,
    ResultContext,
    ResultProblem,
    TagSpec,
    label_list_value,
)

SAMPLE = '''def mean(values):
    total = 0
    for v in values:
        total += v
    return total / len(values)  # fails on an empty list


print(mean([3, 4, 5]))
'''


class CodeAttrs(ObjectAttrs):
    language: str = "text"  # shown in the header; any name ("python", "typescript" ...)
    lineNumbers: bool = True


class LineRange(msgspec.Struct, kw_only=True):
    """A region of a ``Code`` object: lines ``start`` to ``end``, 1-based and inclusive."""

    start: int
    end: int


def source_text(obj: Any, data: Mapping[str, Any] | None) -> str | None:
    """The source a ``Code`` object shows, read from task data (``value="$key"``), or None."""
    if not isinstance(data, Mapping):
        return None
    value = getattr(getattr(obj, "attrs", None), "value", None)
    if not isinstance(value, str) or not value.startswith("$"):
        return None
    text = data.get(value[1:])
    return text if isinstance(text, str) else None


def split_lines(text: str) -> list[str]:
    """Lines as the widget numbers them (``splitLines`` in static/lib/ranges.js): ``\\n``,
    ``\\r\\n`` and ``\\r`` end a line; a final line break does not open another line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def line_count(text: str) -> int:
    return len(split_lines(text))


def check_line_range(span: LineRange, ctx: ResultContext) -> LineRange:
    if span.start < 1:
        raise ResultProblem("must be a line number (1 or more)", "start")
    if span.end < span.start:
        raise ResultProblem(f"must not be before start (line {span.start})", "end")
    # The file length is checked when the result context carries the task's data; today's
    # ResultContext has none (the exporter clamps instead).
    text = source_text(ctx.target, getattr(ctx, "data", None))
    if text is not None and span.end > (count := line_count(text)):
        raise ResultProblem(f"must not be after the last line ({count})", "end")
    return span


LINE_RANGE = RegionSpec(
    name="linerange", value=LineRange, keys=("start", "end"), normalize=check_line_range,
    example={"start": 2, "end": 4},
)

OBJECT_TAGS = [
    DataTypeSpec(
        name="Code", attrs=CodeAttrs, preview="text", regions=(LINE_RANGE,),
        sample_value=lambda node: SAMPLE, widget="widgets/code.js",
    ),
]

CONTROL_TAGS = [
    TagSpec(
        name="CodeLabels", attrs=LabelsFamilyAttrs, to=("Code",), result_type="codelabels",
        region="linerange", value=label_list_value("codelabels"), labels_key="codelabels",
        items=("Label",), items_required=True,
        example=lambda control: {"codelabels": list(control.labels[:1])},
        widget="widgets/codelabels.js",
    ),
]
