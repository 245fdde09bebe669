import { test } from "node:test";
import assert from "node:assert/strict";
import { assignColumns, covers, drawableRange, lineRange, pickAt, rangeLines, rangeText, splitLines } from "../lib/ranges.js";

test("splitLines numbers lines like the server does", () => {
  assert.deepEqual(splitLines("a\nb\n"), ["a", "b"]);
  assert.deepEqual(splitLines("a\r\nb\rc"), ["a", "b", "c"]);
  assert.deepEqual(splitLines("a\n\n"), ["a", ""]);
  assert.deepEqual(splitLines(""), [""]);
  assert.deepEqual(splitLines(undefined), [""]);
});

test("lineRange orders and clamps two picked lines", () => {
  assert.deepEqual(lineRange(5, 2, 10), { start: 2, end: 5 });
  assert.deepEqual(lineRange(3, 3, 10), { start: 3, end: 3 });
  assert.deepEqual(lineRange(0, 99, 10), { start: 1, end: 10 });
  assert.deepEqual(lineRange(1, 1, 0), { start: 1, end: 1 });
});

test("drawableRange refuses non-ranges and ranges past the end", () => {
  assert.equal(drawableRange({ start: "x", end: 2 }, 5), null);
  assert.equal(drawableRange({}, 5), null);
  assert.equal(drawableRange({ start: 7, end: 9 }, 5), null);
  assert.deepEqual(drawableRange({ start: 4, end: 9 }, 5), { start: 4, end: 5 });
  assert.deepEqual(drawableRange({ start: 3, end: 1 }, 5), { start: 1, end: 3 });
});

test("covers is inclusive at both ends", () => {
  const r = { start: 2, end: 4 };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => covers(r, n)), [false, true, true, true, false]);
});

test("assignColumns keeps overlapping ranges apart and reuses free columns", () => {
  const columns = assignColumns([
    { id: "a", start: 1, end: 10 },
    { id: "b", start: 2, end: 3 },
    { id: "c", start: 3, end: 5 },
    { id: "d", start: 6, end: 8 },
  ]);
  assert.equal(columns.get("a"), 0);
  assert.equal(columns.get("b"), 1);
  assert.equal(columns.get("c"), 2); // overlaps a and b on line 3
  assert.equal(columns.get("d"), 1); // b's column is free again
});

test("pickAt picks the innermost range, then cycles", () => {
  const ranges = [{ id: "outer", start: 1, end: 9 }, { id: "inner", start: 3, end: 4 }];
  assert.equal(pickAt(ranges, 3, null)?.id, "inner");
  assert.equal(pickAt(ranges, 3, "inner")?.id, "outer");
  assert.equal(pickAt(ranges, 3, "outer")?.id, "inner");
  assert.equal(pickAt(ranges, 7, null)?.id, "outer");
  assert.equal(pickAt(ranges, 12, null), null);
});

test("rangeText and rangeLines", () => {
  assert.equal(rangeText({ start: 4, end: 4 }), "Line 4");
  assert.equal(rangeText({ start: 2, end: 5 }), "Lines 2–5");
  assert.equal(rangeLines(["a", "b", "c"], { start: 2, end: 3 }), "b\nc");
  assert.equal(rangeLines(["a", "b", "c"], { start: 3, end: 9 }), "c");
});
