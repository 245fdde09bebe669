"""``TIMESERIES_RANGES``: a CSV with one row per labelled time range or instant.

Columns: ``task_id, annotation_id, annotator, region_id, from_name, start, end, instant, labels``;
``start``/``end`` as the results store them (numbers, or dates formatted with ``timeFormat``);
several labels are joined with ``|``. Written one batch of tasks at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from labelloom.core.plugin import ExporterSpec, annotator, submitted_newest_first

COLUMNS = ("task_id", "annotation_id", "annotator", "region_id", "from_name", "start", "end", "instant", "labels")


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def region_rows(task: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for annotation in submitted_newest_first(task):
        for item in annotation.get("result") or []:
            value = item.get("value") or {}
            if item.get("type") != "timeserieslabels" or "start" not in value:
                continue
            rows.append([
                task.get("id"), annotation.get("id"), annotator(annotation, default=""), item.get("id"),
                item.get("from_name"), _number(value.get("start")), _number(value.get("end")),
                "true" if value.get("instant") else "false", "|".join(map(str, value.get("timeserieslabels") or [])),
            ])
    return rows


async def write_ranges(context: Any) -> AsyncIterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    yield out.getvalue().encode()
    async for batch in context.batches():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for task in batch:
            writer.writerows(region_rows(task))
        yield out.getvalue().encode()


TIMESERIES_RANGES = ExporterSpec(
    name="TIMESERIES_RANGES",
    title="Time-series ranges (CSV)",
    description="One row per labelled time range or instant: start, end, instant, labels.",
    media_type="text/csv",
    file_extension="csv",
    requires=frozenset({"timeserieslabels"}),
    write=write_ranges,
    tags=("time series",),
)

EXPORTERS = [TIMESERIES_RANGES]
