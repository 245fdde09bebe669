#!/usr/bin/env python3
"""Audio widget benchmark in headless Chromium: prints figures, asserts nothing.

Starts `labelloom start` on a fresh SQLite database, writes a 10-minute and a 2-hour recording
(16 kHz mono WAV, speech-like bursts) into its upload folder, makes one task of each, and measures:
  - the server's peaks job: the first GET /api/plugins/audio/peaks of each file (PyAV decode and
    reduce, then cached), and a second, cached request;
  - open: the labeling page, from navigation start until the waveform is drawn (the widget's
    'audio:drawn' mark, wavesurfer's first complete redraw) once the peaks exist;
  - with --regions segments on the 2-hour file: frame times while zooming (ctrl+wheel on the
    waveform, one event per frame) and while scrolling (the waveform's scroll position moved
    every frame), from requestAnimationFrame timestamps.

Usage: .venv/bin/python bench/ui_audio_bench.py [--regions 500] [--seconds 3] [--opens 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
import wave
from pathlib import Path

import httpx
import numpy as np
from api_bench import start
from playwright.async_api import async_playwright

RATE = 16000
CONFIG = """<View>
  <Labels name="speaker" toName="audio"><Label value="Alice" hotkey="1"/><Label value="Bob" hotkey="2"/><Label value="Noise" hotkey="3"/></Labels>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcript" toName="audio" perRegion="true"/>
