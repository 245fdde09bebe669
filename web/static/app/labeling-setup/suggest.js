// @ts-check
/**
 * "Did you mean …?" for references between tags (toName, whenTagName): the server says a name
 * does not exist; this finds the closest existing one and where to replace it. DOM-free.
 */
import { elements, parseXml } from "./xml-source.js";

/** Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive. @param {string} a @param {string} b */
export function distance(a, b) {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return a === b ? 0 : 0.5; // a case slip is the most likely typo of all
  const rows = s.length + 1;
  const cols = t.length + 1;
  /** @type {number[][]} */
  const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The candidate closest to `name`, if it is close enough to be a typo (or `name` is a prefix of
 * it, as when still typing).
 * @param {string} name @param {string[]} candidates @returns {string|null}
 */
export function closest(name, candidates) {
  let best = null;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) return null;
    const score = distance(name, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === null) return null;
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(name.length, best.length) / 3)));
  if (bestScore <= allowed) return best;
  if (name.length < 2) return null;
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(name.toLowerCase())).sort((a, b) => a.length - b.length);
  return prefixed[0] ?? null;
}

/**
 * @typedef {object} NameHint
 * @property {number} line
 * @property {string} tag        the tag holding the reference
 * @property {string} attribute  "toName" or "whenTagName"
 * @property {string} wrong      the name that matches nothing
 * @property {string|null} suggestion closest existing name (null when none is close)
 * @property {string[]} names   the names it could mean (every name but the tag's own)
 * @property {number} start      offset of `wrong` in the text
 * @property {number} end
 */

const REFERENCES = ["toName", "whenTagName"];

/**
 * Every reference to a name that no tag has, with a suggestion. Unreadable XML gives none
 * (the server's message covers it). Names containing Repeater placeholders are not checked.
 * @param {string} text @returns {NameHint[]}
 */
export function nameHints(text) {
  const doc = parseXml(text);
  if (!doc.root) return [];
  const all = elements(doc);
  const names = all.map((el) => el.attrs.find((a) => a.name === "name")?.value).filter((v) => typeof v === "string" && v !== "");
  const known = /** @type {string[]} */ (names);
  const objects = all
    .filter((el) => !el.attrs.some((a) => a.name === "toName"))
    .map((el) => el.attrs.find((a) => a.name === "name")?.value)
    .filter((v) => typeof v === "string" && v !== "");
  /** @type {NameHint[]} */
  const hints = [];
  for (const el of all) {
    for (const attr of el.attrs) {
      if (!REFERENCES.includes(attr.name) || attr.raw !== attr.value) continue; // skip values with entities: offsets would differ
      let offset = attr.valueStart;
      for (const part of attr.raw.split(",")) {
        const wrong = part.trim();
        const lead = part.length - part.trimStart().length;
        if (wrong && !known.includes(wrong) && !wrong.includes("{{")) {
          // toName points at data tags (those without a toName of their own); a tag never
          // refers to itself. With a single candidate, it is the answer whatever was typed.
          const own = el.attrs.find((a) => a.name === "name")?.value;
          const pool = attr.name === "toName" && objects.length ? objects : known;
          const others = pool.filter((n) => n !== own);
          hints.push({
            line: el.line, tag: el.name, attribute: attr.name, wrong,
            suggestion: closest(wrong, others) ?? (others.length === 1 ? others[0] : null),
            names: others, start: offset + lead, end: offset + lead + wrong.length,
          });
        }
        offset += part.length + 1;
      }
    }
  }
  return hints;
}

/** @typedef {{message: string, line?: number|null, tag?: string|null, attribute?: string|null}} ConfigIssue */

/**
 * Pair each server issue with the hint about the same reference (same line, attribute and
 * quoted name), each hint used once.
 * @param {ConfigIssue[]} issues @param {NameHint[]} hints
 * @returns {{issue: ConfigIssue, hint: NameHint|undefined}[]}
 */
export function matchHints(issues, hints) {
  const used = new Set();
  return issues.map((issue) => {
    const hint = hints.find((h) => !used.has(h) && h.line === issue.line && (!issue.attribute || issue.attribute === h.attribute) && issue.message.includes(`"${h.wrong}"`));
    if (hint) used.add(hint);
    return { issue, hint };
  });
}
