"""Agreement metrics of video regions: frame-range IoU of timeline segments, and for tracked
boxes the frames both tracks are visible in over the frames either is (a temporal IoU)."""

from __future__ import annotations

from typing import Any

from labelloom.core.plugin import MetricSpec, ranges_iou


def timeline(item: dict[str, Any]) -> list[tuple[float, float]]:
    # Frame ranges are inclusive: frames 10-12 are three frames, [10, 13).
    return [(float(r["start"]), float(r["end"]) + 1) for r in item["value"]["ranges"]]


def track_frames(item: dict[str, Any]) -> list[tuple[float, float]]:
    """Frame spans where the track is visible: from each enabled keyframe to the next one."""
    frames = sorted(item["value"]["sequence"], key=lambda f: f["frame"])
    spans = []
    for i, frame in enumerate(frames):
        if frame.get("enabled", True) is False:
            continue
        end = frames[i + 1]["frame"] if i + 1 < len(frames) else frame["frame"] + 1
        spans.append((float(frame["frame"]), float(max(end, frame["frame"] + 1))))
    return spans


METRICS = [
    MetricSpec(name="timeline", kind="region", prepare=timeline, compare=ranges_iou, title="Frame IoU",
               description="Frames both segments cover over frames either covers."),
    MetricSpec(name="videorectangle", kind="region", prepare=track_frames, compare=ranges_iou,
               title="Track frame IoU", description="Frames both tracks are visible in over frames either is."),
]
