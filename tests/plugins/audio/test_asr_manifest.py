"""The ASR manifest export: the same lines as Label Studio's converter for what it can measure,
the audio files beside it, and every item it would silently drop listed with its reason."""

from __future__ import annotations

import io
import json
import struct
import wave
import zipfile
from pathlib import Path

from label_studio_sdk.converter import Converter
from label_studio_sdk.converter.audio import convert_to_asr_json_manifest

from labelloom.plugins.audio.exporters import duration_of

CONFIG = """<View>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcription" toName="audio"/>
</View>"""


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\0\0" * int(seconds * rate))
    return out.getvalue()


def flac_header(rate: int, samples: int) -> bytes:
    """``fLaC`` and a STREAMINFO block: enough for the duration (the frames are not read)."""
    packed = (rate << 44) | (0 << 41) | (15 << 36) | samples  # rate, channels-1, bits-1, total samples
    info = struct.pack(">HH", 4096, 4096) + b"\0" * 6 + struct.pack(">Q", packed) + b"\0" * 16
    return b"fLaC" + bytes([0x80, 0, 0, 34]) + info


def text(value: str) -> list[dict]:
    return [{"from_name": "transcription", "to_name": "audio", "type": "textarea", "value": {"text": [value]}}]


async def test_asr_manifest(client, admin, data_dir, tmp_path):
    media = Path(data_dir) / "media" / "upload"
    for folder, name, content in (("1", "hello.wav", wav(1.5)), ("2", "hello.wav", wav(0.25)),
                                  ("1", "song.mp3", b"ID3 not measurable"), ("1", "long.flac", flac_header(16000, 40000))):
        (media / folder).mkdir(parents=True, exist_ok=True)
        (media / folder / name).write_bytes(content)
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "ASR", "label_config": CONFIG})
    pid = r.json()["id"]
    tasks = [
        {"data": {"audio": "/data/upload/1/hello.wav"}, "annotations": [{"result": text("hello world")}]},
        {"data": {"audio": "/data/upload/2/hello.wav"}, "annotations": [{"result": text("hi")}]},
        {"data": {"audio": "/data/upload/1/song.mp3"}, "annotations": [{"result": text("la la")}]},
        {"data": {"audio": "/data/upload/1/long.flac"}, "annotations": [{"result": text("a longer one")}]},
        {"data": {"audio": "/data/upload/9/gone.wav"}, "annotations": [{"result": text("lost")}]},
        {"data": {"audio": "/data/upload/1/hello.wav"}},
    ]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers, json=tasks)
    ids = r.json()["task_ids"]
    formats = [f["name"] for f in (await client.get(f"/api/projects/{pid}/export/formats", headers=admin.headers)).json()]
    assert "ASR_MANIFEST" in formats

    r = await client.get(f"/api/projects/{pid}/export", headers=admin.headers,
                         params={"exportType": "ASR_MANIFEST", "download_all_tasks": "true"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    lines = [json.loads(line) for line in archive.read("manifest.json").decode().splitlines()]
    assert [(m["audio_filepath"], m["duration"], m["text"]) for m in lines] == [
        ("audio/hello.wav", 1.5, "hello world"),
        (lines[1]["audio_filepath"], 0.25, "hi"),
        ("audio/long.flac", 2.5, "a longer one"),
    ]
    assert lines[1]["audio_filepath"].startswith("audio/hello_") and lines[1]["audio_filepath"].endswith(".wav")
    assert archive.read("audio/hello.wav") == wav(1.5)
    assert archive.read(lines[1]["audio_filepath"]) == wav(0.25)
    skipped = archive.read("skipped.txt").decode().splitlines()
    assert skipped[0] == "task\tannotation\treason"
    assert [line.split("\t")[0::2] for line in skipped[1:3]] == [
        [str(ids[2]), "duration unknown (WAV and FLAC can be measured)"], [str(ids[4]), "the audio could not be read"]]
    assert "/data/upload/9/gone.wav\tuploaded file not found" in skipped

    # Label Studio's converter on our JSON export writes the same line for the file it can read.
    source = tmp_path / "export.json"
    source.write_bytes((await client.get(f"/api/projects/{pid}/export", headers=admin.headers,
                                         params={"exportType": "JSON"})).content)
    converter = Converter(CONFIG, str(tmp_path), download_resources=True)
    items = [item for item in converter.iter_from_json_file(str(source)) if item["id"] == ids[0]]
    out = tmp_path / "ls"
    convert_to_asr_json_manifest(items, str(out), "audio", None, str(media), True)
    assert (out / "manifest.json").read_text().splitlines()[0] == archive.read("manifest.json").decode().splitlines()[0]


async def test_asr_manifest_is_offered_only_for_audio(client, admin):
    text_config = '<View><Text name="t" value="$t"/><TextArea name="a" toName="t"/></View>'
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "T", "label_config": text_config})
    formats = [f["name"] for f in (await client.get(f"/api/projects/{r.json()['id']}/export/formats",
                                                    headers=admin.headers)).json()]
    assert "ASR_MANIFEST" not in formats and "JSON" in formats


def test_durations():
    assert duration_of(wav(0.5, rate=16000)) == 0.5
    assert duration_of(flac_header(44100, 44100 * 3)) == 3.0
    assert duration_of(b"RIFF broken") is None and duration_of(b"OggS....") is None
