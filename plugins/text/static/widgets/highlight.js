// @ts-check
/**
 * Span painting for HyperText and Paragraphs with the CSS Custom Highlight API: regions are
 * Range objects registered in `CSS.highlights`, so the content's DOM is never changed (its
 * XPaths and offsets stay exactly those of the task's HTML) and adding a region costs one
 * Range. One highlight per label colour (+ one for the selected region); label names are chips
 * in an overlay layer placed at each region's first line box.
 */
import { readableTextColor } from "@labelloom/sdk";
import { createSpan, regionColor, regionLabels, spanColors } from "./common.js";

let counter = 0;

/** @typedef {{ranges: Range[], color: string, labels: string}} Painted */

export class Highlighter {
  /** @param {HTMLElement} container  positioned element the chips are placed in */
  constructor(container) {
    this.prefix = `llx${++counter}`;
    this.container = container;
    this.style = document.createElement("style");
    document.head.append(this.style);
    /** colour -> registered highlight name @type {Map<string, string>} */
    this.names = new Map();
    /** @type {Map<string, Painted>} */
    this.regions = new Map();
    /** @type {string|null} */
    this.selected = null;
    this.layer = document.createElement("div");
    this.layer.className = "hl-layer";
    container.append(this.layer);
    this.showLabels = true;
    this.supported = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight !== "undefined";
    this.selectedName = `${this.prefix}-sel`;
    if (this.supported) {
      const sel = new Highlight();
      sel.priority = 10;
      CSS.highlights.set(this.selectedName, sel);
    }
  }

  /** @param {string} color */
  nameFor(color) {
    let name = this.names.get(color);
    if (!name) {
      name = `${this.prefix}-c${this.names.size}`;
      this.names.set(color, name);
      const c = spanColors(color);
      this.style.append(`::highlight(${name}) { background-color: ${c.tint}; text-decoration: underline 2px ${c.line}; text-underline-offset: 3px; }\n`);
      if (this.supported) CSS.highlights.set(name, new Highlight());
    }
    return name;
  }

  /** @param {string} color */
  ensureSelectedStyle(color) {
    const c = spanColors(color);
    this.style.textContent = this.style.textContent.replace(new RegExp(`::highlight\\(${this.selectedName}\\)[^\\n]*\\n`), "");
    this.style.append(`::highlight(${this.selectedName}) { background-color: ${c.strong}; text-decoration: underline 3px ${c.line}; text-underline-offset: 3px; }\n`);
  }

  /** @param {string} id @param {Painted|null} painted */
  set(id, painted) {
    const old = this.regions.get(id);
    if (old && this.supported) {
      const h = CSS.highlights.get(this.nameFor(old.color));
      old.ranges.forEach((r) => h?.delete(r));
      const sel = CSS.highlights.get(this.selectedName);
      old.ranges.forEach((r) => sel?.delete(r));
    }
    if (!painted) this.regions.delete(id);
    else {
      this.regions.set(id, painted);
      if (this.supported) {
        const h = CSS.highlights.get(this.nameFor(painted.color));
        painted.ranges.forEach((r) => h?.add(r));
        if (id === this.selected) {
          const sel = CSS.highlights.get(this.selectedName);
          painted.ranges.forEach((r) => sel?.add(r));
        }
      }
    }
  }

  /** @param {string|null} id */
  select(id) {
    const before = this.selected;
    this.selected = id;
    if (!this.supported) return;
    const sel = CSS.highlights.get(this.selectedName);
    sel?.clear();
    const region = id ? this.regions.get(id) : undefined;
    if (region) {
      this.ensureSelectedStyle(region.color);
      region.ranges.forEach((r) => sel?.add(r));
    }
    if (before !== id) this.placeTags();
  }

  /** Regions whose ranges contain a DOM point, innermost (shortest) first. @param {Node} node @param {number} offset */
  regionsAt(node, offset) {
    const hits = [];
    for (const [id, region] of this.regions) {
      if (region.ranges.some((r) => r.isPointInRange(node, offset))) hits.push({ id, size: region.ranges.reduce((n, r) => n + r.toString().length, 0) });
    }
    return hits.sort((a, b) => a.size - b.size).map((h) => h.id);
  }

  /** Place the label chips (after layout changes: new regions, resize, fonts). */
  placeTags() {
    const box = this.container.getBoundingClientRect();
    const frag = document.createDocumentFragment();
    if (this.showLabels) {
      for (const [id, region] of this.regions) {
        if (!region.labels || !region.ranges.length) continue;
        const rect = region.ranges[0].getClientRects()[0];
        if (!rect) continue;
        const chip = document.createElement("span");
        chip.className = "tx-tag" + (id === this.selected ? " is-selected" : "");
        chip.dataset.id = id;
        chip.textContent = region.labels;
        chip.style.setProperty("--tag", region.color);
        chip.style.setProperty("--tag-fg", readableTextColor(region.color));
        chip.style.left = `${rect.left - box.left + this.container.scrollLeft}px`;
        chip.style.top = `${rect.top - box.top + this.container.scrollTop + 1}px`;
        frag.append(chip);
      }
    }
    this.layer.replaceChildren(frag);
  }

