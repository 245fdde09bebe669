// @ts-check
/**
 * Edit handles of a selected shape, DOM-free: where they are (box corners and rotation knob,
 * polygon vertices, ellipse radii), which one is under the pointer, and the shape after one is
 * dragged.
 */
import { rectHandles, resizeRect, rotationTowards, rotateRectAboutCentre, vertexAt } from "../geometry.js";

/** @typedef {import("../geometry.js").Shape} Shape */

export const HANDLE = 7; // screen pixels
export const ROTATE_OFFSET = 24; // screen pixels above the top edge

/** Radius handles of an ellipse: right, bottom, left, top (rotated). @param {{cx: number, cy: number, rx: number, ry: number, rotation: number}} e @returns {[number, number][]} */
export function ellipseHandles(e) {
  const a = (e.rotation * Math.PI) / 180;
  const c = Math.cos(a), s = Math.sin(a);
  return [[e.rx, 0], [0, e.ry], [-e.rx, 0], [0, -e.ry]].map(([x, y]) => [e.cx + x * c - y * s, e.cy + x * s + y * c]);
}

/**
 * Which handle of a shape is at an image point: a box's "nw".."se" or "rot", a polygon's
 * "vertex" (with its index), an ellipse's "e" / "s" / "w" / "n".
 * @param {Shape} shape @param {number} x @param {number} y image pixels @param {number} zoom
 * @param {boolean} canRotate whether a box offers its rotation handle
 * @returns {{handle: string, vertex?: number} | null}
 */
export function handleAt(shape, x, y, zoom, canRotate) {
  const px = 1 / zoom;
  const tol = HANDLE * px;
  if (shape.kind === "rect") {
    for (const [hname, hx, hy] of rectHandles(shape, ROTATE_OFFSET * px)) {
      if (hname === "rot" && !canRotate) continue;
      if (Math.abs(hx - x) <= tol && Math.abs(hy - y) <= tol) return { handle: hname };
    }
  } else if (shape.kind === "polygon") {
    const v = vertexAt(shape.points, x, y, tol);
    if (v >= 0) return { handle: "vertex", vertex: v };
  } else if (shape.kind === "ellipse") {
    const hs = ellipseHandles(shape);
    for (let i = 0; i < hs.length; i++) if (Math.abs(hs[i][0] - x) <= tol && Math.abs(hs[i][1] - y) <= tol) return { handle: ["e", "s", "w", "n"][i] };
  }
  return null;
}

/**
 * A shape after dragging one of its handles.
 * @param {Shape} shape @param {string} handle @param {number} vertex @param {number} cx @param {number} cy clamped point @param {number} x @param {number} y raw point
 * @returns {Shape}
 */
export function editedShape(shape, handle, vertex, cx, cy, x, y) {
  if (shape.kind === "rect") {
    if (handle === "rot") {
      let deg = rotationTowards(shape, x, y);
      if (Math.abs(deg - Math.round(deg / 15) * 15) < 3) deg = Math.round(deg / 15) * 15; // snap near 15° steps
      return { kind: "rect", ...rotateRectAboutCentre(shape, deg % 360) };
    }
    return { kind: "rect", ...resizeRect(shape, handle, shape.rotation ? x : cx, shape.rotation ? y : cy) };
  }
  if (shape.kind === "polygon" && vertex >= 0) {
    const points = shape.points.map((p, i) => (i === vertex ? /** @type {[number, number]} */ ([cx, cy]) : p));
    return { ...shape, points };
  }
  if (shape.kind === "ellipse") {
    const rad = (-shape.rotation * Math.PI) / 180;
    const dx = x - shape.cx, dy = y - shape.cy;
    const lx = dx * Math.cos(rad) - dy * Math.sin(rad), ly = dx * Math.sin(rad) + dy * Math.cos(rad);
    if (handle === "e" || handle === "w") return { ...shape, rx: Math.abs(lx) };
    return { ...shape, ry: Math.abs(ly) };
  }
  return shape;
}
