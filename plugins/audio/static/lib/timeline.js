// @ts-check
/**
 * DOM-free logic of the Audio widget (node-tested): time formatting, zoom levels, the segment a
 * drag makes, which region a click picks among overlapping ones, the server's peaks file format
 * and peaks decimation.
 */

/** Playback speeds offered in the speed menu. */
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
/** Zoom factors (times the "whole clip fits" scale) that the zoom buttons step through. */
export const ZOOMS = [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100, 150, 250, 400, 700, 1000];

/** @param {number} value @param {number} lo @param {number} hi */
export function clamp(value, lo, hi) {
  return Math.min(hi, Math.max(lo, value));
}

/**
 * "1:02.35" (or "1:02:03.40" past an hour); negative and non-finite times read as 0.
 * @param {number} seconds @param {number} [decimals]
 */
export function formatTime(seconds, decimals = 2) {
  const t = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const scale = 10 ** decimals;
  const total = Math.floor(t * scale + 1e-6) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total - h * 3600 - m * 60;
  const sec = s.toFixed(decimals).padStart(decimals ? decimals + 3 : 2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/**
 * Pixels per second at zoom 1: the whole clip fits the width.
 * @param {number} width @param {number} duration
 */
export function fitPxPerSec(width, duration) {
  return duration > 0 && width > 0 ? width / duration : 0;
}

/**
 * The next zoom factor up (`direction` 1) or down (-1) from `current`, within [1, max].
 * @param {number} current @param {1|-1} direction @param {number} [max]
 */
export function stepZoom(current, direction, max = ZOOMS[ZOOMS.length - 1]) {
  const levels = ZOOMS.filter((z) => z <= max);
  if (direction > 0) return levels.find((z) => z > current * 1.001) ?? Math.min(max, Math.max(current, levels[levels.length - 1]));
  return [...levels].reverse().find((z) => z < current / 1.001) ?? 1;
}

/**
 * The largest useful zoom: one peak per pixel at most (and at least 1000 px per second of audio
 * at most, as wavesurfer draws nothing finer).
 * @param {number} width @param {number} duration @param {number} peaksPerSecond
 */
export function maxZoom(width, duration, peaksPerSecond) {
  const fit = fitPxPerSec(width, duration);
  if (!fit) return 1;
  const limit = Math.min(1000, Math.max(peaksPerSecond || 1000, 50));
  return Math.max(1, limit / fit);
}

/**
 * A zoom factor from a wheel delta (ctrl+wheel, pinch): smooth, exponential.
 * @param {number} current @param {number} deltaY @param {number} max
 */
export function wheelZoom(current, deltaY, max) {
  return clamp(current * Math.exp(-clamp(deltaY, -100, 100) / 200), 1, max);
}

/**
 * The segment a drag from x0 to x1 (pixels in the full waveform) makes, in seconds, ordered and
 * clamped to the clip; null when shorter than `minPx` (a click, not a drag).
 * @param {number} x0 @param {number} x1 @param {number} pxPerSec @param {number} duration @param {number} [minPx]
 */
export function segmentFromDrag(x0, x1, pxPerSec, duration, minPx = 4) {
  if (!(pxPerSec > 0) || Math.abs(x1 - x0) < minPx) return null;
  const a = clamp(Math.min(x0, x1) / pxPerSec, 0, duration);
  const b = clamp(Math.max(x0, x1) / pxPerSec, 0, duration);
  return b > a ? { start: round(a), end: round(b) } : null;
}

/** Seconds rounded to microseconds (floating noise never reaches the results). @param {number} t */
export function round(t) {
  return Math.round(t * 1e6) / 1e6;
}

/**
 * The channel lane under a y position (split channels), 0 for a single lane.
 * @param {number} y @param {number} height the whole waveform's height @param {number} lanes
 */
export function laneAt(y, height, lanes) {
  if (lanes <= 1 || !(height > 0)) return 0;
  return clamp(Math.floor((y / height) * lanes), 0, lanes - 1);
}

/**
 * @typedef {{id: string, start: number, end: number, channel?: number, hidden?: boolean}} Span
 */

/**
 * The region a click at `time` (on `lane`) picks: among the visible regions containing it, the
 * shortest (so a short region inside a long one stays reachable); clicking again where the
 * currently selected region is picks the next one of the stack, so every overlapping region can
 * be selected. `split`: regions only count on their own lane.
 * @param {Span[]} spans @param {number} time @param {number} lane @param {boolean} split
 * @param {string|null} [selectedId] @param {number} [tolerance] seconds around the click
 * @returns {string|null}
 */
export function pickRegion(spans, time, lane, split, selectedId = null, tolerance = 0) {
  const hits = spans
    .filter((s) => !s.hidden && s.start - tolerance <= time && time <= s.end + tolerance && (!split || (s.channel ?? 0) === lane))
    .sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  if (!hits.length) return null;
  const at = hits.findIndex((s) => s.id === selectedId);
  return at < 0 ? hits[0].id : hits[(at + 1) % hits.length].id;
}

/**
 * Stacking order of regions: longer regions below shorter ones. Returns id -> z-index (from 1).
 * @param {Span[]} spans
 */
export function stacking(spans) {
  const order = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  return new Map(order.map((s, i) => [s.id, i + 1]));
}

/**
 * Move a segment by `delta` seconds, keeping its length and staying inside [0, duration].
 * @param {{start: number, end: number}} seg @param {number} delta @param {number} duration
 */
export function moveSegment(seg, delta, duration) {
  const length = seg.end - seg.start;
  const start = clamp(seg.start + delta, 0, Math.max(0, duration - length));
  return { start: round(start), end: round(start + length) };
}

// ---------------------------------------------------------------------------------------------
// The peaks file written by the server (plugins/audio/peaks.py)
// ---------------------------------------------------------------------------------------------

export const PEAKS_MAGIC = "LLPK";
export const PEAKS_HEADER = 32;

/**
 * @typedef {{duration: number, sampleRate: number, peaksPerSecond: number, channels: Float32Array[]}} Peaks
 */

/**
 * Read the server's peaks file: "LLPK", u8 version (1), u8 channels, u16 0, u32 peaks per
 * channel, f64 duration (s), f64 peaks per second, u32 sample rate (little endian), then per
 * channel `count` bytes: the largest |sample| of each slice, 0..255.
 * @param {ArrayBuffer} buffer
 * @returns {Peaks}
 */
export function decodePeaks(buffer) {
  if (buffer.byteLength < PEAKS_HEADER) throw new Error("peaks file too short");
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== PEAKS_MAGIC) throw new Error("not a peaks file");
  if (view.getUint8(4) !== 1) throw new Error(`unknown peaks version ${view.getUint8(4)}`);
  const channelCount = view.getUint8(5);
  const count = view.getUint32(8, true);
  const duration = view.getFloat64(12, true);
  const peaksPerSecond = view.getFloat64(20, true);
  const sampleRate = view.getUint32(28, true);
  if (buffer.byteLength < PEAKS_HEADER + channelCount * count) throw new Error("peaks file truncated");
  const bytes = new Uint8Array(buffer, PEAKS_HEADER);
  /** @type {Float32Array[]} */
  const channels = [];
  for (let c = 0; c < channelCount; c++) {
    const out = new Float32Array(count);
    const from = c * count;
    for (let i = 0; i < count; i++) out[i] = bytes[from + i] / 255;
    channels.push(out);
  }
  return { duration, sampleRate, peaksPerSecond, channels };
}

/**
 * Fewer peaks: the largest of every `factor` consecutive values (what the eye needs at a zoom
 * where several peaks share a pixel).
 * @param {ArrayLike<number>} values @param {number} factor
 */
export function decimate(values, factor) {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return Float32Array.from(values);
  const out = new Float32Array(Math.ceil(values.length / f));
  for (let i = 0, o = 0; i < values.length; i += f, o++) {
    let max = 0;
    const end = Math.min(values.length, i + f);
    for (let j = i; j < end; j++) {
      const v = Math.abs(values[j]);
      if (v > max) max = v;
    }
    out[o] = max;
  }
  return out;
}
