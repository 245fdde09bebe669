"""Video labeling in Chromium on a generated 60-frame, 30 fps WebM whose frames show their
number: step to frame 1, draw a box, step to frame 30 and move it; the box at frame 15 is the
linear interpolation on screen and in the stored JSON (Label Studio's `videorectangle` shape);
a timeline segment is dragged; the annotation is submitted and compared with Label Studio's."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling, stored_annotations
from tests.plugins.video.videos import make_video

FPS, FRAMES = 30, 60
CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car" hotkey="1"/><Label value="Person" hotkey="2"/></Labels>
  <Video name="video" value="$video" frameRate="$fps" height="360"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="actions" toName="video"><Label value="Jump" hotkey="3"/></TimelineLabels>
  <Choices name="scene" toName="video"><Choice value="Day"/><Choice value="Night"/></Choices>
</View>"""


def make_video_project(server: Any, admin: Any) -> tuple[dict[str, Any], int, float]:
    """The video is uploaded (served with HTTP Range) and used by a task that also gives `$fps`."""
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        uploads = http.post("/api/projects/", json={"title": "Uploads", "label_config": CONFIG.replace('"$fps"', '"30"')}).json()
        r = http.post(f"/api/projects/{uploads['id']}/import", files=[("file", ("clip.webm", make_video(FRAMES, FPS), "video/webm"))])
        assert r.status_code == 201, r.text
        (upload,) = http.get("/api/tasks", params={"project": uploads["id"]}).json()["tasks"]
        url = upload["data"]["video"]
        assert http.get(url, headers={"Range": "bytes=0-99"}).status_code == 206
        project = http.post("/api/projects/", json={"title": "Clips", "label_config": CONFIG}).json()
        r = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", json=[{"video": url, "fps": FPS}])
        assert r.status_code == 201, r.text
        (task_id,) = r.json()["task_ids"]
        meta = http.get("/api/plugins/video/meta", params={"url": url}).json()
        assert meta["framesCount"] == FRAMES
        return project, task_id, meta["duration"]


async def video_ready(page: Any) -> None:
    await expect(page.locator(".lv-stage")).to_have_attribute("aria-busy", "false")


async def frame_shown(page: Any) -> int:
    return int(await page.locator(".lv-frame b").inner_text())


async def at_frame(page: Any, frame: int) -> None:
    await expect(page.locator(".lv-frame b")).to_have_text(str(frame))
    # The <video> shows that frame too (its current time falls inside the frame's interval).
    t = await page.evaluate("document.querySelector('.lv-stage video').currentTime")
    assert int(t * FPS) + 1 == frame


async def overlay(page: Any) -> dict[str, float]:
    box = await page.locator(".lv-stage canvas").bounding_box()
    assert box
    return box


def pt(box: dict[str, float], x: float, y: float) -> tuple[float, float]:
    """Screen position of a point in percent of the frame."""
    return box["x"] + box["width"] * x / 100, box["y"] + box["height"] * y / 100


async def drag(page: Any, a: tuple[float, float], b: tuple[float, float], steps: int = 8) -> None:
    await page.mouse.move(*a)
    await page.mouse.down()
    await page.mouse.move(*b, steps=steps)
    await page.mouse.up()


async def painted(page: Any, x: float, y: float) -> bool:
    """Whether the box overlay has paint at a point (percent of the frame), once it shows the
    current state: a frame step or an edit repaints on the next animation frame, which a
    loaded machine may run after the step's label has changed."""
    await expect(page.locator(".lv-stage canvas[data-painting]")).to_have_count(0)
    return await page.evaluate(
        """([x, y]) => { const c = document.querySelector('.lv-stage canvas');
            const px = Math.round(c.width * x / 100), py = Math.round(c.height * y / 100);
            return c.getContext('2d').getImageData(px, py, 1, 1).data[3] > 0; }""",
        [x, y],
    )



