// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveValue, getPath } from "../static/labeling/data.js";
import { labelColor, hexToRgba, readableTextColor, escapeHtml, PALETTE } from "../static/labeling/colors.js";
import { groupRows, regionSummary, windowRows } from "../static/labeling/regionview.js";
import { createStore } from "../static/labeling/store.js";

test("resolve: whole variable keeps structures, embedded ones substitute text", () => {
  const data = { text: "hi", a: { b: [1, { url: "u" }] }, items: [{ url: "x" }], n: 3 };
  assert.equal(resolveValue("$text", data), "hi");
  assert.deepEqual(resolveValue("$a.b", data), [1, { url: "u" }]);
  assert.equal(resolveValue("$items[0].url", data), "x");
  assert.equal(resolveValue("$a.b[1].url", data), "u");
  assert.equal(resolveValue("Title: $text ($n)", data), "Title: hi (3)");
  assert.equal(resolveValue("Cost: $missing", data), "Cost: $missing", "unknown variables stay visible");
  assert.equal(resolveValue("plain", data), "plain");
  assert.equal(resolveValue(5, data), 5);
  assert.equal(getPath(data, "items.0.url"), "x");
});

test("label colours: explicit background, palette for Label Studio's default", () => {
  const control = /** @type {any} */ ({ tag: "Labels", traits: ["labels"], attrs: {}, children: [
    { tag: "Label", traits: ["label"], attrs: { value: "PER", background: "#36B37E" } },
    { tag: "Label", traits: ["label"], attrs: { value: "LOC", background: "#36B37E" } },
    { tag: "Label", traits: ["label"], attrs: { value: "ORG", background: "red" } },
  ] });
  assert.equal(labelColor(control, "PER"), PALETTE[0]);
  assert.equal(labelColor(control, "LOC"), PALETTE[1]);
  assert.equal(labelColor(control, "ORG"), "red");
  assert.equal(labelColor(control, "unknown"), labelColor(control, "unknown"), "stable for labels not in the config");
});

test("hexToRgba, readable text, escaping", () => {
  assert.equal(hexToRgba("#fff", 0.5), "rgba(255, 255, 255, 0.5)");
  assert.equal(hexToRgba("#2F80ED", 0.16), "rgba(47, 128, 237, 0.16)");
  assert.equal(hexToRgba("red", 0.2), "color-mix(in srgb, red 20%, transparent)");
  assert.equal(readableTextColor("#ffffff"), "#111");
  assert.equal(readableTextColor("#1b1d24"), "#fff");
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

test("outliner rows: grouped by first label in first-seen order, numbered by creation", () => {
  const store = createStore();
  const mk = (/** @type {string} */ label, /** @type {number} */ start) => store.createRegion({ from_name: "ner", to_name: "t", type: "labels", value: { start, end: start + 1, text: "w" + start, labels: [label] } });
  mk("PER", 0);
  mk("LOC", 2);
  mk("PER", 4);
  const rows = groupRows(store.regions());
  assert.deepEqual(rows.map((r) => (r.kind === "group" ? `[${r.label} ${r.count}]` : `${r.index}:${r.region.value.text}`)), ["[PER 2]", "1:w0", "3:w4", "[LOC 1]", "2:w2"]);
  assert.equal(regionSummary(store.regions()[0]), "w0");
});

test("windowing renders only what is visible (plus overscan)", () => {
  assert.deepEqual(windowRows(2000, 32, 0, 320, 8), { start: 0, end: 18, before: 0, after: (2000 - 18) * 32 });
  const mid = windowRows(2000, 32, 32000, 320, 8);
  assert.equal(mid.start, 992);
  assert.equal(mid.end, 1018);
  assert.equal(mid.before + (mid.end - mid.start) * 32 + mid.after, 2000 * 32);
});
