#!/usr/bin/env python3
"""Text widget benchmark in Chromium (P1): prints figures, asserts nothing.

Starts `labelloom start` on a fresh SQLite database, signs in, mounts the labeling runtime
(preview mode) with a Text object holding a ~100 KB text, and measures with the Performance API:
  - open: re-rendering the interface for that task with 2,000 spans already in the store
    (handle.update: config tree request + widget render + layout), until the next frame;
  - load: replacing the store's content with 2,000 spans while the text is shown;
  - create: a span made by a real mouse drag, from the pointerup to the next frame after the
    region is drawn (median and max of --drags drags), and store.createRegion alone
    (JS only, median of 50);
  - relabel / delete: one span, until the next frame.

Usage: .venv/bin/python bench/ui_text_bench.py [--kb 100] [--spans 2000] [--drags 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile

from api_bench import start
from playwright.async_api import async_playwright

CONFIG = """<View>
  <Labels name="ner" toName="txt">
    <Label value="PER" hotkey="1"/><Label value="ORG" hotkey="2"/><Label value="LOC" hotkey="3"/><Label value="MISC" hotkey="4"/>
  </Labels>
  <Text name="txt" value="$text"/>
</View>"""
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike Zoë São 😀".split()
LABELS = ["PER", "ORG", "LOC", "MISC"]

MOUNT = """
async ([config, data]) => {
  const { api } = await import("/static/core/app/api.js");
  const { mountLabeling } = await import("/static/core/labeling/runtime.js");
  document.body.replaceChildren();
  const el = document.createElement("main");
  el.style.padding = "16px";
  document.body.append(el);
  window.__ll = await mountLabeling(el, { api, mode: "preview", labelConfig: config, task: { data } });
}
"""

NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))"


def make_text(kb: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    line = 0
    while size < kb * 1000:
        word = rng.choice(WORDS)
        parts.append(word)
        size += len(word.encode()) + 1
        line += 1
        parts.append("\n" if line % 14 == 0 else " ")
    return "".join(parts)


def make_spans(text: str, count: int, rng: random.Random) -> list[dict]:
    cps = list(text)  # code points
    words = []
    pos = 0
    for token in text.replace("\n", " ").split(" "):
        n = len(token)
        if n:
            words.append((pos, pos + n))
        pos += n + 1
    chosen = sorted(rng.sample(range(len(words)), count))
    out = []
    for i, w in enumerate(chosen):
        start, end = words[w]
        if i % 10 == 0 and w + 2 < len(words):
            end = words[w + 2][1]  # some multi-word spans that overlap others
        out.append({
            "id": f"s{i}", "from_name": "ner", "to_name": "txt", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": "".join(cps[start:end]), "labels": [LABELS[i % 4]]},
        })
    return out


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(5)
    text = make_text(args.kb, rng)
    spans = make_spans(text, args.spans, rng)
    print(f"text: {len(text.encode()) / 1000:.0f} KB, {text.count(chr(10)) + 1} lines, {len(spans)} spans")
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(None, data_dir)  # with the bench administrator
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                await page.request.post(url + "/api/auth/login", data={"email": "bench@example.com", "password": "bench password"})
                await page.goto(url + "/projects")
                await page.evaluate(MOUNT, [CONFIG, {"text": text}])
                await page.wait_for_selector(".tx-body")

                # load 2,000 spans into the shown text
                load_ms = await page.evaluate("""async (spans) => {
                  const t0 = performance.now();
                  window.__ll.store.load(spans);
                  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                  return performance.now() - t0; }""", spans)
                drawn = await page.locator(".tx-tag").count()

                # open: re-render the whole interface for the task with the spans in the store
                open_runs = []
                for _ in range(3):
                    open_runs.append(await page.evaluate("""async (text) => {
                      const t0 = performance.now();
                      await window.__ll.update({ task: { data: { text } } });
                      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                      return performance.now() - t0; }""", text))

                # create by mouse drag: pointerup -> next frame after the region is drawn
                await page.keyboard.press("1")
                await page.evaluate("""() => {
                  window.__drag = [];
                  window.addEventListener('pointerup', () => {
                    const t0 = performance.now();
                    const before = window.__ll.store.regions().length;
                    requestAnimationFrame(() => setTimeout(() => {
                      window.__drag.push({ ms: performance.now() - t0, created: window.__ll.store.regions().length - before });
                    }, 0));
                  }, { capture: true });
                }""")
                segs = page.locator(".tx-seg:not(.tx-span)")
                total = await segs.count()
                for i in range(args.drags):
                    seg = segs.nth(int(total * (i + 0.5) / args.drags))
                    await seg.scroll_into_view_if_needed()
                    box = await seg.bounding_box()
                    if not box or box["width"] < 30:
                        continue
                    y = box["y"] + box["height"] / 2
                    await page.mouse.move(box["x"] + 2, y)
                    await page.mouse.down()
                    await page.mouse.move(box["x"] + box["width"] / 2, y, steps=2)
                    await page.mouse.move(box["x"] + box["width"] - 2, y, steps=2)
                    await page.mouse.up()
                    await page.evaluate(NEXT_FRAME)
                    await page.evaluate(NEXT_FRAME)
                drags = await page.evaluate("() => window.__drag")
                made = [d["ms"] for d in drags if d["created"] > 0]

                js_only = await page.evaluate("""() => {
                  const s = window.__ll.store; const out = [];
                  for (let i = 0; i < 50; i++) {
                    const t0 = performance.now();
                    const id = s.createRegion({ from_name: 'ner', to_name: 'txt', type: 'labels', value: { start: 10 + i, end: 14 + i, text: 'x', labels: ['ORG'] } });
                    out.push(performance.now() - t0);
                    s.deleteRegion(id);
                  }
                  out.sort((a, b) => a - b); return out[25]; }""")
                edit = await page.evaluate("""async () => {
                  const s = window.__ll.store; const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                  let t0 = performance.now(); s.setRegionLabels('s5', 'ner', 'labels', ['LOC']); await frame();
                  const relabel = performance.now() - t0;
                  t0 = performance.now(); s.deleteRegion('s6'); await frame();
                  return { relabel, remove: performance.now() - t0 }; }""")
                measures = await page.evaluate("""() => Object.fromEntries(['text:render', 'text:sync', 'text:create'].map((n) => {
                  const e = performance.getEntriesByName(n).map((x) => x.duration).sort((a, b) => a - b);
                  return [n, e.length ? { n: e.length, median: e[e.length >> 1], max: e[e.length - 1] } : null]; }))""")
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"spans drawn with a label chip: {drawn}")
    print(f"open (tree request + render + layout, 2,000 spans): median {statistics.median(open_runs):.0f} ms, runs {', '.join(f'{x:.0f}' for x in open_runs)}")
    print(f"load 2,000 spans into the shown text: {load_ms:.0f} ms")
    if made:
        print(f"create span by mouse drag (pointerup -> next frame): median {statistics.median(made):.1f} ms, max {max(made):.1f} ms over {len(made)} drags")
    else:
        print("create span by mouse drag: no region created (check the label hotkey)")
    print(f"store.createRegion + widget redraw (JS only): median {js_only:.2f} ms")
    print(f"relabel one span: {edit['relabel']:.1f} ms; delete one span: {edit['remove']:.1f} ms (to next frame)")
    for name, m in measures.items():
        if m:
            print(f"  widget's own time, {name}: median {m['median']:.1f} ms, max {m['max']:.1f} ms ({m['n']} calls)")
    print(json.dumps({"open_ms": statistics.median(open_runs), "load_ms": load_ms, "create_ms": statistics.median(made) if made else None}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=100)
    parser.add_argument("--spans", type=int, default=2000)
    parser.add_argument("--drags", type=int, default=15)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
