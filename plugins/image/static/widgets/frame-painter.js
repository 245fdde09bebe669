// @ts-check
/**
 * The paint loop: at most one frame per animation frame, each drawing the image (with
 * brightness / contrast), the cached region layer, the brush stroke in progress, the selected
 * or edited region, the shape being drawn and the guides; it times itself into `paintStats`.
 */
import { paintStats } from "./paint-stats.js";
import { armedColor } from "./regions.js";
import { drawDraft, drawGuides, drawSelected } from "./overlays.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./regions.js").RegionLayer} RegionLayer */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */
/** @typedef {import("./viewport.js").StageSize} StageSize */
/** @typedef {import("./scene-cache.js").SceneCache} SceneCache */

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {Record<string, any>} deps.attrs the Image tag's attributes
 * @param {string} deps.name the Image tag's name
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits
 * @param {ViewTransform} deps.view
 * @param {RegionLayer} deps.layer
 * @param {StageSize} deps.size
 * @param {HTMLCanvasElement} deps.canvas
 * @param {CanvasRenderingContext2D} deps.g
 * @param {HTMLImageElement} deps.img the picture
 * @param {SceneCache} deps.scene
 * @param {boolean} deps.canRotateBoxes
 */
export function createFramePainter({ ctx, attrs, name, state, edits, view, layer, size, canvas, g, img, scene, canRotateBoxes }) {
  const store = ctx.store;
  let raf = 0;
  let drawnMarked = false;

  function paint() {
    raf = 0;
    const started = performance.now();
    paintFrame();
    const ms = performance.now() - started;
    if (!drawnMarked && layer.entries.length) {
      drawnMarked = true;
      performance.mark("image:drawn");
    }
    paintStats.frames++;
    paintStats.total += ms;
    if (ms > paintStats.max) paintStats.max = ms;
  }

  function paintFrame() {
    const { dpr } = size;
    const { stroke, live, draft } = edits;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!state.loaded) return;
    const [a, b, c, d, e, f] = view.matrix();
    g.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
    if (state.brightness !== 100 || state.contrast !== 100) g.filter = `brightness(${state.brightness}%) contrast(${state.contrast}%)`;
    g.imageSmoothingEnabled = attrs.smoothing !== false && view.zoom < 4;
    g.drawImage(img, 0, 0, state.width, state.height);
    g.filter = "none";
    scene.draw();
    g.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
    const px = 1 / view.zoom; // one screen pixel in image pixels
    if (stroke) g.drawImage(stroke.canvas, 0, 0, state.width, state.height);
    // Selection and live edit on top of the cached scene
    const options = { readOnly: ctx.readOnly, canRotate: canRotateBoxes };
    const selected = store.selectedId;
    const sel = selected ? layer.byId.get(selected) : undefined;
    if (sel && !sel.region.hidden) {
      const shape = live && live.id === sel.id ? live.shape : sel.shape;
      // A selected mask is drawn a second time, so it stands out from the others.
      if (sel.mask && !stroke) g.drawImage(sel.mask.canvas, 0, 0, state.width, state.height);
      drawSelected(g, shape, sel.color, px, sel.locked, options);
    } else if (live) {
      const entry = layer.byId.get(live.id);
      if (entry) drawSelected(g, live.shape, entry.color, px, false, options);
    }
    if (draft) drawDraft(g, draft, armedColor(ctx, store.armed(name)), state.pointer, px);
    drawGuides(g, view, size, state, attrs);
  }

  return {
    /** Paint on the next animation frame (once, however often it is asked). */
    request() {
      if (!raf) raf = requestAnimationFrame(paint);
    },
    dispose: () => cancelAnimationFrame(raf),
  };
}
