// @ts-check
/**
 * Min/max decimation per pixel column, DOM-free.
 *
 * `buildPyramid(values)` precomputes the minimum and maximum of every block of 4, 16, 64 ...
 * samples once (about a third of the data's size). `decimate(...)` then gives, for a time window
 * and a width in pixels, at most two points per pixel column (the column's minimum and maximum,
 * in the order they come) plus the samples just outside the window, reading whole blocks from the
 * pyramid: its cost follows the number of columns, not the number of samples in view, so
 * panning and zooming a million-point channel costs the same as a thousand-point one. Spikes
 * are never dropped. Windows with few samples are returned as they are.
 */

const FACTOR = 4;

/**
 * @typedef {{size: number, min: Float64Array, max: Float64Array}} Level
 * @typedef {{levels: Level[], min: number, max: number}} Pyramid   min/max of the whole series (NaN-free)
 */

/**
 * @param {Float64Array} values
 * @returns {Pyramid}
 */
export function buildPyramid(values) {
  /** @type {Level[]} */
  const levels = [];
  let prevMin = values, prevMax = values, size = 1;
  while (prevMin.length > 1) {
    // (each level reads the one below: 4 values per block)
    const n = Math.ceil(prevMin.length / FACTOR);
    const min = new Float64Array(n), max = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      let lo = Infinity, hi = -Infinity;
      const end = Math.min(prevMin.length, (b + 1) * FACTOR);
      for (let i = b * FACTOR; i < end; i++) {
        const a = prevMin[i], z = prevMax[i];
        if (a < lo) lo = a;
        if (z > hi) hi = z;
      }
      min[b] = lo === Infinity ? NaN : lo;
      max[b] = hi === -Infinity ? NaN : hi;
    }
    size *= FACTOR;
    levels.push({ size, min, max });
    prevMin = min;
    prevMax = max;
  }
  const top = levels.length ? levels[levels.length - 1] : null;
  let lo = top ? top.min[0] : values.length ? values[0] : NaN;
  let hi = top ? top.max[0] : lo;
  return { levels, min: Number.isNaN(lo) ? 0 : lo, max: Number.isNaN(hi) ? 1 : hi };
}

