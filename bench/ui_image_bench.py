#!/usr/bin/env python3
"""Image widget benchmark in headless Chromium (ux.md P1): prints figures, asserts nothing.

Starts `labelloom start` on a fresh SQLite database, uploads a 1920x1080 PNG, stores an
annotation with --boxes rectangles on it, and measures:
  - open: the labeling page for that task, from navigation start until the canvas has drawn
    every box (the stage reports "N regions"), then the next frame; and, with the page open,
    re-mounting the interface (handle.update) until every box is drawn again;
  - pan and zoom: --seconds of continuous panning (pointer drag events, one per frame) and of
    wheel zooming, dispatched to the stage inside requestAnimationFrame; frames per second from
    requestAnimationFrame timestamps, the slowest frame, and the widget's own paint time;
  - select: a click on a box, until the next frame.

Usage: .venv/bin/python bench/ui_image_bench.py [--boxes 1000] [--seconds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import statistics
import tempfile

import httpx
from PIL import Image, ImageDraw
from api_bench import start
from playwright.async_api import async_playwright

W, H = 1920, 1080
CONFIG = """<View>
  <Image name="img" value="$image" zoom="true" zoomControl="true"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Word" hotkey="1"/><Label value="Line" hotkey="2"/><Label value="Figure" hotkey="3"/><Label value="Table" hotkey="4"/>
  </RectangleLabels>
