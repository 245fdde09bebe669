// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { HANDLE, ellipseHandles, handleAt, editedShape } from "../widgets/handles.js";

/** @type {import("../geometry.js").Shape} */
const box = { kind: "rect", x: 10, y: 20, w: 100, h: 50, rotation: 0 };

test("handles of a box, a polygon and an ellipse are found under the pointer", () => {
  assert.deepEqual(handleAt(box, 110 + HANDLE / 2, 70, 1, true), { handle: "se" });
  assert.equal(handleAt(box, 60, 45, 1, true), null);
  // the rotation knob sits above the top edge, and only when boxes may rotate
  assert.deepEqual(handleAt(box, 60, -4, 1, true), { handle: "rot" });
  assert.equal(handleAt(box, 60, -4, 1, false), null);
  /** @type {import("../geometry.js").Shape} */
  const poly = { kind: "polygon", points: [[0, 0], [10, 0], [10, 10]], closed: true };
  assert.deepEqual(handleAt(poly, 10, 1, 1, true), { handle: "vertex", vertex: 1 });
  /** @type {import("../geometry.js").Shape} */
  const ellipse = { kind: "ellipse", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 0 };
  assert.deepEqual(ellipseHandles(ellipse).map(([x, y]) => [Math.round(x), Math.round(y)]), [[70, 50], [50, 60], [30, 50], [50, 40]]);
  assert.deepEqual(handleAt(ellipse, 50, 41, 1, true), { handle: "n" });
});

test("dragging a handle edits the shape", () => {
  const resized = editedShape(box, "se", -1, 130, 90, 130, 90);
  assert.deepEqual(resized, { kind: "rect", x: 10, y: 20, w: 120, h: 70, rotation: 0 });
  /** @type {import("../geometry.js").Shape} */
  const poly = { kind: "polygon", points: [[0, 0], [10, 0], [10, 10]], closed: true };
  assert.deepEqual(editedShape(poly, "vertex", 2, 20, 20, 20, 20), { ...poly, points: [[0, 0], [10, 0], [20, 20]] });
  /** @type {import("../geometry.js").Shape} */
  const ellipse = { kind: "ellipse", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 0 };
  assert.deepEqual(editedShape(ellipse, "e", -1, 0, 0, 80, 50), { ...ellipse, rx: 30 });
  assert.deepEqual(editedShape(ellipse, "n", -1, 0, 0, 50, 35), { ...ellipse, ry: 15 });
});