</View>"""
LABELS = ["Alice", "Bob", "Noise"]

NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))"

DRIVE = """
async ([kind, seconds]) => {
  const wave = document.querySelector(".la-wave");
  const host = [...wave.querySelectorAll("div")].find((d) => d.shadowRoot);
  const scroller = host.shadowRoot.querySelector("[part~='scroll']") || host.shadowRoot.querySelector(".scroll");
  const rect = wave.getBoundingClientRect();
  const cy = rect.top + rect.height / 2;
  const stamps = [];
  const t0 = performance.now();
  await new Promise((resolve) => {
    let i = 0;
    const step = (ts) => {
      stamps.push(ts);
      i++;
      if (kind === "zoom") {
        wave.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, ctrlKey: true,
          clientX: rect.left + rect.width * (0.5 + Math.sin(i / 9) * 0.3), clientY: cy, deltaY: Math.sin(i / 25) > 0 ? -60 : 60 }));
      } else if (kind === "scroll") {
        scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) * (0.5 + 0.5 * Math.sin(i / 40));
      }
      if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const span = stamps[stamps.length - 1] - stamps[0];
  return { frames: stamps.length, fps: (stamps.length - 1) / (span / 1000), medianFrame: gaps[gaps.length >> 1],
    p95Frame: gaps[Math.floor(gaps.length * 0.95)], maxFrame: gaps[gaps.length - 1],
    zoom: document.querySelector(".la-zoom")?.textContent, scrollWidth: scroller.scrollWidth };
}
"""


def write_wav(path: Path, seconds: int, rng: np.random.Generator) -> None:
    """Speech-like bursts: noise-modulated tones switching on and off, written a minute at a time."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        for minute in range(0, seconds, 60):
            n = min(60, seconds - minute) * RATE
            t = np.arange(n) / RATE
            envelope = np.abs(np.sin(np.pi * t * rng.uniform(0.8, 3))) * (rng.random(n // 4000 + 1).repeat(4000)[:n] > 0.3)
            signal = envelope * (0.4 * np.sin(2 * np.pi * 180 * t) + 0.15 * rng.standard_normal(n))
            out.writeframes((np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes())


def segments(count: int, duration: float) -> list[dict]:
    rng = random.Random(3)
    out = []
    step = duration / count
    for i in range(count):
        start = i * step + rng.random() * step * 0.2
        end = min(duration, start + step * rng.uniform(0.4, 1.3))  # some overlap their neighbour
        out.append({"id": f"s{i:04d}", "from_name": "speaker", "to_name": "audio", "type": "labels", "origin": "manual",
                    "original_length": duration, "value": {"start": round(start, 3), "end": round(end, 3), "channel": 0,
                                                           "labels": [LABELS[i % 3]]}})
    return out


async def run(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(None, data_dir)
        try:
            with httpx.Client(base_url=url) as http:
                http.post("/api/auth/login", json={"email": "bench@example.com", "password": "bench password"}).raise_for_status()
                token = http.get("/api/current-user/token").json()["token"]
            auth = {"Authorization": f"Token {token}"}
            files = {"10 min": ("ten.wav", 600), "2 h": ("two_hours.wav", 7200)}
            tasks: dict[str, int] = {}
            peaks_ms: dict[str, tuple[float, float]] = {}
            with httpx.Client(base_url=url, headers=auth, timeout=1800) as http:
                project = http.post("/api/projects/", json={"title": "Audio bench", "label_config": CONFIG}).json()
                folder = Path(data_dir) / "media" / "upload" / str(project["id"])
                folder.mkdir(parents=True, exist_ok=True)
                for label, (name, seconds) in files.items():
                    t = time.perf_counter()
                    write_wav(folder / name, seconds, rng)
                    size = (folder / name).stat().st_size
                    print(f"{label}: wrote {size / 1e6:.0f} MB WAV in {time.perf_counter() - t:.1f} s")
                    src = f"/data/upload/{project['id']}/{name}"
                    made = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", json=[{"audio": src}])
                    assert made.status_code == 201, made.text
                    tasks[label] = made.json()["task_ids"][0]
                    t = time.perf_counter()
                    r = http.get("/api/plugins/audio/peaks", params={"src": src})
                    cold = time.perf_counter() - t
                    assert r.status_code == 200, r.text
                    t = time.perf_counter()
                    http.get("/api/plugins/audio/peaks", params={"src": src}).raise_for_status()
                    peaks_ms[label] = (cold * 1000, (time.perf_counter() - t) * 1000)
                    print(f"  peaks job: {cold:.2f} s cold ({len(r.content) / 1e6:.2f} MB of peaks), cached {peaks_ms[label][1]:.0f} ms")
                if args.regions:
                    made = http.post(f"/api/tasks/{tasks['2 h']}/annotations/", json={"result": segments(args.regions, 7200.0)})
                    assert made.status_code == 201, made.text
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                login = await page.request.post(url + "/api/auth/login", data={"email": "bench@example.com", "password": "bench password"})
                assert login.ok, await login.text()
                opens: dict[str, list[list[float]]] = {}
                for label, task_id in tasks.items():
                    opens[label] = []
                    for _ in range(args.opens):
                        await page.goto(f"{url}/projects/{project['id']}/label?task={task_id}")
                        await page.wait_for_selector('.la-audio[data-drawn="true"]', timeout=120000)
                        opens[label].append(await page.evaluate("""() => ['audio:mount', 'audio:drawn']
                          .map((n) => performance.getEntriesByName(n).slice(-1)[0].startTime)"""))
                # the 2-hour task is open now, with its annotation's segments
                await page.wait_for_function(f"() => document.querySelector('.la-count')?.textContent?.startsWith('{args.regions} ')", timeout=30000)
                idle = await page.evaluate(DRIVE, ["idle", args.seconds])
                cdp = await page.context.new_cdp_session(page) if args.profile else None
                if cdp:
                    await cdp.send("Profiler.enable")
                    await cdp.send("Profiler.start")
                zoom = await page.evaluate(DRIVE, ["zoom", args.seconds])
                if cdp:
                    profile = (await cdp.send("Profiler.stop"))["profile"]
                    print_profile(profile)
                if await page.get_by_role("button", name="Fit").is_enabled():
                    await page.get_by_role("button", name="Fit").click()
                for _ in range(13):  # 100x: about 72 s of the 2-hour clip in view, a labelling zoom
                    if await page.get_by_role("button", name="Zoom in").is_enabled():
                        await page.get_by_role("button", name="Zoom in").click()
                await page.evaluate(NEXT_FRAME)
                scroll = await page.evaluate(DRIVE, ["scroll", args.seconds])
                await page.screenshot(path="build/ui-audio-bench.png")
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(10)

    for label, runs in opens.items():
        drawn = [d for _, d in runs]
        mounted = [d - m for m, d in runs]
        print(f"open {label} task, peaks cached (navigation start -> waveform drawn, 'audio:drawn'): "
              f"median {statistics.median(drawn):.0f} ms, runs {', '.join(f'{x:.0f}' for x in drawn)}; "
              f"widget mount -> drawn median {statistics.median(mounted):.0f} ms")
    for name, m in (("idle (no input, reference)", idle), (f"ctrl+wheel zoom, {args.regions} segments", zoom),
                    (f"scroll at zoom {scroll['zoom']}, {args.regions} segments", scroll)):
        print(f"{name}: {m['fps']:.1f} fps over {m['frames']} frames; frame median {m['medianFrame']:.1f} ms, "
              f"p95 {m['p95Frame']:.1f} ms, max {m['maxFrame']:.1f} ms")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps({"peaks_2h_s": peaks_ms["2 h"][0] / 1000, "peaks_10min_s": peaks_ms["10 min"][0] / 1000,
                      "open_10min_ms": statistics.median(d for _, d in opens["10 min"]), "open_2h_ms": statistics.median(d for _, d in opens["2 h"]),
                      "zoom_fps": zoom["fps"], "scroll_fps": scroll["fps"], "zoom_p95_ms": zoom["p95Frame"], "scroll_p95_ms": scroll["p95Frame"]}))


def print_profile(profile: dict) -> None:
    """The functions taking the most self time while zooming (--profile)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    self_time: dict[str, float] = {}
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), deltas, strict=False):
        frame = nodes[sample]["callFrame"]
        key = f"{frame['functionName'] or '(anonymous)'} {frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber']}:{frame['columnNumber']}"
        self_time[key] = self_time.get(key, 0) + delta / 1000
    for key, ms in sorted(self_time.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {ms:8.1f} ms  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where the time goes while zooming")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
