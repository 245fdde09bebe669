#!/usr/bin/env python3
"""Video widget benchmark in headless Chromium: prints figures, asserts nothing.

Starts `labelloom start` on a fresh SQLite database, uploads a generated WebM (VP8, --frames
frames at 30 fps, 1280x720, each frame showing its number), stores an annotation with --tracks
box tracks (5 keyframes each) and measures:
  - first frame: the labeling page, from navigation start until the <video> has its first frame
    (the widget's 'video:first-frame' mark), and as seen by the driver;
  - frame step: Alt+→ pressed --steps times, each from the key event until the video has
    seeked to the frame and the next animation frame is painted;
  - playing with the tracks: --seconds of playback; animation frames per second, slowest frame,
    the widget's paint time (boxes + timeline), video frames presented and dropped;
  - export of --export-tracks tracks (one annotation): VIDEO_MOT, VIDEO_YOLO and JSON over the
    API, and Label Studio's interpolate_key_frames expansion of the same result in-process.

Usage: .venv/bin/python bench/ui_video_bench.py [--tracks 50] [--export-tracks 1000] [--frames 300]
"""

from __future__ import annotations

import argparse
import asyncio
import colorsys
import io
import json
import os
import random
import statistics
import tempfile
import time

import av
import httpx
import numpy as np
from api_bench import start
from PIL import Image, ImageDraw, ImageFont
from playwright.async_api import async_playwright

from labelloom.plugins.video.interpolation import interpolate_results

W, H, FPS = 1280, 720, 30
CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/><Label value="Bike"/></Labels>
  <Video name="video" value="$video" frameRate="30" height="480"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="actions" toName="video"><Label value="Jump"/></TimelineLabels>
