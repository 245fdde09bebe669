// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { scopeCss, scopeSelectors } from "../lib/css-scope.js";
import { matches, followFilter, publishFilter, pickFirst, registerPicker } from "../lib/filter.js";
import { renderMarkdown, safeUrl } from "../lib/markdown.js";
import { parseCsv, tableOf } from "../lib/table.js";

test("markdown renders common syntax and never passes raw HTML through", () => {
  const html = renderMarkdown("# Title\n\nSome **bold** and *it* and `<code>`\n\n- one\n- two\n  - nested\n\n1. first\n\n> quote\n\n```\n<b>x</b>\n```");
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /<strong>bold<\/strong> and <em>it<\/em> and <code>&lt;code&gt;<\/code>/);
  assert.match(html, /<ul><li>one<\/li><li>two<ul><li>nested<\/li><\/ul><\/li><\/ul>/);
  assert.match(html, /<ol><li>first<\/li><\/ol>/);
  assert.match(html, /<blockquote><p>quote<\/p><\/blockquote>/);
  assert.match(html, /<pre><code>&lt;b&gt;x&lt;\/b&gt;<\/code><\/pre>/);
  const evil = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](JaVa\tScript:x) ![i](data:text/html,x) [ok](https://e.com/a_b_c "t")');
  assert.ok(!/<script|<img src=x|href="javascript/i.test(evil), evil);
  assert.match(evil, /&lt;script&gt;/);
  assert.match(evil, /<a href="https:\/\/e.com\/a_b_c" target="_blank" rel="noopener noreferrer" title="t">ok<\/a>/);
  assert.equal(safeUrl("/relative"), true);
  assert.equal(safeUrl("java\nscript:x"), false);
  assert.match(renderMarkdown("| a | b |\n|---|--:|\n| 1 | 2 |"), /<table><thead><tr><th>a<\/th><th style="text-align:right">b<\/th><\/tr><\/thead><tbody><tr><td>1<\/td><td style="text-align:right">2<\/td><\/tr><\/tbody><\/table>/);
});

test("style scoping prefixes every selector and drops imports", () => {
  const scope = '[data-llc-scope="s1"]';
  assert.equal(scopeSelectors(".a, body .b, :root, h1:is(.x, .y)", scope), `${scope} .a, ${scope} .b, ${scope}, ${scope} h1:is(.x, .y)`);
  const css = scopeCss('@import url(http://evil/x.css); /* c */ .x { color: red; content: "}" } @media (max-width: 600px) { .y { margin: 0 } } @keyframes spin { from { opacity: 0 } to { opacity: 1 } }', scope);
  assert.ok(!css.includes("@import"));
  assert.match(css, /\[data-llc-scope="s1"\] \.x \{ color: red; content: "\}" \}/);
  assert.match(css, /@media \(max-width: 600px\) \{\n\[data-llc-scope="s1"\] \.y \{ margin: 0 \}/);
  assert.match(css, /@keyframes spin \{ from \{ opacity: 0 \} to \{ opacity: 1 \} \}/);
});

test("tables: dicts sorted by key, lists of dicts by columns, CSV with options", () => {
  assert.deepEqual(tableOf({ b: 1, A: { x: 1 }, c: null }, undefined), { columns: ["Name", "Value"], rows: [["A", '{"x":1}'], ["b", "1"], ["c", ""]] });
  assert.deepEqual(tableOf([{ k: 1, v: "a" }, { k: 2 }], "json"), { columns: ["k", "v"], rows: [["1", "a"], ["2", ""]] });
  assert.deepEqual(tableOf('x;y\n1;"a;b"\n', "csv|separator=;"), { columns: ["x", "y"], rows: [["1", "a;b"]] });
  assert.deepEqual(tableOf("1,2\n3,4", "csv|headless"), { columns: ["0", "1"], rows: [["1", "2"], ["3", "4"]] });
  assert.deepEqual(parseCsv('a,"he said ""hi"""\r\n'), [["a", 'he said "hi"']]);
});

test("filter: minlength gates the query; the bus is per store", () => {
  assert.equal(matches("Person", "per", 3), true);
  assert.equal(matches("Location", "pe", 3), true, "too short: no filtering");
  assert.equal(matches("Location", "per", 3), false);
  const storeA = {};
  const storeB = {};
  /** @type {string[]} */
  const seen = [];
  const stop = followFilter(storeA, "ner", (state) => seen.push(state.query));
  publishFilter(storeA, "ner", { query: "lo", minlength: 1 });
  publishFilter(storeB, "ner", { query: "xx", minlength: 1 });
  stop();
  publishFilter(storeA, "ner", { query: "gone", minlength: 1 });
  assert.deepEqual(seen, ["", "lo"]);
  let picked = 0;
  registerPicker(storeA, "ner", () => (picked++, true));
  assert.equal(pickFirst(storeA, "ner"), true);
  assert.equal(pickFirst(storeB, "ner"), false);
  assert.equal(picked, 1);
});
