// @ts-check
/**
 * Offsets in text: JS strings are UTF-16, Label Studio stores Unicode code points (Python `str`
 * indexes), so "😀" is 2 units in the browser and 1 in a result. Every offset leaving a widget
 * goes through `CodePoints`; selection snapping (granularity) works on UTF-16 and never splits a
 * surrogate pair. DOM-free.
 */

/**
 * Converts between UTF-16 indexes and code-point indexes of one string. Texts without astral
 * characters (the common case) convert in O(1); otherwise by binary search over the positions of
 * the astral characters.
 */
export class CodePoints {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    /** UTF-16 index of each astral character's high surrogate, ascending. @type {number[]} */
    this.astral = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    /** Length in code points. */
    this.length = text.length - this.astral.length;
  }

  /** Code-point index of a UTF-16 index (inside a pair counts as before it). @param {number} u16 */
  toCodePoint(u16) {
    const astral = this.astral;
    if (!astral.length) return u16;
    // number of astral chars whose pair ends at or before u16
    let lo = 0;
    let hi = astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (astral[mid] + 2 <= u16) lo = mid + 1;
      else hi = mid;
    }
    const inside = lo < astral.length && astral[lo] + 1 === u16 ? 1 : 0;
    return u16 - lo - inside;
  }

  /** UTF-16 index of a code-point index. @param {number} cp */
  toUtf16(cp) {
    const astral = this.astral;
    if (!astral.length) return cp;
    // astral[k] sits at code point astral[k] - k; count those before cp
    let lo = 0;
    let hi = astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (astral[mid] - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }

  /** The text between two code-point offsets. @param {number} start @param {number} end */
  slice(start, end) {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const SPACE = /\s/u;

/** @param {string} text @param {number} i */
function isLow(text, i) {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Code point ending right before UTF-16 index i. @param {string} text @param {number} i */
function charBefore(text, i) {
  if (i <= 0) return "";
  return i >= 2 && isLow(text, i - 1) ? text.slice(i - 2, i) : text[i - 1];
}

/** Code point starting at UTF-16 index i. @param {string} text @param {number} i */
function charAt(text, i) {
  if (i >= text.length) return "";
  return isLow(text, i + 1) ? text.slice(i, i + 2) : text[i];
}

/**
 * Normalise a selection [start, end) in UTF-16 units: order it, keep surrogate pairs whole,
 * snap to whole words with `granularity="word"`, and drop whitespace at the edges (a drag that
 * overshoots into the space or line break after a word does not label it).
 * Returns null when nothing but whitespace is left.
 * @param {string} text @param {number} start @param {number} end
 * @param {"symbol"|"word"|string} [granularity]
 * @returns {{start: number, end: number} | null}
 */
export function snapSelection(text, start, end, granularity = "symbol") {
  if (end < start) [start, end] = [end, start];
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(0, Math.min(end, text.length));
  if (start > 0 && isLow(text, start)) start--;
  if (end < text.length && isLow(text, end)) end++;
  while (start < end && SPACE.test(charAt(text, start))) start += charAt(text, start).length;
  while (end > start && SPACE.test(charBefore(text, end))) end -= charBefore(text, end).length;
  if (start >= end) return null;
  if (granularity === "word") {
    while (start > 0 && WORD.test(charBefore(text, start))) start -= charBefore(text, start).length;
    while (end < text.length && WORD.test(charAt(text, end))) end += charAt(text, end).length;
  }
  return { start, end };
}

/**
 * A text span value exactly as Label Studio stores it, from a UTF-16 selection.
 * @param {CodePoints} cps @param {number} start16 @param {number} end16
 * @returns {{start: number, end: number, text: string}}
 */
export function spanValue(cps, start16, end16) {
  return { start: cps.toCodePoint(start16), end: cps.toCodePoint(end16), text: cps.text.slice(start16, end16) };
}
