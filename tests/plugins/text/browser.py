"""Browser helpers of the text e2e tests (tests/e2e/test_text_*.py): mounting the labeling runtime in
preview mode on an app page, reading its results, and selecting text with the mouse."""

from __future__ import annotations

from typing import Any

MOUNT = """
async ([config, data]) => {
  const { api } = await import("/static/core/app/api.js");
  const { mountLabeling } = await import("/static/core/labeling/runtime.js");
  document.body.replaceChildren();
  const el = document.createElement("main");
  el.id = "harness";
  el.style.padding = "16px";
  document.body.append(el);
  window.__ll = await mountLabeling(el, { api, mode: "preview", labelConfig: config, task: { data } });
  return true;
}
"""


async def mount_preview(page: Any, base_url: str, config: str, data: dict[str, Any]) -> None:
    """Open an app page (for the import map and session) and mount the runtime on it."""
    await page.goto(base_url + "/projects")
    # Let the app finish rendering its page before the harness replaces the document's body.
    await page.wait_for_function("() => document.querySelector('#app')?.getAttribute('aria-busy') === 'false'")
    await page.evaluate(MOUNT, [config, data])


async def results(page: Any) -> list[dict[str, Any]]:
    return await page.evaluate("() => window.__ll.store.toResults()")


async def select_text(page: Any, locator: Any, start: int, end: int) -> None:
    """Drag the mouse over characters [start, end) (UTF-16 units) of the element's text."""
    boxes = await locator.evaluate(
        """(el, [start, end]) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
            acceptNode: (n) => n.parentElement.closest('.tx-tag, .pg-name') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
          const nodes = []; let n; while ((n = walker.nextNode())) nodes.push(n);
          const at = (pos, isEnd) => { let p = 0; for (const t of nodes) { const len = t.data.length;
            if (pos < p + len || (isEnd && pos === p + len)) return [t, pos - p]; p += len; } return null; };
          const rect = (node, off, isEnd) => { const r = document.createRange();
            if (isEnd) { r.setStart(node, off - 1); r.setEnd(node, off); } else { r.setStart(node, off); r.setEnd(node, off + 1); }
            const b = r.getClientRects()[0]; return isEnd ? [b.right - 1, b.top + b.height / 2] : [b.left + 1, b.top + b.height / 2]; };
          const [sn, so] = at(start, false); const [en, eo] = at(end, true);
          return [rect(sn, so, false), rect(en, eo, true)];
        }""",
        [start, end],
    )
    (x1, y1), (x2, y2) = boxes
    await page.mouse.move(x1, y1)
    await page.mouse.down()
    await page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=3)
    await page.mouse.move(x2, y2, steps=3)
    await page.mouse.up()
