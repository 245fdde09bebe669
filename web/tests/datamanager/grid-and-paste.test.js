// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import * as m from "../../static/app/datamanager/model.js";

const text = { id: "text", title: "text", type: "Text", parent: "data" };
const score = { id: "score", title: "score", type: "Number", parent: "data" };
const id = { id: "id", title: "ID", type: "Number" };
const count = { id: "total_annotations", title: "Annotations", type: "Number" };
const done = { id: "completed_at", title: "Completed", type: "Datetime" };
const who = { id: "annotators", title: "Annotated by", type: "List" };
const draft = { id: "draft_exists", title: "Drafts", type: "Boolean" };
const root = { id: "data", title: "data", type: "List", children: ["text", "score"] };
const columns = [root, text, score, id, count, done, who, draft];

// ---- grid geometry ----------------------------------------------------------------------------

test("columns follow the container width and the card size, never fewer than one", () => {
  // 16 px padding each side, 12 px gaps: n cards need n*w + (n-1)*12 + 32 px.
  assert.equal(m.gridColumns(32 + 4 * 220 + 3 * 12, 220), 4);
  assert.equal(m.gridColumns(32 + 4 * 220 + 3 * 12 - 1, 220), 3);
  assert.equal(m.gridColumns(100, 220), 1);
  assert.equal(m.gridColumns(0, 220), 1);
  const wide = 1368;
  assert.ok(m.gridColumns(wide, m.CARD_SIZES.small.minWidth) > m.gridColumns(wide, m.CARD_SIZES.medium.minWidth));
  assert.ok(m.gridColumns(wide, m.CARD_SIZES.medium.minWidth) > m.gridColumns(wide, m.CARD_SIZES.large.minWidth));
  assert.equal(m.cardSize("large"), "large");
  assert.equal(m.cardSize(undefined), "medium");
  assert.equal(m.cardSize("huge"), "medium");
});

test("the grid window covers the card rows in view plus overscan, and their pages", () => {
  // 4 cards a row, 200 px rows, 600 px viewport, at the top: rows 0..4 (+2 overscan) → tasks 0..27.
  const top = m.gridWindowOf({ scrollTop: 0, viewport: 600, rowHeight: 200, columns: 4, total: 1000, pageSize: 100 });
  assert.equal(top.rows, 250);
  assert.equal(top.firstRow, 0);
  assert.equal(top.startRow, 0);
  assert.equal(top.endRow, 6); // ceil(600/200)+1 visible + 2 overscan
  assert.equal(top.start, 0);
  assert.equal(top.end, 24);
  assert.deepEqual(top.pages, [1]);
  // Scrolled to row 24 (task 96): rows 22..30 → tasks 88..119, pages 1 and 2.
  const mid = m.gridWindowOf({ scrollTop: 24 * 200 + 50, viewport: 600, rowHeight: 200, columns: 4, total: 1000, pageSize: 100 });
  assert.equal(mid.firstRow, 24);
  assert.equal(mid.offset, 0.25);
  assert.equal(mid.start, 22 * 4);
  assert.equal(mid.end, 30 * 4);
  assert.deepEqual(mid.pages, [1, 2]);
  // The end: a short last row, never past the total.
  const end = m.gridWindowOf({ scrollTop: 1e9, viewport: 600, rowHeight: 200, columns: 3, total: 10, pageSize: 100 });
  assert.equal(end.rows, 4);
  assert.equal(end.end, 10);
  assert.deepEqual(end.pages, [1]);
  // Nothing to show.
  const empty = m.gridWindowOf({ scrollTop: 0, viewport: 600, rowHeight: 200, columns: 3, total: 0, pageSize: 100 });
  assert.equal(empty.start, 0);
  assert.equal(empty.end, 0);
  assert.deepEqual(empty.pages, [1]);
});

test("a million tasks: a scaled spacer still reaches the last card row, with few cards in the DOM", () => {
  const total = 1_000_000, columns = 5, rowHeight = 236, viewport = 800;
  const rows = Math.ceil(total / columns);
  const { height, scale } = m.spacerOf(rows, rowHeight, viewport);
  assert.ok(height <= m.MAX_SPACER && scale > 1);
  const last = m.gridWindowOf({ scrollTop: height - viewport, viewport, rowHeight, columns, total, pageSize: 100, scale });
  assert.equal(last.end, total);
  assert.ok(last.end - last.start <= 10 * columns);
  assert.deepEqual(last.pages, [10_000]);
  const middle = m.gridWindowOf({ scrollTop: (height - viewport) / 2, viewport, rowHeight, columns, total, pageSize: 100, scale });
  assert.ok(Math.abs(middle.start - total / 2) < 100);
});

test("arrow keys move between cards; up/down keep the column; the ends are clamped", () => {
  const cols = 4, total = 10, page = 2;
  assert.equal(m.gridMove(0, "ArrowRight", cols, total, page), 1);
  assert.equal(m.gridMove(0, "ArrowLeft", cols, total, page), 0);
  assert.equal(m.gridMove(1, "ArrowDown", cols, total, page), 5);
  assert.equal(m.gridMove(5, "ArrowUp", cols, total, page), 1);
  assert.equal(m.gridMove(2, "ArrowUp", cols, total, page), 2); // top row stays
  assert.equal(m.gridMove(7, "ArrowDown", cols, total, page), 9); // into a shorter last row: its last card
  assert.equal(m.gridMove(9, "ArrowRight", cols, total, page), 9);
  assert.equal(m.gridMove(1, "PageDown", cols, total, page), 9);
  assert.equal(m.gridMove(9, "PageUp", cols, total, page), 1);
  assert.equal(m.gridMove(5, "Home", cols, total, page), 0);
  assert.equal(m.gridMove(5, "End", cols, total, page), 9);
  assert.equal(m.gridMove(5, "Enter", cols, total, page), null);
  assert.equal(m.gridMove(0, "ArrowDown", cols, 0, page), null);
});

