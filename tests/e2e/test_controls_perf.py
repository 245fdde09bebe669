"""How the controls widgets behave with big configs, measured in Chromium (Performance API).
Figures are printed (run with -s); the bounds asserted are loose, so a busy machine does not fail
them, but a widget that re-renders everything per keystroke would."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import expect

from .test_controls_widgets import MOUNT


def big_taxonomy(width: int = 22, depth: int = 3) -> str:
    """width + width^2 + width^3 nodes (10,670 for 22)."""

    def level(prefix: str, d: int) -> str:
        if d == depth:
            return ""
        return "".join(f'<Choice value="{prefix}{i}">{level(f"{prefix}{i}.", d + 1)}</Choice>' for i in range(width))

    return f'<View><Text name="t" value="$text"/><Taxonomy name="tx" toName="t">{level("N", 0)}</Taxonomy></View>'


async def test_big_taxonomy_and_choices_stay_fast(signed_in: Any, server: Any, page: Any) -> None:
    await page.goto(server.url + "/projects")
    config = big_taxonomy()
    start = await page.evaluate("performance.now()")
    await page.evaluate(MOUNT, [config, {"text": "x"}, "light"])
    mounted = await page.evaluate("performance.now()") - start
    tree_ms = await page.evaluate(
        "() => Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/labeling/tree')).map((e) => e.duration))"
    )

    timings = await page.evaluate("""async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t0 = performance.now();
      document.querySelector(".llc-tx-toggle").click();
      await frame();
      const open = performance.now() - t0;
      const search = document.querySelector(".llc-tx-search");
      const t1 = performance.now();
      search.value = "N7.3.1";
      search.dispatchEvent(new Event("input"));
      await frame();
      const searched = performance.now() - t1;
      const items = document.querySelectorAll("[role=treeitem]").length;
      const t2 = performance.now();
      document.querySelector('[role=treeitem][data-key=\\'["N7","N7.3","N7.3.1"]\\'] label').click();
      await frame();
      const chose = performance.now() - t2;
      return { open, searched, items, chose };
    }""")
    print("\ntaxonomy 10,670 nodes:", json.dumps({"mount_ms": round(mounted), "of_which_server_tree_ms": round(tree_ms), **{k: round(v, 1) for k, v in timings.items()}}))
    assert timings["items"] < 40  # only matches and their ancestors are drawn
    assert timings["open"] < 1000 and timings["searched"] < 1000 and timings["chose"] < 1000
    value = (await page.evaluate("() => window.__ll.store.toResults()"))[0]["value"]
    assert value == {"taxonomy": [["N7", "N7.3", "N7.3.1"]]}

    choices = "".join(f'<Choice value="Option {i}"/>' for i in range(300))
    await page.evaluate(MOUNT, [f'<View><Text name="t" value="$text"/><Choices name="c" toName="t" choice="multiple">{choices}</Choices></View>', {"text": "x"}, "light"])
    await expect(page.get_by_role("checkbox", name="Option 299", exact=True)).to_be_visible()
    toggle = await page.evaluate("""async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const box = [...document.querySelectorAll(".llc-check input")][150];
      const t0 = performance.now();
      box.click();
      await frame();
      return performance.now() - t0;
    }""")
    print("choices 300 options: toggle_ms", round(toggle, 1))
    assert toggle < 500


async def test_every_gallery_template_renders_the_controls_widgets(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    """The 45 templates of the gallery (every plugin's) in preview with their sample tasks: none of
    the controls plugin's widgets fails on them."""
    await page.goto(server.url + "/projects")
    templates = await page.evaluate("() => fetch('/api/templates').then((r) => r.json())")
    assert len(templates["templates"]) >= 40
    failures = []
    for template in templates["templates"]:
        # POST /api/labeling/tree's sample_task is the task data itself.
        sample = await page.evaluate(
            """async (config) => {
              const { api } = await import('/static/core/app/api.js');
              return (await api.post('/api/labeling/tree', { label_config: config })).sample_task;
            }""",
            template["config"],
        )
        await page.evaluate(MOUNT, [template["config"], sample or {}, "light"])
        boxes = await page.locator(".ll-widget-error").all_inner_texts()
        mine = [box for box in boxes if "controls" in box]
        if mine:
            failures.append((template["title"], mine))
        if template["title"] in ("Search Page Ranking", "Tabular Data", "Taxonomy", "Pairwise Classification"):
            await shot(page, "controls-template-" + template["title"].lower().replace(" ", "-"))
    assert failures == []
