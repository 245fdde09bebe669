// @ts-check
/**
 * Pure data-manager logic (no DOM): the operators each column type offers, filter items in
 * Label Studio's JSON (and checking pasted ones), the selectedItems model, view data defaults,
 * the page window math of the virtual table and the geometry of the card grid. Tested with `node --test web/tests/datamanager`.
 */

/**
 * @typedef {{id: string, title: string, type: string, help?: string, parent?: string, children?: string[],
 *   visibility_defaults?: {explore?: boolean, labeling?: boolean}, project_defined?: boolean}} Column
 * @typedef {{filter: string, operator: string, type: string, value: any}} FilterItem
 * @typedef {{conjunction: "and"|"or", items: FilterItem[]}} Filters
 * @typedef {{all: boolean, excluded?: number[], included?: number[]}} Selection
 *   the server's selectedItems: {all: true, excluded: [...]} or {all: false, included: [...]}
 * @typedef {{title?: string, filters?: Filters, ordering?: string[], hiddenColumns?: {explore?: string[], labeling?: string[]},
 *   columnsWidth?: Record<string, number>, columnOrder?: string[], density?: "compact"|"comfortable",
 *   type?: "list"|"grid", gridSize?: CardSize}} ViewData
 *   type: Label Studio's List/Grid toggle; gridSize: the grid's card size (ours)
 * @typedef {"small"|"medium"|"large"} CardSize
 * @typedef {"text"|"number"|"date"|"boolean"|"user"|"none"|"range-number"|"range-date"} ValueInput
 */

/**
 * Label Studio's value types of the built-in columns (a data column's type is its object tag
 * instead, which the tag catalogue describes).
 */
export const VALUE_TYPES = { number: "Number", datetime: "Datetime", boolean: "Boolean" };
/** Column types the server compares as numbers, dates, booleans or user ids. */
const NUMBER = new Set([VALUE_TYPES.number]);
const DATE = new Set([VALUE_TYPES.datetime]);
const BOOLEAN = new Set([VALUE_TYPES.boolean]);
/** Built-in list columns whose values are user ids (the filter value is one user id). */
export const USER_COLUMNS = new Set(["annotators", "updated_by", "assigned_annotators", "assigned_reviewers"]);

/** @type {Record<string, {label: string, input: ValueInput}>} */
export const OPERATORS = {
  contains: { label: "contains", input: "text" },
  not_contains: { label: "does not contain", input: "text" },
  starts_with: { label: "starts with", input: "text" },
  ends_with: { label: "ends with", input: "text" },
  regex: { label: "matches regex", input: "text" },
  equal: { label: "is", input: "text" },
  not_equal: { label: "is not", input: "text" },
  less: { label: "<", input: "number" },
  greater: { label: ">", input: "number" },
  less_or_equal: { label: "≤", input: "number" },
  greater_or_equal: { label: "≥", input: "number" },
  in: { label: "is between", input: "range-number" },
  not_in: { label: "is not between", input: "range-number" },
  empty: { label: "is empty", input: "boolean" },
  exists: { label: "exists", input: "none" },
  not_exists: { label: "does not exist", input: "none" },
};

/** The id part of a column as filters name it ("data.text", "total_annotations"). @param {Column} column */
export function fieldId(column) {
  return column.parent === "data" ? `data.${column.id}` : column.id;
}

/**
 * A column's name as shown: the task's own "ID" is "Task ID", so a data field named `id` (a CSV
 * column) is never mistaken for it; data fields are shown with their "data" group apart.
 * @param {Column} column
 */
export function columnTitle(column) {
  if (column.parent !== "data" && column.id === "id" && /^id$/i.test(column.title || "")) return "Task ID";
  return column.title;
}

/** A column's name with its group, for lists and screen readers ("data text", "Task ID"). @param {Column} column */
export function columnLabel(column) {
  return column.parent === "data" ? `data ${column.title}` : columnTitle(column);
}