</View>"""
NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))"

STEP = """
async (steps) => {
  const video = document.querySelector('.lv-stage video');
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const seeked = new Promise((r) => video.addEventListener('seeked', r, { once: true }));
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', code: 'ArrowRight', altKey: true, bubbles: true, cancelable: true }));
    await seeked;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    times.push(performance.now() - t0);
  }
  return { times, frame: Number(document.querySelector('.lv-frame b').textContent) };
}
"""

PLAY = """
async (seconds) => {
  const catalogue = await (await fetch('/api/plugins')).json();
  const { paintStats } = await import(catalogue.tags.Video.module);
  const video = document.querySelector('.lv-stage video');
  video.currentTime = 0;
  await new Promise((r) => video.addEventListener('seeked', r, { once: true }));
  paintStats.frames = 0; paintStats.total = 0; paintStats.max = 0;
  const q0 = video.getVideoPlaybackQuality();
  let presented = 0;
  const count = () => { presented++; if (!video.paused) video.requestVideoFrameCallback(count); };
  await video.play();
  video.requestVideoFrameCallback(count);
  const stamps = [];
  const t0 = performance.now();
  await new Promise((resolve) => {
    const step = (ts) => { stamps.push(ts); if (performance.now() - t0 < seconds * 1000 && !video.ended) requestAnimationFrame(step); else resolve(); };
    requestAnimationFrame(step);
  });
  video.pause();
  const q1 = video.getVideoPlaybackQuality();
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const span = stamps[stamps.length - 1] - stamps[0];
  return { fps: (stamps.length - 1) / (span / 1000), frames: stamps.length, medianFrame: gaps[gaps.length >> 1],
    p95Frame: gaps[Math.floor(gaps.length * 0.95)], maxFrame: gaps[gaps.length - 1], presented,
    dropped: q1.droppedVideoFrames - q0.droppedVideoFrames, decoded: q1.totalVideoFrames - q0.totalVideoFrames,
    paints: paintStats.frames, paintMean: paintStats.total / Math.max(1, paintStats.frames), paintMax: paintStats.max,
    boxes: document.querySelectorAll('.lv-timeline').length };
}
"""


def make_video(frames: int) -> bytes:
    out = io.BytesIO()
    container = av.open(out, mode="w", format="webm")
    stream = container.add_stream("libvpx", rate=FPS)
    stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
    stream.options = {"deadline": "realtime", "cpu-used": "8", "b": "1500k"}
    try:
        font = ImageFont.load_default(size=H // 3)
    except TypeError:
        font = ImageFont.load_default()
    for n in range(1, frames + 1):
        r, g, b = colorsys.hsv_to_rgb(n / frames, 0.5, 0.85)
        image = Image.new("RGB", (W, H), (int(r * 255), int(g * 255), int(b * 255)))
        ImageDraw.Draw(image).text((W // 2, H // 2), str(n), fill=(0, 0, 0), font=font, anchor="mm")
        for packet in stream.encode(av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return out.getvalue()


def tracks(count: int, frames: int, rng: random.Random) -> list[dict]:
    out = []
    for i in range(count):
        keys = sorted(rng.sample(range(1, frames + 1), 5))
        sequence = [{"frame": f, "enabled": j < 4 or rng.random() < 0.5, "rotation": 0, "x": rng.uniform(0, 85), "y": rng.uniform(0, 85),
                     "width": rng.uniform(3, 15), "height": rng.uniform(3, 15), "time": f / FPS} for j, f in enumerate(keys)]
        out.append({"id": f"t{i:05d}", "from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual",
                    "value": {"framesCount": frames, "duration": frames / FPS, "sequence": sequence, "labels": [["Car", "Person", "Bike"][i % 3]]}})
    return out


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    video = make_video(args.frames)
    shown = tracks(args.tracks, args.frames, rng)
    many = tracks(args.export_tracks, args.frames, rng)
    print(f"video: {W}x{H} VP8 WebM, {args.frames} frames at {FPS} fps, {len(video) / 1000:.0f} KB; "
          f"{len(shown)} tracks shown, {len(many)} exported")
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(None, data_dir)
        try:
            with httpx.Client(base_url=url) as http:
                http.post("/api/auth/login", json={"email": "bench@example.com", "password": "bench password"}).raise_for_status()
                token = http.get("/api/current-user/token").json()["token"]
            with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=300) as http:
                project = http.post("/api/projects/", json={"title": "Bench", "label_config": CONFIG}).json()
                up = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", files=[("file", ("clip.webm", video, "video/webm"))])
                assert up.status_code == 201, up.text
                task_id = up.json()["task_ids"][0]
                t0 = time.perf_counter()
                meta = http.get("/api/plugins/video/meta", params={"url": http.get(f"/api/tasks/{task_id}").json()["data"]["video"]}).json()
                meta_ms = (time.perf_counter() - t0) * 1000
                t0 = time.perf_counter()
                http.get("/api/plugins/video/meta", params={"url": http.get(f"/api/tasks/{task_id}").json()["data"]["video"]})
                meta_cached_ms = (time.perf_counter() - t0) * 1000
                assert http.post(f"/api/tasks/{task_id}/annotations/", json={"result": shown}).status_code == 201
                exports = {}
                export_project = http.post("/api/projects/", json={"title": "Export", "label_config": CONFIG}).json()
                video_url = http.get(f"/api/tasks/{task_id}").json()["data"]["video"]
                made = http.post(f"/api/projects/{export_project['id']}/import?return_task_ids=true", json=[{"video": video_url}])
                export_task = made.json()["task_ids"][0]
                r = http.post(f"/api/tasks/{export_task}/annotations/", json={"result": many})
                assert r.status_code == 201, r.text[:300]
                for kind in ("VIDEO_MOT", "VIDEO_YOLO", "JSON"):
                    t0 = time.perf_counter()
                    r = http.get(f"/api/projects/{export_project['id']}/export", params={"exportType": kind})
                    assert r.status_code == 200, r.text[:300]
                    exports[kind] = ((time.perf_counter() - t0) * 1000, len(r.content))
            t0 = time.perf_counter()
            expanded = interpolate_results(many)
            interp_ms = (time.perf_counter() - t0) * 1000
            expanded_frames = sum(len(r["value"]["sequence"]) for r in expanded)

            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium",
                                                   args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"])
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                login = await page.request.post(url + "/api/auth/login", data={"email": "bench@example.com", "password": "bench password"})
                assert login.ok
                firsts, seen = [], []
                for _ in range(args.opens):
                    t0 = time.perf_counter()
                    await page.goto(f"{url}/projects/{project['id']}/label?task={task_id}")
                    await page.wait_for_selector('.lv-stage[aria-busy="false"]', timeout=30000)
                    seen.append((time.perf_counter() - t0) * 1000)
                    firsts.append(await page.evaluate("() => performance.getEntriesByName('video:first-frame').slice(-1)[0]?.startTime ?? null"))
                await page.evaluate(NEXT_FRAME)
                await page.locator(".lv-timeline").focus()
                await page.locator(".lv-timeline").blur()
                step = await page.evaluate(STEP, args.steps)
                play = await page.evaluate(PLAY, args.seconds)
                await page.screenshot(path="build/ui-video-bench.png")
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"server frame count (PyAV): {meta.get('framesCount')} frames, {meta.get('duration')} s; first call {meta_ms:.0f} ms, cached {meta_cached_ms:.0f} ms")
    print(f"time to first frame (navigation start -> 'video:first-frame'): median {statistics.median([f for f in firsts if f]):.0f} ms, "
          f"runs {', '.join(f'{f:.0f}' for f in firsts if f)}; driver-side {statistics.median(seen):.0f} ms")
    times = sorted(step["times"])
    print(f"frame step (Alt+→ -> seeked -> next frame) x{len(times)}: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms; ended on frame {step['frame']}")
    print(f"playing with {len(shown)} tracks for {args.seconds:g} s: {play['fps']:.1f} animation fps; frame median {play['medianFrame']:.1f} ms, "
          f"p95 {play['p95Frame']:.1f} ms, max {play['maxFrame']:.1f} ms; widget paint mean {play['paintMean']:.2f} ms, max {play['paintMax']:.2f} ms "
          f"({play['paints']} paints); video frames presented {play['presented']}, decoded {play['decoded']}, dropped {play['dropped']}")
    for kind, (ms, size) in exports.items():
        print(f"export {kind} of {len(many)} tracks ({args.frames} frames): {ms:.0f} ms, {size / 1000:.0f} KB")
    print(f"interpolate_key_frames expansion of {len(many)} tracks in-process: {interp_ms:.0f} ms ({expanded_frames} frames)")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps({"first_frame_ms": statistics.median([f for f in firsts if f]), "step_median_ms": statistics.median(times),
                      "play_fps": play["fps"], "paint_max_ms": play["paintMax"], "dropped": play["dropped"],
                      **{f"export_{k.lower()}_ms": round(v[0]) for k, v in exports.items()}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=50)
    parser.add_argument("--export-tracks", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--opens", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
