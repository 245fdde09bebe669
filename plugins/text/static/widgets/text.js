// @ts-check
/**
 * The Text object: plain text with labelled spans (NER).
 *
 * - Select text with the mouse; the labels armed for this object (label chip or its hotkey)
 *   become a region `{start, end, text, labels}` with Label Studio's code-point offsets.
 *   `granularity="word"` snaps to whole words; whitespace at the edges is dropped.
 * - Spans are drawn in place: a tint of the label colour plus an underline band per span at its
 *   own stacking level, so overlapping spans all stay visible; label names are shown at the
 *   start of each span (setting "Show region labels"). Click a span to select it; clicking the
 *   same place again cycles through the spans overlapping there.
 * - Rendering is incremental (P1): the text is cut into chunks once and a store change re-renders
 *   only the chunks of the spans that changed (see ../lib/layout.js).
 */
import { CodePoints, snapSelection, spanValue } from "../lib/offsets.js";
import { assignLevels, chunkText, chunksOf, segmentsOf } from "../lib/layout.js";
import { escapeHtml, readableTextColor } from "@labelloom/sdk";
import { createSpan, ensureTextStyles, pendingSelection, loadText, regionColor, regionLabels, savesText, spanColors, statusLine } from "./common.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {{id: string, start: number, end: number, color: string, labels: string, hidden: boolean}} SpanRecord */

const BAND = 3; // px per stacking level