@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_track_a_box_and_add_a_segment(server: Any, page: Any, signed_in: Any, shot: Any, theme: str) -> None:
    project, task_id, duration = make_video_project(server, signed_in)
    await page.add_init_script(f"localStorage.setItem('labelloom.theme', '{theme}')")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await video_ready(page)
    await at_frame(page, 1)
    await expect(page.locator(".lv-frame")).to_contain_text(f"/ {FRAMES}")
    box = await overlay(page)
    assert abs(box["height"] - 360) < 2 and abs(box["width"] - 480) < 2

    # Frame 1: arm Car and draw a box from (10%, 10%) to (30%, 20%).
    await page.keyboard.press("1")
    await drag(page, pt(box, 10, 10), pt(box, 30, 20))
    # Frame 30: move the box 30% to the right (a second keyframe).
    for _ in range(29):
        await page.keyboard.press("Alt+ArrowRight")
    await at_frame(page, 30)
    assert await painted(page, 20, 15)  # the box is held after its only keyframe
    await drag(page, pt(box, 20, 15), pt(box, 50, 15))
    await shot(page, f"video-keyframe-30-{theme}")

    # Frame 15 (first frame, then 14 steps): the box is halfway along, drawn dashed (interpolated).
    await page.keyboard.press("Shift+Control+Alt+ArrowLeft")
    await at_frame(page, 1)
    for _ in range(14):
        await page.keyboard.press("Alt+ArrowRight")
    await at_frame(page, 15)
    x15 = 10 + 30 * 14 / 29
    assert await painted(page, x15 + 1, 15)
    assert await painted(page, x15 + 19, 15)
    assert not await painted(page, x15 - 1.5, 15)
    assert not await painted(page, 11, 15)  # where the box was on frame 1
    # Keyframe navigation lands on the keyframes.
    await page.keyboard.press("Control+Alt+ArrowRight")
    await at_frame(page, 30)
    await page.keyboard.press("Control+Alt+ArrowLeft")
    await at_frame(page, 1)

    # Timeline: arm Jump, drag from frame 20 to frame 40.
    await page.keyboard.press("u")
    await page.keyboard.press("3")
    tl = await page.locator(".lv-timeline").bounding_box()
    assert tl

    def fx(frame: int) -> float:
        return tl["x"] + 110 + (frame - 0.5) / FRAMES * (tl["width"] - 110)

    await drag(page, (fx(20), tl["y"] + 10), (fx(40), tl["y"] + 10))
    await page.get_by_role("checkbox", name="Day").check()
    await page.keyboard.press("u")
    await shot(page, f"video-timeline-{theme}")
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".ll-blocker")).to_have_count(0)

    (annotation,) = await stored_annotations(page, server, signed_in, task_id)
    items = {item["type"]: item for item in annotation["result"]}
    assert sorted(items) == ["choices", "timelinelabels", "videorectangle"]
    track = items["videorectangle"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{4,}", track["id"])
    assert {k: track[k] for k in ("from_name", "to_name", "type", "origin")} == \
        {"from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual"}
    value = track["value"]
    assert list(value) == ["framesCount", "duration", "sequence", "labels"]
    assert value["framesCount"] == FRAMES and value["duration"] == pytest.approx(duration) and value["labels"] == ["Car"]
    expected = [
        {"frame": 1, "enabled": True, "rotation": 0, "x": 10, "y": 10, "width": 20, "height": 10, "time": 1 / FPS},
        {"frame": 30, "enabled": True, "rotation": 0, "x": 40, "y": 10, "width": 20, "height": 10, "time": 30 / FPS},
    ]
    assert len(value["sequence"]) == 2
    for got, want in zip(value["sequence"], expected):
        assert list(got) == list(want)
        for k, v in want.items():
            assert got[k] == pytest.approx(v, abs=0.5), (k, got, want)
    segment = items["timelinelabels"]
    assert {k: segment[k] for k in ("from_name", "to_name", "origin")} == {"from_name": "actions", "to_name": "video", "origin": "manual"}
    assert segment["value"] == {"ranges": [{"start": 20, "end": 40}], "timelinelabels": ["Jump"]}
    assert items["choices"]["value"] == {"choices": ["Day"]}

    # Frame 15 in the stored JSON: Label Studio's interpolation of the two keyframes.
    from labelloom.plugins.video.interpolation import interpolate_results

    (expanded,) = [r for r in interpolate_results(annotation["result"]) if r["type"] == "videorectangle"]
    f15 = next(f for f in expanded["value"]["sequence"] if f["frame"] == 15)
    a, b = value["sequence"]
    assert f15["auto"] and f15["x"] == pytest.approx(a["x"] + (b["x"] - a["x"]) * 14 / 29)
    assert f15["x"] == pytest.approx(x15, abs=0.5)
    assert len(expanded["value"]["sequence"]) == FRAMES


async def test_keyframe_tools_relabel_and_record_a_segment_while_playing(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id, _ = make_video_project(server, signed_in)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await video_ready(page)
    box = await overlay(page)
    await page.keyboard.press("1")
    await drag(page, pt(box, 10, 10), pt(box, 30, 20))
    for _ in range(9):
        await page.keyboard.press("Alt+ArrowRight")
    await at_frame(page, 10)
    await drag(page, pt(box, 20, 15), pt(box, 40, 15))  # keyframe 10 at x = 30
    # Interpolation off at frame 10: the track ends there.
    toggle = page.get_by_role("button", name=re.compile("^Interpolation"))
    await toggle.click()
    await expect(toggle).to_have_text("Interpolation off")
    await page.keyboard.press("Alt+ArrowRight")
    await page.keyboard.press("Alt+ArrowRight")
    await at_frame(page, 12)
    assert not await painted(page, 35, 15)
    # Frame 5 (interpolated): make it a keyframe, then delete it again.
    await page.keyboard.press("Shift+Control+Alt+ArrowLeft")
    for _ in range(4):
        await page.keyboard.press("Alt+ArrowRight")
    await at_frame(page, 5)
    await page.get_by_role("button", name="Add keyframe").click()
    await expect(page.get_by_role("button", name="Delete keyframe")).to_be_enabled()
    await page.get_by_role("button", name="Delete keyframe").click()
    await expect(page.get_by_role("button", name="Add keyframe")).to_be_enabled()
    # Relabel the selected track: Label Studio keeps the labels inside the track's value.
    await page.keyboard.press("2")
    # Zoom into the frame: boxes are still picked where they are drawn.
    await page.get_by_role("button", name="Zoom in").click()
    await page.get_by_role("button", name="Zoom in").click()
    await expect(page.locator(".lv-controls")).to_contain_text("156%")
    await shot(page, "video-zoomed")
    await page.get_by_role("button", name="Fit the frame").click()
    # Record a segment: play from frame 1, Jump's hotkey starts it, again stops it.
    await page.keyboard.press("u")
    await page.keyboard.press("Shift+Control+Alt+ArrowLeft")
    await page.keyboard.press("Control+Alt+Space")
    await expect(page.get_by_role("button", name="Pause")).to_be_visible()
    await page.wait_for_timeout(200)
    await page.keyboard.press("3")
    await expect(page.locator(".lv-controls [role=status]")).to_contain_text("Recording “Jump”")
    await page.wait_for_timeout(500)
    await page.keyboard.press("3")
    await page.keyboard.press("Control+Alt+Space")
    await shot(page, "video-recorded-segment")
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".ll-blocker")).to_have_count(0)

    (annotation,) = await stored_annotations(page, server, signed_in, task_id)
    items = annotation["result"]
    assert sorted(i["type"] for i in items) == ["timelinelabels", "videorectangle"]
    track = next(i for i in items if i["type"] == "videorectangle")
    assert track["value"]["labels"] == ["Person"]
    assert [(k["frame"], k["enabled"]) for k in track["value"]["sequence"]] == [(1, True), (10, False)]
    assert track["value"]["sequence"][1]["x"] == pytest.approx(30, abs=0.5)
    (span,) = next(i for i in items if i["type"] == "timelinelabels")["value"]["ranges"]
    assert 1 <= span["start"] < span["end"] <= FRAMES and span["end"] - span["start"] >= 5