  destroy() {
    if (this.supported) {
      for (const name of this.names.values()) CSS.highlights.delete(name);
      CSS.highlights.delete(this.selectedName);
    }
    this.style.remove();
    this.layer.remove();
  }
}

/**
 * The caret position under a mouse event (a text node and offset), or null.
 * @param {MouseEvent} event
 * @returns {{node: Node, offset: number}|null}
 */
export function caretAt(event) {
  const doc = /** @type {any} */ (document);
  if (doc.caretPositionFromPoint) {
    const pos = doc.caretPositionFromPoint(event.clientX, event.clientY);
    return pos ? { node: pos.offsetNode, offset: pos.offset } : null;
  }
  if (doc.caretRangeFromPoint) {
    const range = doc.caretRangeFromPoint(event.clientX, event.clientY);
    return range ? { node: range.startContainer, offset: range.startOffset } : null;
  }
  return null;
}

/**
 * Mouse handling shared by HyperText and Paragraphs: a finished selection inside `within`
 * becomes a span (or waits for a label, see pendingSelection); a click selects the span under
 * the pointer, cycling through overlapping ones, or its label chip.
 * @param {object} o
 * @param {import("./common.js").WidgetContext} o.ctx
 * @param {string} o.name        the object tag's name
 * @param {HTMLElement} o.body   where the listeners go
 * @param {HTMLElement} o.within where selections and clicks count
 * @param {Highlighter} o.paint
 * @param {{show: (text: string) => void, hide: () => void}} o.status
 * @param {boolean} o.selectable
 * @param {(range: Range) => Record<string, any>|null} o.valueOf  the region value of a selection
 * @param {ReturnType<typeof import("./common.js").pendingSelection>} o.waiting
 * @returns {() => void} removes the listeners
 */
export function spanMouse({ ctx, name, body, within, paint, status, selectable, valueOf, waiting }) {
  let justCreated = false;
  function onPointerUp() {
    if (!selectable) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!within.contains(range.startContainer) || !within.contains(range.endContainer)) return;
    const payload = valueOf(range);
    if (!payload) return;
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
    const hits = caret && within.contains(caret.node) ? paint.regionsAt(caret.node, caret.offset) : [];
    if (!hits.length) {
      if (paint.selected) ctx.store.select(null);
      return;
    }
    const current = paint.selected ? hits.indexOf(paint.selected) : -1;
    ctx.store.select(hits[(current + 1) % hits.length]);
  }

  body.addEventListener("pointerup", onPointerUp);
  body.addEventListener("click", onClick);
  return () => {
    body.removeEventListener("pointerup", onPointerUp);
    body.removeEventListener("click", onClick);
  };
}

/**
 * Keep a Highlighter in step with the store's regions on one object (HyperText, Paragraphs): a
 * region is repainted only when its position, colour or labels change; selection follows the
 * store; label chips are re-placed when the body resizes.
 * @param {object} o
 * @param {import("./common.js").WidgetContext} o.ctx
 * @param {string} o.name        the object tag's name
 * @param {Highlighter} o.paint
 * @param {HTMLElement} o.body   observed for size changes
 * @param {string[]} o.keys      the value fields that position a span
 * @param {(value: Record<string, any>) => Range[]} o.rangesOf  DOM ranges of a region value ([] if it does not fit)
 * @returns {() => void} stops following the store
 */
export function paintRegions({ ctx, name, paint, body, keys, rangesOf }) {
  /** @type {Map<string, string>} id -> signature of what is painted */
  let painted = new Map();
  const selectedHere = () => (ctx.store.selectedId && painted.has(ctx.store.selectedId) ? ctx.store.selectedId : null);
  function sync() {
    /** @type {Map<string, string>} */
    const next = new Map();
    for (const region of ctx.store.regions(name)) {
      if (region.hidden) continue;
      const color = regionColor(ctx, region);
      const labels = regionLabels(region).join(", ");
      const sig = JSON.stringify([...keys.map((key) => region.value[key]), color, labels]);
      next.set(region.id, sig);
      if (painted.get(region.id) === sig) continue;
      const ranges = rangesOf(region.value);
      paint.set(region.id, ranges.length ? { ranges, color, labels } : null);
    }
    for (const id of painted.keys()) if (!next.has(id)) paint.set(id, null);
    painted = next;
    paint.select(selectedHere());
    paint.placeTags();
  }
  sync();
  const unsubscribe = ctx.store.subscribe((change) => {
    if (change.kind === "arm") return;
    if (change.kind === "select") paint.select(selectedHere());
    else sync();
  });
  const resize = new ResizeObserver(() => paint.placeTags());
  resize.observe(body);
  return () => {
    unsubscribe();
    resize.disconnect();
  };
}