</View>"""
LABELS = ["Word", "Line", "Figure", "Table"]

NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))"

# Drive one kind of input for `seconds`: each animation frame dispatches one event to the stage,
# whose own requestAnimationFrame paints it. Frame rate from rAF timestamps.
DRIVE = """
async ([kind, seconds]) => {
  // The runtime imports widgets by the URL /api/plugins gives (versioned): use the same instance.
  const catalogue = await (await fetch("/api/plugins")).json();
  const { paintStats } = await import(catalogue.tags.Image.module);
  const stage = document.querySelector(".li-stage");
  const rect = stage.getBoundingClientRect();
  const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
  paintStats.frames = 0; paintStats.total = 0; paintStats.max = 0; paintStats.scenes = 0;
  const opts = (x, y, extra = {}) => ({ bubbles: true, clientX: x, clientY: y, pointerId: 1, isPrimary: true, pointerType: "mouse", ...extra });
  if (kind === "pan") {
    stage.dispatchEvent(new PointerEvent("pointerdown", opts(cx, cy, { button: 1, buttons: 4 })));
  }
  const stamps = [];
  const t0 = performance.now();
  await new Promise((resolve) => {
    let i = 0;
    const step = (ts) => {
      stamps.push(ts);
      i++;
      if (kind === "idle") {
        // no input: the machine's own frame rate, for reference
      } else if (kind === "pan") {
        const x = cx + Math.sin(i / 15) * 200, y = cy + Math.cos(i / 20) * 120;
        stage.dispatchEvent(new PointerEvent("pointermove", opts(x, y, { buttons: 4 })));
      } else {
        stage.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: cx + Math.sin(i / 9) * 150, clientY: cy, deltaY: Math.sin(i / 12) > 0 ? -100 : 100 }));
      }
      if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  if (kind === "pan") stage.dispatchEvent(new PointerEvent("pointerup", opts(cx, cy, { button: 1 })));
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const span = stamps[stamps.length - 1] - stamps[0];
  return {
    frames: stamps.length, fps: (stamps.length - 1) / (span / 1000),
    medianFrame: gaps[gaps.length >> 1], p95Frame: gaps[Math.floor(gaps.length * 0.95)], maxFrame: gaps[gaps.length - 1],
    paints: paintStats.frames, scenes: paintStats.scenes, paintMean: paintStats.total / Math.max(1, paintStats.frames), paintMax: paintStats.max,
  };
}
"""


def png_bytes(rng: random.Random) -> bytes:
    image = Image.new("RGB", (W, H), (236, 238, 242))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(W), rng.randrange(H)
        draw.rectangle([x, y, x + rng.randrange(20, 200), y + rng.randrange(8, 40)], fill=tuple(rng.randrange(80, 200) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def boxes(count: int, rng: random.Random) -> list[dict]:
    out = []
    cols = 40
    for i in range(count):
        col, row = i % cols, i // cols
        x = col * (100 / cols) + rng.random() * 0.5
        y = row * (100 / max(1, (count + cols - 1) // cols)) + rng.random() * 0.5
        out.append({
            "id": f"b{i:04d}", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "origin": "manual",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": 100 / cols * 0.8, "height": 100 / max(1, (count + cols - 1) // cols) * 0.7,
                      "rotation": 0, "rectanglelabels": [LABELS[i % 4]]},
        })
    return out


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    image = png_bytes(rng)
    result = boxes(args.boxes, rng)
    print(f"image: {W}x{H} PNG, {len(image) / 1000:.0f} KB; {len(result)} boxes")
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(None, data_dir)  # with the bench administrator
        try:
            with httpx.Client(base_url=url) as http:
                http.post("/api/auth/login", json={"email": "bench@example.com", "password": "bench password"}).raise_for_status()
                token = http.get("/api/current-user/token").json()["token"]
            auth = {"Authorization": f"Token {token}"}
            with httpx.Client(base_url=url, headers=auth, timeout=60) as http:
                created = http.post("/api/projects/", json={"title": "Bench", "label_config": CONFIG})
                assert created.status_code == 201, created.text
                project = created.json()
                up = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true",
                               files=[("file", ("page.png", image, "image/png"))])
                assert up.status_code == 201, up.text
                task_id = up.json()["task_ids"][0]
                made = http.post(f"/api/tasks/{task_id}/annotations/", json={"result": result})
                assert made.status_code == 201, made.text
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                login = await page.request.post(url + "/api/auth/login", data={"email": "bench@example.com", "password": "bench password"})
                assert login.ok, await login.text()
                # open: navigation start -> every box drawn -> next frame
                open_runs = []
                marks = []
                for _ in range(args.opens):
                    await page.goto(f"{url}/projects/{project['id']}/label?task={task_id}")
                    await page.wait_for_selector(f'.li-stage[aria-label*="{len(result)} regions"]', timeout=30000)
                    open_runs.append(await page.evaluate(f"async () => {{ await ({NEXT_FRAME})(); return performance.now(); }}"))
                    marks.append(await page.evaluate("""() => Object.fromEntries(['image:mount', 'image:loaded', 'image:drawn']
                      .map((n) => [n, performance.getEntriesByName(n).slice(-1)[0]?.startTime ?? null]))"""))
                idle = await page.evaluate(DRIVE, ["idle", args.seconds])
                pan = await page.evaluate(DRIVE, ["pan", args.seconds])
                zoom = await page.evaluate(DRIVE, ["zoom", args.seconds])
                # select a box by clicking it
                stage = await page.locator(".li-stage canvas").bounding_box()
                await page.keyboard.press("Shift+1")
                await page.evaluate(NEXT_FRAME)
                await page.keyboard.press("v")
                select_ms = await page.evaluate("""async ([x, y]) => {
                  const stage = document.querySelector('.li-stage');
                  const t0 = performance.now();
                  const o = { bubbles: true, clientX: x, clientY: y, pointerId: 1, isPrimary: true, button: 0, buttons: 1 };
                  stage.dispatchEvent(new PointerEvent('pointerdown', o));
                  stage.dispatchEvent(new PointerEvent('pointerup', o));
                  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                  return { ms: performance.now() - t0, selected: stage.getAttribute('aria-label') }; }""",
                                                [stage["x"] + stage["width"] * 0.0125 + 3, stage["y"] + stage["height"] * 0.01 + 3])
                await page.screenshot(path="build/ui-image-bench.png")
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(10)

    drawn = [m["image:drawn"] for m in marks if m.get("image:drawn")]
    if drawn:
        print(f"open labeling page with {len(result)} boxes (navigation start -> every box drawn, 'image:drawn' mark): "
              f"median {statistics.median(drawn):.0f} ms, runs {', '.join(f'{x:.0f}' for x in drawn)}")
    print(f"  as seen by the test driver (selector wait + one frame + round trip): median {statistics.median(open_runs):.0f} ms")
    for m in marks:
        print("  marks since navigation start: " + ", ".join(f"{k} {v:.0f} ms" for k, v in m.items() if v is not None)
              + (f"; widget mount -> boxes drawn {m['image:drawn'] - m['image:mount']:.0f} ms" if m.get("image:drawn") and m.get("image:mount") else ""))
    for name, m in (("idle (no input, reference)", idle), ("pan", pan), ("zoom", zoom)):
        print(f"{name}: {m['fps']:.1f} fps over {m['frames']} frames; frame median {m['medianFrame']:.1f} ms, "
              f"p95 {m['p95Frame']:.1f} ms, max {m['maxFrame']:.1f} ms; widget paint mean {m['paintMean']:.2f} ms, "
              f"max {m['paintMax']:.2f} ms ({m['paints']} paints, {m['scenes']} region-layer redraws)")
    print(f"select a box by click (pointerup -> next frame): {select_ms['ms']:.1f} ms ({select_ms['selected']})")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps({"open_ms": statistics.median(drawn) if drawn else None, "idle_fps": idle["fps"], "pan_fps": pan["fps"], "zoom_fps": zoom["fps"],
                      "paint_max_ms": max(pan["paintMax"], zoom["paintMax"])}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boxes", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--opens", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
