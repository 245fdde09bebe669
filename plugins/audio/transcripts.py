"""Per-annotation exports of audio segments: RTTM (speaker diarization) and WebVTT / SRT
(transcripts). Each is a zip with one file per submitted annotation, named from the audio file:
``<audio name>.<annotation id>.rttm`` (``.vtt``, ``.srt``).

A segment is a ``labels`` region on an Audio tag (``start``/``end`` in seconds); its transcript is
the text of the TextArea items sharing its id (per-region TextArea). RTTM writes one ``SPEAKER``
line per label of every segment; the subtitle formats write one cue per segment with a transcript,
the segment's first label as the speaker (``<v Alice>`` in WebVTT, ``Alice: `` in SRT).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import PurePosixPath
from typing import Any

from labelloom.core.plugin import ExporterSpec, ZipStream, submitted_newest_first, url_file_name

AUDIO_TAGS = frozenset({"Audio", "AudioPlus"})


def audio_objects(context: Any) -> dict[str, str]:
    """Audio tag name -> its data key."""
    out: dict[str, str] = {}
    for obj in context.config.objects.values():
        value = getattr(obj.attrs, "value", None)
        if obj.tag in AUDIO_TAGS and isinstance(value, str) and value.startswith("$"):
            out[obj.name] = value[1:]
    return out


def segments(result: list[dict[str, Any]], audio_name: str) -> list[dict[str, Any]]:
    """The labelled segments of one Audio tag, in time order: ``{id, start, end, channel, labels, text}``."""
    texts: dict[str, list[str]] = {}
    for item in result:
        if item.get("type") == "textarea" and item.get("id"):
            lines = (item.get("value") or {}).get("text") or []
            texts.setdefault(item["id"], []).extend(str(t) for t in (lines if isinstance(lines, list) else [lines]))
    out = []
    for item in result:
        value = item.get("value") or {}
        if item.get("to_name") != audio_name or not item.get("type", "").endswith("labels"):
            continue
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, (int, float)) or not isinstance(end, (int, float)) or end < start:
            continue
        labels = value.get(item["type"]) or value.get("labels") or []
        out.append({"id": item.get("id"), "start": float(start), "end": float(end), "channel": value.get("channel", 0),
                    "labels": [str(label) for label in labels], "text": "\n".join(texts.get(item.get("id") or "", []))})
    out.sort(key=lambda s: (s["start"], s["end"]))
    return out


def rttm(file_id: str, segs: list[dict[str, Any]]) -> str:
    """NIST RTTM: ``SPEAKER <file> <channel+1> <onset> <duration> <NA> <NA> <speaker> <NA> <NA>``."""
    file_id = "_".join(file_id.split()) or "audio"
    lines = []
    for s in segs:
        for label in s["labels"] or ["unknown"]:
            speaker = "_".join(label.split()) or "unknown"
            channel = int(s["channel"]) + 1 if isinstance(s["channel"], int) else 1
            lines.append(f"SPEAKER {file_id} {channel} {s['start']:.3f} {s['end'] - s['start']:.3f} <NA> <NA> {speaker} <NA> <NA>")
    return "".join(line + "\n" for line in lines)


def timestamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def webvtt(segs: list[dict[str, Any]]) -> str:
    out = ["WEBVTT", ""]
    for n, s in enumerate((s for s in segs if s["text"].strip()), 1):
        speaker = s["labels"][0] if s["labels"] else ""
        text = s["text"].replace("-->", "->")
        out += [str(n), f"{timestamp(s['start'], '.')} --> {timestamp(s['end'], '.')}",
                f"<v {speaker}>{text}" if speaker else text, ""]
    return "\n".join(out)


def srt(segs: list[dict[str, Any]]) -> str:
    out = []
    for n, s in enumerate((s for s in segs if s["text"].strip()), 1):
        speaker = s["labels"][0] if s["labels"] else ""
        out += [str(n), f"{timestamp(s['start'], ',')} --> {timestamp(s['end'], ',')}",
                f"{speaker}: {s['text']}" if speaker else s["text"], ""]
    return "\n".join(out)


def file_stem(value: Any, task_id: Any) -> str:
    name = url_file_name(value) if isinstance(value, str) else ""
    return PurePosixPath(name).stem or f"task-{task_id}"


def _writer(extension: str, render: Callable[[str, list[dict[str, Any]]], str]) -> Callable[[Any], AsyncIterator[bytes]]:
    async def write(context: Any) -> AsyncIterator[bytes]:
        objects = audio_objects(context)
        archive = ZipStream()
        taken: set[str] = set()
        async for batch in context.batches():
            for task in batch:
                for annotation in submitted_newest_first(task):
                    for audio_name, key in objects.items():
                        segs = segments(annotation.get("result") or [], audio_name)
                        if not segs:
                            continue
                        stem = file_stem(task.get("data", {}).get(key), task.get("id"))
                        suffix = f".{audio_name}" if len(objects) > 1 else ""
                        name = f"{stem}{suffix}.{annotation.get('id')}.{extension}"
                        while name in taken:
                            name = f"{stem}{suffix}.{annotation.get('id')}.{task.get('id')}.{extension}"
                        taken.add(name)
                        archive.add(name, render(stem, segs).encode())
            yield archive.take()
        yield archive.close()

    return write


EXPORTERS = [
    ExporterSpec(
        name="RTTM", title="RTTM (speaker diarization)",
        description="One RTTM file per annotation, named after the audio: a SPEAKER line for every labelled segment.",
        media_type="application/zip", file_extension="zip", requires=frozenset({"labels"}), requires_objects=AUDIO_TAGS,
        write=_writer("rttm", rttm), tags=("speaker diarization",),
    ),
    ExporterSpec(
        name="WEBVTT", title="WebVTT transcripts",
        description="One WebVTT subtitle file per annotation: a cue for every segment with a per-region transcription.",
        media_type="application/zip", file_extension="zip", requires=frozenset({"labels", "textarea"}),
        requires_objects=AUDIO_TAGS, write=_writer("vtt", lambda stem, segs: webvtt(segs)), tags=("transcripts",),
    ),
    ExporterSpec(
        name="SRT", title="SRT subtitles",
        description="One SubRip file per annotation: a cue for every segment with a per-region transcription.",
        media_type="application/zip", file_extension="zip", requires=frozenset({"labels", "textarea"}),
        requires_objects=AUDIO_TAGS, write=_writer("srt", lambda stem, segs: srt(segs)), tags=("transcripts",),
    ),
]
