// @ts-check
/**
 * A small, position-keeping XML reader and editor for labeling configs. DOM-free (node-tested).
 *
 * Why not DOMParser + XMLSerializer: re-serialising loses the user's formatting, attribute order,
 * quote style and entity spelling. The visual editor must change only the bytes it means to
 * change, so every node here records its source offsets and edits are splices of the original
 * text. The reader is tolerant: it reports problems and keeps going, but callers should only
 * edit documents without errors.
 */

/**
 * @typedef {object} XmlAttr
 * @property {string} name
 * @property {string} value      decoded value (entities resolved)
 * @property {string} raw        value as written, without quotes
 * @property {string} quote      `"` or `'`
 * @property {number} start      offset of the attribute name
 * @property {number} end        offset after the closing quote
 * @property {number} valueStart offset after the opening quote
 * @property {number} valueEnd   offset of the closing quote
 */

/**
 * @typedef {object} XmlElement
 * @property {"element"} type
 * @property {string} name
 * @property {number} start      offset of `<`
 * @property {number} openEnd    offset after the start tag's `>`
 * @property {number} closeStart offset of `</` (= openEnd for self-closing tags)
 * @property {number} end        offset after the element (its end tag's `>`)
 * @property {boolean} selfClosing
 * @property {XmlAttr[]} attrs
 * @property {XmlNode[]} children
 * @property {XmlElement|null} parent
 * @property {number} line       1-based line of `<`
 */

/**
 * @typedef {object} XmlOther
 * @property {"text"|"comment"|"cdata"|"pi"|"doctype"} type
 * @property {number} start
 * @property {number} end
 */

/** @typedef {XmlElement|XmlOther} XmlNode */
/** @typedef {{message: string, offset: number, line: number}} XmlError */
/** @typedef {{text: string, root: XmlElement|null, nodes: XmlNode[], errors: XmlError[], lineStarts: number[]}} XmlDocument */
/** @typedef {{start: number, end: number, insert: string}} Edit */

// Character tests by code, not regex: the reader runs on every visual edit of big configs.
/** XML whitespace (NBSP and friends are not separators in XML). @param {number} c */
const isSpace = (c) => c === 32 || c === 10 || c === 9 || c === 13;
const NAME_CHAR = { test: (/** @type {string|undefined} */ ch) => {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return !(isSpace(c) || c === 47 || c === 62 || c === 61 || c === 60 || c === 34 || c === 39);
} };
const WS = { test: (/** @type {string|undefined} */ ch) => ch !== undefined && isSpace(ch.charCodeAt(0)) };

/** Offsets at which each line starts. @param {string} text */
export function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of an offset. @param {number[]} starts @param {number} offset */
export function lineAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const NAMED = /** @type {Record<string, string>} */ ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" });

/** Resolve XML's five named entities and numeric references; anything else stays as written. @param {string} raw */
export function decodeEntities(raw) {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      try {
        return String.fromCodePoint(code);
      } catch {
        return whole;
      }
    }
    return NAMED[body] ?? whole;
  });
}

/**
 * Escape a value for an attribute written with `quote`. Newlines and tabs become character
 * references, because XML normalises literal ones to spaces inside attributes.
 * @param {string} value @param {string} [quote]
 */
export function encodeAttr(value, quote = '"') {
  return String(value).replace(/[&<>"'\n\r\t]/g, (c) => {
    if (c === "&") return "&amp;";
    if (c === "<") return "&lt;";
    if (c === ">") return "&gt;";
    if (c === '"') return quote === '"' ? "&quot;" : c;
    if (c === "'") return quote === "'" ? "&apos;" : c;
    return `&#${c.charCodeAt(0)};`;
  });
}

/**
 * Read `text` into a tree of positioned nodes.
 * @param {string} text
 * @returns {XmlDocument}
 */