/** @type {import("@labelloom/sdk").WidgetRender} */
export default async function render({ el, model, ctx }) {
  await ensureTextStyles();
  const name = String(model.attrs?.name || "");
  const text = await loadText(model, ctx);
  const cps = new CodePoints(text);
  const chunks = chunkText(text);
  const granularity = String(model.attrs?.granularity || "symbol");
  const selectable = model.attrs?.selectionEnabled !== false && !ctx.readOnly;
  const keepText = savesText(model);

  const root = document.createElement("div");
  root.className = "tx";
  const body = document.createElement("div");
  body.className = "tx-body";
  if (ctx.settings?.showLineNumbers) body.classList.add("tx-numbered");
  if (!selectable) body.classList.add("tx-readonly");
  body.setAttribute("role", "document");
  body.setAttribute("aria-label", `Text ${name}`);
  body.tabIndex = 0;
  body.dataset.object = name;
  root.append(body);
  el.append(root);
  const status = statusLine(root);

  // --- span state ---------------------------------------------------------------------------------
  /** @type {Map<string, SpanRecord>} */
  let spans = new Map();
  /** @type {Map<string, number>} */
  let levels = new Map();
  /** chunk index -> ids of spans touching it @type {Map<number, Set<string>>} */
  const buckets = new Map();
  /** @type {string|null} */
  let selected = null;
  /** Records keyed by the region's main item: unchanged items (most of them) are not re-read. */
  let recordCache = new WeakMap();
  /** @type {Map<string, string>} colour of (control, label) */
  const colorCache = new Map();

  /** @param {import("@labelloom/sdk").Region} region @returns {SpanRecord|null} */
  function recordOf(region) {
    const main = region.items[0];
    const single = region.items.length === 1;
    if (single) {
      const cached = recordCache.get(main);
      if (cached && cached.hidden === region.hidden) return cached;
    }
    const v = region.value;
    if (typeof v?.start !== "number" || typeof v?.end !== "number") return null;
    const start = cps.toUtf16(Math.max(0, Math.min(v.start, cps.length)));
    const end = Math.max(start, cps.toUtf16(Math.max(0, Math.min(v.end, cps.length))));
    const labels = regionLabels(region);
    const key = `${region.from_name}\u0000${labels[0] ?? ""}`;
    let color = colorCache.get(key);
    if (!color) colorCache.set(key, (color = regionColor(ctx, region)));
    const record = { id: region.id, start, end, color, labels: labels.join(", "), hidden: region.hidden };
    if (single) recordCache.set(main, record);
    return record;
  }

  function readSpans() {
    /** @type {Map<string, SpanRecord>} */
    const out = new Map();
    for (const region of ctx.store.regions(name)) {
      const record = recordOf(region);
      if (record) out.set(region.id, record);
    }
    return out;
  }

  /** @param {SpanRecord} span @param {boolean} add */
  function index(span, add) {
    for (const k of chunksOf(chunks, span.start, span.end)) {
      let set = buckets.get(k);
      if (!set) buckets.set(k, (set = new Set()));
      if (add) set.add(span.id);
      else set.delete(span.id);
    }
  }

  /** @param {number} start @param {number} end @param {string} [extra] */
  function segHtml(start, end, extra = "") {
    return `<span class="tx-seg"${extra} data-s="${start}">${escapeHtml(text.slice(start, end))}</span>`;
  }

  /** HTML of one chunk from its spans (HTML strings: the fastest way to build many nodes). @param {number} k */
  function chunkHtml(k) {
    const chunk = chunks[k];
    const ids = buckets.get(k);
    /** @type {SpanRecord[]} */
    const here = [];
    if (ids) for (const id of ids) {
      const s = spans.get(id);
      if (s && !s.hidden) here.push(s);
    }
    if (!here.length) return segHtml(chunk.start, chunk.end);
    const showLabels = ctx.settings?.showLabels !== false;
    let out = "";
    for (const seg of segmentsOf(chunk.start, chunk.end, here)) {
      if (showLabels) {
        for (const id of seg.ids) {
          const s = /** @type {SpanRecord} */ (spans.get(id));
          if (s.start === seg.start && s.labels) {
            out += `<span class="tx-tag${id === selected ? " is-selected" : ""}" contenteditable="false" data-id="${escapeHtml(id)}" style="--tag: ${escapeHtml(s.color)}; --tag-fg: ${readableTextColor(s.color)}">${escapeHtml(s.labels)}</span>`;
          }
        }
      }
      if (!seg.ids.length) {
        out += segHtml(seg.start, seg.end);
        continue;
      }
      const covering = seg.ids.map((id) => /** @type {SpanRecord} */ (spans.get(id)));
      covering.sort((a, b) => (levels.get(a.id) || 0) - (levels.get(b.id) || 0));
      const top = covering[covering.length - 1];
      const isSelected = selected !== null && seg.ids.includes(selected);
      const bands = covering.map((s) => {
        const y = (levels.get(s.id) || 0) * BAND;
        return `linear-gradient(${s.color}, ${s.color}) 0 calc(100% - ${y}px) / 100% 2px no-repeat`;
      });
      const tint = spanColors((isSelected ? /** @type {SpanRecord} */ (spans.get(/** @type {string} */ (selected))) : top).color);
      const style = `background: ${[...bands, isSelected ? tint.strong : tint.tint].join(", ")}; padding-bottom: ${((levels.get(top.id) || 0) + 1) * BAND}px`;
      out += segHtml(seg.start, seg.end, ` data-ids="${escapeHtml(seg.ids.join(" "))}" style="${escapeHtml(style)}"`).replace('class="tx-seg"', `class="tx-seg tx-span${isSelected ? " is-selected" : ""}"`);
    }
    return out;
  }

  /** @param {number} k */
  function renderChunk(k) {
    if (!decorated.has(k)) return; // drawn when it scrolls near the viewport
    chunkEls[k].innerHTML = chunkHtml(k);
  }

  /** Draw a chunk's spans the first time it comes near the viewport. @param {number} k */
  function decorate(k) {
    if (decorated.has(k)) return;
    decorated.add(k);
    if (buckets.get(k)?.size) chunkEls[k].innerHTML = chunkHtml(k);
  }

  /** Re-render the chunks touched by these spans (old and new positions). @param {Iterable<SpanRecord|undefined>} list */
  function redrawSpans(list) {
    const todo = new Set();
    for (const s of list) if (s) for (const k of chunksOf(chunks, s.start, s.end)) todo.add(k);
    for (const k of todo) renderChunk(k);
  }

  /**
   * Bring the drawing in line with the store. An edit names the regions it touched, so only
   * those are re-read; loads and undo/redo compare everything (cached records make it cheap).
   * @param {string[]|null} ids
   */
  function sync(ids) {
    const t0 = performance.now();
    /** @type {(SpanRecord|undefined)[]} */
    const dirty = [];
    /** @param {string} id @param {SpanRecord|null} next */
    const apply = (id, next) => {
      const old = spans.get(id);
      if (next && old && old.start === next.start && old.end === next.end && old.color === next.color && old.labels === next.labels && old.hidden === next.hidden) return;
      if (old) {
        index(old, false);
        spans.delete(id);
        dirty.push(old);
      }
      if (next) {
        spans.set(id, next);
        index(next, true);
        dirty.push(next);
      }
    };
    if (ids) {
      for (const id of ids) {
        const region = ctx.store.region(id);
        apply(id, region && region.to_name.split(",").map((t) => t.trim()).includes(name) ? recordOf(region) : null);
      }
    } else {
      const next = readSpans();
      for (const [id, record] of next) apply(id, record);
      for (const id of [...spans.keys()]) if (!next.has(id)) apply(id, null);
    }
    if (!dirty.length) return;
    const nextLevels = assignLevels([...spans.values()].filter((s) => !s.hidden));
    for (const [id, level] of nextLevels) if (levels.get(id) !== level) dirty.push(spans.get(id));
    levels = nextLevels;
    redrawSpans(dirty);
    // Performance API entry (bench/ui_text_bench.py reads it): the widget's share of an edit.
    performance.measure("text:sync", { start: t0, end: performance.now() });
  }

  // --- first paint -------------------------------------------------------------------------------
  // The whole text goes in as plain chunks in one HTML string; spans are drawn into a chunk when
  // it comes within a screen of the viewport (and at once for the first EAGER characters), so
  // opening costs the same with 20 or 20,000 spans.
  const t0 = performance.now();
  spans = readSpans();
  for (const s of spans.values()) index(s, true);
  levels = assignLevels([...spans.values()].filter((s) => !s.hidden));
  selected = ctx.store.selectedId && spans.has(ctx.store.selectedId) ? ctx.store.selectedId : null;
  /** chunks whose spans are drawn @type {Set<number>} */
  const decorated = new Set();
  {
    let html = "";
    let line = -1;
    chunks.forEach((chunk, k) => {
      if (chunk.line !== line) {
        if (line >= 0) html += "</div>";
        line = chunk.line;
        html += `<div class="tx-line" data-n="${line + 1}">`;
      }
      html += `<span class="tx-chunk">${segHtml(chunk.start, chunk.end)}</span>`;
    });
    if (line >= 0) html += "</div>";
    body.innerHTML = html;
  }
  /** @type {HTMLElement[]} */
  const chunkEls = /** @type {any} */ ([...body.querySelectorAll(".tx-chunk")]);
  const EAGER = 8000;
  for (let k = 0; k < chunks.length && chunks[k].start < EAGER; k++) decorate(k);
  // Lines, not chunks, are observed: a line skipped by content-visibility still has a box (its
  // remembered or intrinsic size), while the geometry of the chunks inside it is not computed.
  /** line number -> its chunk indexes @type {Map<number, number[]>} */
  const chunksOfLine = new Map();
  chunks.forEach((c, k) => {
    const list = chunksOfLine.get(c.line);
    if (list) list.push(k);
    else chunksOfLine.set(c.line, [k]);
  });
  const nearView = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const line = Number(/** @type {HTMLElement} */ (entry.target).dataset.n) - 1;
      for (const k of chunksOfLine.get(line) || []) decorate(k);
      nearView.unobserve(entry.target);
    }
  }, { rootMargin: "100% 0px" });
  for (const lineEl of body.children) {
    const line = Number(/** @type {HTMLElement} */ (lineEl).dataset.n) - 1;
    if ((chunksOfLine.get(line) || []).some((k) => !decorated.has(k))) nearView.observe(lineEl);
  }
  performance.measure("text:render", { start: t0, end: performance.now() });

  const unsubscribe = ctx.store.subscribe((change) => {
    if (change.kind === "select") {
      const before = selected;
      selected = ctx.store.selectedId && spans.has(ctx.store.selectedId) ? ctx.store.selectedId : null;
      if (before !== selected) {
        redrawSpans([before ? spans.get(before) : undefined, selected ? spans.get(selected) : undefined]);
        if (selected) scrollToSpan(selected);
      }
      return;
    }
    if (change.kind === "arm") return;
    if (change.kind === "load") recordCache = new WeakMap();
    sync((change.kind === "edit" || change.kind === "view") && change.ids ? change.ids : null);
    const now = ctx.store.selectedId && spans.has(ctx.store.selectedId) ? ctx.store.selectedId : null;
    if (now !== selected) {
      const before = selected;
      selected = now;
      redrawSpans([before ? spans.get(before) : undefined, now ? spans.get(now) : undefined]);
    }
  });

  /** @param {string} id */
  function scrollToSpan(id) {
    const s = spans.get(id);
    if (!s) return;
    const k = chunksOf(chunks, s.start, s.end)[0];
    decorate(k);
    const seg = chunkEls[k]?.querySelector(`[data-ids~="${CSS.escape(id)}"]`) || chunkEls[k];
    seg?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // --- selection -> region ------------------------------------------------------------------------
  /**
   * UTF-16 text position of a DOM boundary inside the body.
   * @param {Node} node @param {number} offset @param {boolean} isEnd
   */
  function position(node, offset, isEnd) {
    const host = node.nodeType === Node.TEXT_NODE ? node.parentElement : /** @type {Element} */ (node);
    const chip = host?.closest(".tx-tag");
    if (chip) {
      const s = spans.get(/** @type {HTMLElement} */ (chip).dataset.id || "");
      return s ? s.start : null;
    }
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = /** @type {HTMLElement|null} */ (host?.closest("[data-s]"));
      return seg ? Number(seg.dataset.s) + offset : null;
    }
    const el = /** @type {Element} */ (node);
    const child = el.childNodes[offset];
    if (child) {
      const seg = child instanceof HTMLElement && child.matches(".tx-seg") ? child : child instanceof Element ? child.querySelector(".tx-seg") : null;
      if (seg) return Number(/** @type {HTMLElement} */ (seg).dataset.s);
    }
    // boundary after the last child: the end of the last segment inside
    const segs = el.querySelectorAll(".tx-seg");
    const last = /** @type {HTMLElement|undefined} */ (segs[segs.length - 1]);
    if (last) return Number(last.dataset.s) + (last.textContent || "").length;
    return isEnd ? text.length : 0;
  }

  function onPointerUp() {
    if (!selectable) return;
    const t0 = performance.now();
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    const a = position(range.startContainer, range.startOffset, false);
    const b = position(range.endContainer, range.endOffset, true);
    if (a === null || b === null) return;
    const snapped = snapSelection(text, a, b, granularity);
    if (!snapped) return;
    const value = spanValue(cps, snapped.start, snapped.end);
    /** @type {Record<string, any>} */
    const payload = { start: value.start, end: value.end };
    if (keepText) payload.text = value.text;
    const { id, reason } = createSpan(ctx, name, payload);
    waiting.set(id ? null : payload);
    if (id) {
      performance.measure("text:create", { start: t0, end: performance.now() });
      // the click that ends this drag (if the browser sends one) must not change the selection
      justCreated = true;
      setTimeout(() => (justCreated = false));
      selection.removeAllRanges();
      status.hide();
    } else if (reason) status.show(reason);
  }

  /** @type {{pos: number, id: string}|null} */
  let lastClick = null;
  /** The click that ends a drag which created a region must not (de)select anything. */
  let justCreated = false;
  /** @param {MouseEvent} event */
  function onClick(event) {
    if (justCreated) {
      justCreated = false;
      return;
    }
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // a drag, handled on pointerup
    const target = /** @type {HTMLElement} */ (event.target);
    const chip = target.closest(".tx-tag");
    if (chip) {
      ctx.store.select(/** @type {HTMLElement} */ (chip).dataset.id || null);
      return;
    }
    const seg = /** @type {HTMLElement|null} */ (target.closest(".tx-span"));
    if (!seg) {
      if (selected) ctx.store.select(null);
      return;
    }
    const ids = (seg.dataset.ids || "").split(" ").filter(Boolean);
    // innermost first (highest level), then cycle on repeated clicks at the same place
    ids.sort((x, y) => (levels.get(y) || 0) - (levels.get(x) || 0));
    const pos = Number(seg.dataset.s);
    let pick = ids[0];
    if (lastClick && lastClick.pos === pos && ids.includes(lastClick.id) && lastClick.id === selected) {
      pick = ids[(ids.indexOf(lastClick.id) + 1) % ids.length];
    }
    lastClick = { pos, id: pick };
    ctx.store.select(pick);
  }

  const waiting = pendingSelection(ctx, name, body, () => status.hide());
  body.addEventListener("pointerup", onPointerUp);
  body.addEventListener("click", onClick);

  return () => {
    waiting.off();
    nearView.disconnect();
    unsubscribe();
    body.removeEventListener("pointerup", onPointerUp);
    body.removeEventListener("click", onClick);
    root.remove();
  };
}

/**
 * Table-cell preview for the data manager: the first 3 lines of a text value, clipped with an
 * ellipsis, as plain text (never HTML). Call it with the cell element and the task's value for
 * this object; `ctx` is optional and unused (kept for the same signature as the widget).
 * @param {{el: HTMLElement, value: any, ctx?: any}} args
 * @returns {() => void} cleanup
 */
export function preview({ el, value }) {
  ensureTextStyles();
  const full = value == null ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const snippet = full.split("\n").slice(0, 3).join("\n").slice(0, 400);
  const box = document.createElement("div");
  box.className = "tx-preview";
  box.textContent = snippet;
  box.title = full.length > 400 ? `${full.slice(0, 400)}…` : full;
  el.append(box);
  return () => box.remove();
}