/** Columns a filter or sort may use (the `data` root itself holds no value). @param {Column[]} columns */
export function filterableColumns(columns) {
  return columns.filter((c) => !(c.id === "data" && c.children));
}

/**
 * The operators a column offers, first one the default (every operator core/datamanager/filters.py compiles).
 * @param {Column} column @returns {string[]}
 */
export function operatorsFor(column) {
  const isData = column.parent === "data";
  if (USER_COLUMNS.has(column.id)) return ["contains", "not_contains", "empty"];
  if (NUMBER.has(column.type)) return ["equal", "not_equal", "less", "greater", "less_or_equal", "greater_or_equal", "in", "not_in", "empty", ...(isData ? ["exists", "not_exists"] : [])];
  if (DATE.has(column.type)) return ["less", "greater", "in", "not_in", "empty", ...(isData ? ["exists", "not_exists"] : [])];
  if (BOOLEAN.has(column.type)) return ["equal", "empty"];
  const text = ["contains", "not_contains", "starts_with", "ends_with", "regex", "equal", "not_equal", "empty"];
  return isData ? [...text, "exists", "not_exists"] : text;
}

/**
 * Which input a filter row shows for its value.
 * @param {Column} column @param {string} operator @returns {ValueInput}
 */
export function valueInput(column, operator) {
  if (operator === "empty") return "boolean";
  if (operator === "exists" || operator === "not_exists") return "none";
  if (USER_COLUMNS.has(column.id)) return "user";
  const date = DATE.has(column.type);
  if (operator === "in" || operator === "not_in") return date ? "range-date" : "range-number";
  if (date) return "date";
  if (BOOLEAN.has(column.type)) return "boolean";
  if (NUMBER.has(column.type) && !["contains", "not_contains", "starts_with", "ends_with", "regex"].includes(operator)) return "number";
  return "text";
}

/** A value that fits an input kind, used when the operator changes. @param {ValueInput} input */
export function defaultValue(input) {
  if (input === "boolean") return true;
  if (input === "range-number" || input === "range-date") return { min: null, max: null };
  if (input === "none") return null;
  return "";
}

/** A fresh filter on a column. @param {Column} column @returns {FilterItem} */
export function newFilter(column) {
  const operator = operatorsFor(column)[0];
  return { filter: `filter:tasks:${fieldId(column)}`, operator, type: column.type, value: defaultValue(valueInput(column, operator)) };
}

/** The column a filter item names. @param {FilterItem} item @param {Column[]} columns */
export function columnOf(item, columns) {
  const id = item.filter.replace(/^filter:tasks:/, "");
  return columns.find((c) => fieldId(c) === id);
}

/**
 * Whether a filter is complete enough to send (a half-typed number filter would be a 400,
 * an empty "contains" would match everything and hide nothing — both are left out).
 * @param {FilterItem} item
 */
export function isComplete(item) {
  const v = item.value;
  if (item.operator === "exists" || item.operator === "not_exists") return true;
  if (item.operator === "empty") return typeof v === "boolean";
  if (v && typeof v === "object") return (v.min !== null && v.min !== "" && v.min !== undefined) || (v.max !== null && v.max !== "" && v.max !== undefined);
  if (NUMBER.has(item.type) && item.operator !== "regex" && !["contains", "not_contains", "starts_with", "ends_with"].includes(item.operator)) {
    return v !== "" && v !== null && !Number.isNaN(Number(v));
  }
  return v !== "" && v !== null && v !== undefined;
}

/** The filters the server gets: only complete items; ranges with empty ends dropped. @param {Filters|undefined} filters @returns {Filters} */
export function activeFilters(filters) {
  const items = (filters?.items || []).filter(isComplete).map((item) => {
    if (item.value && typeof item.value === "object") {
      /** @type {Record<string, any>} */
      const bounds = {};
      for (const key of ["min", "max"]) if (item.value[key] !== null && item.value[key] !== "" && item.value[key] !== undefined) bounds[key] = item.value[key];
      return { ...item, value: bounds };
    }
    return item;
  });
  return { conjunction: filters?.conjunction === "or" ? "or" : "and", items };
}