export function parseXml(text) {
  const starts = lineStarts(text);
  /** @type {XmlError[]} */
  const errors = [];
  /** @type {XmlNode[]} */
  const nodes = [];
  /** @type {XmlElement[]} */
  const stack = [];
  /** @type {XmlElement|null} */
  let root = null;
  const n = text.length;
  let i = 0;

  /** @param {string} message @param {number} offset */
  const fail = (message, offset) => errors.push({ message, offset, line: lineAt(starts, offset) });
  /** @param {XmlNode} node */
  const add = (node) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else nodes.push(node);
  };
  /** @param {"comment"|"cdata"|"pi"|"doctype"} type @param {string} close @param {string} what */
  const until = (type, close, what, skip = 2) => {
    const at = text.indexOf(close, i + skip);
    const end = at === -1 ? n : at + close.length;
    if (at === -1) fail(`${what} is not closed`, i);
    add({ type, start: i, end });
    i = end;
  };

  while (i < n) {
    if (text[i] !== "<") {
      const next = text.indexOf("<", i);
      const end = next === -1 ? n : next;
      if (!stack.length && text.slice(i, end).trim()) fail("text outside the root tag", i);
      add({ type: "text", start: i, end });
      i = end;
      continue;
    }
    if (text.startsWith("<!--", i)) until("comment", "-->", "a comment", 4);
    else if (text.startsWith("<![CDATA[", i)) until("cdata", "]]>", "a CDATA section", 9);
    else if (text.startsWith("<?", i)) until("pi", "?>", "a processing instruction");
    else if (text.startsWith("<!", i)) until("doctype", ">", "a declaration");
    else if (text[i + 1] === "/") {
      const start = i;
      let j = i + 2;
      while (j < n && NAME_CHAR.test(text[j])) j++;
      const name = text.slice(i + 2, j);
      while (j < n && WS.test(text[j])) j++;
      if (text[j] !== ">") fail(`</${name}> is not closed with >`, start);
      const end = text[j] === ">" ? j + 1 : j;
      const open = stack[stack.length - 1];
      if (!open) fail(`</${name}> closes nothing`, start);
      else if (open.name !== name) fail(`</${name}> does not match <${open.name}> (line ${open.line})`, start);
      if (open && stack.some((el) => el.name === name)) {
        // Close up to the matching tag, so one typo does not shift every later element.
        while (stack.length) {
          const el = /** @type {XmlElement} */ (stack.pop());
          el.closeStart = start;
          el.end = end;
          if (el.name === name) break;
        }
      }
      i = end;
    } else {
      const el = readStartTag(text, i, starts, fail);
      if (!el) {
        add({ type: "text", start: i, end: i + 1 });
        i++;
        continue;
      }
      el.parent = stack[stack.length - 1] || null;
      if (!el.parent) {
        if (root) fail(`a second root tag <${el.name}>: a config has exactly one root (usually <View>)`, i);
        else root = el;
      }
      add(el);
      i = el.openEnd;
      if (!el.selfClosing) stack.push(el);
    }
  }
  for (const el of stack) {
    fail(`<${el.name}> is never closed`, el.start);
    el.closeStart = n;
    el.end = n;
  }
  if (!root && !errors.length) fail("there is no root tag", 0);
  return { text, root, nodes, errors, lineStarts: starts };
}

/**
 * @param {string} text @param {number} at offset of `<`
 * @param {number[]} starts @param {(message: string, offset: number) => void} fail
 * @returns {XmlElement|null}
 */
