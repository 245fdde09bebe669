// @ts-check
/**
 * The segments of one Audio tag, drawn as one layer of elements over the waveform, placed in
 * percent of the clip: zooming and scrolling move them without any script (no layout reads per
 * segment, so hundreds of segments cost nothing while zooming). One pointer gesture does it all:
 *   - drag anywhere (even over other segments) marks a new segment with the armed label, on the
 *     channel lane under the pointer when channels are split;
 *   - a click selects the segment under it (the shortest first; clicking again cycles through
 *     overlapping ones) or clears the selection;
 *   - the selected segment moves with a drag on its body and resizes with its edges; a drag on a
 *     locked (or read-only) selected segment does nothing.
 */
import { hexToRgba, valueKey } from "@labelloom/sdk";
import { clamp, laneAt, moveSegment, pickRegion, round, segmentFromDrag, stacking } from "../lib/timeline.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").Region} StoreRegion */
/** @typedef {import("./vendor.js").WaveSurfer} WaveSurfer */

const NO_LABEL = "#8a8f98";
const MIN_LENGTH = 0.01; // seconds

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {string} deps.name the Audio tag's name
 * @param {WaveSurfer} deps.ws
 * @param {boolean} deps.split one lane per channel
 * @param {() => number} deps.lanes
 * @param {() => number} deps.duration
 * @param {(message: string) => void} deps.hint
 */
