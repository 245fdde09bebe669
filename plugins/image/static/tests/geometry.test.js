// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  shapeOf, valueOf, rectCorners, contains, GridIndex, ViewTransform, nearestEdge, insertPoint, deletePoint,
  resizeRect, moveShape, rotateRectAboutCentre, vertexAt, boundsOf,
} from "../geometry.js";
import { stamp, line, area } from "../brush.js";

const close = (/** @type {number} */ a, /** @type {number} */ b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test("percent <-> pixels round-trips Label Studio values", () => {
  const value = { x: 10, y: 20, width: 15.5, height: 12.25, rotation: 0 };
  const shape = /** @type {any} */ (shapeOf("rectanglelabels", value, 1920, 1080));
  [192, 216, 297.6, 132.3].forEach((v, i) => close([shape.x, shape.y, shape.w, shape.h][i], v));
  assert.deepEqual(valueOf(shape, 1920, 1080), value);
  const poly = { points: [[10, 10], [40, 10], [25, 40]], closed: true };
  assert.deepEqual(valueOf(/** @type {any} */ (shapeOf("polygon", poly, 640, 480)), 640, 480), poly);
  const e = { x: 50, y: 50, radiusX: 10, radiusY: 5, rotation: 30 };
  assert.deepEqual(valueOf(/** @type {any} */ (shapeOf("ellipselabels", e, 640, 480)), 640, 480), e);
  assert.deepEqual(valueOf(/** @type {any} */ (shapeOf("keypoint", { x: 40, y: 22, width: 0.5 }, 1000, 500)), 1000, 500), { x: 40, y: 22, width: 0.5 });
  // negative sizes from old data are flipped
  const neg = /** @type {any} */ (shapeOf("rectangle", { x: 30, y: 30, width: -10, height: -10 }, 100, 100));
  assert.deepEqual([neg.x, neg.y, neg.w, neg.h], [20, 20, 10, 10]);
  assert.equal(shapeOf("rectangle", { x: "a" }, 100, 100), null);
});

test("rotation pivots on the top-left corner, clockwise", () => {
  const [tl, tr, br, bl] = rectCorners({ x: 10, y: 10, w: 20, h: 10, rotation: 90 });
  assert.deepEqual(tl, [10, 10]);
  close(tr[0], 10); close(tr[1], 30);
  close(br[0], 0); close(br[1], 30);
  close(bl[0], 0); close(bl[1], 10);
  const r = { kind: /** @type {const} */ ("rect"), x: 10, y: 10, w: 20, h: 10, rotation: 90 };
  assert.ok(contains(r, 5, 20));
  assert.ok(!contains(r, 20, 12));
  const spun = rotateRectAboutCentre({ x: 0, y: 0, w: 20, h: 10, rotation: 0 }, 180);
  close(spun.x, 20); close(spun.y, 10);
});

test("hit tests: ellipse, polygon, point with tolerance", () => {
  assert.ok(contains({ kind: "ellipse", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 0 }, 69, 50));
  assert.ok(!contains({ kind: "ellipse", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 0 }, 50, 62));
  assert.ok(contains({ kind: "ellipse", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 90 }, 50, 68));
  const tri = { kind: /** @type {const} */ ("polygon"), points: /** @type {[number, number][]} */ ([[0, 0], [10, 0], [0, 10]]), closed: true };
  assert.ok(contains(tri, 2, 2));
  assert.ok(!contains(tri, 8, 8));
  assert.ok(contains(tri, 8, 8, 5));
  assert.ok(contains({ kind: "point", x: 5, y: 5, r: 1 }, 7, 5, 1.5));
});

test("polygon editing: nearest edge, insert and delete points", () => {
  /** @type {[number, number][]} */
  const square = [[0, 0], [10, 0], [10, 10], [0, 10]];
  const edge = nearestEdge(square, 5, 1);
  assert.equal(edge.index, 1);
  assert.deepEqual(insertPoint(square, edge.index, [5, 0]), [[0, 0], [5, 0], [10, 0], [10, 10], [0, 10]]);
  assert.equal(nearestEdge(square, 0.5, 5).index, 4); // the closing edge: appended at the end
  assert.deepEqual(deletePoint(square, 1), [[0, 0], [10, 10], [0, 10]]);
  assert.equal(deletePoint([[0, 0], [1, 1], [2, 0]], 0), null);
  assert.equal(vertexAt(square, 9, 9.5, 2), 2);
  assert.equal(vertexAt(square, 5, 5, 2), -1);
});

test("resize keeps the opposite corner in the rotated frame", () => {
  const r = resizeRect({ x: 10, y: 10, w: 20, h: 10, rotation: 0 }, "se", 40, 30);
  assert.deepEqual(r, { x: 10, y: 10, w: 30, h: 20, rotation: 0 });
  const flipped = resizeRect({ x: 10, y: 10, w: 20, h: 10, rotation: 0 }, "w", 40, 15);
  assert.deepEqual(flipped, { x: 30, y: 10, w: 10, h: 10, rotation: 0 });
  const rot = resizeRect({ x: 10, y: 10, w: 20, h: 10, rotation: 90 }, "se", 0, 40);
  close(rot.x, 10); close(rot.y, 10); close(rot.w, 30); close(rot.h, 10);
});

test("moves stay inside the image", () => {
  const moved = /** @type {any} */ (moveShape({ kind: "rect", x: 90, y: 5, w: 5, h: 5, rotation: 0 }, 10, -10, 100, 100));
  assert.deepEqual([moved.x, moved.y], [95, 0]);
});

test("grid index finds regions by point without scanning all of them", () => {
  const index = new GridIndex(50);
  for (let i = 0; i < 1000; i++) {
    const x = (i % 40) * 25, y = Math.floor(i / 40) * 25;
    index.insert(`r${i}`, { minX: x, minY: y, maxX: x + 20, maxY: y + 20 });
  }
  index.insert("big", { minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6 });
  assert.deepEqual(index.query(30, 30), ["big", "r41"]);
  assert.deepEqual(index.query(22, 10), ["big"]);
  assert.deepEqual(index.query(22, 10, 3).sort(), ["big", "r0", "r1"]);
  const b = boundsOf({ kind: "ellipse", cx: 0, cy: 0, rx: 10, ry: 5, rotation: 90 });
  close(/** @type {any} */ (b).maxX, 5); close(/** @type {any} */ (b).maxY, 10);
});

test("view transform: zoom around a point, fit, quarter-turn rotation", () => {
  const v = new ViewTransform();
  v.fit(800, 600, 1600, 800);
  assert.equal(v.zoom, 0.5);
  assert.deepEqual(v.toScreen(0, 0), [0, 100]);
  v.zoomAt(2, 400, 300);
  const [ix, iy] = v.toImage(400, 300);
  close(ix, 800); close(iy, 400);
  v.rotation = 90;
  v.fit(800, 600, 1600, 800);
  close(v.zoom, 0.375);
  const [sx, sy] = v.toScreen(0, 0);
  const [bx, by] = v.toImage(sx, sy);
  close(bx, 0); close(by, 0);
  const corners = [[0, 0], [1600, 0], [1600, 800], [0, 800]].map(([x, y]) => v.toScreen(x, y));
  close(Math.min(...corners.map((c) => c[0])), 250); close(Math.max(...corners.map((c) => c[1])), 600);
});

test("brush stamps and strokes are exact", () => {
  const mask = new Uint8Array(20 * 10);
  stamp(mask, 20, 10, 5, 5, 2, 255);
  assert.equal(area(mask), 12);
  line(mask, 20, 10, 5, 5, 15, 5, 2, 255);
  assert.ok(mask[5 * 20 + 10] === 255 && mask[5 * 20 + 18] === 0);
  line(mask, 20, 10, 5, 5, 15, 5, 2, 0);
  assert.equal(area(mask), 0);
});
