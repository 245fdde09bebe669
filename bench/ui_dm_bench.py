"""Data-manager UI benchmark (issue 7, part 5; figures only): SQLite, N tasks, headless Chromium.

    .venv/bin/python bench/ui_dm_bench.py --tasks 1000000

Builds a project of N tasks on a fresh SQLite file (one INSERT ... SELECT over a recursive CTE:
tasks go in behind the importer's back, so the stored project counters are set afterwards, as
bench/dm_bench.py does), serves the app, opens /projects/<id>/data in headless Chromium and
prints:

- time to first rows (navigation start -> first task row in the DOM, from the page's clock);
- scroll frame times while wheel-scrolling (requestAnimationFrame deltas: median, p95, max,
  frames over 25 ms), the DOM row count, and how many rows were still placeholders at the end;
- jump latency: scrollTop set to a random depth -> that viewport's rows loaded (median, max).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from playwright.async_api import async_playwright

from labelloom.core.app import create_app
from labelloom.core.db.engine import make_engine
from labelloom.core.db.migrate import upgrade
from labelloom.core.settings import Settings
from labelloom.core.testing import LiveServer

CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def generate(db_path: Path, project_id: int, tasks: int) -> None:
    """N tasks in one statement; created_at copied from a task the API made (its stored form)."""
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    stamp = con.execute("SELECT created_at FROM tasks WHERE project_id = ? LIMIT 1", (project_id,)).fetchone()[0]
    con.execute("BEGIN")
    con.execute("DELETE FROM tasks WHERE project_id = ?", (project_id,))
    words = "apple banana cherry damson elder fig grape hazel".split()
    case = "CASE x % 8 " + " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(words)) + " END"
    con.execute(f"""
        WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ?)
        INSERT INTO tasks (project_id, inner_id, data, overlap, is_labeled, total_annotations, cancelled_annotations,
                           total_predictions, created_at, updated_at)
        SELECT ?, x, json_object('text', {case} || ' ' || x, 'rank', (x * 7919) % 100000), 1, 0, 0, 0, 0, ?, ?
        FROM g""", (tasks, project_id, stamp, stamp))
    con.execute("UPDATE project_counters SET task_number = ? WHERE project_id = ?", (tasks, project_id))
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"


FRAME_RECORDER = """() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
  window.__stop = false;
  requestAnimationFrame(tick);
}"""


async def measure(url: str, email: str, password: str, project_id: int, wheel_events: int, jumps: int) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        page = await context.new_page()
        response = await page.request.post(f"{url}/api/auth/login", data={"email": email, "password": password})
        assert response.ok, await response.text()
        # Warm the module cache once (a returning user's browser has it), then measure a cold page load.
        await page.goto(f"{url}/projects/{project_id}/data")
        await page.wait_for_selector(".dm-row[data-task]")
        first_rows = []
        for _ in range(3):
            await page.goto(f"{url}/projects/{project_id}/data")
            await page.wait_for_selector(".dm-row[data-task]")
            first_rows.append(await page.evaluate("performance.now()"))
        print(f"time to first rows (navigation start -> rows in the DOM): {summary(first_rows)} over 3 loads")
        footer = await page.locator(".dm-footer").inner_text()
        print(f"footer: {' · '.join(footer.split(chr(10)))}")

        scroller = page.locator(".dm-scroller")
        box = await scroller.bounding_box()
        await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        # The same recorder with nothing happening: on a shared, loaded machine frames are late anyway.
        await page.evaluate(FRAME_RECORDER)
        await page.wait_for_timeout(2000)
        idle = await page.evaluate("window.__stop = true, window.__frames.slice(1)")
        print(f"idle page (baseline, no scrolling): {len(idle)} frames: {summary(idle)}, "
              f"frames over 25 ms: {sum(1 for f in idle if f > 25)}")
        await page.evaluate(FRAME_RECORDER)
        await page.evaluate("window.__dmRenderTimes = []")
        start = time.perf_counter()
        for _ in range(wheel_events):
            await page.mouse.wheel(0, 240)
            await page.wait_for_timeout(16)
        elapsed = time.perf_counter() - start
        await page.wait_for_timeout(300)
        frames = await page.evaluate("window.__stop = true, window.__frames.slice(1)")
        render_ms = await page.evaluate("window.__dmRenderTimes || []")
        if render_ms:
            print(f"table render work per scroll frame (rows re-rendered): {summary(render_ms)} over {len(render_ms)} renders")
        dom_rows = await page.locator(".dm-row").count()
        placeholders = await page.locator(".dm-row.loading").count()
        top = await scroller.evaluate("el => el.scrollTop")
        print(f"wheel scroll: {wheel_events} events of 240 px in {elapsed:.1f} s, scrolled to {top:,.0f} px; "
              f"{len(frames)} frames: {summary(frames)}, frames over 25 ms: {sum(1 for f in frames if f > 25)} "
              f"({100 * sum(1 for f in frames if f > 25) / max(1, len(frames)):.1f} %)")
        print(f"rows in the DOM: {dom_rows} (placeholders still loading at the end: {placeholders})")

        latencies = []
        rng = random.Random(7)
        for _ in range(jumps):
            depth = rng.random()
            started = await scroller.evaluate(
                "(el, d) => { el.scrollTop = (el.scrollHeight - el.clientHeight) * d; return performance.now(); }", depth)
            await page.wait_for_function("() => document.querySelectorAll('.dm-row.loading').length === 0 && "
                                         "document.querySelectorAll('.dm-row[data-task]').length > 0", timeout=30_000)
            latencies.append(await page.evaluate("performance.now()") - started)
        print(f"jump to a random depth -> rows loaded: {summary(latencies)} over {jumps} jumps")
        heap = await page.evaluate("performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0")
        print(f"JS heap after the run: {heap:.1f} MB")
        await browser.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--wheel", type=int, default=150)
    parser.add_argument("--jumps", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ui-dm-bench-"))
    db_path = folder / "bench.sqlite3"
    url = f"sqlite+aiosqlite:///{db_path}"
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    settings = Settings(data_dir=str(folder), database_url=url, secret_key="bench-secret-key-of-a-reasonable-length")
    with LiveServer(create_app(settings)) as server:
        admin = server.sign_up_admin("bench@example.com", "bench password 1")
        with httpx.Client(base_url=server.url, headers=admin.headers) as http:
            project = http.post("/api/projects/", json={"title": "UI bench", "label_config": CONFIG}).json()["id"]
            http.post(f"/api/projects/{project}/import", content=json.dumps([{"text": "seed"}]),
                      headers={"Content-Type": "application/json"}).raise_for_status()
        start = time.perf_counter()
        await asyncio.to_thread(generate, db_path, project, args.tasks)
        print(f"generated {args.tasks:,} tasks on SQLite in {time.perf_counter() - start:.1f} s")
        with httpx.Client(base_url=server.url, headers=admin.headers, timeout=60) as http:
            for label, page_number in (("first", 1), ("middle", args.tasks // 200), ("last", args.tasks // 100)):
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    http.get("/api/tasks/", params={"project": project, "page": page_number, "page_size": 100}).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                print(f"API page of 100 ({label}, page {page_number}): {summary(times)}")
        await measure(server.url, admin.email, admin.password, project, args.wheel, args.jumps)


if __name__ == "__main__":
    asyncio.run(main())