export function createRegionLayer({ ctx, name, ws, split, lanes, duration, hint }) {
  const store = ctx.store;
  const layer = document.createElement("div");
  layer.dataset.layer = "segments";
  layer.style.cssText = "position:absolute;inset:0;pointer-events:none;z-index:4;contain:layout style";
  /** @type {Map<string, {el: HTMLElement, signature: string}>} */
  const drawn = new Map();
  /** @type {StoreRegion[]} */
  let mine = [];
  let attached = false;
  /** @type {(() => void)[]} */
  const offs = [];

  /** @param {StoreRegion} r */
  function labelsOf(r) {
    for (const item of r.items) {
      const labels = item.value?.[valueKey(item.type)];
      if (item.type.endsWith("labels") && Array.isArray(labels) && labels.length) return labels.map(String);
    }
    return [];
  }

  /** @param {StoreRegion} r @param {string[]} labels */
  function colorOf(r, labels) {
    if (!labels.length) return NO_LABEL;
    const control = ctx.byName(r.from_name);
    return control ? ctx.labelColor(control, labels[0]) : NO_LABEL;
  }

  const editable = (/** @type {StoreRegion} */ r) => !r.locked && !ctx.readOnly && !store.readOnly;
  const laneCount = () => (split ? Math.max(1, lanes()) : 1);

  /** Place an element over [start, end] of a lane, in percent. @param {HTMLElement} el @param {number} start @param {number} end @param {number} lane */
  function place(el, start, end, lane) {
    const total = duration() || 1;
    const n = laneCount();
    el.style.left = `${(start / total) * 100}%`;
    el.style.width = `${(Math.max(0, end - start) / total) * 100}%`;
    el.style.top = `${(100 / n) * clamp(lane, 0, n - 1)}%`;
    el.style.height = `${100 / n}%`;
  }

  /** The part of the clip in view (seconds) and the scale: segments far outside are not in the page. */
  const view = { start: 0, end: Infinity, pxPerSec: 0 };

  /** Draw the store's regions of this object that are in view (only those that changed). */
  function refresh() {
    mine = store.regions(name);
    if (!attached) return;
    const total = duration();
    const pad = Number.isFinite(view.end) ? (view.end - view.start) * 0.5 : Infinity;
    const visible = mine.filter((r) => !r.hidden);
    const z = stacking(visible.map((r) => ({ id: r.id, start: Number(r.value.start) || 0, end: Number(r.value.end) || 0 })));
    const seen = new Set();
    for (const r of visible) {
      const selected = store.selectedId === r.id;
      const start = clamp(Number(r.value.start) || 0, 0, total);
      const end = clamp(Number(r.value.end) || start, start, total);
      if (!selected && (end < view.start - pad || start > view.end + pad)) continue;
      seen.add(r.id);
      const labels = labelsOf(r);
      const color = colorOf(r, labels);
      const lane = split ? Number(r.value.channel) || 0 : 0;
      const wide = !view.pxPerSec || (end - start) * view.pxPerSec >= 28; // room for a label
      const text = ctx.settings.showLabels && wide ? labels.join(", ") : "";
      const signature = [start, end, lane, laneCount(), color, selected, editable(r), text, z.get(r.id)].join("|");
      let entry = drawn.get(r.id);
      if (entry && entry.signature === signature) continue;
      if (!entry) {
        entry = { el: document.createElement("div"), signature };
        drawn.set(r.id, entry);
        layer.append(entry.el);
      }
      entry.signature = signature;
      paint(entry.el, r, { start, end, lane, color, selected, text, z: z.get(r.id) || 1 });
    }
    for (const [id, entry] of drawn) {
      if (!seen.has(id)) {
        entry.el.remove();
        drawn.delete(id);
      }
    }
  }

  /**
   * @param {HTMLElement} el @param {StoreRegion} r
   * @param {{start: number, end: number, lane: number, color: string, selected: boolean, text: string, z: number}} o
   */
  function paint(el, r, o) {
    const canEdit = o.selected && editable(r);
    el.className = "la-segment";
    el.dataset.id = r.id;
    el.dataset.selected = String(o.selected);
    // Plain borders, no shadows or rounding: hundreds of these repaint on every zoom step.
    el.style.cssText = `position:absolute;box-sizing:border-box;overflow:hidden;contain:strict;` +
      `z-index:${o.selected ? 100000 : o.z};background:${hexToRgba(o.color, o.selected ? 0.32 : 0.22)};` +
      `border:${o.selected ? 2 : 0}px solid ${o.color};border-left-width:${o.selected ? 2 : 1}px;border-right-width:${o.selected ? 2 : 1}px;` +
      `pointer-events:${o.selected ? "auto" : "none"};cursor:${canEdit ? "move" : "pointer"}`;
    place(el, o.start, o.end, o.lane);
    el.title = `${labelsOf(r).join(", ") || "No label"} ${o.start.toFixed(2)}–${o.end.toFixed(2)} s${r.locked ? " (locked)" : ""}`;
    el.replaceChildren();
    if (o.text) {
      const tag = document.createElement("span");
      tag.textContent = o.text;
      tag.style.cssText = `display:inline-block;max-width:calc(100% - 4px);overflow:hidden;text-overflow:ellipsis;white-space:nowrap;` +
        `font:600 11px/16px var(--font, system-ui);padding:0 5px;margin:2px;border-radius:3px;pointer-events:none;` +
        `background:${hexToRgba(o.color, o.selected ? 0.95 : 0.8)};color:#fff;text-shadow:0 0 2px rgba(0,0,0,.4)`;
      el.append(tag);
    }
    if (canEdit) {
      for (const edge of ["start", "end"]) {
        const handle = document.createElement("div");
        handle.dataset.edge = edge;
        handle.style.cssText = `position:absolute;top:0;bottom:0;${edge === "start" ? "left" : "right"}:0;width:7px;cursor:ew-resize;` +
          `background:${hexToRgba(o.color, 0.6)}`;
        el.append(handle);
      }
    }
  }

  // --- gestures ------------------------------------------------------------------------------
  /**
   * @typedef {{kind: "new" | "move" | "start" | "end" | "locked", x0: number, lane: number, moved: boolean, pointer: number,
   *   draft: HTMLElement|null, region: StoreRegion|null, from: {start: number, end: number}}} Gesture
   */
  /** @type {Gesture|null} */
  let gesture = null;

  const wrapperBox = () => ws.getWrapper().getBoundingClientRect();

  /** @param {PointerEvent} event */
  function onDown(event) {
    if (event.button !== 0 || !attached) return;
    const box = wrapperBox();
    const target = /** @type {HTMLElement} */ (event.target);
    const segment = /** @type {HTMLElement|null} */ (target.closest?.(".la-segment") ?? null);
    const region = segment && store.selectedId === segment.dataset.id ? store.region(segment.dataset.id) ?? null : null;
    const edge = target.dataset?.edge;
    const kind = !region ? "new" : !editable(region) ? "locked" : edge === "start" || edge === "end" ? edge : "move";
    gesture = {
      kind, x0: event.clientX - box.left, lane: laneAt(event.clientY - box.top, box.height, laneCount()), moved: false,
      pointer: event.pointerId, draft: null, region: kind === "new" ? null : region,
      from: region ? { start: Number(region.value.start) || 0, end: Number(region.value.end) || 0 } : { start: 0, end: 0 },
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onCancel);
  }

  /** The segment a move/resize gesture makes. @param {Gesture} g @param {number} x @param {number} pxPerSec */
  function edited(g, x, pxPerSec) {
    const total = duration();
    const delta = (x - g.x0) / pxPerSec;
    if (g.kind === "move") return moveSegment(g.from, delta, total);
    if (g.kind === "start") return { start: round(clamp(g.from.start + delta, 0, g.from.end - MIN_LENGTH)), end: g.from.end };
    return { start: g.from.start, end: round(clamp(g.from.end + delta, g.from.start + MIN_LENGTH, total)) };
  }

  /** @param {PointerEvent} event */
  function onMove(event) {
    const g = gesture;
    if (!g || event.pointerId !== g.pointer) return;
    const box = wrapperBox();
    const x = event.clientX - box.left;
    if (Math.abs(x - g.x0) >= 4) g.moved = true;
    if (!g.moved || g.kind === "locked" || ctx.readOnly || store.readOnly) return;
    const pxPerSec = box.width / (duration() || 1);
    if (g.kind !== "new" && g.region) {
      const seg = edited(g, x, pxPerSec);
      const el = drawn.get(g.region.id)?.el;
      if (el) place(el, seg.start, seg.end, split ? Number(g.region.value.channel) || 0 : 0);
      return;
    }
    if (!g.draft) {
      const armed = store.armed(name);
      const control = armed ? ctx.byName(armed.from_name) : undefined;
      const color = armed && control && armed.labels.length ? ctx.labelColor(control, armed.labels[0]) : NO_LABEL;
      g.draft = document.createElement("div");
      g.draft.dataset.draft = "true";
      g.draft.style.cssText = `position:absolute;z-index:200000;pointer-events:none;border-radius:2px;box-sizing:border-box;` +
        `background:${hexToRgba(color, 0.3)};box-shadow:inset 0 0 0 1px ${color}`;
      layer.append(g.draft);
    }
    const seg = segmentFromDrag(g.x0, x, pxPerSec, duration(), 0);
    if (seg) place(g.draft, seg.start, seg.end, g.lane);
  }

  function removeListeners() {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    window.removeEventListener("pointercancel", onCancel);
  }

  function onCancel() {
    gesture?.draft?.remove();
    gesture = null;
    removeListeners();
    refresh();
  }

  /** After a drag, the click that follows must not also seek the player. */
  function swallowClick() {
    const stop = (/** @type {Event} */ e) => e.stopPropagation();
    window.addEventListener("click", stop, { capture: true, once: true });
    setTimeout(() => window.removeEventListener("click", stop, { capture: true }), 50);
  }

  /** @param {PointerEvent} event */
  function onUp(event) {
    const g = gesture;
    if (!g || event.pointerId !== g.pointer) return;
    gesture = null;
    removeListeners();
    g.draft?.remove();
    const box = wrapperBox();
    const x = event.clientX - box.left;
    const total = duration();
    const pxPerSec = box.width / (total || 1);
    if (!g.moved) {
      const spans = mine.map((r) => ({ id: r.id, start: Number(r.value.start) || 0, end: Number(r.value.end) || 0,
        channel: Number(r.value.channel) || 0, hidden: r.hidden }));
      const picked = pickRegion(spans, x / pxPerSec, g.lane, split && laneCount() > 1, store.selectedId, 2 / pxPerSec);
      if (picked !== store.selectedId || !picked) store.select(picked);
      return;
    }
    swallowClick();
    if (g.kind === "locked" && g.region?.locked) hint("This segment is locked: unlock it (Alt+L) to move it.");
    if (g.kind === "locked" || ctx.readOnly || store.readOnly) return;
    if (g.region) {
      const seg = edited(g, x, pxPerSec);
      if (seg.start !== g.from.start || seg.end !== g.from.end) store.updateRegion(g.region.id, seg);
      else refresh();
      return;
    }
    const segment = segmentFromDrag(g.x0, x, pxPerSec, total);
    if (!segment) return;
    const armed = store.armed(name);
    if (!armed || !armed.labels.length) {
      hint("Pick a label first (click it or press its hotkey), then drag on the waveform.");
      return;
    }
    hint("");
    store.createRegion({
      from_name: armed.from_name,
      to_name: name,
      type: armed.type,
      value: { start: segment.start, end: segment.end, channel: split ? g.lane : 0, [valueKey(armed.type)]: [...armed.labels] },
      original_length: total,
    });
  }

  function attach() {
    if (attached) return;
    attached = true;
    const wrapper = ws.getWrapper();
    wrapper.append(layer);
    wrapper.addEventListener("pointerdown", onDown);
    offs.push(() => wrapper.removeEventListener("pointerdown", onDown));
    refresh();
  }

  return {
    attach,
    refresh,
    /** Lanes changed (split channels known): place every segment again. */
    /** @param {number} start @param {number} end seconds in view @param {number} pxPerSec */
    setView(start, end, pxPerSec) {
      const moved = Math.abs(start - view.start) > (end - start) * 0.2 || Math.abs(end - view.end) > (end - start) * 0.2;
      const rescaled = Math.abs(pxPerSec - view.pxPerSec) > view.pxPerSec * 0.01;
      view.start = start;
      view.end = end;
      view.pxPerSec = pxPerSec;
      if (moved || rescaled) refresh();
    },
    relayout() {
      for (const entry of drawn.values()) entry.signature = "";
      refresh();
    },
    count: () => mine.filter((r) => !r.hidden).length,
    dispose() {
      onCancel();
      for (const off of offs) off();
      layer.remove();
      drawn.clear();
    },
  };
}

/** @typedef {ReturnType<typeof createRegionLayer>} RegionLayer */