// ---- selection (the server's selectedItems model) ---------------------------------------------

/** @returns {Selection} */
export const noSelection = () => ({ all: false, included: [] });

/** The ids a selection lists (excluded when `all`, else included). @param {Selection} sel */
export const listed = (sel) => (sel.all ? sel.excluded : sel.included) || [];

/** @param {Selection} sel @param {number} id */
export function isSelected(sel, id) {
  return sel.all !== listed(sel).includes(id);
}

/** @param {Selection} sel @param {number} id @returns {Selection} */
export function toggle(sel, id) {
  const ids = listed(sel);
  const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
  return sel.all ? { all: true, excluded: next } : { all: false, included: next };
}

/** Add ids (a page) to the selection. @param {Selection} sel @param {number[]} ids @returns {Selection} */
export function selectIds(sel, ids) {
  if (sel.all) return { all: true, excluded: listed(sel).filter((x) => !ids.includes(x)) };
  return { all: false, included: [...new Set([...listed(sel), ...ids])] };
}

/** How many tasks a selection holds, given the filtered total. @param {Selection} sel @param {number} total */
export function selectedCount(sel, total) {
  return sel.all ? Math.max(0, total - listed(sel).length) : listed(sel).length;
}

/** "none" | "some" | "all": the header checkbox state. @param {Selection} sel @param {number} total */
export function selectionState(sel, total) {
  const n = selectedCount(sel, total);
  if (n === 0) return "none";
  return n >= total ? "all" : "some";
}

// ---- views ----------------------------------------------------------------------------------

/** The id a view's hiddenColumns / columnsWidth use ("tasks:data.text"). @param {Column} column */
export const viewColumnId = (column) => `tasks:${fieldId(column)}`;

/**
 * The table's columns for a view, in the view's order, hidden ones left out.
 * @param {Column[]} columns @param {ViewData} data @returns {Column[]}
 */
export function visibleColumns(columns, data) {
  const usable = filterableColumns(columns);
  const hidden = data.hiddenColumns?.explore;
  const shown = usable.filter((c) => (hidden ? !hidden.includes(viewColumnId(c)) : c.visibility_defaults?.explore !== false));
  return orderColumns(shown, data.columnOrder);
}

/** @param {Column[]} columns @param {string[]|undefined} order */
export function orderColumns(columns, order) {
  if (!order?.length) return columns;
  const rank = (/** @type {Column} */ c) => {
    const i = order.indexOf(viewColumnId(c));
    return i === -1 ? order.length + columns.indexOf(c) : i;
  };
  return [...columns].sort((a, b) => rank(a) - rank(b));
}

/** The hiddenColumns list after showing/hiding one column. @param {Column[]} columns @param {ViewData} data @param {Column} column @param {boolean} show */
export function setHidden(columns, data, column, show) {
  const usable = filterableColumns(columns);
  const hidden = data.hiddenColumns?.explore ?? usable.filter((c) => c.visibility_defaults?.explore === false).map(viewColumnId);
  const id = viewColumnId(column);
  const next = show ? hidden.filter((x) => x !== id) : [...new Set([...hidden, id])];
  return { ...(data.hiddenColumns || {}), explore: next };
}

/** Move `id` before `before` in an order list (drag to reorder). @param {string[]} order @param {string} id @param {string} before */
export function moveBefore(order, id, before) {
  const rest = order.filter((x) => x !== id);
  const at = rest.indexOf(before);
  rest.splice(at === -1 ? rest.length : at, 0, id);
  return rest;
}

/** Next ordering after clicking a header: asc → desc → none. @param {string[]|undefined} ordering @param {string} field */
export function cycleOrdering(ordering, field) {
  const current = ordering?.[0];
  if (current === `tasks:${field}`) return [`-tasks:${field}`];
  if (current === `-tasks:${field}`) return [];
  return [`tasks:${field}`];
}

