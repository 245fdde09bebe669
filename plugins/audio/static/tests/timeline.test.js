import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatTime, fitPxPerSec, stepZoom, maxZoom, wheelZoom, segmentFromDrag, laneAt, pickRegion, stacking,
  moveSegment, decodePeaks, decimate, PEAKS_HEADER, round,
} from "../lib/timeline.js";

test("formatTime shows minutes, seconds and hundredths (hours past an hour)", () => {
  assert.equal(formatTime(0), "0:00.00");
  assert.equal(formatTime(4), "0:04.00");
  assert.equal(formatTime(61.257), "1:01.25");
  assert.equal(formatTime(3723.5), "1:02:03.50");
  assert.equal(formatTime(-3), "0:00.00");
  assert.equal(formatTime(Number.NaN), "0:00.00");
  assert.equal(formatTime(9.999, 1), "0:09.9");
});

test("time and pixels: the fit scale, drag segments ordered and clamped", () => {
  assert.equal(fitPxPerSec(1000, 4), 250);
  assert.equal(fitPxPerSec(1000, 0), 0);
  assert.deepEqual(segmentFromDrag(250, 500, 250, 4), { start: 1, end: 2 });
  assert.deepEqual(segmentFromDrag(500, 250, 250, 4), { start: 1, end: 2 });
  assert.deepEqual(segmentFromDrag(-50, 2000, 250, 4), { start: 0, end: 4 });
  assert.equal(segmentFromDrag(100, 102, 250, 4), null); // a click
  assert.equal(segmentFromDrag(100, 200, 0, 4), null);
  assert.equal(round(1 / 3), 0.333333);
});

test("zoom steps between 1 and the maximum; wheel zoom is smooth and clamped", () => {
  assert.equal(stepZoom(1, 1), 1.5);
  assert.equal(stepZoom(1.5, -1), 1);
  assert.equal(stepZoom(1, -1), 1);
  assert.equal(stepZoom(5, 1, 8), 6);
  assert.equal(stepZoom(8, 1, 8), 8);
  assert.equal(maxZoom(1000, 4, 1000), 4); // 250 px/s fit, at most 1000 px/s
  assert.ok(maxZoom(1000, 7200, 69) > 400); // two hours: peaks allow ~500x
  assert.ok(wheelZoom(2, -100, 10) > 2 && wheelZoom(2, 100, 10) < 2);
  assert.equal(wheelZoom(1, 500, 10), 1);
  assert.equal(wheelZoom(9.9, -500, 10), 10);
});

test("lanes: the channel under the pointer", () => {
  assert.equal(laneAt(10, 100, 1), 0);
  assert.equal(laneAt(10, 100, 2), 0);
  assert.equal(laneAt(75, 100, 2), 1);
  assert.equal(laneAt(150, 100, 2), 1);
  assert.equal(laneAt(-5, 100, 2), 0);
});

test("overlapping regions: the shortest is picked first, clicking again cycles", () => {
  const spans = [
    { id: "long", start: 0, end: 10 },
    { id: "mid", start: 2, end: 6 },
    { id: "short", start: 3, end: 4 },
    { id: "hidden", start: 3, end: 3.5, hidden: true },
    { id: "right", start: 3, end: 4, channel: 1 },
  ];
  assert.equal(pickRegion(spans, 3.5, 0, false), "short");
  assert.equal(pickRegion(spans, 3.5, 0, false, "short"), "right");
  assert.equal(pickRegion(spans, 3.5, 0, true, "short"), "mid");
  assert.equal(pickRegion(spans, 3.5, 0, true, "mid"), "long");
  assert.equal(pickRegion(spans, 3.5, 0, true, "long"), "short");
  assert.equal(pickRegion(spans, 3.5, 1, true), "right");
  assert.equal(pickRegion(spans, 8, 0, false), "long");
  assert.equal(pickRegion(spans, 11, 0, false), null);
  assert.equal(pickRegion(spans, 10.05, 0, false, null, 0.1), "long");
  const z = stacking(spans);
  assert.ok(z.get("short") > z.get("mid") && z.get("mid") > z.get("long"));
});

test("moveSegment keeps the length inside the clip", () => {
  assert.deepEqual(moveSegment({ start: 1, end: 2 }, 0.5, 4), { start: 1.5, end: 2.5 });
  assert.deepEqual(moveSegment({ start: 1, end: 2 }, 5, 4), { start: 3, end: 4 });
  assert.deepEqual(moveSegment({ start: 1, end: 2 }, -5, 4), { start: 0, end: 1 });
});

/** A peaks file as plugins/audio/peaks.py writes it. */
function peaksFile(channels, duration, rate, sampleRate) {
  const count = channels[0].length;
  const buffer = new ArrayBuffer(PEAKS_HEADER + channels.length * count);
  const view = new DataView(buffer);
  "LLPK".split("").forEach((c, i) => view.setUint8(i, c.charCodeAt(0)));
  view.setUint8(4, 1);
  view.setUint8(5, channels.length);
  view.setUint32(8, count, true);
  view.setFloat64(12, duration, true);
  view.setFloat64(20, rate, true);
  view.setUint32(28, sampleRate, true);
  channels.forEach((ch, c) => new Uint8Array(buffer, PEAKS_HEADER + c * count, count).set(ch));
  return buffer;
}

test("decodePeaks reads the server's peaks file", () => {
  const peaks = decodePeaks(peaksFile([[0, 255, 51], [255, 0, 0]], 3, 1, 16000));
  assert.equal(peaks.duration, 3);
  assert.equal(peaks.peaksPerSecond, 1);
  assert.equal(peaks.sampleRate, 16000);
  assert.equal(peaks.channels.length, 2);
  assert.deepEqual([...peaks.channels[0]].map((v) => Math.round(v * 100) / 100), [0, 1, 0.2]);
  assert.deepEqual([...peaks.channels[1]], [1, 0, 0]);
  assert.throws(() => decodePeaks(new ArrayBuffer(8)), /too short/);
  const bad = peaksFile([[1]], 1, 1, 1);
  new DataView(bad).setUint8(0, 88);
  assert.throws(() => decodePeaks(bad), /not a peaks file/);
  assert.throws(() => decodePeaks(peaksFile([[1, 2, 3]], 1, 1, 1).slice(0, PEAKS_HEADER + 2)), /truncated/);
});

test("decimate keeps the largest magnitude of each group", () => {
  assert.deepEqual([...decimate([0.1, -0.5, 0.2, 0.3, -0.9], 2)].map((v) => Math.round(v * 10) / 10), [0.5, 0.3, 0.9]);
  assert.deepEqual([...decimate([0.25, 0.5], 1)], [0.25, 0.5]);
});
