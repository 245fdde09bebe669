// @ts-check
/**
 * How a region is named in lists: its labels, colour and a short description of where it is.
 * DOM-free (node-tested), used by the outliner and the region info.
 */
import { labelColor } from "./colors.js";

/** @typedef {import("./types.js").Region} Region */
/** @typedef {import("./types.js").TagNode} TagNode */

/** Labels of a region: the first label-list found on its items (main item first). @param {Region} region @returns {string[]} */
export function regionLabels(region) {
  for (const item of region.items) {
    const list = item.value?.[item.type];
    if (Array.isArray(list) && /labels$/.test(item.type)) return list.map(String);
  }
  // Regions whose labels ride inside their geometry item (video tracks: value.labels).
  for (const item of region.items) {
    if (Array.isArray(item.value?.labels)) return item.value.labels.map(String);
  }
  return [];
}

/** @param {number} n */
const num = (n) => (Math.round(n * 10) / 10).toString();

/** A short "where": the span text, a box, a time range. @param {Region} region */
export function regionSummary(region) {
  const v = region.value || {};
  if (typeof v.text === "string" && v.text) return v.text.length > 80 ? v.text.slice(0, 79) + "…" : v.text;
  if (typeof v.x === "number" && typeof v.width === "number") return `x ${num(v.x)} · y ${num(v.y ?? 0)} · ${num(v.width)}×${num(v.height ?? v.width)}`;
  if (typeof v.x === "number") return `x ${num(v.x)} · y ${num(v.y ?? 0)}`;
  if (Array.isArray(v.points)) return `${v.points.length} points`;
  if (typeof v.start === "number" && typeof v.end === "number") return `${num(v.start)} – ${num(v.end)}`;
  if (v.start !== undefined && v.end !== undefined) return `${v.start} – ${v.end}`;
  if (Array.isArray(v.sequence)) return `${v.sequence.length} keyframes`;
  if (Array.isArray(v.ranges)) return `${v.ranges.length} ranges`;
  return region.type;
}

/**
 * The colour of a region: its first label's colour in the control that labelled it.
 * @param {Region} region @param {(name: string) => TagNode|undefined} byName
 */
export function regionColor(region, byName) {
  const labels = regionLabels(region);
  const labelled = region.items.find((it) => Array.isArray(it.value?.[it.type]) && /labels$/.test(it.type)) || region.items[0];
  return labelColor(byName(labelled.from_name || ""), labels[0] || region.type);
}

/**
 * Rows of the outliner: regions grouped by their first label (groups in first-seen order),
 * each group headed by a row. Region numbers follow creation order.
 * @param {Region[]} regions
 * @returns {({kind: "group", label: string, count: number} | {kind: "region", region: Region, index: number, label: string})[]}
 */
export function groupRows(regions) {
  /** @type {Map<string, {region: Region, index: number}[]>} */
  const groups = new Map();
  regions.forEach((region, i) => {
    const label = regionLabels(region)[0] || "No label";
    const list = groups.get(label);
    if (list) list.push({ region, index: i + 1 });
    else groups.set(label, [{ region, index: i + 1 }]);
  });
  /** @type {({kind: "group", label: string, count: number} | {kind: "region", region: Region, index: number, label: string})[]} */
  const rows = [];
  for (const [label, list] of groups) {
    rows.push({ kind: "group", label, count: list.length });
    for (const { region, index } of list) rows.push({ kind: "region", region, index, label });
  }
  return rows;
}

/**
 * The slice of rows to render in a scroller (fixed row height), with the spacer heights.
 * @param {number} total @param {number} rowHeight @param {number} scrollTop @param {number} viewport @param {number} [overscan]
 */
export function windowRows(total, rowHeight, scrollTop, viewport, overscan = 8) {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end, before: start * rowHeight, after: (total - end) * rowHeight };
}
