"""Time series: the TimeSeries object tag, its channels, and labels on time ranges.

Range ends are in the data's time units: numbers, or strings formatted with ``timeFormat``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import (
    ConfigProblem,
    DataTypeSpec,
    LabelsFamilyAttrs,
    ObjectAttrs,
    RegionSpec,
    ResultContext,
    ResultProblem,
    TagAttrs,
    TagSpec,
    label_list_value,
)

Opt = UnsetType


class TimeSeriesAttrs(ObjectAttrs):
    valueType: Literal["url", "json"] = "url"
    sync: str | Opt = UNSET
    cursorColor: str | Opt = UNSET
    timeColumn: str | Opt = UNSET
    timeFormat: str | Opt = UNSET
    timeDisplayFormat: str | Opt = UNSET
    durationDisplayFormat: str | Opt = UNSET
    sep: str = ","
    overviewChannels: str | Opt = UNSET
    overviewWidth: str = "25%"
    fixedScale: bool = False


class ChannelAttrs(TagAttrs):
    column: str
    legend: str | Opt = UNSET
    units: str | Opt = UNSET
    displayFormat: str | Opt = UNSET
    height: int = 200
    strokeColor: str | Opt = UNSET
    strokeWidth: float = 1
    markerColor: str | Opt = UNSET
    markerSize: float = 0
    markerSymbol: str | Opt = UNSET
    timeRange: str | Opt = UNSET
    dataRange: str | Opt = UNSET
    showAxis: bool = True
    fixedScale: bool | Opt = UNSET


class MultiChannelAttrs(TagAttrs):
    height: int = 200
    showAxis: bool = True
    showYAxis: bool = True
    fixedScale: bool | Opt = UNSET


class TimeSeriesLabelsAttrs(LabelsFamilyAttrs):
    pass


class TimeRange(msgspec.Struct, kw_only=True):
    start: float | str
    end: float | str
    instant: bool = False


def normalize_range(span: TimeRange, ctx: ResultContext) -> TimeRange:
    numeric = [isinstance(v, float) for v in (span.start, span.end)]
    for field, is_number in zip(("start", "end"), numeric):
        if is_number and not math.isfinite(getattr(span, field)):
            raise ResultProblem("must be a finite number", field)
    if all(numeric) and span.end < span.start:
        raise ResultProblem(f"must not be before start ({span.start:g})", "end")
    if all(not n for n in numeric) and span.end < span.start:
        raise ResultProblem(f"must not be before start ({span.start})", "end")  # ISO-like strings sort
    return span


REGIONS = (
    RegionSpec(
        name="timerange", value=TimeRange, keys=("start", "end"), normalize=normalize_range,
        example={"start": 2, "end": 5, "instant": False},
    ),
)


def _channels(node: Any) -> list[str]:
    found: list[str] = []
    stack = list(node.children)
    while stack:
        child = stack.pop(0)
        if child.tag == "Channel" and isinstance(child.attrs.get("column"), str):
            found.append(child.attrs["column"])
        stack.extend(child.children)
    return found


def _sample(node: Any) -> Any:
    if node.attrs.get("valueType") != "json":
        return "https://example.com/time-series.csv"
    time_column = node.attrs.get("timeColumn") or "time"
    series: dict[str, list[float]] = {time_column: [float(t) for t in range(10)]}
    for position, column in enumerate(_channels(node)):
        if column != time_column:
            series[column] = [round(math.sin(t / 2 + position), 3) for t in range(10)]
    return series


def _needs_channel(tag: Any, config: Any) -> list[ConfigProblem]:
    if any(child.tag == "Channel" for child in tag.descendants()):
        return []
    return [ConfigProblem(message="needs at least one <Channel> inside")]


OBJECT_TAGS = [
    DataTypeSpec(
        name="TimeSeries", attrs=TimeSeriesAttrs, preview="timeseries", regions=REGIONS, items=("Channel", "MultiChannel"),
        validate=_needs_channel, mime_types=("text/csv", "text/tab-separated-values"),
        extensions=(".csv", ".tsv"), sample_value=_sample, widget="widgets/timeseries.js",
    ),
]

TAGS = [
    TagSpec(name="Channel", kind="item", attrs=ChannelAttrs),
    TagSpec(name="MultiChannel", kind="item", attrs=MultiChannelAttrs, items=("Channel",)),
    TagSpec(
        name="TimeSeriesLabels", attrs=TimeSeriesLabelsAttrs, to=("TimeSeries",), result_type="timeserieslabels",
        region="timerange", value=label_list_value("timeserieslabels"), labels_key="timeserieslabels",
        items=("Label",), items_required=True,
        example=lambda control: {"timeserieslabels": list(control.labels[:1])},
        widget="widgets/timeserieslabels.js",
    ),
]