function readStartTag(text, at, starts, fail) {
  const n = text.length;
  let j = at + 1;
  while (j < n && NAME_CHAR.test(text[j])) j++;
  const name = text.slice(at + 1, j);
  if (!name) {
    fail("a stray < (write &lt; for a literal one)", at);
    return null;
  }
  /** @type {XmlElement} */
  const el = {
    type: "element", name, start: at, openEnd: n, closeStart: n, end: n, selfClosing: false,
    attrs: [], children: [], parent: null, line: lineAt(starts, at),
  };
  for (;;) {
    while (j < n && WS.test(text[j])) j++;
    if (j >= n) {
      fail(`<${name}> is not closed with >`, at);
      el.openEnd = n;
      break;
    }
    if (text[j] === ">") {
      el.openEnd = j + 1;
      break;
    }
    if (text[j] === "/" && text[j + 1] === ">") {
      el.openEnd = el.closeStart = el.end = j + 2;
      el.selfClosing = true;
      break;
    }
    const nameStart = j;
    while (j < n && NAME_CHAR.test(text[j])) j++;
    const attrName = text.slice(nameStart, j);
    let k = j;
    while (k < n && WS.test(text[k])) k++;
    if (!attrName || text[k] !== "=") {
      fail(attrName ? `attribute ${attrName} of <${name}> has no ="value"` : `unexpected ${JSON.stringify(text[j])} in <${name}>`, nameStart);
      return recover(text, el, j);
    }
    k++;
    while (k < n && WS.test(text[k])) k++;
    const quote = text[k] ?? "";
    if (quote !== '"' && quote !== "'") {
      fail(`the value of ${attrName} in <${name}> must be in quotes`, nameStart);
      return recover(text, el, k);
    }
    const close = text.indexOf(quote, k + 1);
    if (close !== -1 && text.slice(k + 1, close).includes("<")) fail(`the value of ${attrName} in <${name}> contains < (write &lt;)`, nameStart);
    if (close === -1) {
      fail(`the value of ${attrName} in <${name}> is not closed`, nameStart);
      el.openEnd = n;
      return el;
    }
    const raw = text.slice(k + 1, close);
    if (el.attrs.some((a) => a.name === attrName)) fail(`<${name}> has ${attrName} twice`, nameStart);
    el.attrs.push({ name: attrName, value: decodeEntities(raw), raw, quote, start: nameStart, end: close + 1, valueStart: k + 1, valueEnd: close });
    j = close + 1;
  }
  return el;
}

/** Skip to the end of a broken start tag so parsing can continue. @param {string} text @param {XmlElement} el @param {number} from */
function recover(text, el, from) {
  const gt = text.indexOf(">", from);
  el.openEnd = gt === -1 ? text.length : gt + 1;
  if (text[gt - 1] === "/") {
    el.selfClosing = true;
    el.closeStart = el.end = el.openEnd;
  }
  return el;
}

/** Every element in document order. @param {XmlDocument} doc */
export function elements(doc) {
  /** @type {XmlElement[]} */
  const out = [];
  /** @param {XmlNode[]} list */
  const visit = (list) => {
    for (const node of list) {
      if (node.type !== "element") continue;
      out.push(node);
      visit(node.children);
    }
  };
  visit(doc.nodes);
  return out;
}

/** Child elements (no text or comments). @param {XmlElement} el */
export const childElements = (el) => /** @type {XmlElement[]} */ (el.children.filter((c) => c.type === "element"));

/** @param {XmlElement} el @param {string} name */
export const getAttr = (el, name) => el.attrs.find((a) => a.name === name);

/** @param {XmlElement} el @param {string} name @returns {string|undefined} */
export const attrValue = (el, name) => getAttr(el, name)?.value;

/**
 * Apply non-overlapping splices (in any order) to `text`.
 * @param {string} text @param {Edit[]} edits
 */
export function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error("overlapping edits");
    out = out.slice(0, edit.start) + edit.insert + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

/**
 * Set (or add) an attribute, keeping its quote style when it exists. New attributes go at the
 * end of the start tag, after the last attribute.
 * @param {string} text @param {XmlElement} el @param {string} name @param {string} value
 * @returns {Edit}
 */
export function setAttrEdit(text, el, name, value) {
  const existing = getAttr(el, name);
  if (existing) return { start: existing.valueStart, end: existing.valueEnd, insert: encodeAttr(value, existing.quote) };
  const last = el.attrs[el.attrs.length - 1];
  const at = last ? last.end : el.start + 1 + el.name.length;
  return { start: at, end: at, insert: ` ${name}="${encodeAttr(value)}"` };
}

/**
 * Remove an attribute and the whitespace before it.
 * @param {string} text @param {XmlElement} el @param {string} name @returns {Edit|null}
 */
