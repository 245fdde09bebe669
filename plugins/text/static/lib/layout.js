// @ts-check
/**
 * Span layout for the Text widget (P1: cost must not grow with the span count).
 *
 * The text is cut once into lines and chunks (at most CHUNK UTF-16 units, cut after a space
 * when possible). Each chunk is one DOM element; a span lists the chunks it touches, so adding,
 * removing or relabelling a span re-renders only those chunks. Inside a chunk the text is cut
 * into segments at span boundaries; each segment knows the spans covering it. Overlapping spans
 * get stacking levels (interval colouring) so each keeps a visible underline of its own.
 * DOM-free; all positions are UTF-16 indexes.
 */

export const CHUNK = 800;

/** @typedef {{start: number, end: number, line: number}} Chunk */
/** @typedef {{id: string, start: number, end: number}} Span */
/** @typedef {{start: number, end: number, ids: string[]}} Segment */

/**
 * Lines (without their "\n") cut into chunks; an empty line still gets one empty chunk.
 * @param {string} text @param {number} [size]
 * @returns {Chunk[]}
 */
export function chunkText(text, size = CHUNK) {
  /** @type {Chunk[]} */
  const chunks = [];
  let line = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let pos = lineStart;
    if (pos === lineEnd) chunks.push({ start: pos, end: pos, line });
    while (pos < lineEnd) {
      let end = Math.min(lineEnd, pos + size);
      if (end < lineEnd) {
        const space = text.lastIndexOf(" ", end - 1);
        if (space > pos + size / 2) end = space + 1;
        const c = text.charCodeAt(end - 1);
        if (c >= 0xd800 && c <= 0xdbff) end++; // never split a surrogate pair
      }
      chunks.push({ start: pos, end, line });
      pos = end;
    }
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + 1;
    line++;
  }
  return chunks;
}

/**
 * Index of the chunk containing UTF-16 position `pos` (the last chunk whose start <= pos).
 * @param {Chunk[]} chunks @param {number} pos
 */
export function chunkAt(chunks, pos) {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid].start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Indexes of the chunks a span [start, end) overlaps (an empty span touches its chunk).
 * @param {Chunk[]} chunks @param {number} start @param {number} end
 * @returns {number[]}
 */
export function chunksOf(chunks, start, end) {
  const first = chunkAt(chunks, start);
  const out = [first];
  for (let i = first + 1; i < chunks.length && chunks[i].start < end; i++) {
    if (chunks[i].end > chunks[i].start || chunks[i].start < end) out.push(i);
  }
  return out;
}

/**
 * Segments of [from, to) cut at the boundaries of the given spans.
 * @param {number} from @param {number} to @param {Span[]} spans  spans overlapping [from, to)
 * @returns {Segment[]}
 */
export function segmentsOf(from, to, spans) {
  const cuts = new Set([from, to]);
  for (const s of spans) {
    if (s.start > from && s.start < to) cuts.add(s.start);
    if (s.end > from && s.end < to) cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  /** @type {Segment[]} */
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const ids = [];
    for (const s of spans) if (s.start <= a && s.end >= b && s.end > s.start) ids.push(s.id);
    out.push({ start: a, end: b, ids });
  }
  if (!out.length) out.push({ start: from, end: to, ids: [] });
  return out;
}

/**
 * Stacking level of each span: the lowest level no overlapping earlier span uses. Longer spans
 * starting at the same place go first, so they sit lowest.
 * @param {Span[]} spans
 * @returns {Map<string, number>}
 */
export function assignLevels(spans) {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  /** @type {Map<string, number>} */
  const levels = new Map();
  /** end of the span occupying each level @type {number[]} */
  const busyUntil = [];
  for (const s of sorted) {
    let level = 0;
    while (level < busyUntil.length && busyUntil[level] > s.start) level++;
    busyUntil[level] = Math.max(s.end, s.start + 1);
    levels.set(s.id, level);
  }
  return levels;
}

/**
 * Which spans differ between two snapshots (added, removed or changed in any field compared by
 * `same`). Both maps are id -> span record.
 * @template T
 * @param {Map<string, T>} before @param {Map<string, T>} after @param {(a: T, b: T) => boolean} same
 * @returns {string[]}
 */
export function changedIds(before, after, same) {
  const out = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b || !same(a, b)) out.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) out.push(id);
  return out;
}
