// @ts-check
/**
 * Frame and time maths and the keyframe model of a `videorectangle` track, exactly as Label
 * Studio stores it (reference §1.3, §12.4). DOM-free: node-tested (static/tests/).
 *
 * Frames are 1-based: frame 1 is shown from time 0 to 1/fps. A keyframe stores
 * `time = frame / fps` (Label Studio's convention: frame 1 at 25 fps has time 0.04).
 */

/** @typedef {{x: number, y: number, width: number, height: number, rotation: number}} Box */
/** @typedef {Box & {frame: number, enabled: boolean, time?: number} & Record<string, any>} Keyframe */

export const SHAPE_KEYS = /** @type {const} */ (["x", "y", "width", "height", "rotation"]);

/** The frame shown at `time` seconds (1-based), within 1..framesCount when it is known. */
export function frameAt(time, fps, framesCount = 0) {
  const frame = Math.floor(Math.max(0, time) * fps + 1e-6) + 1;
  return framesCount > 0 ? Math.min(frame, framesCount) : frame;
}

/** Where to seek to show `frame`: the middle of its interval, so rounding never lands on a neighbour. */
export function seekTime(frame, fps) {
  return (Math.max(1, frame) - 0.5) / fps;
}

/** The `time` Label Studio stores on a keyframe. */
export function keyframeTime(frame, fps) {
  return frame / fps;
}

/** Frames in a video of `duration` seconds at the config's frame rate, as Label Studio counts
 * them (rounded up: 5.425 s at 24 fps is 131 frames). */
export function framesIn(duration, fps) {
  return duration > 0 && fps > 0 ? Math.max(1, Math.ceil(duration * fps - 1e-6)) : 0;
}

/**
 * The frame count to use: the server's (PyAV counts the frames in the file) when the config's
 * frame rate is the file's, else Label Studio's count from the duration at the config's rate (the
 * frames the timeline numbers).
 * @param {{framesCount?: number, fps?: number, duration?: number}|null} meta @param {number} fps
 */
export function framesFromMeta(meta, fps) {
  if (!meta || !(Number(meta.duration) > 0 || Number(meta.framesCount) > 0)) return 0;
  if (meta.framesCount && meta.fps && Math.abs(meta.fps - fps) < 0.01) return Math.round(meta.framesCount);
  return framesIn(Number(meta.duration) || 0, fps);
}

