"""The video plugin on the server: frame count and duration (PyAV, cached), the conformance
check, result checking of tracks and timeline ranges, and the MOT / YOLO track exports."""

from __future__ import annotations

import io
import zipfile

import pytest

from labelloom.core.testing import assert_plugin_conforms
from labelloom.plugins.video import media
from labelloom.plugins.video.exporters import track_frames

from .videos import make_video

CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/></Labels>
  <Video name="video" value="$video" frameRate="30"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="actions" toName="video"><Label value="Jump"/></TimelineLabels>
</View>"""


def kf(frame, x, enabled=True):
    return {"frame": frame, "enabled": enabled, "rotation": 0, "x": x, "y": 10, "width": 20, "height": 10, "time": frame / 30}


def box_track(id_, labels, sequence):
    return {"id": id_, "from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual",
            "value": {"framesCount": 60, "duration": 2.0, "sequence": sequence, "labels": labels}}


def test_plugin_conforms():
    assert_plugin_conforms("video")


def test_probe_counts_frames_and_caches(tmp_path, monkeypatch):
    for fmt in ("webm", "mp4"):
        path = tmp_path / f"clip.{fmt}"
        path.write_bytes(make_video(frames=45, fps=30, width=160, height=120, fmt=fmt))
        info = media.probe(path)
        assert info["framesCount"] == 45
        assert info["duration"] == pytest.approx(1.5, abs=0.05)
        assert (info["width"], info["height"]) == (160, 120)
        assert info["fps"] == pytest.approx(30)
        calls = []
        monkeypatch.setattr(media, "probe_source", lambda p: calls.append(p) or {})
        assert media.probe(path) == info and not calls  # cached
        monkeypatch.undo()


async def _project(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Clips", "label_config": CONFIG})
    assert r.status_code == 201, r.text
    project = r.json()
    video = make_video(frames=60, fps=30, width=320, height=240)
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          files=[("file", ("clip.webm", video, "video/webm"))])
    assert r.status_code == 201, r.text
    (task,) = (await client.get("/api/tasks", headers=admin.headers, params={"project": project["id"]})).json()["tasks"]
    return project, task


async def test_meta_route_and_exports(client, admin):
    project, task = await _project(client, admin)
    url = task["data"]["video"]
    assert url.startswith("/data/upload/")
    r = await client.get("/api/plugins/video/meta", headers=admin.headers, params={"url": url})
    assert r.status_code == 200, r.text
    assert r.json() == {"framesCount": 60, "duration": pytest.approx(2.0, abs=0.05), "fps": 30.0, "width": 320, "height": 240}
    r = await client.get("/api/plugins/video/meta", headers=admin.headers, params={"url": "/data/upload/../../etc/passwd"})
    assert r.status_code == 404
    r = await client.get("/api/plugins/video/meta", headers=admin.headers, params={"url": "https://example.com/a.mp4"})
    assert r.status_code == 400

    result = [
        box_track("t1", ["Car"], [kf(1, 10), kf(11, 30, False)]),
        box_track("t2", ["Person"], [kf(5, 50)]),
        {"id": "s1", "from_name": "actions", "to_name": "video", "type": "timelinelabels", "origin": "manual",
         "value": {"ranges": [{"start": 3, "end": 9}], "timelinelabels": ["Jump"]}},
    ]
    r = await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": result})
    assert r.status_code == 201, r.text
    annotation_id = r.json()["id"]
    bad = [box_track("t3", ["Car"], [kf(5, 10), kf(2, 10)])]
    r = await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": bad})
    assert r.status_code == 400 and "frame order" in r.text

    names = [f["name"] for f in (await client.get(f"/api/projects/{project['id']}/export/formats", headers=admin.headers)).json()]
    assert {"VIDEO_MOT", "VIDEO_YOLO"} <= set(names)

    seq = f"task-{task['id']}-annotation-{annotation_id}"
    r = await client.get(f"/api/projects/{project['id']}/export", headers=admin.headers, params={"exportType": "VIDEO_MOT"})
    assert r.status_code == 200, r.text
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == ["classes.txt", f"{seq}/gt/gt.txt", f"{seq}/seqinfo.ini"]
    assert archive.read("classes.txt").decode() == "Car\nPerson\n"
    lines = archive.read(f"{seq}/gt/gt.txt").decode().splitlines()
    # Track 1: frames 1..11 (interpolated), track 2: frames 5..60 (held); sorted by frame, then id.
    assert len(lines) == 11 + 56
    assert lines[0] == "1,1,32.00,24.00,64.00,24.00,1,1,1"
    frame6 = [l for l in lines if l.startswith("6,")]
    assert frame6 == ["6,1,64.00,24.00,64.00,24.00,1,1,1", "6,2,160.00,24.00,64.00,24.00,1,2,1"]
    assert "imWidth=320" in archive.read(f"{seq}/seqinfo.ini").decode()
    assert "frameRate=30" in archive.read(f"{seq}/seqinfo.ini").decode()

    r = await client.get(f"/api/projects/{project['id']}/export", headers=admin.headers, params={"exportType": "VIDEO_YOLO"})
    assert r.status_code == 200, r.text
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    files = [n for n in archive.namelist() if n.startswith(f"{seq}/labels/")]
    assert len(files) == 60  # frames 1..60 have at least one box
    assert archive.read(f"{seq}/labels/000006.txt").decode() == (
        "0 0.300000 0.150000 0.200000 0.100000\n1 0.600000 0.150000 0.200000 0.100000\n")
    assert archive.read(f"{seq}/labels/000012.txt").decode() == "1 0.600000 0.150000 0.200000 0.100000\n"


def test_track_frames_keeps_disabled_keyframe_once():
    frames = track_frames({"framesCount": 20, "sequence": [kf(1, 10), kf(4, 40, False), kf(10, 10)]})
    assert [f["frame"] for f in frames] == [1, 2, 3, 4, *range(10, 21)]
    assert [f["x"] for f in frames[:4]] == [10, 20, 30, 40]


def test_frame_boxes_equal_label_studio_expansion():
    import random

    from labelloom.plugins.video.exporters import frame_boxes

    rng = random.Random(3)
    for _ in range(300):
        frames = sorted(rng.sample(range(1, 90), rng.randint(1, 6)))
        value = {"framesCount": rng.choice([0, 60, 100]), "sequence": [
            {"frame": f, "enabled": rng.random() > 0.3, "rotation": 0, "x": rng.uniform(0, 80), "y": rng.uniform(0, 80),
             "width": rng.uniform(1, 20), "height": rng.uniform(1, 20), "time": f / 30} for f in frames]}
        expected = [(f["frame"], f["x"], f["y"], f["width"], f["height"]) for f in track_frames(value)]
        got = frame_boxes(value)
        assert [g[0] for g in got] == [e[0] for e in expected]
        for g, e in zip(got, expected):
            assert g[1:] == pytest.approx(e[1:], abs=1e-9)


async def test_json_export_interpolates_key_frames_when_asked(client, admin):
    """Label Studio's ``interpolate_key_frames``: the JSON export expands each track's enabled
    spans into every frame (annotations only; predictions keep their keyframes); without the
    option the stored keyframes come out unchanged."""
    from labelloom.plugins.video.interpolation import interpolate_results

    project, task = await _project(client, admin)
    result = [box_track("t1", ["Car"], [kf(1, 10), kf(11, 30, False)])]
    r = await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": result})
    assert r.status_code == 201, r.text
    r = await client.post("/api/predictions/", headers=admin.headers,
                          json={"task": task["id"], "result": result, "model_version": "m1"})
    assert r.status_code == 201, r.text
    url = f"/api/projects/{project['id']}/export"

    plain = (await client.get(url, headers=admin.headers, params={"exportType": "JSON"})).json()
    stored = plain[0]["annotations"][0]["result"]
    assert [k["frame"] for k in stored[0]["value"]["sequence"]] == [1, 11]

    expanded = (await client.get(url, headers=admin.headers,
                                 params={"exportType": "JSON", "interpolate_key_frames": "true"})).json()
    frames = [k["frame"] for k in expanded[0]["annotations"][0]["result"][0]["value"]["sequence"]]
    assert frames == list(range(1, 12))
    assert expanded[0]["annotations"][0]["result"] == interpolate_results(stored)
    assert [k["frame"] for k in expanded[0]["predictions"][0]["result"][0]["value"]["sequence"]] == [1, 11]
