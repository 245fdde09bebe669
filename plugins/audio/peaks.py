"""Waveform peaks computed once on the server with PyAV, so the browser streams the media
element and draws these peaks instead of downloading and decoding hours of audio.

``GET /api/plugins/audio/peaks?src=/data/upload/...`` returns the peaks file (format below),
computing it on first use and caching it in ``<data_dir>/cache/audio-peaks/`` under a key made of
the file's path, size and modification time; the ``audio.peaks`` job computes it ahead of time.

The file: ``LLPK``, u8 version (1), u8 channels, u16 0, u32 peaks per channel, f64 duration in
seconds, f64 peaks per second, u32 sample rate (little endian); then, channel after channel, one
byte per peak: the largest ``|sample|`` of its slice of audio, scaled to 0..255. A file gets at most
``MAX_PEAKS`` peaks per channel (between 20 and 1000 a second), so two hours take ~1 MB a channel.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import struct
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from litestar import Response, get

from labelloom.core.plugin import BadRequest, JobSpec, LabelloomError, NotFound

MAGIC = b"LLPK"
VERSION = 1
HEADER = struct.Struct("<4sBBHIddI")  # 32 bytes
MAX_PEAKS = 500_000
MIN_RATE, MAX_RATE = 20.0, 1000.0
UPLOAD_PREFIX = "/data/upload/"
CHUNK = 1 << 16  # samples per channel gathered before reducing them


class Undecodable(LabelloomError):
    """The file is not audio PyAV can decode (422)."""

    status_code = 422


@dataclass
class Peaks:
    duration: float
    sample_rate: int
    peaks_per_second: float
    channels: list[bytes]  # one byte per peak, 0..255

    def encode(self) -> bytes:
        count = len(self.channels[0]) if self.channels else 0
        header = HEADER.pack(MAGIC, VERSION, len(self.channels), 0, count, self.duration, self.peaks_per_second, self.sample_rate)
        return header + b"".join(self.channels)

    @classmethod
    def decode(cls, data: bytes) -> Peaks:
        magic, version, channels, _, count, duration, rate, sample_rate = HEADER.unpack_from(data)
        if magic != MAGIC or version != VERSION:
            raise ValueError("not a peaks file")
        body = data[HEADER.size:]
        return cls(duration, sample_rate, rate, [body[i * count:(i + 1) * count] for i in range(channels)])


def peaks_rate(duration: float | None) -> float:
    """Peaks per second for a file of this length: at most MAX_PEAKS in all, 20..1000 a second."""
    if not duration or duration <= 0:
        return 100.0
    return min(MAX_RATE, max(MIN_RATE, MAX_PEAKS / duration))


def _reason(exc: Exception) -> str:
    """FFmpeg's reason, without the file's path on the server."""
    return str(getattr(exc, "strerror", None) or type(exc).__name__).rstrip(".")


# Full scale of the sample formats read directly (planar or packed).
SCALES = {f"{name}{p}": scale for name, scale in (("s16", 32768.0), ("s32", 2.0**31), ("flt", 1.0), ("dbl", 1.0)) for p in ("", "p")}


def _samples(frame: Any) -> Any:
    """A frame's samples as float32, one row per channel, in -1..1."""
    import numpy as np

    data = frame.to_ndarray()
    if not frame.format.is_planar:
        data = data.reshape(-1, len(frame.layout.channels)).T
    return data.astype(np.float32) / np.float32(SCALES.get(frame.format.name, 1.0))


def _reduce_numpy(planes: list[Any], per: int, final: bool) -> tuple[list[Any], list[Any]]:
    import numpy as np

    block = np.abs(np.concatenate(planes, axis=1)) if len(planes) > 1 else np.abs(planes[0])
    whole = block.shape[1] // per * per
    out = [block[:, :whole].reshape(block.shape[0], -1, per).max(axis=2)]
    rest = block[:, whole:]
    if final and rest.shape[1]:
        out.append(rest.max(axis=1, keepdims=True))
        rest = rest[:, :0]
    return out, [rest] if rest.shape[1] else []


def decimate(samples: list[float], per: int) -> list[float]:
    """The largest |sample| of every ``per`` samples (pure Python; the numpy path does the same)."""
    return [max(max(chunk), -min(chunk)) for chunk in (samples[i:i + per] for i in range(0, len(samples), per))]


