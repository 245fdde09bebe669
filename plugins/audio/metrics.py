"""Agreement metric of audio segments: interval IoU of their seconds (per channel)."""

from __future__ import annotations

from typing import Any

from labelloom.core.plugin import MetricSpec, interval_iou


def segment(item: dict[str, Any]) -> tuple[int, float, float]:
    value = item["value"]
    return int(value.get("channel") or 0), float(value["start"]), float(value["end"])


def segment_iou(a: tuple[int, float, float], b: tuple[int, float, float]) -> float:
    if a[0] != b[0]:
        return 0.0  # segments on different channels do not overlap
    return interval_iou(a[1], a[2], b[1], b[2])


METRICS = [
    MetricSpec(name="audiosegment", kind="region", prepare=segment, compare=segment_iou, title="Segment IoU",
               description="Seconds both segments cover over seconds either covers (same channel)."),
]
