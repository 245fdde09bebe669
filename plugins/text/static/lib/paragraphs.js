// @ts-check
/**
 * Paragraphs positions: Label Studio stores a selection as the indexes of the first and last
 * paragraph (as strings: "0", "2") plus offsets inside their texts, and the selected text.
 * Offsets here are code points, like Text offsets (Python `text[startOffset:endOffset]` works).
 * DOM-free.
 */

import { CodePoints } from "./offsets.js";

/** @typedef {{index: number, offset: number}} ParagraphPoint  offset in UTF-16 units */

/**
 * The paragraphs of a task value: a list of objects, each with the text under `textKey`.
 * Anything else gives a clear error instead of a blank widget.
 * @param {any} value @param {string} nameKey @param {string} textKey
 * @returns {{name: string, text: string}[]}
 */
export function readParagraphs(value, nameKey, textKey) {
  if (!Array.isArray(value)) {
    throw new Error(`Paragraphs expects a list of objects like [{"${nameKey}": "...", "${textKey}": "..."}], got ${value === null ? "null" : typeof value}.`);
  }
  return value.map((entry, i) => {
    if (!entry || typeof entry !== "object") throw new Error(`Paragraph ${i} is not an object.`);
    const text = entry[textKey];
    return { name: entry[nameKey] == null ? "" : String(entry[nameKey]), text: text == null ? "" : String(text) };
  });
}

/**
 * A ParagraphLabels value from a selection between two paragraph points, whitespace trimmed.
 * @param {string[]} texts @param {ParagraphPoint} from @param {ParagraphPoint} to
 * @returns {{start: string, end: string, startOffset: number, endOffset: number, text: string} | null}
 */
export function paragraphValue(texts, from, to) {
  if (from.index > to.index || (from.index === to.index && from.offset > to.offset)) [from, to] = [to, from];
  let { index: si, offset: so } = from;
  let { index: ei, offset: eo } = to;
  // trim leading whitespace (possibly across empty paragraphs)
  for (;;) {
    const t = texts[si] ?? "";
    while (so < t.length && /\s/.test(t[so]) && (si < ei || so < eo)) so++;
    if (so < t.length || si >= ei) break;
    si++;
    so = 0;
  }
  for (;;) {
    const t = texts[ei] ?? "";
    while (eo > 0 && /\s/.test(t[eo - 1]) && (ei > si || eo > so)) eo--;
    if (eo > 0 || ei <= si) break;
    ei--;
    eo = (texts[ei] ?? "").length;
  }
  if (si > ei || (si === ei && so >= eo)) return null;
  // never split a surrogate pair
  const low = (/** @type {string} */ t, /** @type {number} */ i) => {
    const c = t.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  if (so > 0 && low(texts[si], so)) so--;
  if (low(texts[ei], eo)) eo++;
  const parts = [];
  for (let k = si; k <= ei; k++) {
    const t = texts[k] ?? "";
    parts.push(t.slice(k === si ? so : 0, k === ei ? eo : t.length));
  }
  return {
    start: String(si),
    end: String(ei),
    startOffset: new CodePoints(texts[si]).toCodePoint(so),
    endOffset: new CodePoints(texts[ei]).toCodePoint(eo),
    text: parts.join("\n"),
  };
}

/**
 * The UTF-16 ranges a stored paragraph span covers in each paragraph, for highlighting.
 * @param {string[]} texts @param {{start: any, end: any, startOffset?: number, endOffset?: number}} value
 * @returns {{index: number, from: number, to: number}[]}
 */
export function paragraphRanges(texts, value) {
  const si = Number(value.start);
  const ei = Number(value.end);
  if (!Number.isInteger(si) || !Number.isInteger(ei) || si < 0 || ei < si || si >= texts.length) return [];
  const out = [];
  for (let k = si; k <= Math.min(ei, texts.length - 1); k++) {
    const t = texts[k];
    const cps = new CodePoints(t);
    const from = k === si ? cps.toUtf16(Math.min(Number(value.startOffset) || 0, cps.length)) : 0;
    const to = k === ei ? cps.toUtf16(Math.min(Number(value.endOffset ?? cps.length), cps.length)) : t.length;
    if (to > from) out.push({ index: k, from, to });
  }
  return out;
}

/**
 * The time span of each phrase in seconds (`start`, then `end` or `start + duration`; without
 * either, up to the next timed phrase's start), or null for a phrase without a start.
 * @param {any} value the task's list of phrases
 * @returns {({start: number, end: number} | null)[]}
 */
export function phraseTimes(value) {
  const list = Array.isArray(value) ? value : [];
  const num = (/** @type {any} */ v) => (v === null || v === undefined || v === "" ? NaN : Number(v));
  const starts = list.map((entry) => num(entry?.start));
  return list.map((entry, i) => {
    const start = starts[i];
    if (!Number.isFinite(start)) return null;
    let end = num(entry?.end);
    if (!Number.isFinite(end)) {
      const duration = num(entry?.duration);
      if (Number.isFinite(duration)) end = start + duration;
      else {
        const next = starts.slice(i + 1).find((s) => Number.isFinite(s) && s > start);
        end = next ?? Infinity;
      }
    }
    return { start, end: Math.max(start, end) };
  });
}

/**
 * The phrase playing at `time`: its [start, end) contains the time (the latest-starting one when
 * phrases overlap), or -1.
 * @param {({start: number, end: number} | null)[]} times @param {number} time
 */
export function phraseAt(times, time) {
  let best = -1;
  times.forEach((span, i) => {
    if (!span || time < span.start || time >= span.end) return;
    if (best < 0 || span.start >= /** @type {{start: number}} */ (times[best]).start) best = i;
  });
  return best;
}

/** @typedef {{time: number, at: number, playing: boolean, speed: number}} Playhead */

/**
 * Where the media is now, extrapolated from the last message (media players publish play /
 * pause / seek, not a stream of time updates): while playing, time runs at `speed` from `at` (ms).
 * @param {Playhead} head @param {number} now ms on the clock of `at`
 */
export function playheadTime(head, now) {
  if (!head.playing) return head.time;
  return head.time + Math.max(0, now - head.at) / 1000 * (head.speed || 1);
}

/**
 * The playhead after a sync message received at `now` (ms).
 * @param {Playhead} head @param {{type: string, time?: number, speed?: number}} message @param {number} now
 * @returns {Playhead}
 */
export function followMessage(head, message, now) {
  const time = typeof message.time === "number" && Number.isFinite(message.time) ? message.time : playheadTime(head, now);
  if (message.type === "play") return { ...head, time, at: now, playing: true };
  if (message.type === "pause") return { ...head, time, at: now, playing: false };
  if (message.type === "seek" || message.type === "range") return { ...head, time, at: now };
  if (message.type === "speed" && typeof message.speed === "number" && message.speed > 0) {
    return { ...head, time: playheadTime(head, now), at: now, speed: message.speed };
  }
  return head;
}