def compute_peaks(source: str | os.PathLike[str]) -> Peaks:
    """Decode the file's first audio stream and reduce it to peaks."""
    import av

    try:
        container = av.open(str(source))
    except (av.FFmpegError, OSError) as exc:
        raise Undecodable(f"The audio could not be opened: {_reason(exc)}.") from exc
    with container:
        if not container.streams.audio:
            raise Undecodable("The file has no audio stream.")
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        rate = int(stream.rate or stream.codec_context.sample_rate or 0)
        if rate <= 0:
            raise Undecodable("The audio has no sample rate.")
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        per = max(1, round(rate / peaks_rate(duration)))
        resampler = av.AudioResampler(format="fltp", layout=stream.layout, rate=rate)
        try:
            import numpy  # noqa: F401

            use_numpy = True
        except ImportError:  # pragma: no cover - numpy comes with PyAV's usual installs
            use_numpy = False
        reduced: list[Any] = []
        pending: list[Any] = []
        pending_len = 0
        total = 0
        channels = 0
        plain: list[list[float]] = []

        def take(frames: list[Any]) -> None:
            nonlocal pending, pending_len, total, channels, plain
            for frame in frames:
                if use_numpy:
                    data = _samples(frame)
                    channels = data.shape[0]
                    pending.append(data)
                    pending_len += data.shape[1]
                    total += data.shape[1]
                else:
                    planes = [array("f", bytes(p))[: frame.samples] for p in frame.planes]
                    channels = len(planes)
                    if not plain:
                        plain = [[] for _ in planes]
                    for out, plane in zip(plain, planes, strict=False):
                        out.extend(plane)
                    total += frame.samples
            if use_numpy and pending_len >= CHUNK:
                out, pending = _reduce_numpy(pending, per, False)
                reduced.extend(out)
                pending_len = pending[0].shape[1] if pending else 0

        try:
            for frame in container.decode(stream):
                # Common sample formats are read as they are (converting every frame costs more
                # than decoding it); others go through FFmpeg's resampler to planar float.
                take([frame] if use_numpy and frame.format.name in SCALES else resampler.resample(frame))
            take(resampler.resample(None))
        except av.FFmpegError as exc:
            if not total:
                raise Undecodable(f"The audio could not be decoded: {_reason(exc)}.") from exc
            # a damaged tail: keep what decoded
    if not total:
        raise Undecodable("The audio stream holds no samples.")
    if use_numpy:
        import numpy as np

        if pending:
            out, _ = _reduce_numpy(pending, per, True)
            reduced.extend(out)
        peaks = np.concatenate(reduced, axis=1) if reduced else np.zeros((channels, 0))
        scaled = np.clip(np.rint(np.minimum(peaks, 1.0) * 255), 0, 255).astype(np.uint8)
        data = [scaled[c].tobytes() for c in range(min(channels, 255))]
    else:
        data = [bytes(min(255, round(min(v, 1.0) * 255)) for v in decimate(ch, per)) for ch in plain[:255]]
    return Peaks(duration=total / rate, sample_rate=rate, peaks_per_second=rate / per, channels=data)


# ---------------------------------------------------------------------------------------------
# Sources and the cache
# ---------------------------------------------------------------------------------------------


def uploaded_path(settings: Any, src: str) -> Path:
    """The file of an uploaded media value (``/data/upload/<project>/<name>``), as core serves it."""
    if not src.startswith(UPLOAD_PREFIX):
        raise BadRequest("Peaks are computed for uploaded files only; other audio is decoded by the browser.")
    root = (Path(settings.media_dir) / "upload").resolve()
    path = (root / unquote(urlsplit(src).path[len(UPLOAD_PREFIX):]).lstrip("/")).resolve()
    if not str(path).startswith(str(root) + os.sep) or not path.is_file():
        raise NotFound("The audio file was not found.")
    return path


def cache_path(settings: Any, path: Path) -> Path:
    info = path.stat()
    key = hashlib.sha256(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0v{VERSION}".encode()).hexdigest()[:40]
    return Path(settings.data_dir) / "cache" / "audio-peaks" / f"{key}.peaks"


def peaks_file(settings: Any, path: Path) -> bytes:
    """The peaks file of an audio file, from the cache or computed (and cached) now."""
    cached = cache_path(settings, path)
    try:
        return cached.read_bytes()
    except FileNotFoundError:
        pass
    data = compute_peaks(path).encode()
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False, suffix=".tmp") as out:
        out.write(data)
    os.replace(out.name, cached)
    return data


_LOCKS: dict[str, asyncio.Lock] = {}


async def peaks_for(settings: Any, src: str) -> bytes:
    """One computation per file at a time (a second request waits for the first's result)."""
    path = uploaded_path(settings, src)
    if len(_LOCKS) > 1024:  # forget idle locks now and then
        for key in [k for k, lock in _LOCKS.items() if not lock.locked()]:
            del _LOCKS[key]
    async with _LOCKS.setdefault(str(path), asyncio.Lock()):
        return await asyncio.to_thread(peaks_file, settings, path)


@get("/peaks", media_type="application/octet-stream", opt={"permission": "account.use"})  # as /data/upload
async def peaks_route(src: str, settings: Any) -> Response[bytes]:
    data = await peaks_for(settings, src)
    return Response(content=data, media_type="application/octet-stream", headers={"Cache-Control": "private, max-age=3600"})


async def peaks_job(ctx: dict[str, Any], *, src: str) -> dict[str, Any]:
    """Compute (and cache) the peaks of an uploaded audio file ahead of its first viewing."""
    peaks = Peaks.decode(await peaks_for(ctx["settings"], src))
    return {"duration": peaks.duration, "channels": len(peaks.channels), "peaks_per_second": peaks.peaks_per_second}


PEAKS_JOB = JobSpec(name="audio.peaks", function=peaks_job, timeout=3600, retries=1)
