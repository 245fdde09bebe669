// @ts-check
/**
 * The HyperText object: task HTML, sanitised (../lib/sanitize.js), labelled by selecting text.
 * A selection becomes Label Studio's value: XPaths of the start and end text nodes relative to
 * the content root, offsets inside them, `globalOffsets` and the text (../lib/xpath.js). Spans
 * are painted with the Custom Highlight API, so the DOM keeps the task's structure and stored
 * XPaths stay valid.
 */
import { sanitizeHtml } from "../lib/sanitize.js";
import { htmlSpanValue, nodeAt, textIndex, toTextBoundary, trimBoundaries } from "../lib/xpath.js";
import { Highlighter, caretAt } from "./highlight.js";
import { createSpan, ensureTextStyles, pendingSelection, loadText, regionColor, regionLabels, savesText, statusLine } from "./common.js";

/** @typedef {import("../../../../web/static/labeling/types.js").WidgetContext} WidgetContext */

/** @type {import("../../../../web/static/labeling/types.js").WidgetRender} */
export default async function render({ el, model, ctx }) {
  await ensureTextStyles();
  const name = String(model.attrs?.name || "");
  const selectable = model.attrs?.selectionEnabled !== false && !ctx.readOnly;
  const keepText = savesText(model);

  const root = document.createElement("div");
  root.className = "tx";
  const body = document.createElement("div");
  body.className = "tx-body ht-body";
  if (!selectable) body.classList.add("tx-readonly");
  body.setAttribute("role", "document");
  body.setAttribute("aria-label", `Web page ${name}`);
  body.tabIndex = 0;
  body.dataset.object = name;
  const content = document.createElement("div");
  content.className = "ht-content";
  content.innerHTML = sanitizeHtml(await loadText(model, ctx));
  body.append(content);
  root.append(body);
  el.append(root);
  const status = statusLine(root);
  const index = textIndex(content).filter((e) => !e.isBreak);

  // Links open in a new tab only when clickableLinks is set; otherwise a click is a selection.
  if (!model.attrs?.clickableLinks) {
    content.addEventListener("click", (event) => {
      if (/** @type {HTMLElement} */ (event.target).closest("a")) event.preventDefault();
    });
  }

  const paint = new Highlighter(body);
  paint.showLabels = ctx.settings?.showLabels !== false;

  /**
   * A stored value as a DOM Range: by XPath + offsets, else by globalOffsets.
   * @param {Record<string, any>} v
   * @returns {Range|null}
   */
  function rangeOf(v) {
    try {
      const a = v.start ? nodeAt(content, v.start) : null;
      const b = v.end ? nodeAt(content, v.end) : null;
      if (a && b && a.nodeType === Node.TEXT_NODE && b.nodeType === Node.TEXT_NODE) {
        const range = document.createRange();
        range.setStart(/** @type {Node} */ (/** @type {unknown} */ (a)), Math.min(Number(v.startOffset) || 0, (a.nodeValue || "").length));
        range.setEnd(/** @type {Node} */ (/** @type {unknown} */ (b)), Math.min(Number(v.endOffset) || 0, (b.nodeValue || "").length));
        if (!range.collapsed) return range;
      }
    } catch {
      // fall through to global offsets
    }
    const g = v.globalOffsets;
    if (!g || typeof g.start !== "number" || typeof g.end !== "number") return null;
    const at = (/** @type {number} */ offset) => {
      for (const e of index) {
        if (offset <= e.start + e.length) {
          const chars = [...(e.node.nodeValue || "")].slice(0, offset - e.start).join("");
          return { node: /** @type {Node} */ (/** @type {unknown} */ (e.node)), offset: chars.length };
        }
      }
      return null;
    };
    const s = at(g.start);
    const e = at(g.end);
    if (!s || !e) return null;
    const range = document.createRange();
    range.setStart(s.node, s.offset);
    range.setEnd(e.node, e.offset);
    return range.collapsed ? null : range;
  }

  /** @type {Map<string, string>} id -> signature of what is painted */
  let painted = new Map();
  function sync() {
    /** @type {Map<string, string>} */
    const next = new Map();
    for (const region of ctx.store.regions(name)) {
      if (region.hidden) continue;
      const color = regionColor(ctx, region);
      const labels = regionLabels(region).join(", ");
      const sig = JSON.stringify([region.value.start, region.value.startOffset, region.value.end, region.value.endOffset, region.value.globalOffsets, color, labels]);
      next.set(region.id, sig);
      if (painted.get(region.id) === sig) continue;
      const range = rangeOf(region.value);
      paint.set(region.id, range ? { ranges: [range], color, labels } : null);
    }
    for (const id of painted.keys()) if (!next.has(id)) paint.set(id, null);
    painted = next;
    paint.select(ctx.store.selectedId && next.has(ctx.store.selectedId) ? ctx.store.selectedId : null);
    paint.placeTags();
  }
  sync();
  const unsubscribe = ctx.store.subscribe((change) => {
    if (change.kind === "arm") return;
    if (change.kind === "select") paint.select(ctx.store.selectedId && painted.has(ctx.store.selectedId) ? ctx.store.selectedId : null);
    else sync();
  });
  const resize = new ResizeObserver(() => paint.placeTags());
  resize.observe(body);

  let justCreated = false;
  function onPointerUp() {
    if (!selectable) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!content.contains(range.startContainer) || !content.contains(range.endContainer)) return;
    const croot = /** @type {any} */ (content);
    const a = toTextBoundary(croot, /** @type {any} */ (range.startContainer), range.startOffset, false);
    const b = toTextBoundary(croot, /** @type {any} */ (range.endContainer), range.endOffset, true);
    if (!a || !b) return;
    const trimmed = trimBoundaries(croot, a, b);
    if (!trimmed) return;
    const value = htmlSpanValue(croot, trimmed.start, trimmed.end);
    if (!value) return;
    /** @type {Record<string, any>} */
    const payload = { start: value.start, startOffset: value.startOffset, end: value.end, endOffset: value.endOffset, globalOffsets: value.globalOffsets };
    if (keepText) payload.text = value.text;
    const { id, reason } = createSpan(ctx, name, payload);
    waiting.set(id ? null : payload);
    if (id) {
      // the click that ends this drag (if the browser sends one) must not change the selection
      justCreated = true;
      setTimeout(() => (justCreated = false));
      selection.removeAllRanges();
      status.hide();
    } else if (reason) status.show(reason);
  }

  /** @param {MouseEvent} event */
  function onClick(event) {
    if (justCreated) {
      justCreated = false;
      return;
    }
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const chip = /** @type {HTMLElement} */ (event.target).closest(".tx-tag");
    if (chip) {
      ctx.store.select(/** @type {HTMLElement} */ (chip).dataset.id || null);
      return;
    }
    const caret = caretAt(event);
    const hits = caret && content.contains(caret.node) ? paint.regionsAt(caret.node, caret.offset) : [];
    if (!hits.length) {
      if (paint.selected) ctx.store.select(null);
      return;
    }
    const current = paint.selected ? hits.indexOf(paint.selected) : -1;
    ctx.store.select(hits[(current + 1) % hits.length]);
  }

  const waiting = pendingSelection(ctx, name, body, () => status.hide());
  body.addEventListener("pointerup", onPointerUp);
  body.addEventListener("click", onClick);
  return () => {
    waiting.off();
    unsubscribe();
    resize.disconnect();
    paint.destroy();
    root.remove();
  };
}
