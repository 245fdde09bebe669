import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkText, chunkAt, chunksOf, segmentsOf, assignLevels, changedIds } from "../lib/layout.js";

test("chunks follow lines and stay small", () => {
  const text = "first line\n\nthird " + "word ".repeat(500);
  const chunks = chunkText(text, 100);
  assert.deepEqual(chunks[0], { start: 0, end: 10, line: 0 });
  assert.deepEqual(chunks[1], { start: 11, end: 11, line: 1 });
  assert.equal(chunks[2].line, 2);
  assert.ok(chunks.every((c) => c.end - c.start <= 101));
  // chunks cover every character except the newlines
  let covered = "";
  for (const c of chunks) covered += text.slice(c.start, c.end);
  assert.equal(covered, text.replace(/\n/g, ""));
  assert.equal(chunks[chunks.length - 1].end, text.length);
});

test("chunks never split surrogate pairs", () => {
  const text = "😀".repeat(300);
  for (const c of chunkText(text, 99)) {
    assert.equal(text.charCodeAt(c.start) >= 0xd800 && text.charCodeAt(c.start) <= 0xdbff, true);
  }
});

test("finding chunks of a span", () => {
  const chunks = [{ start: 0, end: 10, line: 0 }, { start: 11, end: 20, line: 1 }, { start: 20, end: 30, line: 1 }];
  assert.equal(chunkAt(chunks, 0), 0);
  assert.equal(chunkAt(chunks, 10), 0);
  assert.equal(chunkAt(chunks, 25), 2);
  assert.deepEqual(chunksOf(chunks, 5, 15), [0, 1]);
  assert.deepEqual(chunksOf(chunks, 12, 20), [1]);
  assert.deepEqual(chunksOf(chunks, 0, 30), [0, 1, 2]);
});

test("segments cut at overlapping span boundaries", () => {
  const spans = [{ id: "a", start: 2, end: 8 }, { id: "b", start: 5, end: 12 }];
  assert.deepEqual(segmentsOf(0, 10, spans), [
    { start: 0, end: 2, ids: [] },
    { start: 2, end: 5, ids: ["a"] },
    { start: 5, end: 8, ids: ["a", "b"] },
    { start: 8, end: 10, ids: ["b"] },
  ]);
});

test("levels keep overlapping spans apart and reuse free levels", () => {
  const levels = assignLevels([
    { id: "a", start: 0, end: 10 }, { id: "b", start: 2, end: 4 }, { id: "c", start: 3, end: 12 },
    { id: "d", start: 11, end: 14 }, { id: "e", start: 20, end: 22 },
  ]);
  assert.deepEqual(Object.fromEntries(levels), { a: 0, b: 1, c: 2, d: 0, e: 0 });
});

test("changed ids", () => {
  const same = (x, y) => x.start === y.start && x.end === y.end;
  const before = new Map([["a", { start: 1, end: 2 }], ["b", { start: 3, end: 4 }]]);
  const after = new Map([["a", { start: 1, end: 2 }], ["b", { start: 3, end: 5 }], ["c", { start: 0, end: 1 }]]);
  assert.deepEqual(changedIds(before, after, same).sort(), ["b", "c"]);
  assert.deepEqual(changedIds(after, before, same).sort(), ["b", "c"]);
});