// ---- copy / paste of filters -------------------------------------------------------------------

test("copied filters are Label Studio's JSON and paste back to the same filters", () => {
  /** @type {m.Filters} */
  const filters = { conjunction: "or", items: [
    { filter: "filter:tasks:data.text", operator: "contains", type: "Text", value: "cat" },
    { filter: "filter:tasks:id", operator: "in", type: "Number", value: { min: 3, max: 9 } },
    { filter: "filter:tasks:annotators", operator: "contains", type: "List", value: 1 },
    { filter: "filter:tasks:completed_at", operator: "less", type: "Datetime", value: "2026-01-01T00:00:00.000Z" },
    { filter: "filter:tasks:total_annotations", operator: "empty", type: "Number", value: false },
  ] };
  const json = m.filtersJson({ ...filters, items: filters.items.map((i) => ({ ...i, extra: 1 })) });
  assert.deepEqual(JSON.parse(json), filters); // only the four keys Label Studio defines
  const back = m.parseFilters(json, columns);
  assert.equal(back.ok, true);
  assert.deepEqual(back.filters, filters);
});

test("pasting accepts the wrapped and bare forms, and takes each item's type from the column", () => {
  const item = { filter: "filter:tasks:data.score", operator: "greater", type: "String", value: 0.5 };
  const wrapped = m.parseFilters(JSON.stringify({ filters: { conjunction: "and", items: [item] }, ordering: [] }), columns);
  assert.deepEqual(wrapped.filters, { conjunction: "and", items: [{ ...item, type: "Number" }] });
  const bare = m.parseFilters(JSON.stringify([item]), columns);
  assert.equal(bare.filters?.conjunction, "and");
  const noConj = m.parseFilters(JSON.stringify({ items: [] }), columns);
  assert.deepEqual(noConj.filters, { conjunction: "and", items: [] });
  const exists = m.parseFilters(JSON.stringify({ items: [{ filter: "filter:tasks:data.text", operator: "exists", value: "ignored" }] }), columns);
  assert.deepEqual(exists.filters?.items[0], { filter: "filter:tasks:data.text", operator: "exists", type: "Text", value: null });
});

test("bad pasted filters are refused with a message naming the item", () => {
  /** @param {any} data */
  const error = (data) => {
    const result = m.parseFilters(typeof data === "string" ? data : JSON.stringify(data), columns);
    assert.equal(result.ok, false);
    assert.equal(result.filters, undefined);
    return /** @type {string} */ (result.error);
  };
  assert.match(error(""), /empty/);
  assert.match(error("{not json"), /not filter JSON/);
  assert.match(error({ conjunction: "and" }), /expected \{"conjunction"/);
  assert.match(error({ conjunction: "xor", items: [] }), /"and" or "or".*"xor"/);
  const ok = { filter: "filter:tasks:id", operator: "greater", type: "Number", value: 3 };
  assert.match(error({ items: [ok, { filter: "filter:tasks:data.nothere", operator: "equal", type: "String", value: "x" }] }),
    /^Filter 2 \(data\.nothere\): this project has no column “data\.nothere”/);
  assert.match(error({ items: [{ ...ok, operator: "bogus" }] }), /^Filter 1 \(id\): unknown operator "bogus".*use one of equal, not_equal/);
  assert.match(error({ items: [{ ...ok, operator: "regex" }] }), /Filter 1 \(id\): unknown operator "regex"/); // no regex on numbers
  assert.match(error({ items: [{ ...ok, filter: "tasks:id" }] }), /^Filter 1: "filter" must be "filter:tasks:<column>"/);
  assert.match(error({ items: [ok, ok, "x"] }), /^Filter 3 is not an object/);
  assert.match(error({ items: [{ ...ok, value: "three" }] }), /^Filter 1 \(id greater\): the value must be a number/);
  assert.match(error({ items: [{ ...ok, operator: "in", value: 3 }] }), /\{"min": …, "max": …\}/);
  assert.match(error({ items: [{ ...ok, operator: "in", value: { min: "a" } }] }), /“min” must be a number/);
  assert.match(error({ items: [{ filter: "filter:tasks:completed_at", operator: "less", value: "yesterday-ish" }] }), /must be a date/);
  assert.match(error({ items: [{ filter: "filter:tasks:draft_exists", operator: "equal", value: "yes" }] }), /true or false/);
  assert.match(error({ items: [{ filter: "filter:tasks:data.text", operator: "contains", value: { a: 1 } }] }), /must be text/);
  assert.match(error({ items: [{ ...ok, child_filter: { filter: "filter:tasks:id", operator: "less", value: 9 } }] }), /child filters/);
  assert.match(error({ items: [{ filter: "filter:tasks:data", operator: "equal", value: "x" }] }), /no column “data”/); // the root holds no value
});