export function removeAttrEdit(text, el, name) {
  const attr = getAttr(el, name);
  if (!attr) return null;
  let start = attr.start;
  while (start > 0 && WS.test(text[start - 1])) start--;
  return { start, end: attr.end, insert: "" };
}

/** The whitespace that starts the line holding `offset`. @param {string} text @param {number} offset */
export function indentAt(text, offset) {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

/** Whether `offset` is the first non-blank character of its line. @param {string} text @param {number} offset */
function startsLine(text, offset) {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return !text.slice(lineStart, offset).trim();
}

/** The document's indentation step (two spaces unless it uses something else). @param {string} text */
export function indentUnit(text) {
  if (/^\t+</m.test(text) && !/^ +</m.test(text)) return "\t";
  let best = 0;
  for (const match of text.matchAll(/^( +)</gm)) {
    const width = match[1].length;
    if (!best || width < best) best = width;
  }
  return " ".repeat(best && best <= 8 ? best : 2);
}

/**
 * Insert `snippets` (one element each, no indentation) as the last child elements of `el`,
 * one per line, indented like the existing children. A self-closing `el` is opened up.
 * @param {string} text @param {XmlElement} el @param {string[]} snippets @returns {Edit}
 */
export function appendChildrenEdit(text, el, snippets) {
  const own = startsLine(text, el.start) ? indentAt(text, el.start) : "";
  const kids = childElements(el);
  const lastKid = kids[kids.length - 1];
  const childIndent = lastKid && startsLine(text, lastKid.start) ? indentAt(text, lastKid.start) : own + indentUnit(text);
  const lines = snippets.map((s) => childIndent + s).join("\n");
  if (el.selfClosing) {
    // `<Labels a="b"/>` or `<Labels a="b" />` -> `<Labels a="b">` + children + `</Labels>`
    let slash = el.openEnd - 2;
    while (slash > el.start && WS.test(text[slash - 1])) slash--;
    return { start: slash, end: el.openEnd, insert: `>\n${lines}\n${own}</${el.name}>` };
  }
  if (lastKid) return { start: lastKid.end, end: lastKid.end, insert: `\n${lines}` };
  // No child elements: replace blank content (keep any text or comments in it).
  const inner = text.slice(el.openEnd, el.closeStart);
  if (!inner.trim()) return { start: el.openEnd, end: el.closeStart, insert: `\n${lines}\n${own}` };
  const tail = /\n[ \t]*$/.exec(inner);
  if (tail) {
    const at = el.closeStart - tail[0].length;
    return { start: at, end: at, insert: `\n${lines}` };
  }
  return { start: el.closeStart, end: el.closeStart, insert: `\n${lines}\n${own}` };
}

/**
 * Remove an element; when it sits alone on its lines, remove those whole lines too.
 * @param {string} text @param {XmlElement} el @returns {Edit}
 */
export function removeElementEdit(text, el) {
  let start = el.start;
  let end = el.end;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lineEndAt = text.indexOf("\n", end);
  const lineEnd = lineEndAt === -1 ? text.length : lineEndAt;
  if (!text.slice(lineStart, start).trim() && !text.slice(end, lineEnd).trim()) {
    start = lineStart;
    end = lineEndAt === -1 ? text.length : lineEnd + 1;
    if (lineEndAt === -1 && start > 0) start--; // last line: eat the newline before it instead
  }
  return { start, end, insert: "" };
}

/**
 * Swap two sibling elements (`a` before `b`), leaving what is between them in place.
 * @param {string} text @param {XmlElement} a @param {XmlElement} b @returns {Edit}
 */
export function swapEdit(text, a, b) {
  return { start: a.start, end: b.end, insert: text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) };
}

/**
 * The element whose start tag spans `line` (the innermost one starting there, else the one
 * whose start tag covers it).
 * @param {XmlDocument} doc @param {number} line
 */
export function elementAtLine(doc, line) {
  let found = /** @type {XmlElement|null} */ (null);
  for (const el of elements(doc)) {
    const first = el.line;
    const last = lineAt(doc.lineStarts, Math.max(el.start, el.openEnd - 1));
    if (first <= line && line <= last) found = el;
  }
  return found;
}
