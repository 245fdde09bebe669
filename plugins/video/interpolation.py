"""Label Studio's ``interpolate_key_frames=true`` JSON export option, as a pure function.

Label Studio expands each ``videorectangle`` result before writing the JSON export
(``label_studio_sdk/_extensions/label_studio_tools/postprocessing/video.py``,
``extract_key_frames``): the keyframes stay as they are and, for every enabled keyframe, each
frame up to the next keyframe (or, after the last keyframe, up to ``framesCount``) is added with
x, y, width, height and rotation interpolated linearly and ``"auto": true``; a disabled keyframe
(``enabled: false``) adds nothing after it. The sequence is then sorted by frame. Times are
interpolated too and rounded to 2 decimals; frames after the last keyframe take their time from
``duration`` when the keyframe's time cannot move. Other results are passed through unchanged.

Core's JSON export calls :func:`interpolate_results` on each annotation's (and prediction's)
``result`` list when the export request sets ``interpolate_key_frames``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

TRACKING_TYPES = frozenset({"videorectangle"})
SHAPE = ("x", "y", "rotation", "width", "height", "time")


def _between(frame1: dict[str, Any], frame2: dict[str, Any], frames_count: int, duration: float,
             exclude_first: bool) -> list[dict[str, Any]]:
    """The frames strictly between two keyframes (or after the last one), ``auto: true``."""
    if not frame1.get("enabled", True):
        return []
    if frame2:
        if frame1["frame"] > frame2["frame"]:
            return []
        count = frame2["frame"] - frame1["frame"] + 1
    else:
        count = frames_count - frame1["frame"] + 1
    out: list[dict[str, Any]] = []
    flat = not any(isinstance(v, (dict, list)) for v in frame1.values())  # a shallow copy is then a deep one
    for i in range(1 if exclude_first else 0, count):
        number = i + frame1["frame"]
        if number in (frame1.get("frame"), frame2.get("frame")):
            continue  # the keyframes themselves stay as they are
        delta = i / max(1, count - 1)
        deltas = {}
        for key in SHAPE:
            start = frame1.get(key, 0)
            if not frame2 or start == frame2.get(key):
                deltas[key] = 0
            else:
                deltas[key] = (frame2.get(key, 0) - start) * delta
        frame = dict(frame1) if flat else copy.deepcopy(frame1)
        frame.update({
            "x": frame1["x"] + deltas["x"],
            "y": frame1["y"] + deltas["y"],
            "width": frame1["width"] + deltas["width"],
            "height": frame1["height"] + deltas["height"],
            "rotation": frame1.get("rotation", 0) + deltas["rotation"],
            "frame": number,
            "time": round(frame1.get("time", 0) + deltas["time"], 2),
        })
        frame["auto"] = True
        if deltas["time"] == 0 and duration > 0:
            frame["time"] = round(frame1.get("time", 0) + delta * (duration - frame1.get("time", 0)), 2)
        out.append(frame)
    return out


def interpolate_sequence(sequence: list[dict[str, Any]], frames_count: int = 0, duration: float = 0) -> list[dict[str, Any]]:
    """Every frame of each enabled span of a track: the keyframes plus the interpolated frames."""
    keyframes = sorted(sequence, key=lambda k: k["frame"])
    expanded = [copy.deepcopy(k) for k in sequence]
    exclude_first = False
    for i, frame_a in enumerate(keyframes):
        frame_b = keyframes[i + 1] if i + 1 < len(keyframes) else {}
        expanded.extend(_between(frame_a, frame_b, frames_count, duration, exclude_first))
        exclude_first = bool(frame_a.get("enabled", True))
    return sorted(expanded, key=lambda k: k["frame"])


def interpolate_results(results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A result list with every tracking result's sequence expanded (Label Studio's export
    option); tracks without keyframes are dropped, as Label Studio drops them; the input is not changed."""
    out: list[dict[str, Any]] = []
    for result in results:
        if str(result.get("type", "")).lower() not in TRACKING_TYPES:
            out.append(result)
            continue
        value = result.get("value") or {}
        sequence = value.get("sequence") or []
        if not sequence:
            continue
        expanded = copy.deepcopy(result)
        expanded["value"]["sequence"] = interpolate_sequence(
            sequence, int(value.get("framesCount") or 0), float(value.get("duration") or 0)
        )
        out.append(expanded)
    return out
