import { test } from "node:test";
import assert from "node:assert/strict";
import { buildPyramid, columnBounds, decimate, lowerBound, nearestIndex, rangeMinMax } from "../lib/decimate.js";
import { rangeValue, stepRange, timeUnits } from "../lib/ranges.js";

function series(n, f) {
  const time = new Float64Array(n), values = new Float64Array(n);
  for (let i = 0; i < n; i++) { time[i] = i; values[i] = f(i); }
  return { time, values };
}

test("rangeMinMax equals a plain scan for any range", () => {
  const { values } = series(10007, (i) => Math.sin(i * 0.37) * 100 + (i % 97 === 0 ? 500 : 0));
  const pyramid = buildPyramid(values);
  const out = { min: 0, max: 0 };
  for (const [s, e] of [[0, 10007], [3, 5], [17, 9000], [4096, 8192], [10000, 10007], [1, 2]]) {
    let lo = Infinity, hi = -Infinity;
    for (let i = s; i < e; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
    rangeMinMax(values, pyramid, s, e, out);
    assert.deepEqual([out.min, out.max], [lo, hi], `${s}-${e}`);
  }
  assert.equal(pyramid.max, Math.max(...values));
});

test("decimation keeps spikes and returns at most two points per column plus the edges", () => {
  const { time, values } = series(1_000_000, (i) => (i === 123456 ? 1000 : Math.sin(i / 1000)));
  const pyramid = buildPyramid(values);
  const out = decimate(time, [{ values, pyramid }], 0, 999_999, 800);
  assert.ok(out.x.length <= 2 * 800 + 2, String(out.x.length));
  assert.equal(Math.max(...out.ys[0]), 1000);
  assert.equal(out.raw, false);
  // x stays sorted
  for (let i = 1; i < out.x.length; i++) assert.ok(out.x[i] >= out.x[i - 1]);
});

test("decimation cost follows the screen, not the data", () => {
  // 100 times more samples in view, about the same cost (best of several runs: a busy machine adds noise only)
  const cost = (n) => {
    const { time, values } = series(n, (i) => Math.sin(i / 77));
    const channels = [{ values, pyramid: buildPyramid(values) }];
    let best = Infinity;
    for (let k = 0; k < 15; k++) {
      const t0 = performance.now();
      decimate(time, channels, k, n - k, 1200);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const small = cost(20_000), large = cost(2_000_000);
  assert.ok(large < small * 6 + 2, `2M samples ${large.toFixed(2)} ms, 20k samples ${small.toFixed(2)} ms`);
});

test("a zoomed-in window is returned raw, with one sample either side", () => {
  const { time, values } = series(1000, (i) => i);
  const out = decimate(time, [{ values, pyramid: buildPyramid(values) }], 10.5, 20.5, 500);
  assert.equal(out.raw, true);
  assert.deepEqual(out.x, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
});

test("gaps (NaN) become null", () => {
  const time = Float64Array.from([0, 1, 2]), values = Float64Array.from([1, NaN, 3]);
  assert.deepEqual(decimate(time, [{ values, pyramid: buildPyramid(values) }], 0, 2, 100).ys[0], [1, null, 3]);
});

test("search helpers", () => {
  const t = [0, 10, 20, 30];
  assert.equal(lowerBound(t, 15), 2);
  assert.equal(nearestIndex(t, 14), 1);
  assert.equal(nearestIndex(t, 16), 2);
  assert.equal(nearestIndex(t, -5), 0);
  assert.equal(nearestIndex(t, 99), 3);
});

test("range values in Label Studio's units: numbers, or dates formatted with timeFormat", () => {
  const numeric = timeUnits("number", null);
  assert.deepEqual(rangeValue([0, 0.5, 1, 1.5], 1.4, 0.4, numeric), { start: 0.5, end: 1.5, instant: false });
  assert.deepEqual(rangeValue([0, 1, 2], 1.2, 1.2, numeric, true), { start: 1, end: 1, instant: true });
  const dates = timeUnits("date", "%Y-%m-%d %H:%M:%S");
  const t = [Date.UTC(2024, 0, 1, 0, 0, 10), Date.UTC(2024, 0, 1, 0, 0, 42)];
  assert.deepEqual(rangeValue(t, t[0], t[1], dates), { start: "2024-01-01 00:00:10", end: "2024-01-01 00:00:42", instant: false });
  assert.equal(dates.read("2024-01-01 00:00:42"), t[1]);
  assert.equal(numeric.read(3), 3);
});

test("keyboard steps extend and shrink", () => {
  assert.deepEqual(stepRange(5, 10, 100, "right", {}), [5, 11]);
  assert.deepEqual(stepRange(5, 10, 100, "left", {}), [4, 10]);
  assert.deepEqual(stepRange(5, 10, 100, "right", { alt: true }), [6, 10]);
  assert.deepEqual(stepRange(5, 10, 100, "left", { alt: true }), [5, 9]);
  assert.deepEqual(stepRange(5, 10, 12, "right", { shift: true, large: 10 }), [5, 11]);
  assert.deepEqual(stepRange(5, 5, 12, "left", { alt: true }), [5, 5]);
});

test("column bounds found by galloping equal binary searches", () => {
  const time = Float64Array.from({ length: 5000 }, (_, i) => i * 0.7 + (i % 3) * 0.1);
  const bounds = columnBounds(time, 100, 3000, 317);
  const step = (3000 - 100) / 317;
  for (let c = 0; c < 317; c++) assert.equal(bounds[c], lowerBound(time, 100 + c * step), String(c));
  assert.equal(bounds[317], lowerBound(time, 3000 + step * 1e-9));
});

test("columns stay on one grid while panning: a sample keeps its column", () => {
  const { time, values } = series(100_000, (i) => Math.sin(i / 7) + (i % 13) / 13);
  const channels = [{ values, pyramid: buildPyramid(values) }];
  const a = decimate(time, channels, 10_000, 20_000, 500, columnBounds(time, 10_000, 20_000, 500, 0));
  const b = decimate(time, channels, 10_040, 20_040, 500, columnBounds(time, 10_040, 20_040, 500, 0));
  // the columns both windows cover are identical
  const shared = (d) => new Map(d.x.map((x, i) => [`${x}:${i % 2}`, d.ys[0][i]]));
  const sa = shared(a), sb = shared(b);
  let same = 0;
  for (const [key, v] of sa) if (sb.has(key)) { assert.equal(sb.get(key), v, key); same++; }
  assert.ok(same > 800, String(same));
  for (const d of [a, b]) for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] >= d.x[i - 1]);
});
