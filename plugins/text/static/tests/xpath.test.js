import { test } from "node:test";
import assert from "node:assert/strict";
import { xpathOf, nodeAt, textIndex, htmlSpanValue, toTextBoundary, trimBoundaries } from "../lib/xpath.js";

/** A minimal DOM: el("p", [..children]) and plain strings for text nodes. */
function el(name, children = []) {
  const node = { nodeType: 1, nodeName: name.toUpperCase(), childNodes: [], parentNode: null, nodeValue: null };
  for (const c of children) {
    const child = typeof c === "string" ? { nodeType: 3, nodeName: "#text", childNodes: [], parentNode: null, nodeValue: c } : c;
    child.parentNode = node;
    node.childNodes.push(child);
  }
  return node;
}

// <div><p>Hello <b>big</b> world</p><p>Zoë 😀 here<br>next</p></div>
const root = el("root", [el("div", [el("p", ["Hello ", el("b", ["big"]), " world"]), el("p", ["Zoë 😀 here", el("br"), "next"])])]);
const div = root.childNodes[0];
const [p1, p2] = div.childNodes;

test("xpaths count same-name siblings and text nodes", () => {
  assert.equal(xpathOf(p1.childNodes[0], root), "/div[1]/p[1]/text()[1]");
  assert.equal(xpathOf(p1.childNodes[2], root), "/div[1]/p[1]/text()[2]");
  assert.equal(xpathOf(p1.childNodes[1].childNodes[0], root), "/div[1]/p[1]/b[1]/text()[1]");
  assert.equal(xpathOf(p2.childNodes[2], root), "/div[1]/p[2]/text()[2]");
  for (const node of [p1.childNodes[2], p2.childNodes[0], p1.childNodes[1]]) assert.equal(nodeAt(root, xpathOf(node, root)), node);
  assert.equal(nodeAt(root, "/div[1]/p[3]"), null);
});

test("global offsets in code points with <br> as one character", () => {
  const index = textIndex(root);
  assert.deepEqual(index.map((e) => [e.start, e.length]), [[0, 6], [6, 3], [9, 6], [15, 10], [25, 1], [26, 4]]);
});

test("a selection across elements becomes Label Studio's value", () => {
  const value = htmlSpanValue(root, { node: p1.childNodes[1].childNodes[0], offset: 0 }, { node: p1.childNodes[2], offset: 6 });
  assert.deepEqual(value, {
    start: "/div[1]/p[1]/b[1]/text()[1]", startOffset: 0, end: "/div[1]/p[1]/text()[2]", endOffset: 6,
    globalOffsets: { start: 6, end: 15 }, text: "big world",
  });
  const t = p2.childNodes[0];
  const emoji = htmlSpanValue(root, { node: t, offset: 4 }, { node: p2.childNodes[2], offset: 4 });
  assert.deepEqual(emoji, {
    start: "/div[1]/p[2]/text()[1]", startOffset: 4, end: "/div[1]/p[2]/text()[2]", endOffset: 4,
    globalOffsets: { start: 19, end: 30 }, text: "😀 here\nnext",
  });
});

test("element boundaries move to text nodes; whitespace trimmed", () => {
  assert.deepEqual(toTextBoundary(root, p1, 1, false), { node: p1.childNodes[1].childNodes[0], offset: 0 });
  assert.deepEqual(toTextBoundary(root, p1, 3, true), { node: p1.childNodes[2], offset: 6 });
  assert.deepEqual(toTextBoundary(root, div, 1, false), { node: p2.childNodes[0], offset: 0 });
  const trimmed = trimBoundaries(root, { node: p1.childNodes[0], offset: 5 }, { node: p1.childNodes[2], offset: 1 });
  assert.deepEqual(trimmed, { start: { node: p1.childNodes[1].childNodes[0], offset: 0 }, end: { node: p1.childNodes[1].childNodes[0], offset: 3 } });
  assert.equal(trimBoundaries(root, { node: p1.childNodes[0], offset: 5 }, { node: p1.childNodes[0], offset: 6 }), null);
});
