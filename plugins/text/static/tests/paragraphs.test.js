import { test } from "node:test";
import assert from "node:assert/strict";
import { readParagraphs, paragraphValue, paragraphRanges } from "../lib/paragraphs.js";

const texts = ["Hi, Bob 😀.", "", "Hello, Alice! How are you?"];

test("reading the task value", () => {
  assert.deepEqual(readParagraphs([{ author: "A", text: "x" }, { author: null, text: 3 }], "author", "text"), [{ name: "A", text: "x" }, { name: "", text: "3" }]);
  assert.throws(() => readParagraphs("nope", "author", "text"), /expects a list of objects/);
});

test("a selection within one paragraph", () => {
  assert.deepEqual(paragraphValue(texts, { index: 0, offset: 4 }, { index: 0, offset: 7 }), { start: "0", end: "0", startOffset: 4, endOffset: 7, text: "Bob" });
});

test("a selection between paragraphs, code-point offsets, whitespace trimmed", () => {
  const value = paragraphValue(texts, { index: 0, offset: 8 }, { index: 2, offset: 6 });
  assert.deepEqual(value, { start: "0", end: "2", startOffset: 8, endOffset: 6, text: "😀.\n\nHello," });
  // reversed selection, leading space trimmed
  assert.deepEqual(paragraphValue(texts, { index: 2, offset: 13 }, { index: 2, offset: 6 }), { start: "2", end: "2", startOffset: 7, endOffset: 13, text: "Alice!" });
  assert.equal(paragraphValue(texts, { index: 0, offset: 3 }, { index: 0, offset: 4 }), null);
});

test("ranges for highlighting a stored span", () => {
  assert.deepEqual(paragraphRanges(texts, { start: "0", end: "2", startOffset: 8, endOffset: 6 }), [
    { index: 0, from: 8, to: 11 }, { index: 2, from: 0, to: 6 },
  ]);
  assert.deepEqual(paragraphRanges(texts, { start: "9", end: "9", startOffset: 0, endOffset: 1 }), []);
});
