// @ts-check
/**
 * Line-range math for the Code widget. DOM-free and import-free, so it runs under `node --test`.
 * Lines are numbered from 1; a range `{start, end}` is inclusive at both ends.
 */

/**
 * The lines of a source text as the widget numbers them: "\n", "\r\n" and "\r" end a line, and a
 * final line break does not open another (empty) line. An empty text has one empty line.
 * @param {string} text
 * @returns {string[]}
 */
export function splitLines(text) {
  const lines = String(text ?? "").split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The range between two lines picked in any order (a drag upwards, a shift-click above),
 * clamped to `1..count`.
 * @param {number} a @param {number} b @param {number} count
 * @returns {{start: number, end: number}}
 */
export function lineRange(a, b, count) {
  const clamp = (/** @type {number} */ n) => Math.min(Math.max(1, Math.round(n)), Math.max(1, count));
  const x = clamp(a);
  const y = clamp(b);
  return { start: Math.min(x, y), end: Math.max(x, y) };
}

/**
 * A stored range made safe to draw: numbers, ordered, inside the file (null when it is not a
 * range at all, or lies wholly after the last line).
 * @param {any} value @param {number} count
 * @returns {{start: number, end: number}|null}
 */
export function drawableRange(value, count) {
  const start = Number(value?.start);
  const end = Number(value?.end);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null;
  if (Math.min(start, end) > count) return null;
  return lineRange(start, end, count);
}

/** @param {{start: number, end: number}} r @param {number} line */
export const covers = (r, line) => r.start <= line && line <= r.end;

/**
 * Columns for range bars drawn side by side in the gutter: overlapping ranges get different
 * columns, each the lowest free one (longer ranges first, so they sit on the outside).
 * @template {{id: string, start: number, end: number}} R
 * @param {R[]} ranges
 * @returns {Map<string, number>} id -> column (0 = outermost)
 */
export function assignColumns(ranges) {
  const order = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  /** end line of the range last placed in each column @type {number[]} */
  const columnEnds = [];
  const out = new Map();
  for (const r of order) {
    let column = columnEnds.findIndex((end) => end < r.start);
    if (column < 0) column = columnEnds.length;
    columnEnds[column] = r.end;
    out.set(r.id, column);
  }
  return out;
}

/**
 * The range a click on `line` picks: among the ranges covering it the shortest (innermost);
 * clicking again where the current pick still covers the line goes to the next one, so nested
 * ranges can all be reached.
 * @template {{id: string, start: number, end: number}} R
 * @param {R[]} ranges @param {number} line @param {string|null} current
 * @returns {R|null}
 */
export function pickAt(ranges, line, current) {
  const here = ranges
    .filter((r) => covers(r, line))
    .sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start || (a.id < b.id ? -1 : 1));
  if (!here.length) return null;
  const at = here.findIndex((r) => r.id === current);
  return here[at < 0 ? 0 : (at + 1) % here.length];
}

/** "Line 4" or "Lines 2–5". @param {{start: number, end: number}} r */
export function rangeText(r) {
  return r.start === r.end ? `Line ${r.start}` : `Lines ${r.start}–${r.end}`;
}

/**
 * The text of a range's lines (what the export writes as `lines`).
 * @param {string[]} lines @param {{start: number, end: number}} r
 */
export function rangeLines(lines, r) {
  return lines.slice(Math.max(1, r.start) - 1, r.end).join("\n");
}
