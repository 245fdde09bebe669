// @ts-check
/**
 * Label Studio's HyperText positions: the XPath of a text node relative to the content root
 * ("/div[1]/p[2]/text()[1]"), an offset inside that node, and `globalOffsets` counted over the
 * whole content. Works on any DOM-shaped tree (nodeType, nodeName, childNodes, parentNode,
 * nodeValue), so it runs in node tests on plain objects and in the browser on real nodes.
 *
 * Offsets inside a node (startOffset/endOffset) are DOM Range offsets (UTF-16), as Label Studio
 * records them from the browser's selection. globalOffsets count code points over the text
 * nodes in document order, with each <br> counting as one character (a line break).
 */

/**
 * @typedef {object} DomLike
 * @property {number} nodeType  1 element, 3 text
 * @property {string} nodeName
 * @property {ArrayLike<DomLike>} childNodes
 * @property {DomLike|null} parentNode
 * @property {string|null} nodeValue
 */

const ELEMENT = 1;
const TEXT = 3;

/** @param {DomLike} node */
function step(node) {
  const parent = node.parentNode;
  const siblings = parent ? Array.from(parent.childNodes) : [node];
  if (node.nodeType === TEXT) {
    let n = 0;
    for (const s of siblings) {
      if (s.nodeType === TEXT) n++;
      if (s === node) break;
    }
    return `text()[${n}]`;
  }
  const name = node.nodeName.toLowerCase();
  let n = 0;
  for (const s of siblings) {
    if (s.nodeType === ELEMENT && s.nodeName.toLowerCase() === name) n++;
    if (s === node) break;
  }
  return `${name}[${n}]`;
}

/**
 * XPath of `node` relative to `root` ("" for the root itself).
 * @param {DomLike} node @param {DomLike} root
 */
export function xpathOf(node, root) {
  const steps = [];
  /** @type {DomLike|null} */
  let current = node;
  while (current && current !== root) {
    steps.push(step(current));
    current = current.parentNode;
  }
  if (current !== root) throw new Error("node is outside the root");
  return steps.length ? "/" + steps.reverse().join("/") : "";
}

/**
 * The node an XPath (as xpathOf writes them) points at, or null.
 * @param {DomLike} root @param {string} path
 * @returns {DomLike|null}
 */
export function nodeAt(root, path) {
  /** @type {DomLike|null} */
  let current = root;
  for (const part of String(path || "").split("/").filter(Boolean)) {
    const m = /^(text\(\)|[a-z0-9_-]+)\[(\d+)\]$/i.exec(part);
    if (!m || !current) return null;
    const want = Number(m[2]);
    const isText = m[1] === "text()";
    const name = m[1].toLowerCase();
    let n = 0;
    /** @type {DomLike|null} */
    let found = null;
    for (const child of Array.from(current.childNodes)) {
      const match = isText ? child.nodeType === TEXT : child.nodeType === ELEMENT && child.nodeName.toLowerCase() === name;
      if (match && ++n === want) {
        found = child;
        break;
      }
    }
    current = found;
  }
  return current;
}

/** @param {string} s */
function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/**
 * The content's text nodes (and <br>s) in document order, each with its global start offset in
 * code points. Built once per render; positions are looked up in it.
 * @param {DomLike} root
 * @returns {{node: DomLike, start: number, length: number, isBreak: boolean}[]}
 */
export function textIndex(root) {
  /** @type {{node: DomLike, start: number, length: number, isBreak: boolean}[]} */
  const out = [];
  let offset = 0;
  /** @param {DomLike} node */
  const walk = (node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT) {
        const length = codePoints(child.nodeValue || "");
        out.push({ node: child, start: offset, length, isBreak: false });
        offset += length;
      } else if (child.nodeType === ELEMENT) {
        if (child.nodeName.toLowerCase() === "br") {
          out.push({ node: child, start: offset, length: 1, isBreak: true });
          offset += 1;
        } else walk(child);
      }
    }
  };
  walk(root);
  return out;
}

/**
 * A DOM boundary (container + offset, as in a Range) as a text node + UTF-16 offset inside it.
 * Element boundaries are moved to the nearest text node: forward for a start, backward for an end.
 * @param {DomLike} root @param {DomLike} container @param {number} offset @param {boolean} isEnd
 * @returns {{node: DomLike, offset: number} | null}
 */