/** First index with time[i] >= t. @param {ArrayLike<number>} time @param {number} t */
export function lowerBound(time, t) {
  let lo = 0, hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the sample nearest to t. @param {ArrayLike<number>} time @param {number} t */
export function nearestIndex(time, t) {
  const i = lowerBound(time, t);
  if (i <= 0) return 0;
  if (i >= time.length) return time.length - 1;
  return t - time[i - 1] <= time[i] - t ? i - 1 : i;
}

/**
 * Minimum and maximum of values[s, e) using the pyramid: at each level the unaligned blocks at
 * both ends are read, then the rest is read one level up, so the cost is a few reads per level.
 * @param {Float64Array} values @param {Pyramid} pyramid @param {number} s @param {number} e
 * @param {{min: number, max: number}} out
 */
export function rangeMinMax(values, pyramid, s, e, out) {
  let lo = Infinity, hi = -Infinity;
  const levels = pyramid.levels;
  let a = s | 0, b = e | 0, level = -1;
  /** @type {Float64Array} */
  let mins = values, maxs = values;
  while (a < b) {
    if (level + 1 < levels.length && b - a >= 2 * FACTOR) {
      while ((a & 3) !== 0) {
        const x = mins[a], y = maxs[a];
        if (x < lo) lo = x;
        if (y > hi) hi = y;
        a++;
      }
      while ((b & 3) !== 0) {
        b--;
        const x = mins[b], y = maxs[b];
        if (x < lo) lo = x;
        if (y > hi) hi = y;
      }
      a >>= 2; // FACTOR is 4
      b >>= 2;
      level++;
      mins = levels[level].min;
      maxs = levels[level].max;
    } else {
      for (let i = a; i < b; i++) {
        const x = mins[i], y = maxs[i];
        if (x < lo) lo = x;
        if (y > hi) hi = y;
      }
      break;
    }
  }
  out.min = lo === Infinity ? NaN : lo;
  out.max = hi === -Infinity ? NaN : hi;
  return out;
}

/**
 * The sample index where each pixel column of [t0, t1] starts, the last entry past the window.
 * Columns sit on a grid anchored at `origin` (the series' first time), so while panning at one
 * zoom level a sample stays in the same column and the drawn line does not shimmer. Found by
 * galloping forward from the previous column: the cost follows the number of columns. Every
 * plot of one window shares them.
 * @param {ArrayLike<number>} time @param {number} t0 @param {number} t1 @param {number} width
 * @param {number} [origin]
 * @returns {Int32Array}
 */
export function columnBounds(time, t0, t1, width, origin = t0) {
  width = Math.max(1, Math.floor(width));
  const n = time.length;
  const step = (t1 - t0) / width;
  const k0 = Math.floor((t0 - origin) / step + 1e-9);
  const start = origin + k0 * step;
  const count = start + width * step < t1 ? width + 1 : width; // a partial column at the right edge
  const bounds = new Int32Array(count + 1);
  let s = lowerBound(time, start);
  bounds[0] = s;
  for (let col = 1; col <= count; col++) {
    const t = col === count ? t1 + step * 1e-9 : start + col * step; // the last one takes samples at t1
    // gallop: 1, 2, 4 ... ahead, then binary search in the last gap
    let lo = s, jump = 1, hi = s;
    while (hi < n && time[hi] < t) {
      lo = hi + 1;
      hi = s + jump;
      jump *= 2;
    }
    if (hi > n) hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (time[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    s = lo;
    bounds[col] = s;
  }
  return bounds;
}

/**
 * The points to draw for [t0, t1] at `width` pixel columns: `x` (times) and one `ys` array per
 * channel (`null` where there is no value: a gap). `bounds` from {@link columnBounds} may be
 * passed when several plots share the window.
 * @param {Float64Array} time
 * @param {{values: Float64Array, pyramid: Pyramid}[]} channels
 * @param {number} t0 @param {number} t1 @param {number} width
 * @param {Int32Array} [bounds]
 * @returns {{x: number[], ys: (number|null)[][], raw: boolean, samples: number}}
 */
export function decimate(time, channels, t0, t1, width, bounds) {
  const n = time.length;
  width = Math.max(1, Math.floor(width));
  const first = Math.max(0, lowerBound(time, t0) - 1);
  const last = Math.min(n - 1, lowerBound(time, t1)); // inclusive: the first sample at/after t1
  const samples = Math.max(0, last - first + 1);
  /** @type {number[]} */
  const x = [];
  const ys = channels.map(() => /** @type {(number|null)[]} */ ([]));
  if (!n || samples <= 0) return { x, ys, raw: true, samples: 0 };
  if (samples <= width * 3) {
    for (let i = first; i <= last; i++) {
      x.push(time[i]);
      for (let k = 0; k < channels.length; k++) {
        const v = channels[k].values[i];
        ys[k].push(v === v ? v : null);
      }
    }
    return { x, ys, raw: true, samples };
  }
  const cols = bounds ?? columnBounds(time, t0, t1, width);
  const mm = { min: 0, max: 0 };
  // the sample before the window keeps the line going to the left edge
  if (time[first] < t0 && first < cols[0]) {
    x.push(time[first]);
    for (let k = 0; k < channels.length; k++) {
      const v = channels[k].values[first];
      ys[k].push(v === v ? v : null);
    }
  }
  for (let col = 0; col + 1 < cols.length; col++) {
    const s = cols[col], end = cols[col + 1];
    if (end <= s) continue;
    const tx = time[s];
    x.push(tx, tx);
    for (let k = 0; k < channels.length; k++) {
      const { values, pyramid } = channels[k];
      rangeMinMax(values, pyramid, s, end, mm);
      const lo = mm.min === mm.min ? mm.min : null, hi = mm.max === mm.max ? mm.max : null;
      // rising column: minimum first; falling: maximum first (keeps the line continuous)
      if (values[s] > values[end - 1]) ys[k].push(hi, lo);
      else ys[k].push(lo, hi);
    }
  }
  if (time[last] > t1) {
    x.push(time[last]);
    for (let k = 0; k < channels.length; k++) {
      const v = channels[k].values[last];
      ys[k].push(v === v ? v : null);
    }
  }
  return { x, ys, raw: false, samples };
}
