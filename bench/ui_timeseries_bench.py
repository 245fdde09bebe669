#!/usr/bin/env python3
"""Time-series widget benchmark in headless Chromium: prints figures, asserts nothing.

Starts `labelloom start` on a fresh SQLite database and a small HTTP server (with CORS) serving a
generated CSV of --channels channels x --points rows (numeric time column; 5 x 1,000,000 by
default, about 50 MB), imports a task pointing at it, and measures:
  - open: the labeling page, from navigation start until every plot is drawn (the widget's
    'timeseries:drawn' mark), with the widget's own marks (mount, file parsed); the longest
    main-thread task while opening (parsing runs in a worker, so the page stays responsive);
  - pan and zoom: --seconds of continuous horizontal-wheel panning and Ctrl+wheel zooming,
    one event per animation frame on a plot: frames per second from requestAnimationFrame
    timestamps, the slowest frame, and the widget's own paint time (decimate + uPlot draw);
  - memory: the page's JS heap (CDP Performance metrics) and the Chromium processes' RSS.

Usage: .venv/bin/python bench/ui_timeseries_bench.py [--channels 5] [--points 1000000] [--seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
from api_bench import free_port, start
from playwright.async_api import async_playwright

NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))"

LONG_TASKS = """
window.__longest = 0;
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
    .observe({ type: "longtask", buffered: true });
} catch {}
"""

DRIVE = """
async ([kind, seconds]) => {
  const catalogue = await (await fetch("/api/plugins")).json();
  const { paintStats } = await import(catalogue.tags.TimeSeries.module);
  const over = document.querySelector(".ts-chart .u-over");
  const rect = over.getBoundingClientRect();
  const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
  paintStats.frames = 0; paintStats.total = 0; paintStats.max = 0; paintStats.decimate = 0;
  const stamps = [];
  const t0 = performance.now();
  await new Promise((resolve) => {
    let i = 0;
    const step = (ts) => {
      stamps.push(ts);
      i++;
      if (kind === "pan") {
        const dx = Math.sin(i / 20) > 0 ? 60 : -60;
        over.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: cx, clientY: cy, deltaX: dx }));
      } else if (kind === "zoom") {
        over.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, ctrlKey: true,
          clientX: cx + Math.sin(i / 9) * 200, clientY: cy, deltaY: Math.sin(i / 15) > 0 ? -120 : 120 }));
      }
      if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const span = stamps[stamps.length - 1] - stamps[0];
  return {
    frames: stamps.length, fps: (stamps.length - 1) / (span / 1000),
    medianFrame: gaps[gaps.length >> 1], p95Frame: gaps[Math.floor(gaps.length * 0.95)], maxFrame: gaps[gaps.length - 1],
    paints: paintStats.frames, paintMean: paintStats.total / Math.max(1, paintStats.frames), paintMax: paintStats.max,
    decimateMean: paintStats.decimate / Math.max(1, paintStats.frames),
  };
}
"""


def write_csv(path: Path, channels: int, points: int) -> None:
    rng = np.random.default_rng(7)
    t = np.arange(points, dtype=np.float64) / 100  # 100 Hz
    cols = [t]
    for k in range(channels):
        signal = np.sin(t / (3 + k)) * (10 + k) + rng.normal(0, 0.5, points)
        signal[rng.integers(0, points, 20)] += 40  # spikes decimation must keep
        cols.append(signal)
    header = "time," + ",".join(f"ch{k}" for k in range(channels))
    np.savetxt(path, np.column_stack(cols), delimiter=",", fmt=["%.2f"] + ["%.4f"] * channels, header=header, comments="")


class CorsHandler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")  # every open fetches the file again
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def chromium_rss_mb(marker: str) -> float:
    """RSS of the bench's own Chromium: the process launched with `marker` and its descendants."""
    parents: dict[int, int] = {}
    roots = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                roots.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            pass
    tree = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def run(args: argparse.Namespace) -> None:
    channels = "\n".join(f'    <Channel column="ch{k}" legend="Channel {k}" height="110"/>' for k in range(args.channels))
    config = f"""<View>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Event" hotkey="1"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$csv" timeColumn="time">
{channels}
  </TimeSeries>
</View>"""
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as files:
        t = time.perf_counter()
        csv_path = Path(files) / "series.csv"
        write_csv(csv_path, args.channels, args.points)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"CSV: {args.channels} channels x {args.points:,} rows, {size_mb:.0f} MB (written in {time.perf_counter() - t:.1f} s)")
        port = free_port()
        files_server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(CorsHandler, directory=files))
        threading.Thread(target=files_server.serve_forever, daemon=True).start()
        proc, url = start(None, data_dir)
        try:
            with httpx.Client(base_url=url) as http:
                http.post("/api/auth/login", json={"email": "bench@example.com", "password": "bench password"}).raise_for_status()
                token = http.get("/api/current-user/token").json()["token"]
            with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=60) as http:
                created = http.post("/api/projects/", json={"title": "Bench", "label_config": config})
                assert created.status_code == 201, created.text
                project = created.json()
                up = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true",
                               json=[{"csv": f"http://127.0.0.1:{port}/series.csv"}])
                assert up.status_code == 201, up.text
                task_id = up.json()["task_ids"][0]
            async with async_playwright() as pw:
                marker = f"--user-agent=labelloom-ts-bench-{os.getpid()}"
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", marker])
                page = await browser.new_page(viewport={"width": 1400, "height": 1000})
                await page.add_init_script(LONG_TASKS)
                cdp = await page.context.new_cdp_session(page)
                await cdp.send("Performance.enable")
                login = await page.request.post(url + "/api/auth/login", data={"email": "bench@example.com", "password": "bench password"})
                assert login.ok, await login.text()
                await page.goto(f"{url}/projects/{project['id']}/data")
                await page.wait_for_timeout(1000)
                rss_base = chromium_rss_mb(marker)
                opens = []
                for _ in range(args.opens):
                    await page.goto(f"{url}/projects/{project['id']}/label?task={task_id}")
                    for _ in range(600):  # (the app's CSP forbids wait_for_function's string evaluation)
                        if await page.evaluate("() => performance.getEntriesByName('timeseries:drawn').length > 0"):
                            break
                        await page.wait_for_timeout(20)
                    await page.evaluate(NEXT_FRAME)
                    opens.append(await page.evaluate("""() => ({
                      ...Object.fromEntries(['timeseries:mount', 'timeseries:fetched', 'timeseries:loaded', 'timeseries:drawn']
                        .map((n) => [n, performance.getEntriesByName(n).slice(-1)[0]?.startTime ?? null])),
                      parse: performance.getEntriesByName('timeseries:worker-parse').slice(-1)[0]?.duration ?? null,
                      pyramids: performance.getEntriesByName('timeseries:worker-pyramids').slice(-1)[0]?.duration ?? null,
                      longest: window.__longest })"""))
                metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
                heap_open = metrics.get("JSHeapUsedSize", 0) / 1e6
                rss_open = chromium_rss_mb(marker)
                # zoom in to a tenth first, so panning has room
                await page.evaluate("""() => { const o = document.querySelector('.ts-chart .u-over'); const r = o.getBoundingClientRect();
                  for (let i = 0; i < 12; i++) o.dispatchEvent(new WheelEvent('wheel', {bubbles: true, cancelable: true, ctrlKey: true, clientX: r.left + r.width / 2, clientY: r.top + 20, deltaY: -100})); }""")
                await page.evaluate(NEXT_FRAME)
                pan = await page.evaluate(DRIVE, ["pan", args.seconds])
                zoom = await page.evaluate(DRIVE, ["zoom", args.seconds])
                idle = await page.evaluate(DRIVE, ["idle", 1])
                metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
                heap_after = metrics.get("JSHeapUsedSize", 0) / 1e6
                os.makedirs("build", exist_ok=True)
                await page.screenshot(path="build/ui-timeseries-bench.png")
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
            files_server.shutdown()

    drawn = [o["timeseries:drawn"] for o in opens if o.get("timeseries:drawn")]
    print(f"open labeling page ({args.channels} x {args.points:,} points, CSV by URL): navigation start -> every plot drawn "
          f"median {statistics.median(drawn):.0f} ms, runs {', '.join(f'{x:.0f}' for x in drawn)}")
    for o in opens:
        print(f"  marks: mount {o['timeseries:mount']:.0f} ms, fetched {o['timeseries:fetched']:.0f} ms, parsed (worker: parse {o['parse']:.0f} ms, "
              f"pyramids {o['pyramids']:.0f} ms) {o['timeseries:loaded']:.0f} ms, drawn {o['timeseries:drawn']:.0f} ms; "
              f"longest main-thread task {o['longest']:.0f} ms")
    for name, m in (("idle (no input, reference)", idle), ("pan", pan), ("zoom", zoom)):
        print(f"{name}: {m['fps']:.1f} fps over {m['frames']} frames; frame median {m['medianFrame']:.1f} ms, p95 {m['p95Frame']:.1f} ms, "
              f"max {m['maxFrame']:.1f} ms; widget paint mean {m['paintMean']:.2f} ms (decimation {m['decimateMean']:.2f} ms), "
              f"max {m['paintMax']:.2f} ms ({m['paints']} paints)")
    print(f"memory: JS heap {heap_open:.0f} MB after opening, {heap_after:.0f} MB after pan/zoom; Chromium processes RSS {rss_open:.0f} MB "
          f"({rss_open - rss_base:+.0f} MB over the data manager page before opening: {rss_base:.0f} MB)")
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps({"open_ms": statistics.median(drawn), "pan_fps": pan["fps"], "zoom_fps": zoom["fps"],
                      "paint_max_ms": max(pan["paintMax"], zoom["paintMax"]), "heap_mb": heap_after, "rss_mb": rss_open, "rss_over_base_mb": rss_open - rss_base}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=5)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--opens", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
