"""Track exports: MOT Challenge CSV and per-frame YOLO label files, zipped.

Both expand each ``videorectangle`` track to every frame it is shown on (the keyframes and the
frames Label Studio interpolates between enabled keyframes: :mod:`.interpolation`) and write
one sequence per task and annotation (``task-<id>-annotation-<id>``).

- ``VIDEO_MOT``: ``<sequence>/gt/gt.txt`` lines ``frame,id,bb_left,bb_top,bb_width,bb_height,
  conf,class,visibility`` in pixels (MOT16/17 ground truth: ``conf`` 1, class = 1-based index in
  ``classes.txt``, visibility 1), ``<sequence>/seqinfo.ini`` and ``classes.txt``. Pixel sizes come
  from the video (PyAV); when it cannot be read, boxes are in percent and ``seqinfo.ini`` says so.
- ``VIDEO_YOLO``: ``<sequence>/labels/<frame:06d>.txt`` lines ``class cx cy w h`` normalised to
  0-1 (class 0-based), ``classes.txt`` and ``notes.json``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio

from labelloom.core.plugin import ExporterSpec, ZipStream, submitted_newest_first

from .interpolation import interpolate_sequence
from .media import probe_source

TRACK_TYPE = "videorectangle"


def class_names(config: Any) -> list[str]:
    """Labels of the controls that label tracks, in config order."""
    names: list[str] = []
    for control in getattr(config, "controls", {}).values():
        if getattr(control, "tag", "") in ("TimelineLabels",):
            continue
        targets = getattr(control, "targets", {}) or {}
        if not any(getattr(t, "tag", "") == "Video" for t in targets.values()):
            continue
        for label in getattr(control, "labels", ()) or ():
            if label not in names:
                names.append(label)
    return names


def track_frames(value: dict[str, Any]) -> list[dict[str, Any]]:
    """Every frame a track is shown on, one entry per frame (keyframes win over interpolated)."""
    sequence = value.get("sequence") or []
    if not sequence:
        return []
    frames: dict[int, dict[str, Any]] = {}
    for frame in interpolate_sequence(sequence, int(value.get("framesCount") or 0), float(value.get("duration") or 0)):
        number = int(frame["frame"])
        if number not in frames or not frame.get("auto"):
            frames[number] = frame
    # A disabled keyframe ends a span; the frame itself still shows the box.
    return [frames[n] for n in sorted(frames)]


def frame_boxes(value: dict[str, Any]) -> list[tuple[int, float, float, float, float]]:
    """``(frame, x, y, width, height)`` for every frame a track is shown on: the same frames and
    boxes as :func:`track_frames` (Label Studio's expansion), computed without building a dict
    per frame, for exports of many tracks."""
    keys = sorted(value.get("sequence") or [], key=lambda k: k["frame"])
    frames_count = int(value.get("framesCount") or 0)
    out: dict[int, tuple[int, float, float, float, float]] = {}
    for i, k in enumerate(keys):
        f1 = int(k["frame"])
        x, y, w, h = k["x"], k["y"], k["width"], k["height"]
        out[f1] = (f1, x, y, w, h)
        if not k.get("enabled", True):
            continue
        if i + 1 < len(keys):
            n = keys[i + 1]
            f2 = int(n["frame"])
            dx, dy, dw, dh = n["x"] - x, n["y"] - y, n["width"] - w, n["height"] - h
            span = max(1, f2 - f1)
            for f in range(f1 + 1, f2):
                d = (f - f1) / span
                out[f] = (f, x + dx * d, y + dy * d, w + dw * d, h + dh * d)
        else:
            for f in range(f1 + 1, frames_count + 1):
                out[f] = (f, x, y, w, h)
    return [out[f] for f in sorted(out)]


def sequences(task: dict[str, Any], config: Any = None) -> list[tuple[str, Any, list[dict[str, Any]]]]:
    """``(sequence name, video value, tracks)`` per submitted annotation of a task."""
    out = []
    for annotation in submitted_newest_first(task):
        tracks = [r for r in annotation.get("result") or [] if r.get("type") == TRACK_TYPE]
        if not tracks:
            continue
        video = video_value(task, tracks[0].get("to_name"), config)
        out.append((f"task-{task['id']}-annotation-{annotation.get('id')}", video, tracks))
    return out


def video_value(task: dict[str, Any], to_name: Any, config: Any) -> Any:
    """The task's value shown by the Video object ``to_name`` (``value="$video"``)."""
    data = task.get("data") or {}
    obj = (getattr(config, "objects", None) or {}).get(to_name) if config is not None else None
    ref = getattr(getattr(obj, "attrs", None), "value", None)
    if isinstance(ref, str) and ref.startswith("$"):
        return data.get(ref[1:])
    return next((v for v in data.values() if isinstance(v, str)), None)


def mot_lines(tracks: list[dict[str, Any]], names: list[str], width: float, height: float) -> str:
    rows: list[tuple[int, int, str]] = []
    for index, track in enumerate(tracks, start=1):
        value = track.get("value") or {}
        labels = value.get("labels") or []
        label = labels[0] if labels else ""
        if label and label not in names:
            names.append(label)
        cls = names.index(label) + 1 if label else -1
        sx, sy = width / 100, height / 100
        for f, x, y, w, h in frame_boxes(value):
            rows.append((f, index, f"{f},{index},{x * sx:.2f},{y * sy:.2f},{w * sx:.2f},{h * sy:.2f},1,{cls},1\n"))
    rows.sort(key=lambda r: (r[0], r[1]))
    return "".join(r[2] for r in rows)


def yolo_files(tracks: list[dict[str, Any]], names: list[str]) -> dict[int, str]:
    per_frame: dict[int, list[str]] = {}
    for track in tracks:
        value = track.get("value") or {}
        for label in value.get("labels") or []:  # an unlabelled track has no class: left out
            if label not in names:
                names.append(label)
            cls = names.index(label)
            for f, x, y, w, h in frame_boxes(value):
                line = f"{cls} {(x + w / 2) / 100:.6f} {(y + h / 2) / 100:.6f} {w / 100:.6f} {h / 100:.6f}\n"
                per_frame.setdefault(f, []).append(line)
    return {frame: "".join(lines) for frame, lines in per_frame.items()}


async def _video_size(context: Any, value: Any, cache: dict[Any, tuple[int, int] | None]) -> tuple[int, int] | None:
    if not isinstance(value, str) or context.media is None:
        return None
    if value not in cache:
        content = await context.media.read(value)
        size = None
        if content:
            try:
                info = await anyio.to_thread.run_sync(probe_source, content)
                size = (int(info["width"]), int(info["height"]))
            except Exception:
                size = None
        cache[value] = size
    return cache[value]


async def write_mot(context: Any) -> AsyncIterator[bytes]:
    archive = ZipStream()
    names = class_names(context.config)
    sizes: dict[Any, tuple[int, int] | None] = {}
    try:
        async for batch in context.batches():
            for task in batch:
                for name, video, tracks in sequences(task, context.config):
                    size = await _video_size(context, video, sizes)
                    width, height = size or (100, 100)
                    frames = max((int((t.get("value") or {}).get("framesCount") or 0) for t in tracks), default=0)
                    fps = _fps(tracks)
                    # CPU-bound (a line per box per frame): off the event loop.
                    text = await anyio.to_thread.run_sync(mot_lines, tracks, names, width, height)
                    archive.add(f"{name}/gt/gt.txt", text.encode())
                    info = [
                        "[Sequence]", f"name={name}", f"frameRate={fps:g}", f"seqLength={frames}",
                        f"imWidth={width if size else 0}", f"imHeight={height if size else 0}",
                    ]
                    if not size:
                        info.append("; the video could not be read: boxes are in percent of the frame")
                    archive.add(f"{name}/seqinfo.ini", ("\n".join(info) + "\n").encode())
            yield archive.take()
        archive.add("classes.txt", "".join(f"{n}\n" for n in names).encode())
        yield archive.close()
    finally:
        if context.media is not None:
            await context.media.close()


def _fps(tracks: list[dict[str, Any]]) -> float:
    """Frames per second from a keyframe's ``time = frame / fps`` (0 when unknown)."""
    for track in tracks:
        for k in (track.get("value") or {}).get("sequence") or []:
            if k.get("time"):
                return round(k["frame"] / k["time"], 3)
    return 0.0


async def write_yolo(context: Any) -> AsyncIterator[bytes]:
    archive = ZipStream()
    names = class_names(context.config)
    async for batch in context.batches():
        for task in batch:
            for name, _video, tracks in sequences(task, context.config):
                files = await anyio.to_thread.run_sync(yolo_files, tracks, names)  # CPU-bound: off the event loop
                for frame, text in sorted(files.items()):
                    archive.add(f"{name}/labels/{frame:06d}.txt", text.encode())
        yield archive.take()
    archive.add("classes.txt", "".join(f"{n}\n" for n in names).encode())
    notes = {"categories": [{"id": i, "name": n} for i, n in enumerate(names)], "info": {"format": "YOLO per video frame, frames numbered from 1"}}
    archive.add("notes.json", json.dumps(notes, indent=2).encode())
    yield archive.close()


EXPORTERS = [
    ExporterSpec(
        name="VIDEO_MOT", title="MOT Challenge (video tracks)", media_type="application/zip", file_extension="zip",
        description="Box tracks as MOT Challenge ground truth (gt.txt per video), interpolated to every frame.",
        requires=frozenset({TRACK_TYPE}), requires_objects=frozenset({"Video"}), write=write_mot,
        link="https://motchallenge.net/instructions/", tags=("video tracking",),
    ),
    ExporterSpec(
        name="VIDEO_YOLO", title="YOLO per frame (video tracks)", media_type="application/zip", file_extension="zip",
        description="One YOLO label file per video frame, boxes interpolated between keyframes.",
        requires=frozenset({TRACK_TYPE}), requires_objects=frozenset({"Video"}), write=write_yolo,
        tags=("video tracking",),
    ),
]
