// @ts-check
/**
 * The viewport: the stage's size (kept in step with the page by a ResizeObserver) and how the
 * image sits in it — fit, 100%, zoom about a point, quarter-turn rotation, Label Studio's
 * left/top alignment — plus the conversion of a pointer event to stage and image coordinates.
 */
import { bool } from "./image-state.js";

/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {{left: number, top: number, right: number, bottom: number}} ScreenBox */

/**
 * @typedef {object} StageSize the stage in CSS pixels, and the device pixel ratio (set by layout)
 * @property {number} width
 * @property {number} height
 * @property {number} dpr
 */

/**
 * @param {object} deps
 * @param {Record<string, any>} deps.attrs the Image tag's attributes
 * @param {ImageState} deps.state
 * @param {ViewTransform} deps.view
 * @param {HTMLElement} deps.stage
 * @param {HTMLCanvasElement} deps.canvas
 * @param {() => void} deps.schedule repaint on the next frame
 * @param {() => void} deps.drawStatus redraw the status line (it shows the zoom)
 */
export function createViewport({ attrs, state, view, stage, canvas, schedule, drawStatus }) {
  /** @type {StageSize} */
  const size = { width: 0, height: 0, dpr: 1 };

  /** Size the stage and canvas to the page (and refit the image when asked or resized). */
  function layout(refit = false) {
    const w = Math.max(50, Math.floor(stage.clientWidth));
    const turned = view.rotation % 180 !== 0;
    const iw = turned ? state.height : state.width, ih = turned ? state.width : state.height;
    let h;
    if (attrs.height) h = stage.clientHeight || parseInt(String(attrs.height), 10) || 400;
    else h = iw ? Math.round((w * ih) / iw) : 300;
    const maxH = attrs.maxHeight ? parseInt(String(attrs.maxHeight), 10) : Math.round(window.innerHeight * 0.7);
    if (maxH && h > maxH) h = maxH;
    h = Math.max(120, h);
    if (!attrs.height) stage.style.height = `${h}px`;
    const changed = w !== size.width || h !== size.height;
    size.width = w;
    size.height = h;
    size.dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * size.dpr);
    canvas.height = Math.round(h * size.dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    if ((refit || changed) && state.loaded) fit(String(attrs.defaultZoom) === "original" ? "original" : "fit");
    schedule();
  }
  const resizer = new ResizeObserver(() => {
    if (Math.floor(stage.clientWidth) !== size.width) layout(true);
  });
  resizer.observe(stage);

  /** @param {"fit"|"original"} mode */
  function fit(mode) {
    if (!state.loaded) return;
    view.fit(size.width, size.height, state.width, state.height, mode);
    if (mode === "fit" && attrs.horizontalAlignment && attrs.horizontalAlignment !== "center") align();
    schedule();
    drawStatus();
  }
  /** Label Studio aligns the fitted image left/top by default. */
  function align() {
    const box = imageScreenBounds(view, state.width, state.height, 0);
    if (attrs.horizontalAlignment === "left") view.panX -= box.left;
    if (attrs.horizontalAlignment === "right") view.panX += size.width - box.right;
    if (attrs.verticalAlignment === "top") view.panY -= box.top;
    if (attrs.verticalAlignment === "bottom") view.panY += size.height - box.bottom;
  }

  /** @param {number} factor @param {number} [sx] @param {number} [sy] */
  function zoomBy(factor, sx = size.width / 2, sy = size.height / 2) {
    const min = bool(attrs.negativeZoom) ? 0.02 : Math.min(1, Math.min(size.width / (state.width || 1), size.height / (state.height || 1)));
    view.zoomAt(factor, sx, sy, min, 64);
    schedule();
    drawStatus();
  }
  /** @param {number} deg */
  function rotateView(deg) {
    view.rotation = ((view.rotation + deg) % 360 + 360) % 360;
    layout(true);
  }

  /** Stage and image coordinates of an event. @param {PointerEvent|MouseEvent|WheelEvent} event @returns {[number, number, number, number]} */
  function pointerAt(event) {
    const rect = canvas.getBoundingClientRect();
    const sx = event.clientX - rect.left, sy = event.clientY - rect.top;
    const [x, y] = view.toImage(sx, sy);
    return [sx, sy, x, y];
  }

  return { size, layout, fit, zoomBy, rotateView, pointerAt, dispose: () => resizer.disconnect() };
}

/** @typedef {ReturnType<typeof createViewport>} Viewport */

/**
 * Screen box of the image (plus a margin, e.g. for labels and handles).
 * @param {ViewTransform} view @param {number} width @param {number} height image pixels @param {number} pad
 * @returns {ScreenBox}
 */
export function imageScreenBounds(view, width, height, pad) {
  const pts = [[0, 0], [width, 0], [width, height], [0, height]].map(([x, y]) => view.toScreen(x, y));
  return {
    left: Math.min(...pts.map((p) => p[0])) - pad, top: Math.min(...pts.map((p) => p[1])) - pad,
    right: Math.max(...pts.map((p) => p[0])) + pad, bottom: Math.max(...pts.map((p) => p[1])) + pad,
  };
}

/** The overlap of two screen boxes, or null. @param {ScreenBox} a @param {ScreenBox} b @returns {ScreenBox|null} */
export function intersect(a, b) {
  const out = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return out.right > out.left && out.bottom > out.top ? out : null;
}
