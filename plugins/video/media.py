"""Frame count, duration and size of a video, read once with PyAV and cached."""

from __future__ import annotations

import io
import os
import threading
from collections import OrderedDict
from fractions import Fraction
from pathlib import Path
from typing import Any

_CACHE: OrderedDict[tuple[str, int, int], dict[str, Any]] = OrderedDict()
_LOCK = threading.Lock()
_MAX = 1024


def probe_source(source: Any) -> dict[str, Any]:
    """``{framesCount, duration, fps, width, height}`` of a video file path or bytes."""
    import av  # on first use: FFmpeg's libraries are ~20 MB a server without videos never needs

    opened = av.open(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source))
    try:
        stream = opened.streams.video[0]
        frames = int(stream.frames or 0)
        if frames <= 0:  # WebM and some MP4s do not say: count the packets (no decoding)
            frames = sum(1 for packet in opened.demux(stream) if packet.size)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif opened.duration is not None:
            duration = opened.duration / 1_000_000
        else:
            duration = 0.0
        rate = stream.average_rate or stream.guessed_rate or Fraction(0)
        return {
            "framesCount": frames,
            "duration": round(duration, 6),
            "fps": float(rate),
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
        }
    finally:
        opened.close()


def probe(path: Path) -> dict[str, Any]:
    """:func:`probe_source` of a file, cached by path, size and modification time."""
    stat = os.stat(path)
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return dict(_CACHE[key])
    info = probe_source(path)
    with _LOCK:
        _CACHE[key] = info
        while len(_CACHE) > _MAX:
            _CACHE.popitem(last=False)
    return dict(info)
