"""The ASR manifest export (NVIDIA NeMo): ``manifest.json`` with one JSON line per transcribed
annotation, ``{"audio_filepath", "duration", "text", "annotator"}``, and the audio files in
``audio/`` beside it, as Label Studio's converter writes them.

The duration is measured from the file itself, so every audio file is read. Label Studio can only
measure WAV and silently drops every other item; we also measure FLAC, and list each item left
out, with the reason, in ``skipped.txt``.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import tempfile
import wave
from collections.abc import AsyncIterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from labelloom.core.plugin import ExporterSpec, ZipStream, annotator, converter_items

AUDIO_TAGS = frozenset({"Audio", "AudioPlus"})
SKIPPED_LIST = "skipped.txt"


def audio_key(context: Any) -> str:
    """The task data key of the first Audio tag (Label Studio uses the config's first data key)."""
    for obj in context.config.objects.values():
        if obj.tag in AUDIO_TAGS:
            value = getattr(obj.attrs, "value", None)
            if isinstance(value, str) and value.startswith("$"):
                return value[1:]
    keys = context.config.data_keys
    return keys[0] if keys else "audio"


def duration_of(content: bytes) -> float | None:
    """Seconds of audio in a WAV or FLAC file; None for other formats or damaged files."""
    if content[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(content)) as f:
                return f.getnframes() / float(f.getframerate())
        except (wave.Error, EOFError, ZeroDivisionError):
            return None
    if content[:4] == b"fLaC" and len(content) >= 26 and content[4] & 0x7F == 0:  # STREAMINFO comes first
        (packed,) = struct.unpack(">Q", content[18:26])
        rate, samples = packed >> 44, packed & ((1 << 36) - 1)
        return samples / rate if rate and samples else None
    return None


def transcript(item: dict[str, Any]) -> str | None:
    """The first text of the first control whose first value has a text (TextArea)."""
    for values in item["output"].values():
        if values and values[0].get("text"):
            text = values[0]["text"]
            return str(text[0] if isinstance(text, list) else text)
    return None


def file_name(value: str, taken: dict[str, str]) -> str:
    """``audio/<name>``: the URL's file name; a second URL with the same name gets a short hash
    of its URL (Label Studio adds a random one)."""
    name = PurePosixPath(unquote(urlsplit(value).path)).name or "audio"
    if name in taken and taken[name] != value:
        stem, dot, ext = name.rpartition(".")
        digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()[:4]
        name = f"{stem}_{digest}.{ext}" if dot else f"{name}_{digest}"
    taken[name] = value
    return f"audio/{name}"


async def write_asr_manifest(context: Any) -> AsyncIterator[bytes]:
    key = audio_key(context)
    media = context.media
    archive = ZipStream()
    archive.add_dir("audio/")
    taken: dict[str, str] = {}
    shipped: dict[str, tuple[str, float | None]] = {}  # URL -> (archive path, duration)
    skipped: list[str] = []
    try:
        # The manifest waits in a spool while the audio files stream into the zip (no entry may be
        # written while another is open).
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as manifest:
            async for batch in context.batches():
                items = [item for task in batch for item in converter_items(context, task)
                         if item["output"] and isinstance(item["input"].get(key), str)]
                wanted = list(dict.fromkeys(item["input"][key] for item in items if item["input"][key] not in shipped))
                async for value, content in (media.read_many(wanted) if media is not None else _none(wanted)):
                    if content is None:
                        shipped[value] = ("", None)
                        continue
                    path = file_name(value, taken)
                    archive.add(path, content, compress=False)
                    shipped[value] = (path, duration_of(content))
                    yield archive.take()
                for item in items:
                    path, duration = shipped[item["input"][key]]
                    text = transcript(item)
                    reason = ("the audio could not be read" if not path else
                              "no transcript" if text is None else
                              "duration unknown (WAV and FLAC can be measured)" if duration is None else None)
                    if reason:
                        skipped.append(f"{item['id']}\t{item['annotation_id']}\t{reason}")
                        continue
                    record = {"audio_filepath": path, "duration": duration, "text": text, "annotator": annotator(item, default="")}
                    manifest.write((json.dumps(record) + "\n").encode())
            with archive.open("manifest.json") as out:
                manifest.seek(0)
                while block := manifest.read(1 << 16):
                    out.write(block)
        reasons = [f"{value}\t{reason}" for value, reason in (media.failures if media is not None else [])]
        if skipped or reasons:
            lines = ["task\tannotation\treason", *skipped] + (["", "audio\treason", *reasons] if reasons else [])
            archive.add(SKIPPED_LIST, ("\n".join(lines) + "\n").encode())
        yield archive.take()
        yield archive.close()
    finally:
        if media is not None:
            await media.close()


async def _none(values: list[str]) -> AsyncIterator[tuple[str, bytes | None]]:
    for value in values:
        yield value, None


EXPORTERS = [
    ExporterSpec(
        name="ASR_MANIFEST",
        title="ASR Manifest",
        description="Speech recognition manifest (NVIDIA NeMo): one JSON line per transcribed audio file with "
        "its duration, and the audio files themselves.",
        media_type="application/zip",
        file_extension="zip",
        requires=frozenset({"textarea"}),
        requires_objects=AUDIO_TAGS,
        write=write_asr_manifest,
        link="https://labelstud.io/guide/export.html#ASR-MANIFEST",
        tags=("speech recognition",),
    ),
]
