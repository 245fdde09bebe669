// @ts-check
/**
 * The Image object tag: one canvas showing the image and every region (one draw call per
 * colour, a grid index for hit-testing: cost does not grow with the region count), a toolbar of
 * the tools its controls offer, zoom / pan / rotate / brightness / contrast / grid / crosshair,
 * multi-image tasks (`valueList`), and drawing and editing of boxes, polygons, key points,
 * ellipses and brush masks. Results are Label Studio's, in percent of the original image.
 *
 * This module only puts the widget together; each job lives in its own module:
 *   image-state.js   the shared state (view settings, the gesture in progress)
 *   stage-dom.js     the DOM skeleton          viewport.js     size, fit, zoom, rotation
 *   image-source.js  loading, paging          regions.js      the regions as the canvas needs them
 *   scene-cache.js   the cached region layer   overlays.js     selection, draft, guides
 *   frame-painter.js the paint loop           handles.js      edit handles of a shape
 *   pointer-input.js pointer / wheel gestures  brush-strokes.js brush and eraser
 *   region-actions.js store changes           image-hotkeys.js keyboard shortcuts
 *   toolbar.js, status-bar.js                 the toolbar and the status line
 */
import { render, nothing } from "lit";
import { ViewTransform } from "../geometry.js";
import { RegionLayer } from "./regions.js";
import { toolsFor, toolForArmed } from "./tools.js";
import { ensureImageStyles } from "./ui.js";
import { bool, createEdits, createImageState } from "./image-state.js";
import { createStageDom } from "./stage-dom.js";
import { createViewport } from "./viewport.js";
import { imageUrls, createImageSource } from "./image-source.js";
import { createSceneCache } from "./scene-cache.js";
import { createFramePainter } from "./frame-painter.js";
import { createRegionActions } from "./region-actions.js";
import { createBrushStrokes } from "./brush-strokes.js";
import { attachPointerInput } from "./pointer-input.js";
import { bindImageHotkeys } from "./image-hotkeys.js";
import { renderToolbar } from "./toolbar.js";
import { renderStatus } from "./status-bar.js";

export { paintStats } from "./paint-stats.js";
export { preview } from "./thumbnail.js";

/** @typedef {import("@labelloom/sdk").Region} Region */
/** @typedef {import("./tools.js").Tool} Tool */

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderImage({ el, model, ctx }) {
  performance.mark("image:mount");
  ensureImageStyles();
  const attrs = model.attrs || {};
  const name = String(attrs.name || "");
  const store = ctx.store;
  const controls = ctx.controlsFor(name);
  const tools = toolsFor(controls);
  const canRotateBoxes = !controls.some((c) => c.tag.startsWith("Rectangle") && c.attrs?.canRotate === false);
  const { urls, multi } = imageUrls(attrs, ctx);

  const state = createImageState(attrs);
  const edits = createEdits();
  const view = new ViewTransform();
  const layer = new RegionLayer();
  const { stage, canvas, g, toolbar, status } = createStageDom(el, attrs);

  const viewport = createViewport({ attrs, state, view, stage, canvas, schedule, drawStatus });
  const source = createImageSource({
    ctx, attrs, name, urls, state, edits, el, stage, drawStatus,
    onLoaded() {
      viewport.layout(true);
      rebuild();
      drawToolbar();
      drawStatus();
    },
    onFailed() {
      drawStatus();
      schedule();
    },
  });
  const common = { ctx, state, edits, view, layer };
  const scene = createSceneCache({ ...common, size: viewport.size, g, schedule });
  const painter = createFramePainter({ ...common, attrs, name, size: viewport.size, canvas, g, img: source.img, scene, canRotateBoxes });
  const actions = createRegionActions({ ...common, name, controls, multi, drawStatus, schedule });
  const strokes = createBrushStrokes({ ...common, name, controls, actions, drawStatus, schedule });
  attachPointerInput({ ...common, attrs, controls, canRotateBoxes, stage, viewport, scene, actions, strokes, drawStatus, schedule });
  const hotkeys = bindImageHotkeys({ ...common, attrs, tools, multi, viewport, actions, setTool, goPage: source.goPage, drawStatus, schedule });

  /** Repaint on the next frame (binding the polygon's keys while one is being drawn). */
  function schedule() {
    hotkeys.syncDraftKeys();
    painter.request();
  }

  /** @param {boolean} pluralise "1 region" (after a rebuild) or "1 regions" (after a selection) */
  function describeStage(pluralise) {
    const count = layer.entries.length;
    const regions = pluralise && count === 1 ? "region" : "regions";
    stage.setAttribute("aria-label", `Image ${name}: ${count} ${regions}${store.selectedId && layer.byId.has(store.selectedId) ? ", one selected" : ""}`);
  }

  /** The regions of this image (and page) changed. */
  function rebuild() {
    if (!state.loaded) return;
    /** @type {Region[]} */
    const mine = store.regions(name).filter((r) => !multi || Number(r.items[0]?.["item_index"] ?? 0) === state.page);
    layer.rebuild(mine, state.width, state.height, ctx);
    scene.invalidate();
    describeStage(true);
    schedule();
  }

  /** @param {Tool} tool */
  function setTool(tool) {
    if (!tools.includes(tool)) return;
    if (edits.draft && tool !== state.tool) edits.draft = null;
    state.tool = tool;
    state.hint = "";
    stage.dataset.tool = tool;
    drawToolbar();
    drawStatus();
    schedule();
  }

  function drawToolbar() {
    renderToolbar(toolbar, {
      name, tools, active: state.tool, readOnly: ctx.readOnly, rotatable: bool(attrs.rotateControl),
      setTool, zoomBy: viewport.zoomBy, fit: viewport.fit, rotateView: viewport.rotateView,
    });
  }

  function drawStatus() {
    renderStatus(status, {
      state, pages: urls.length, multi, zoom: view.zoom,
      brightnessControl: bool(attrs.brightnessControl), contrastControl: bool(attrs.contrastControl),
      goPage: source.goPage,
      setBrightness: (percent) => { state.brightness = percent; schedule(); },
      setContrast: (percent) => { state.contrast = percent; schedule(); },
    });
  }

  let lastArmed = "";
  const offStore = store.subscribe((change) => {
    if (change.kind === "arm") {
      const armed = store.armed(name);
      const signature = armed ? `${armed.from_name}:${armed.labels.join(",")}` : "";
      if (signature !== lastArmed) {
        lastArmed = signature;
        const tool = toolForArmed(armed, controls);
        if (tool && tool !== state.tool && !(tool === "brush" && state.tool === "eraser")) setTool(tool);
        state.hint = "";
        drawStatus();
      }
      return;
    }
    if (change.kind === "view") return;
    if (change.kind === "select") {
      hotkeys.syncNudgeKeys();
      describeStage(false);
      schedule();
      return;
    }
    rebuild();
    hotkeys.syncNudgeKeys();
  });

  stage.dataset.tool = state.tool;
  drawToolbar();
  drawStatus();
  viewport.layout();
  source.load();

  return () => {
    painter.dispose();
    scene.dispose();
    viewport.dispose();
    offStore();
    hotkeys.dispose();
    source.dispose();
    render(nothing, toolbar);
    render(nothing, status);
    el.replaceChildren();
    el.classList.remove("li-image");
  };
}
