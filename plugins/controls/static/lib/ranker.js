// @ts-check
/**
 * Ranker semantics (Label Studio's Ranker + Bucket + List):
 * - no buckets: one column keyed by the Ranker's name; result `{ranker: {<name>: [ids in order]}}`;
 * - buckets: one column per Bucket (`name`, `title`); when no bucket is `default`, the original
 *   list is an extra first column keyed "_" holding what was not sorted into a bucket;
 *   with a default bucket, all items start there. Every column is in the result, even empty.
 * Item ids are strings (`String(item.id)`).
 */

/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {{id: string, title: string}} Column */
/** @typedef {Record<string, string[]>} Columns */

export const ORIGINAL = "_";

/**
 * List items as Label Studio indexes them (ids stringified; items without an id get their index).
 * @param {any} data @returns {{id: string, title: string, body: string, raw: any}[]}
 */
export function listItems(data) {
  if (!Array.isArray(data)) return [];
  return data.map((item, index) => {
    const raw = item && typeof item === "object" ? item : { title: String(item) };
    return {
      id: String(raw.id ?? index),
      title: raw.title === undefined || raw.title === null ? "" : String(raw.title),
      body: raw.body === undefined || raw.body === null ? "" : String(raw.body),
      raw,
    };
  });
}

/** Bucket items of a Ranker. @param {TagNode} model */
function buckets(model) {
  return (model.children || []).filter((child) => child.tag === "Bucket");
}

/** The name of the column items start in (null: the original "_" column). @param {TagNode} model */
export function defaultColumn(model) {
  const list = buckets(model);
  if (!list.length) return String(model.attrs?.name ?? "");
  const chosen = list.find((b) => b.attrs?.default === true || b.attrs?.default === "true");
  return chosen ? String(chosen.attrs?.name) : null;
}

/**
 * The columns to draw, in order.
 * @param {TagNode} model @param {string} listTitle @returns {Column[]}
 */
export function columnsOf(model, listTitle) {
  const list = buckets(model);
  if (!list.length) return [{ id: String(model.attrs?.name ?? ""), title: listTitle }];
  /** @type {Column[]} */
  const columns = list.map((b) => ({ id: String(b.attrs?.name ?? ""), title: String(b.attrs?.title ?? b.attrs?.name ?? "") }));
  if (defaultColumn(model) === null) columns.unshift({ id: ORIGINAL, title: listTitle });
  return columns;
}

/**
 * Where each item sits: from the stored result, or the initial layout. Unknown ids in the result
 * are dropped; items the result does not place go to the original column (or default bucket).
 * @param {TagNode} model @param {string[]} ids all list item ids @param {Columns|undefined} stored
 * @param {string} listTitle @returns {Columns}
 */
export function placement(model, ids, stored, listTitle) {
  const columns = columnsOf(model, listTitle);
  /** @type {Columns} */
  const out = Object.fromEntries(columns.map((c) => [c.id, []]));
  const home = defaultColumn(model) ?? ORIGINAL;
  if (!stored || typeof stored !== "object") {
    out[home] = [...ids];
    return out;
  }
  const known = new Set(ids);
  const placed = new Set();
  for (const column of columns) {
    for (const id of Array.isArray(stored[column.id]) ? stored[column.id].map(String) : []) {
      if (!known.has(id) || placed.has(id)) continue;
      out[column.id].push(id);
      placed.add(id);
    }
  }
  const left = ids.filter((id) => !placed.has(id));
  // With a default bucket Label Studio keeps unplaced items out of view; we show them there so
  // nothing silently disappears (they are only stored once the annotator moves something).
  if (left.length) out[home] = [...(out[home] || []), ...left];
  return out;
}

/**
 * Move one item so it ends at position `index` of `toColumn` (clamped). Returns a new placement.
 * @param {Columns} columns @param {string} id @param {string} toColumn @param {number} index
 * @returns {Columns}
 */
export function move(columns, id, toColumn, index) {
  if (!(toColumn in columns)) return columns;
  /** @type {Columns} */
  const next = {};
  let found = false;
  for (const [key, list] of Object.entries(columns)) {
    if (list.includes(id)) found = true;
    next[key] = list.filter((item) => item !== id);
  }
  if (!found) return columns;
  next[toColumn].splice(Math.max(0, Math.min(index, next[toColumn].length)), 0, id);
  return next;
}

/**
 * Keyboard moves: "up"/"down" within the column, "left"/"right" to the neighbouring column
 * (keeping the position where possible).
 * @param {Columns} columns @param {Column[]} order @param {string} id @param {"up"|"down"|"left"|"right"|"top"|"bottom"} direction
 */
export function step(columns, order, id, direction) {
  const columnId = Object.keys(columns).find((key) => columns[key].includes(id));
  if (columnId === undefined) return columns;
  const index = columns[columnId].indexOf(id);
  if (direction === "up") return index > 0 ? move(columns, id, columnId, index - 1) : columns;
  if (direction === "down") return index < columns[columnId].length - 1 ? move(columns, id, columnId, index + 1) : columns;
  if (direction === "top") return move(columns, id, columnId, 0);
  if (direction === "bottom") return move(columns, id, columnId, columns[columnId].length);
  const at = order.findIndex((c) => c.id === columnId);
  const neighbour = order[direction === "left" ? at - 1 : at + 1];
  if (!neighbour) return columns;
  return move(columns, id, neighbour.id, index);
}

/** The result payload: every column, in column order. @param {Columns} columns @param {Column[]} order */
export function rankerValue(columns, order) {
  /** @type {Columns} */
  const ranker = {};
  for (const column of order) ranker[column.id] = [...(columns[column.id] || [])];
  return { ranker };
}