// ---- virtual table windows ------------------------------------------------------------------

/**
 * The rows a viewport shows, and the pages to hold around it.
 * @param {{scrollTop: number, viewport: number, rowHeight: number, total: number, pageSize: number, overscan?: number, scale?: number}} o
 *   scale: >1 when the spacer is shorter than total × rowHeight (browsers cap element heights)
 */
export function windowOf(o) {
  const overscan = o.overscan ?? 6;
  const exact = (o.scrollTop * (o.scale || 1)) / o.rowHeight;
  const first = Math.max(0, Math.min(Math.floor(exact), Math.max(0, o.total - 1)));
  const visible = Math.ceil(o.viewport / o.rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(o.total, first + visible + overscan);
  const firstPage = Math.floor(start / o.pageSize) + 1;
  const lastPage = Math.max(firstPage, Math.floor(Math.max(0, end - 1) / o.pageSize) + 1);
  /** @type {number[]} */
  const pages = [];
  for (let p = firstPage; p <= lastPage; p++) pages.push(p);
  return { first, offset: exact - first, start, end, pages };
}

/** The spacer height and scroll scale for `total` rows (Chromium caps element heights near 33.5M px). */
export const MAX_SPACER = 15_000_000;
/** @param {number} total @param {number} rowHeight @param {number} viewport */
export function spacerOf(total, rowHeight, viewport) {
  const full = total * rowHeight;
  if (full <= MAX_SPACER) return { height: full, scale: 1 };
  // Map the scrollable range so the last row is reachable: (full - viewport) over (MAX - viewport).
  return { height: MAX_SPACER, scale: (full - viewport) / Math.max(1, MAX_SPACER - viewport) };
}

/**
 * Pages to drop: those farthest from the wanted ones, beyond `keep` pages in the cache.
 * @param {number[]} cached @param {number[]} wanted @param {number} keep
 */
export function pagesToEvict(cached, wanted, keep) {
  if (cached.length <= keep) return [];
  const centre = wanted.length ? (wanted[0] + wanted[wanted.length - 1]) / 2 : 1;
  const candidates = cached.filter((p) => !wanted.includes(p)).sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  return candidates.slice(0, cached.length - keep);
}

/**
 * How to fetch a page: by keyset from a loaded neighbour when there is one (the server reads
 * from there on, however deep the page), else by number (a jump with the scroll bar).
 * @param {number} page @param {Map<number, {next: string|null, previous: string|null}>} cursors
 * @returns {{cursor: string}|{page: number}}
 */
export function pageRequest(page, cursors) {
  const next = cursors.get(page - 1)?.next;
  if (next) return { cursor: next };
  const previous = cursors.get(page + 1)?.previous;
  if (previous && page > 1) return { cursor: previous };
  return { page };
}

/**
 * A total as the footer shows it: exact ones in full, estimates rounded and said to be so
 * ("about 1.2M"): the server estimates filtered totals of big projects (total_exact: false).
 * @param {number} total @param {boolean} exact
 */
export function totalText(total, exact) {
  if (exact) return (total ?? 0).toLocaleString();
  return `about ${compactNumber(total)}`;
}

/** 1234 -> "1.2K", 1234567 -> "1.2M" (two significant digits at least). @param {number} n */
export function compactNumber(n) {
  const units = /** @type {const} */ ([[1e9, "B"], [1e6, "M"], [1e3, "K"]]);
  for (const [size, unit] of units) {
    if (n >= size) {
      const value = n / size;
      return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))}${unit}`;
    }
  }
  return String(Math.round(n));
}

// ---- pasted filters -------------------------------------------------------------------------

/** @param {any} v */
const isNumeric = (v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)));
/** @param {any} v */
const isDateText = (v) => typeof v === "string" && !Number.isNaN(new Date(v).getTime());

/**
 * The tab's filters as the clipboard gets them: Label Studio's filter JSON, items reduced to
 * the four keys it defines.
 * @param {Filters|undefined} filters
 */
export function filtersJson(filters) {
  const items = (filters?.items || []).map(({ filter, operator, type, value }) => ({ filter, operator, type, value }));
  return JSON.stringify({ conjunction: filters?.conjunction === "or" ? "or" : "and", items }, null, 2);
}

/**
 * Whether a value fits what a filter row can show for its column and operator.
 * @param {Column} column @param {string} operator @param {any} value @returns {string} "" when it fits, else what is wrong
 */
function valueProblem(column, operator, value) {
  const input = valueInput(column, operator);
  const blank = value === null || value === undefined || value === "";
  switch (input) {
    case "none":
      return "";
    case "boolean":
      return typeof value === "boolean" ? "" : "the value must be true or false";
    case "range-number":
    case "range-date": {
      if (!value || typeof value !== "object" || Array.isArray(value) || !("min" in value || "max" in value)) return 'the value must be {"min": …, "max": …}';
      const ok = input === "range-number" ? isNumeric : isDateText;
      for (const end of ["min", "max"]) {
        const v = value[end];
        if (v !== null && v !== undefined && v !== "" && !ok(v)) return `“${end}” must be ${input === "range-number" ? "a number" : "a date"}`;
      }
      return "";
    }
    case "number":
      return blank || isNumeric(value) ? "" : "the value must be a number";
    case "date":
      return blank || isDateText(value) ? "" : "the value must be a date (ISO 8601)";
    case "user":
      return blank || isNumeric(value) ? "" : "the value must be a user id";
    default:
      return blank || typeof value === "string" || typeof value === "number" ? "" : "the value must be text";
  }
}

/**
 * Read filters pasted as JSON and check them against this project's columns. Accepts Label
 * Studio's `{"conjunction", "items"}`, the same wrapped as `{"filters": …}` (a view's data or an
 * API body), or a bare list of items. Every item must name a known column, an operator that
 * column offers and a value that operator takes; the first problem is reported, naming the item.
 * Each item's `type` is taken from the column (the server compares by it).
 * @param {string} text @param {Column[]} columns
 * @returns {{ok: boolean, filters?: Filters, error?: string, index?: number}} filters when ok, else error (and the item's index)
 */
export function parseFilters(text, columns) {
  const source = String(text ?? "").trim();
  if (!source) return { ok: false, error: "Nothing to paste: the clipboard is empty." };
  /** @type {any} */
  let data;
  try {
    data = JSON.parse(source);
  } catch (error) {
    return { ok: false, error: `This is not filter JSON (${/** @type {Error} */ (error).message}).` };
  }
  if (data && typeof data === "object" && !Array.isArray(data) && data.filters && typeof data.filters === "object") data = data.filters;
  if (Array.isArray(data)) data = { conjunction: "and", items: data };
  if (!data || typeof data !== "object" || !Array.isArray(data.items)) {
    return { ok: false, error: 'This is not filter JSON: expected {"conjunction": "and", "items": [...]}.' };
  }
  const conjunction = data.conjunction ?? "and";
  if (conjunction !== "and" && conjunction !== "or") return { ok: false, error: `The conjunction must be "and" or "or", not ${JSON.stringify(conjunction)}.` };
  const usable = filterableColumns(columns);
  /** @type {FilterItem[]} */
  const items = [];
  for (let index = 0; index < data.items.length; index++) {
    const item = data.items[index];
    const n = index + 1;
    if (!item || typeof item !== "object" || Array.isArray(item)) return { ok: false, index, error: `Filter ${n} is not an object.` };
    if (typeof item.filter !== "string" || !item.filter.startsWith("filter:tasks:")) {
      return { ok: false, index, error: `Filter ${n}: "filter" must be "filter:tasks:<column>", not ${JSON.stringify(item.filter ?? null)}.` };
    }
    const name = item.filter.slice("filter:tasks:".length);
    const column = columnOf(item, usable);
    if (!column) return { ok: false, index, error: `Filter ${n} (${name}): this project has no column “${name}”.` };
    if (item.child_filter) return { ok: false, index, error: `Filter ${n} (${name}): nested child filters are not supported.` };
    const operators = operatorsFor(column);
    if (typeof item.operator !== "string" || !operators.includes(item.operator)) {
      return { ok: false, index, error: `Filter ${n} (${name}): unknown operator ${JSON.stringify(item.operator ?? null)} for this column; use one of ${operators.join(", ")}.` };
    }
    const value = valueInput(column, item.operator) === "none" ? null : item.value;
    const problem = valueProblem(column, item.operator, value);
    if (problem) return { ok: false, index, error: `Filter ${n} (${name} ${item.operator}): ${problem}.` };
    items.push({ filter: item.filter, operator: item.operator, type: column.type, value: value === undefined ? "" : value });
  }
  return { ok: true, filters: { conjunction, items } };
}

// ---- card grid ------------------------------------------------------------------------------

/** Card sizes: the narrowest a card may get (columns follow the width) and its fixed height. */
export const CARD_SIZES = /** @type {Record<CardSize, {minWidth: number, height: number}>} */ ({
  small: { minWidth: 150, height: 156 },
  medium: { minWidth: 220, height: 224 },
  large: { minWidth: 320, height: 316 },
});
export const GRID_GAP = 12;
export const GRID_PAD = 16;

/** @param {any} size @returns {CardSize} */
export const cardSize = (size) => (size === "small" || size === "large" ? size : "medium");

/**
 * How many cards fit side by side in a container width (at least one).
 * @param {number} width @param {number} minCardWidth @param {number} [gap] @param {number} [padding] on each side
 */
export function gridColumns(width, minCardWidth, gap = GRID_GAP, padding = GRID_PAD) {
  const inner = Math.max(0, width - 2 * padding);
  return Math.max(1, Math.floor((inner + gap) / (minCardWidth + gap)));
}

/**
 * The card rows a viewport shows and the pages they need: windowOf over rows of `columns`
 * cards, turned back into task indices.
 * @param {{scrollTop: number, viewport: number, rowHeight: number, columns: number, total: number, pageSize: number, overscan?: number, scale?: number}} o
 */
export function gridWindowOf(o) {
  const columns = Math.max(1, o.columns);
  const rows = Math.ceil(o.total / columns);
  const win = windowOf({ scrollTop: o.scrollTop, viewport: o.viewport, rowHeight: o.rowHeight, total: rows, pageSize: 1, overscan: o.overscan ?? 2, scale: o.scale });
  const start = win.start * columns;
  const end = Math.min(o.total, win.end * columns);
  const firstPage = Math.floor(start / o.pageSize) + 1;
  const lastPage = Math.max(firstPage, Math.floor(Math.max(0, end - 1) / o.pageSize) + 1);
  /** @type {number[]} */
  const pages = [];
  for (let p = firstPage; p <= lastPage; p++) pages.push(p);
  return { rows, firstRow: win.first, offset: win.offset, startRow: win.start, endRow: win.end, start, end, pages };
}

/**
 * Where a key moves the focused card: ←/→ one card, ↑/↓ one row (same column), PageUp/PageDown
 * `pageRows` rows, Home/End the first/last task. null for other keys.
 * @param {number} index @param {string} key @param {number} columns @param {number} total @param {number} pageRows
 */
export function gridMove(index, key, columns, total, pageRows) {
  if (total <= 0) return null;
  const clamp = (/** @type {number} */ i) => Math.max(0, Math.min(total - 1, i));
  /** @type {Record<string, number>} */
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns, PageUp: -columns * pageRows, PageDown: columns * pageRows };
  if (key in moves) {
    const next = index + moves[key];
    // ↓ from the last full row goes to the last card (a shorter last row), ↑ from the top row stays.
    if (key === "ArrowUp" && next < 0) return index;
    return clamp(next);
  }
  if (key === "Home") return 0;
  if (key === "End") return total - 1;
  return null;
}
