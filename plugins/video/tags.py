"""Video: the Video object tag, box tracks (keyframes) and timeline ranges (frame numbers)."""

from __future__ import annotations

import math
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import (
    ConfigProblem,
    ControlAttrs,
    DataTypeSpec,
    LabelsFamilyAttrs,
    ObjectAttrs,
    RegionSpec,
    ResultContext,
    ResultProblem,
    TagSpec,
    label_list_value,
)

from .interpolation import interpolate_results

Opt = UnsetType
TOLERANCE = 1.0  # percent outside the frame still taken as rounding noise


class VideoAttrs(ObjectAttrs):
    frameRate: float = 24
    sync: str | Opt = UNSET
    muted: bool = False
    height: int = 600
    timelineHeight: int = 64
    defaultPlaybackSpeed: float = 1
    minPlaybackSpeed: float = 1
    maxPlaybackSpeed: float | Opt = UNSET


class VideoRectangleAttrs(ControlAttrs):
    opacity: float | Opt = UNSET
    fillColor: str | Opt = UNSET
    strokeColor: str | Opt = UNSET
    strokeWidth: float | Opt = UNSET


class TimelineLabelsAttrs(LabelsFamilyAttrs):
    pass


def _number(frame: dict[str, Any], key: str, where: str, required: bool = True) -> float | None:
    value = frame.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ResultProblem("must be a number", f"{where}.{key}")
    return float(value)


class Track(msgspec.Struct, kw_only=True):
    sequence: list[dict[str, Any]]  # dicts, so keyframe fields we do not know survive
    framesCount: int | UnsetType = UNSET
    duration: float | UnsetType = UNSET


def normalize_track(track: Track, ctx: ResultContext) -> Track:
    if not track.sequence:
        raise ResultProblem("needs at least one keyframe", "sequence")
    previous = 0
    for i, frame in enumerate(track.sequence):
        where = f"sequence[{i}]"
        number = frame.get("frame")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ResultProblem("must be a frame number (0 or more)", f"{where}.frame")
        if number < previous:
            raise ResultProblem("keyframes must be in frame order", f"{where}.frame")
        previous = number
        for key in ("x", "y"):
            value = _number(frame, key, where)
            if value < -TOLERANCE or value > 100 + TOLERANCE:
                raise ResultProblem("must be between 0 and 100 (percent of the frame)", f"{where}.{key}")
            frame[key] = min(100.0, max(0.0, value))
        for key in ("width", "height"):
            frame[key] = min(100.0, max(0.0, abs(_number(frame, key, where))))
        rotation = _number(frame, "rotation", where, required=False)
        frame["rotation"] = (rotation or 0.0) % 360.0
        if "enabled" in frame and not isinstance(frame["enabled"], bool):
            raise ResultProblem("must be true or false", f"{where}.enabled")
        frame.setdefault("enabled", True)
        _number(frame, "time", where, required=False)
    return track


class Timeline(msgspec.Struct, kw_only=True):
    ranges: list[dict[str, Any]]


def normalize_timeline(timeline: Timeline, ctx: ResultContext) -> Timeline:
    for i, span in enumerate(timeline.ranges):
        start, end = span.get("start"), span.get("end")
        for key, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ResultProblem("must be a frame number (0 or more)", f"ranges[{i}].{key}")
        if end < start:
            raise ResultProblem(f"must not be before start ({start})", f"ranges[{i}].end")
    return timeline


REGIONS = (
    RegionSpec(
        name="videorectangle", value=Track, keys=("sequence",), normalize=normalize_track,
        expand=interpolate_results,
        example={
            "framesCount": 750, "duration": 30.0,
            "sequence": [
                {"frame": 1, "enabled": True, "rotation": 0, "x": 10, "y": 10, "width": 20, "height": 15, "time": 0.04},
                {"frame": 40, "enabled": False, "rotation": 0, "x": 30, "y": 12, "width": 20, "height": 15, "time": 1.6},
            ],
        },
    ),
    RegionSpec(
        name="timeline", value=Timeline, keys=("ranges",), normalize=normalize_timeline,
        example={"ranges": [{"start": 10, "end": 42}]},
    ),
)


def _speeds(tag: Any, config: Any) -> list[ConfigProblem]:
    attrs = tag.typed
    problems = []
    if attrs.minPlaybackSpeed <= 0:
        problems.append(ConfigProblem(message="minPlaybackSpeed must be above 0", attribute="minPlaybackSpeed"))
    elif attrs.defaultPlaybackSpeed < attrs.minPlaybackSpeed:
        problems.append(
            ConfigProblem(message="defaultPlaybackSpeed must not be below minPlaybackSpeed", attribute="defaultPlaybackSpeed")
        )
    if isinstance(attrs.maxPlaybackSpeed, float) and attrs.maxPlaybackSpeed < attrs.defaultPlaybackSpeed:
        problems.append(
            ConfigProblem(message="maxPlaybackSpeed must not be below defaultPlaybackSpeed", attribute="maxPlaybackSpeed")
        )
    return problems


class TrackLabels(msgspec.Struct, kw_only=True):
    labels: list[str] | UnsetType = UNSET  # an unlabelled track has none


OBJECT_TAGS = [
    DataTypeSpec(
        name="Video", attrs=VideoAttrs, preview="video", regions=REGIONS, validate=_speeds,
        mime_types=("video/mp4", "video/webm", "video/ogg", "video/quicktime"),
        extensions=(".mp4", ".webm", ".ogv", ".mov"),
        sample_value=lambda node: "https://example.com/sample.mp4",
        widget="widgets/video.js",
    ),
]

CONTROL_TAGS = [
    # Tracks take their labels from the Labels control(s) on the same video.
    TagSpec(
        name="VideoRectangle", attrs=VideoRectangleAttrs, to=("Video",), result_type="videorectangle",
        region="videorectangle", value=TrackLabels, labels_key="labels", shared_labels=True,
        example=lambda control: {"labels": sorted(control.label_set)[:1]},
        widget="widgets/videorectangle.js",
    ),
    TagSpec(
        name="TimelineLabels", attrs=TimelineLabelsAttrs, to=("Video",), result_type="timelinelabels",
        region="timeline", value=label_list_value("timelinelabels"), labels_key="timelinelabels",
        items=("Label",), items_required=True,
        example=lambda control: {"timelinelabels": list(control.labels[:1])},
        widget="widgets/timelinelabels.js",
    ),
]
