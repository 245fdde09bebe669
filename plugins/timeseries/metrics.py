"""Agreement metric of time-series ranges: interval IoU on the time axis (numbers, or
ISO date-time strings turned into seconds). Two instants agree when they are the same time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labelloom.core.plugin import MetricSpec, interval_iou


def _time(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def time_range(item: dict[str, Any]) -> tuple[float, float]:
    value = item["value"]
    return _time(value["start"]), _time(value["end"])


def range_iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    return interval_iou(a[0], a[1], b[0], b[1])


METRICS = [
    MetricSpec(name="timerange", kind="region", prepare=time_range, compare=range_iou, title="Range IoU",
               description="Time both ranges cover over time either covers."),
]