/** "m:ss.cc" for a time in seconds. */
export function formatTime(seconds) {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}:${rest.toFixed(2).padStart(5, "0")}`;
}

/** @param {number} a @param {number} b @param {number} t */
const lerp = (a, b, t) => a + (b - a) * t;

/** Keyframes in frame order (a copy). @param {Keyframe[]} sequence */
export function sorted(sequence) {
  return [...(sequence || [])].sort((a, b) => a.frame - b.frame);
}

/**
 * The box of a track at `frame`, or null when the track is not shown there. A keyframe shows its
 * own box; after an enabled keyframe the box is interpolated linearly towards the next keyframe
 * (x, y, width, height, rotation), or held until the end when there is none; after a disabled one
 * (`enabled: false`) nothing is shown until the next keyframe.
 * @param {Keyframe[]} sequence keyframes in frame order
 * @param {number} frame
 * @returns {(Box & {keyframe: boolean, frame: number}) | null}
 */
export function boxAt(sequence, frame) {
  let lo = 0;
  let hi = sequence.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sequence[mid].frame <= frame) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (at < 0) return null;
  const prev = sequence[at];
  if (prev.frame === frame) return { ...pick(prev), keyframe: true, frame };
  if (!prev.enabled) return null;
  const next = sequence[at + 1];
  if (!next) return { ...pick(prev), keyframe: false, frame };
  const t = (frame - prev.frame) / (next.frame - prev.frame);
  /** @type {any} */
  const box = { keyframe: false, frame };
  for (const key of SHAPE_KEYS) box[key] = lerp(Number(prev[key] || 0), Number(next[key] || 0), t);
  return box;
}

/** @param {Record<string, any>} k @returns {Box} */
function pick(k) {
  return { x: Number(k.x), y: Number(k.y), width: Number(k.width), height: Number(k.height), rotation: Number(k.rotation || 0) };
}

/**
 * The sequence with a keyframe at `frame` holding `box` (added, or the existing one changed).
 * A new keyframe is enabled, as Label Studio makes it.
 * @param {Keyframe[]} sequence @param {number} frame @param {Box} box @param {number} fps
 * @returns {Keyframe[]}
 */
export function setKeyframe(sequence, frame, box, fps) {
  const shape = roundBox(box);
  const existing = sequence.find((k) => k.frame === frame);
  if (existing) return sequence.map((k) => (k === existing ? { ...k, ...shape } : k));
  /** @type {Keyframe} */
  const added = { frame, enabled: true, rotation: shape.rotation, x: shape.x, y: shape.y, width: shape.width, height: shape.height, time: keyframeTime(frame, fps) };
  return sorted([...sequence, added]);
}

/** Drops float noise (percent values keep 1e-9 precision). @param {Box} box @returns {Box} */
export function roundBox(box) {
  const r = (/** @type {number} */ v) => Math.round(v * 1e9) / 1e9;
  return { x: r(box.x), y: r(box.y), width: r(box.width), height: r(box.height), rotation: r(box.rotation || 0) };
}

/** The sequence without the keyframe at `frame` (a track keeps its last keyframe). @param {Keyframe[]} sequence @param {number} frame */
export function deleteKeyframe(sequence, frame) {
  if (sequence.length <= 1) return sequence;
  return sequence.filter((k) => k.frame !== frame);
}

/**
 * Interpolation on or off after the keyframe at or before `frame` (Label Studio's toggle: off
 * ends the track's lifespan at that keyframe). When `frame` is between keyframes, a keyframe is
 * first added there with the interpolated box, so the box seen stays put.
 * @param {Keyframe[]} sequence @param {number} frame @param {number} fps @returns {Keyframe[]}
 */
export function toggleInterpolation(sequence, frame, fps) {
  let seq = sequence;
  if (!seq.some((k) => k.frame === frame)) {
    const box = boxAt(seq, frame);
    if (!box) return seq;
    seq = setKeyframe(seq, frame, box, fps);
  }
  return seq.map((k) => (k.frame === frame ? { ...k, enabled: !k.enabled } : k));
}

/** The keyframe frame before / after `frame` among several tracks (null when none). @param {Keyframe[][]} sequences @param {number} frame @param {-1|1} direction */
export function nearestKeyframe(sequences, frame, direction) {
  let best = null;
  for (const seq of sequences)
    for (const k of seq) {
      if (direction < 0 ? k.frame < frame && (best === null || k.frame > best) : k.frame > frame && (best === null || k.frame < best)) best = k.frame;
    }
  return best;
}

/**
 * The frame spans in which a track is shown: from each enabled keyframe through the next
 * keyframe (or the end), a disabled keyframe showing alone.
 * @param {Keyframe[]} sequence @param {number} framesCount @returns {{start: number, end: number}[]}
 */
export function lifespans(sequence, framesCount) {
  /** @type {{start: number, end: number}[]} */
  const spans = [];
  for (let i = 0; i < sequence.length; i++) {
    const k = sequence[i];
    const next = sequence[i + 1];
    const end = k.enabled ? (next ? next.frame : Math.max(k.frame, framesCount)) : k.frame;
    const last = spans[spans.length - 1];
    if (last && last.end >= k.frame) last.end = Math.max(last.end, end);
    else spans.push({ start: k.frame, end });
  }
  return spans;
}

/** A frame range from two picked frames, ordered and clamped. */
export function frameRange(a, b, framesCount = 0) {
  let start = Math.max(1, Math.min(a, b));
  let end = Math.max(1, Math.max(a, b));
  if (framesCount > 0) {
    start = Math.min(start, framesCount);
    end = Math.min(end, framesCount);
  }
  return { start: Math.round(start), end: Math.round(end) };
}

/**
 * A box dragged on screen → a box in percent of the frame, clamped inside it.
 * @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 percent
 * @returns {Box}
 */
export function boxFromCorners(x0, y0, x1, y1) {
  const c = (/** @type {number} */ v) => Math.min(100, Math.max(0, v));
  const ax = c(Math.min(x0, x1));
  const ay = c(Math.min(y0, y1));
  return { x: ax, y: ay, width: c(Math.max(x0, x1)) - ax, height: c(Math.max(y0, y1)) - ay, rotation: 0 };
}

/** A box moved by (dx, dy) percent, kept inside the frame. @param {Box} box @param {number} dx @param {number} dy @returns {Box} */
export function moveBox(box, dx, dy) {
  return { ...box, x: Math.min(100 - box.width, Math.max(0, box.x + dx)), y: Math.min(100 - box.height, Math.max(0, box.y + dy)) };
}
