"""RTTM, WebVTT and SRT exports of audio segments: one file per annotation, named from the audio."""

from __future__ import annotations

import io
import zipfile

from labelloom.plugins.audio.transcripts import rttm, segments, srt, timestamp, webvtt

CONFIG = """<View>
  <Labels name="speaker" toName="audio"><Label value="Alice"/><Label value="Bob Smith"/></Labels>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcript" toName="audio" perRegion="true"/>
</View>"""


def region(rid, start, end, label, text=None, channel=0):
    items = [{"id": rid, "from_name": "speaker", "to_name": "audio", "type": "labels", "original_length": 10.0,
              "value": {"start": start, "end": end, "channel": channel, "labels": [label]}}]
    if text is not None:
        items.append({"id": rid, "from_name": "transcript", "to_name": "audio", "type": "textarea",
                      "value": {"start": start, "end": end, "channel": channel, "text": [text]}})
    return items


RESULT = [*region("b", 3.5, 5.25, "Bob Smith", "fine, thanks"), *region("a", 0.5, 2.0, "Alice", "how are you?"),
          *region("c", 6, 7, "Alice")]


def test_formats():
    segs = segments(RESULT, "audio")
    assert [s["id"] for s in segs] == ["a", "b", "c"]
    assert rttm("call one", segs) == (
        "SPEAKER call_one 1 0.500 1.500 <NA> <NA> Alice <NA> <NA>\n"
        "SPEAKER call_one 1 3.500 1.750 <NA> <NA> Bob_Smith <NA> <NA>\n"
        "SPEAKER call_one 1 6.000 1.000 <NA> <NA> Alice <NA> <NA>\n")
    assert webvtt(segs) == ("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n<v Alice>how are you?\n\n"
                            "2\n00:00:03.500 --> 00:00:05.250\n<v Bob Smith>fine, thanks\n")
    assert srt(segs) == ("1\n00:00:00,500 --> 00:00:02,000\nAlice: how are you?\n\n"
                         "2\n00:00:03,500 --> 00:00:05,250\nBob Smith: fine, thanks\n")
    assert timestamp(3723.4567, ",") == "01:02:03,457"


async def test_exports_name_files_after_the_audio(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Calls", "label_config": CONFIG})
    pid = r.json()["id"]
    tasks = [{"data": {"audio": "/data/upload/1/call%20one.wav"}, "annotations": [{"result": RESULT}]},
             {"data": {"audio": "/data/upload/1/empty.wav"}, "annotations": [{"result": []}]}]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers, json=tasks)
    assert r.status_code == 201, r.text
    formats = [f["name"] for f in (await client.get(f"/api/projects/{pid}/export/formats", headers=admin.headers)).json()]
    assert {"RTTM", "WEBVTT", "SRT"} <= set(formats)
    annotation_id = (await client.get(f"/api/tasks/{r.json()['task_ids'][0]}/annotations/", headers=admin.headers)).json()[0]["id"]
    for export_type, ext, first in (("RTTM", "rttm", "SPEAKER call_one 1 0.500"), ("WEBVTT", "vtt", "WEBVTT"), ("SRT", "srt", "1\n00:00:00,500")):
        r = await client.get(f"/api/projects/{pid}/export", headers=admin.headers, params={"exportType": export_type})
        assert r.status_code == 200, r.text
        archive = zipfile.ZipFile(io.BytesIO(r.content))
        assert archive.namelist() == [f"call one.{annotation_id}.{ext}"]
        assert archive.read(archive.namelist()[0]).decode().startswith(first)