export function toTextBoundary(root, container, offset, isEnd) {
  if (container.nodeType === TEXT) return { node: container, offset };
  const index = textIndex(root).filter((e) => !e.isBreak);
  if (!index.length) return null;
  // the child before which the boundary sits; find the first text node at/after it
  const children = Array.from(container.childNodes);
  const after = children[offset] || null;
  /** @param {DomLike} a @param {DomLike} b  is a inside-or-equal b */
  const within = (a, b) => {
    for (let n = /** @type {DomLike|null} */ (a); n; n = n.parentNode) if (n === b) return true;
    return false;
  };
  let position = index.length; // index of first text node at/after the boundary
  if (after) {
    const k = index.findIndex((e) => within(e.node, after) || follows(e.node, after));
    position = k < 0 ? index.length : k;
  } else {
    // boundary at the end of container: first text node after the container's subtree
    const k = index.findIndex((e) => !within(e.node, container) && follows(e.node, container));
    position = k < 0 ? index.length : k;
  }
  if (isEnd) {
    const prev = index[position - 1];
    return prev ? { node: prev.node, offset: (prev.node.nodeValue || "").length } : { node: index[0].node, offset: 0 };
  }
  const next = index[position];
  return next ? { node: next.node, offset: 0 } : { node: index[index.length - 1].node, offset: (index[index.length - 1].node.nodeValue || "").length };
}

/**
 * Whether `a` comes after `b` in document order (and is not inside it).
 * @param {DomLike} a @param {DomLike} b
 */
function follows(a, b) {
  const path = (/** @type {DomLike} */ n) => {
    const out = [];
    for (let c = /** @type {DomLike|null} */ (n); c; c = c.parentNode) out.unshift(c);
    return out;
  };
  const pa = path(a);
  const pb = path(b);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  if (i === pb.length) return false; // a inside b
  if (i === pa.length) return false; // b inside a
  const parent = pa[i - 1];
  const kids = Array.from(parent.childNodes);
  return kids.indexOf(pa[i]) > kids.indexOf(pb[i]);
}

/**
 * A HyperText result value from a selection between two text boundaries.
 * @param {DomLike} root
 * @param {{node: DomLike, offset: number}} start @param {{node: DomLike, offset: number}} end
 * @returns {{start: string, startOffset: number, end: string, endOffset: number, globalOffsets: {start: number, end: number}, text: string} | null}
 */
export function htmlSpanValue(root, start, end) {
  const index = textIndex(root);
  const at = (/** @type {DomLike} */ node) => index.findIndex((e) => e.node === node);
  const si = at(start.node);
  const ei = at(end.node);
  if (si < 0 || ei < 0) return null;
  const startText = start.node.nodeValue || "";
  const endText = end.node.nodeValue || "";
  const gStart = index[si].start + codePoints(startText.slice(0, start.offset));
  const gEnd = index[ei].start + codePoints(endText.slice(0, end.offset));
  if (gEnd <= gStart) return null;
  let text = "";
  if (si === ei) text = startText.slice(start.offset, end.offset);
  else {
    text = startText.slice(start.offset);
    for (let k = si + 1; k < ei; k++) text += index[k].isBreak ? "\n" : index[k].node.nodeValue || "";
    text += endText.slice(0, end.offset);
  }
  return {
    start: xpathOf(start.node, root),
    startOffset: start.offset,
    end: xpathOf(end.node, root),
    endOffset: end.offset,
    globalOffsets: { start: gStart, end: gEnd },
    text,
  };
}

/**
 * Trim whitespace off both ends of a text-node selection (moving across nodes if needed).
 * @param {DomLike} root
 * @param {{node: DomLike, offset: number}} start @param {{node: DomLike, offset: number}} end
 */
export function trimBoundaries(root, start, end) {
  const index = textIndex(root).filter((e) => !e.isBreak);
  let si = index.findIndex((e) => e.node === start.node);
  let ei = index.findIndex((e) => e.node === end.node);
  if (si < 0 || ei < 0) return null;
  let so = start.offset;
  let eo = end.offset;
  const val = (/** @type {number} */ k) => index[k].node.nodeValue || "";
  for (;;) {
    const s = val(si);
    while (so < s.length && /\s/.test(s[so]) && (si < ei || so < eo)) so++;
    if (so < s.length || si >= ei) break;
    si++;
    so = 0;
  }
  for (;;) {
    const e = val(ei);
    while (eo > 0 && /\s/.test(e[eo - 1]) && (ei > si || eo > so)) eo--;
    if (eo > 0 || ei <= si) break;
    ei--;
    eo = val(ei).length;
  }
  if (si > ei || (si === ei && so >= eo)) return null;
  return { start: { node: index[si].node, offset: so }, end: { node: index[ei].node, offset: eo } };
}
