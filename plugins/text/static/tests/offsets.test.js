import { test } from "node:test";
import assert from "node:assert/strict";
import { CodePoints, snapSelection, spanValue } from "../lib/offsets.js";

test("code points round-trip around emoji and astral characters", () => {
  const text = "Zoë 😀 met 𝔸nna 👩‍👩‍👧 in Paris";
  const cps = new CodePoints(text);
  assert.equal(cps.length, [...text].length);
  for (let cp = 0; cp <= cps.length; cp++) {
    const u16 = cps.toUtf16(cp);
    assert.equal(cps.toCodePoint(u16), cp);
    assert.equal(text.slice(0, u16), [...text].slice(0, cp).join(""));
  }
});

test("span values use code points and keep the exact text", () => {
  const text = "😀 Anna lives in Paris 🇫🇷!";
  const cps = new CodePoints(text);
  const u16 = text.indexOf("Paris");
  assert.deepEqual(spanValue(cps, u16, u16 + 5), { start: 16, end: 21, text: "Paris" });
  const flag = text.indexOf("🇫🇷");
  assert.deepEqual(spanValue(cps, flag, flag + 4), { start: 22, end: 24, text: "🇫🇷" });
  // Python: "😀 Anna lives in Paris 🇫🇷!"[16:21] == "Paris"
  assert.equal([...text].slice(16, 21).join(""), "Paris");
});

test("ascii texts convert in O(1) and identity", () => {
  const cps = new CodePoints("plain text");
  assert.equal(cps.astral.length, 0);
  assert.equal(cps.toCodePoint(7), 7);
  assert.equal(cps.toUtf16(7), 7);
  assert.equal(cps.slice(0, 5), "plain");
});

test("snapping: whitespace trimmed, words whole, surrogates kept together", () => {
  const text = "Anna lives in São Paulo 😀.";
  assert.deepEqual(snapSelection(text, 4, 11), { start: 5, end: 10 }); // " lives " -> "lives"
  assert.deepEqual(snapSelection(text, 7, 6), { start: 6, end: 7 }); // reversed
  assert.deepEqual(snapSelection(text, 6, 8, "word"), { start: 5, end: 10 });
  const s = text.indexOf("São");
  assert.deepEqual(snapSelection(text, s + 1, s + 2, "word"), { start: s, end: s + 3 });
  const e = text.indexOf("😀");
  assert.deepEqual(snapSelection(text, e + 1, e + 2), { start: e, end: e + 2 });
  assert.equal(snapSelection(text, 4, 5), null); // only a space
});
