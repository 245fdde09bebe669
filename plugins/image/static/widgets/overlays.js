// @ts-check
/**
 * What is drawn over the cached regions each frame: the selected region with its edit handles,
 * the shape being drawn, and the screen-space guides (grid, crosshair, brush cursor). Plain
 * drawing functions: everything they need is passed in.
 */
import { rectHandles } from "../geometry.js";
import { tracePath } from "./regions.js";
import { HANDLE, ROTATE_OFFSET, ellipseHandles } from "./handles.js";

/** @typedef {import("../geometry.js").Shape} Shape */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./image-state.js").Draft} Draft */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./viewport.js").StageSize} StageSize */

/**
 * The selected region's outline, thicker (dashed when locked), and its handles when editable.
 * Image coordinates.
 * @param {CanvasRenderingContext2D} g @param {Shape} shape @param {string} color
 * @param {number} px one screen pixel in image pixels @param {boolean} locked
 * @param {{readOnly: boolean, canRotate: boolean}} options
 */
export function drawSelected(g, shape, color, px, locked, { readOnly, canRotate }) {
  const path = new Path2D();
  tracePath(path, shape);
  g.lineWidth = 3 * px;
  g.strokeStyle = color;
  g.setLineDash(locked ? [6 * px, 4 * px] : []);
  if (shape.kind === "point") {
    g.beginPath();
    g.arc(shape.x, shape.y, Math.max(shape.r, 4 * px) + 3 * px, 0, Math.PI * 2);
    g.stroke();
  } else g.stroke(path);
  g.setLineDash([]);
  if (locked || readOnly) return;
  const hs = HANDLE * px;
  const handle = (/** @type {number} */ x, /** @type {number} */ y, round = false) => {
    g.beginPath();
    if (round) g.arc(x, y, hs / 1.6, 0, Math.PI * 2);
    else g.rect(x - hs / 2, y - hs / 2, hs, hs);
    g.fillStyle = "#fff";
    g.fill();
    g.lineWidth = 1.5 * px;
    g.strokeStyle = color;
    g.stroke();
  };
  if (shape.kind === "rect") {
    const handles = rectHandles(shape, ROTATE_OFFSET * px);
    const top = handles.find((h) => h[0] === "n");
    for (const [hname, x, y] of handles) {
      if (hname === "rot") {
        if (!canRotate) continue;
        g.beginPath();
        g.moveTo(/** @type {any} */ (top)[1], /** @type {any} */ (top)[2]);
        g.lineTo(x, y);
        g.lineWidth = 1 * px;
        g.strokeStyle = color;
        g.stroke();
        handle(x, y, true);
      } else handle(x, y);
    }
  } else if (shape.kind === "polygon") {
    for (const [x, y] of shape.points) handle(x, y, true);
  } else if (shape.kind === "ellipse") {
    for (const [x, y] of ellipseHandles(shape)) handle(x, y);
  }
}

/**
 * The shape being drawn, dashed; a polygon's points, and its edge to the pointer. Image coordinates.
 * @param {CanvasRenderingContext2D} g @param {Draft} draft @param {string} color
 * @param {[number, number]|null} pointer image pixels @param {number} px one screen pixel in image pixels
 */
export function drawDraft(g, draft, color, pointer, px) {
  g.strokeStyle = color;
  g.fillStyle = color;
  g.lineWidth = 2 * px;
  g.setLineDash([6 * px, 4 * px]);
  g.beginPath();
  if (draft.kind === "rect") g.rect(Math.min(draft.x0, draft.x1), Math.min(draft.y0, draft.y1), Math.abs(draft.x1 - draft.x0), Math.abs(draft.y1 - draft.y0));
  else if (draft.kind === "ellipse") g.ellipse(draft.x0, draft.y0, Math.abs(draft.x1 - draft.x0), Math.abs(draft.y1 - draft.y0), 0, 0, Math.PI * 2);
  else if (draft.kind === "polygon") {
    draft.points.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
    if (pointer) g.lineTo(pointer[0], pointer[1]);
  }
  g.stroke();
  g.setLineDash([]);
  if (draft.kind === "polygon") {
    draft.points.forEach(([x, y], i) => {
      g.beginPath();
      g.arc(x, y, (i === 0 ? 6 : 4) * px, 0, Math.PI * 2);
      g.fillStyle = i === 0 ? "#fff" : color;
      g.fill();
      g.strokeStyle = color;
      g.stroke();
    });
  }
}

/**
 * Grid, crosshair and brush cursor, in screen space.
 * @param {CanvasRenderingContext2D} g @param {ViewTransform} view @param {StageSize} size
 * @param {ImageState} state @param {Record<string, any>} attrs the Image tag's attributes (gridSize, gridColor)
 */
export function drawGuides(g, view, size, state, attrs) {
  const { width: stageW, height: stageH, dpr } = size;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (state.grid) {
    const step = Math.max(2, Number(attrs.gridSize) || 30) * view.zoom;
    if (step >= 4) {
      g.beginPath();
      const [ox, oy] = view.toScreen(0, 0);
      for (let x = ((ox % step) + step) % step; x < stageW; x += step) { g.moveTo(x + 0.5, 0); g.lineTo(x + 0.5, stageH); }
      for (let y = ((oy % step) + step) % step; y < stageH; y += step) { g.moveTo(0, y + 0.5); g.lineTo(stageW, y + 0.5); }
      g.strokeStyle = String(attrs.gridColor || "rgba(0,0,0,0.25)");
      g.lineWidth = 1;
      g.stroke();
    }
  }
  if (!state.pointer) return;
  const [sx, sy] = view.toScreen(state.pointer[0], state.pointer[1]);
  if (state.crosshair) {
    g.beginPath();
    g.moveTo(0, sy + 0.5); g.lineTo(stageW, sy + 0.5);
    g.moveTo(sx + 0.5, 0); g.lineTo(sx + 0.5, stageH);
    g.strokeStyle = "rgba(255,255,255,0.8)";
    g.lineWidth = 1;
    g.setLineDash([4, 4]);
    g.stroke();
    g.setLineDash([]);
  }
  if (state.tool === "brush" || state.tool === "eraser") {
    g.beginPath();
    g.arc(sx, sy, state.brushSize / 2, 0, Math.PI * 2);
    g.strokeStyle = state.tool === "eraser" ? "#eb5757" : "#fff";
    g.lineWidth = 1.5;
    g.stroke();
  }
}
