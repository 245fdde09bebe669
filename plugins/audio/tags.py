"""The Audio object tag (and its old name ``AudioPlus``) with segments measured in seconds."""

from __future__ import annotations

import base64
import io
import math
import wave
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import DataTypeSpec, ObjectAttrs, RegionSpec, ResultContext, ResultProblem

Opt = UnsetType
# Tolerated overshoot past the audio's end (seconds), from rounding in players.
END_TOLERANCE = 0.05


class AudioAttrs(ObjectAttrs):
    hotkey: str | Opt = UNSET
    sync: str | Opt = UNSET
    height: int = 96
    waveHeight: int = 32
    defaultSpeed: float = 1
    defaultScale: float = 1
    defaultZoom: float = 1
    defaultVolume: float = 1
    spectrogram: bool = False
    splitChannels: bool = False
    decoder: Literal["webaudio", "ffmpeg", "none"] = "webaudio"
    player: Literal["html5", "webaudio"] = "html5"
    volume: bool | Opt = UNSET
    speed: bool | Opt = UNSET
    zoom: bool | Opt = UNSET
    cursorWidth: float | Opt = UNSET
    cursorColor: str | Opt = UNSET


class AudioSegment(msgspec.Struct, kw_only=True):
    start: float
    end: float
    channel: int | UnsetType = UNSET


def normalize_segment(segment: AudioSegment, ctx: ResultContext) -> AudioSegment:
    for field in ("start", "end"):
        if not math.isfinite(getattr(segment, field)):
            raise ResultProblem("must be a finite number of seconds", field)
    if segment.start < 0:
        raise ResultProblem("must not be negative", "start")
    if segment.end < segment.start:
        raise ResultProblem(f"must not be before start ({segment.start:g} s)", "end")
    length = ctx.item.get("original_length")
    if isinstance(length, (int, float)) and not isinstance(length, bool) and length > 0:
        if segment.start > length + END_TOLERANCE:
            raise ResultProblem(f"is after the end of the audio ({length:g} s)", "start")
        segment.end = min(segment.end, float(length))
    if isinstance(segment.channel, int) and segment.channel < 0:
        raise ResultProblem("must not be negative", "channel")
    return segment


REGIONS = (
    RegionSpec(
        name="audiosegment", value=AudioSegment, keys=("start", "end"), normalize=normalize_segment,
        example={"start": 0.5, "end": 1.5, "channel": 0},
    ),
)


def _silence_wav(seconds: float = 2.0, rate: int = 8000) -> str:
    """A short silent WAV as a data: URL, so previews need no network or shipped file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * int(seconds * rate))
    return "data:audio/wav;base64," + base64.b64encode(buffer.getvalue()).decode()


SAMPLE_AUDIO = _silence_wav()


def _sample(node: Any) -> str:
    return SAMPLE_AUDIO


def _audio(name: str) -> DataTypeSpec:
    return DataTypeSpec(
        name=name, attrs=AudioAttrs, preview="audio", regions=REGIONS,
        mime_types=("audio/wav", "audio/x-wav", "audio/mpeg", "audio/flac", "audio/ogg", "audio/mp4", "audio/aac"),
        extensions=(".wav", ".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus"),
        sample_value=_sample,
        widget="widgets/audio.js",
    )


OBJECT_TAGS = [_audio("Audio"), _audio("AudioPlus")]
