import { test } from "node:test";
import assert from "node:assert/strict";
import { frameAt, seekTime, keyframeTime, framesIn, framesFromMeta, formatTime, boxAt, setKeyframe, deleteKeyframe, toggleInterpolation, nearestKeyframe, lifespans, frameRange, boxFromCorners, moveBox } from "../lib/track.js";

const kf = (frame, x, enabled = true, extra = {}) => ({ frame, enabled, rotation: 0, x, y: 10, width: 20, height: 10, time: frame / 30, ...extra });

test("frame and time maths land on the exact frame", () => {
  for (const fps of [24, 25, 29.97, 30, 60]) {
    for (let f = 1; f <= 300; f++) assert.equal(frameAt(seekTime(f, fps), fps), f, `${fps} fps frame ${f}`);
  }
  assert.equal(frameAt(0, 30), 1);
  assert.equal(frameAt(1 / 30, 30), 2);
  assert.equal(frameAt(99, 30, 60), 60);
  assert.equal(keyframeTime(1, 25), 0.04);
  assert.equal(keyframeTime(40, 25), 1.6);
  assert.equal(framesIn(2, 30), 60);
  assert.equal(framesIn(0, 30), 0);
  assert.equal(framesIn(5.425, 24), 131); // Label Studio's own fixture
  assert.equal(framesFromMeta({ framesCount: 59, fps: 30, duration: 2 }, 30), 59);
  assert.equal(framesFromMeta({ framesCount: 60, fps: 30, duration: 2 }, 24), 48);
  assert.equal(framesFromMeta(null, 30), 0);
  assert.equal(formatTime(61.5), "1:01.50");
});

test("boxAt interpolates linearly between enabled keyframes", () => {
  const seq = [kf(1, 10, true, { rotation: 0, width: 20 }), kf(30, 68, true, { rotation: 29, width: 49 })];
  assert.deepEqual(boxAt(seq, 1), { x: 10, y: 10, width: 20, height: 10, rotation: 0, keyframe: true, frame: 1 });
  const mid = boxAt(seq, 15);
  assert.equal(mid.keyframe, false);
  assert.ok(Math.abs(mid.x - (10 + (58 * 14) / 29)) < 1e-9);
  assert.ok(Math.abs(mid.rotation - 14) < 1e-9);
  assert.ok(Math.abs(mid.width - 34) < 1e-9);
  assert.equal(boxAt(seq, 0), null);
  assert.equal(boxAt(seq, 45).x, 68); // held after the last enabled keyframe
});

test("a disabled keyframe ends the lifespan until the next keyframe", () => {
  const seq = [kf(1, 10), kf(5, 20, false), kf(11, 30), kf(15, 40, false)];
  assert.equal(boxAt(seq, 5).x, 20);
  assert.equal(boxAt(seq, 6), null);
  assert.equal(boxAt(seq, 10), null);
  assert.equal(boxAt(seq, 13).x, 35);
  assert.equal(boxAt(seq, 16), null);
  assert.deepEqual(lifespans(seq, 100), [{ start: 1, end: 5 }, { start: 11, end: 15 }]);
  assert.deepEqual(lifespans([kf(3, 1)], 60), [{ start: 3, end: 60 }]);
});

test("setKeyframe adds in order or changes the keyframe in place", () => {
  /** @type {any[]} */
  let seq = [kf(1, 10)];
  seq = setKeyframe(seq, 30, { x: 50, y: 20, width: 20, height: 10, rotation: 0 }, 30);
  assert.deepEqual(seq.map((k) => k.frame), [1, 30]);
  assert.deepEqual(seq[1], { frame: 30, enabled: true, rotation: 0, x: 50, y: 20, width: 20, height: 10, time: 1 });
  seq = setKeyframe(seq, 15, { x: 5, y: 5, width: 5, height: 5, rotation: 0 }, 30);
  assert.deepEqual(seq.map((k) => k.frame), [1, 15, 30]);
  seq = setKeyframe(seq, 15, { x: 6, y: 5, width: 5, height: 5, rotation: 0 }, 30);
  assert.equal(seq.length, 3);
  assert.equal(seq[1].x, 6);
  assert.deepEqual(deleteKeyframe(seq, 15).map((k) => k.frame), [1, 30]);
  assert.equal(deleteKeyframe([kf(1, 1)], 1).length, 1);
});

test("toggleInterpolation flips enabled, adding a keyframe between keyframes", () => {
  const seq = [kf(1, 10), kf(11, 20)];
  const off = toggleInterpolation(seq, 1, 30);
  assert.equal(off[0].enabled, false);
  const split = toggleInterpolation(seq, 6, 30);
  assert.deepEqual(split.map((k) => [k.frame, k.enabled]), [[1, true], [6, false], [11, true]]);
  assert.equal(split[1].x, 15);
  assert.deepEqual(toggleInterpolation([kf(5, 1)], 2, 30), [kf(5, 1)]);
});

test("keyframe navigation across tracks", () => {
  const a = [kf(1, 1), kf(30, 1)];
  const b = [kf(10, 1)];
  assert.equal(nearestKeyframe([a, b], 15, 1), 30);
  assert.equal(nearestKeyframe([a, b], 15, -1), 10);
  assert.equal(nearestKeyframe([a, b], 1, -1), null);
});

test("ranges and boxes from gestures", () => {
  assert.deepEqual(frameRange(40, 12, 30), { start: 12, end: 30 });
  assert.deepEqual(boxFromCorners(50, 60, 10, -5), { x: 10, y: 0, width: 40, height: 60, rotation: 0 });
  assert.deepEqual(moveBox({ x: 90, y: 0, width: 20, height: 10, rotation: 0 }, 5, -5), { x: 80, y: 0, width: 20, height: 10, rotation: 0 });
});
