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
import { Highlighter, paintRegions, spanMouse } from "./highlight.js";
import { ensureTextStyles, pendingSelection, loadText, savesText, statusLine } from "./common.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */

/** @type {import("@labelloom/sdk").WidgetRender} */
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

  const offPaint = paintRegions({
    ctx, name, paint, body, keys: ["start", "startOffset", "end", "endOffset", "globalOffsets"],
    rangesOf: (value) => {
      const range = rangeOf(value);
      return range ? [range] : [];
    },
  });

  const waiting = pendingSelection(ctx, name, body, () => status.hide());
  const offMouse = spanMouse({
    ctx, name, body, within: content, paint, status, selectable, waiting,
    valueOf(range) {
      const croot = /** @type {any} */ (content);
      const a = toTextBoundary(croot, /** @type {any} */ (range.startContainer), range.startOffset, false);
      const b = toTextBoundary(croot, /** @type {any} */ (range.endContainer), range.endOffset, true);
      const trimmed = a && b ? trimBoundaries(croot, a, b) : null;
      const value = trimmed ? htmlSpanValue(croot, trimmed.start, trimmed.end) : null;
      if (!value) return null;
      /** @type {Record<string, any>} */
      const payload = { start: value.start, startOffset: value.startOffset, end: value.end, endOffset: value.endOffset, globalOffsets: value.globalOffsets };
      if (keepText) payload.text = value.text;
      return payload;
    },
  });
  return () => {
    offMouse();
    waiting.off();
    offPaint();
    paint.destroy();
    root.remove();
  };
}
