// @ts-check
/**
 * The Image object tag: one canvas showing the image and every region (one draw call per
 * colour, a grid index for hit-testing: cost does not grow with the region count), a toolbar of
 * the tools its controls offer, zoom / pan / rotate / brightness / contrast / grid / crosshair,
 * multi-image tasks (`valueList`), and drawing and editing of boxes, polygons, key points,
 * ellipses and brush masks. Results are Label Studio's, in percent of the original image.
 */
import { html, render, nothing } from "lit";
import {
  ViewTransform, valueOf, rectHandles, resizeRect, rotationTowards, rotateRectAboutCentre,
  moveShape, vertexAt, nearestEdge, insertPoint, deletePoint, clampPoint,
} from "../geometry.js";
import { line as paintLine, area as maskArea } from "../brush.js";
import { rleFromMask } from "../rle.js";
import { RegionLayer, paintMask, tracePath } from "./regions.js";
import { TOOLS, toolsFor, toolForArmed, creationTarget } from "./tools.js";
import { ensureImageStyles, toolIcon } from "./ui.js";

/** @typedef {import("../../../../web/static/labeling/types.js").WidgetContext} WidgetContext */
/** @typedef {import("../../../../web/static/labeling/types.js").TagNode} TagNode */
/** @typedef {import("../../../../web/static/labeling/types.js").Region} Region */
/** @typedef {import("./tools.js").Tool} Tool */
/** @typedef {import("../geometry.js").Shape} Shape */

const HANDLE = 7; // screen pixels
const ROTATE_OFFSET = 24; // screen pixels above the top edge
const MIN_DRAG = 3; // screen pixels before a drag draws anything

/** @param {any} v */
const bool = (v) => v === true || v === "true";

/** @type {import("../../../../web/static/labeling/types.js").WidgetRender} */
export default function renderImage({ el, model, ctx }) {
  performance.mark("image:mount");
  ensureImageStyles();
  const attrs = model.attrs || {};
  const name = String(attrs.name || "");
  const store = ctx.store;
  const controls = ctx.controlsFor(name);
  const tools = toolsFor(controls);
  const canRotateBoxes = !controls.some((c) => c.tag.startsWith("Rectangle") && c.attrs?.canRotate === false);
  const zoomable = bool(attrs.zoom) || bool(attrs.zoomControl);
  const raw = attrs.valueList ? ctx.resolve(attrs.valueList) : ctx.resolve(attrs.value);
  /** @type {string[]} */
  const urls = (Array.isArray(raw) ? raw : raw == null || raw === "" ? [] : [raw]).map((u) => ctx.mediaUrl(String(u)));
  const multi = Boolean(attrs.valueList) || urls.length > 1;

  const state = {
    page: 0,
    width: 0, // natural size of the current image
    height: 0,
    loaded: false,
    error: "",
    tool: /** @type {Tool} */ ("select"),
    brushSize: 16, // screen pixels
    brightness: 100,
    contrast: 100,
    grid: bool(attrs.grid),
    crosshair: bool(attrs.crosshair),
    hint: "",
    /** @type {[number, number]|null} pointer in image pixels */
    pointer: null,
    space: false,
  };
  const view = new ViewTransform();
  const layer = new RegionLayer();
  const img = new Image();
  img.decoding = "async";
  if (attrs.crossOrigin && attrs.crossOrigin !== "none") img.crossOrigin = String(attrs.crossOrigin);

  // ---- DOM
  el.classList.add("li-image");
  const frame = document.createElement("div");
  frame.className = "li-frame";
  const stage = document.createElement("div");
  stage.className = "li-stage";
  stage.tabIndex = 0;
  stage.setAttribute("role", "application");
  stage.setAttribute("aria-roledescription", "image annotation canvas");
  const canvas = document.createElement("canvas");
  canvas.className = "li-canvas";
  canvas.setAttribute("aria-hidden", "true");
  stage.append(canvas);
  const toolbar = document.createElement("div");
  toolbar.className = "li-toolbar";
  const status = document.createElement("div");
  status.className = "li-status";
  frame.append(stage, toolbar);
  el.append(frame, status);
  const maxWidth = String(attrs.maxWidth || "750px");
  frame.style.maxWidth = /^\d+$/.test(maxWidth) ? `${maxWidth}px` : maxWidth;
  if (attrs.width && attrs.width !== "100%") frame.style.width = String(attrs.width);
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));

  // ---- regions of this image (and page)
  /** @returns {Region[]} */
  const myRegions = () =>
    store.regions(name).filter((r) => !multi || Number(r.items[0]?.["item_index"] ?? 0) === state.page);
  function rebuild() {
    if (!state.loaded) return;
    layer.rebuild(myRegions(), state.width, state.height, ctx);
    sceneVersion++;
    stage.setAttribute("aria-label", `Image ${name}: ${layer.entries.length} region${layer.entries.length === 1 ? "" : "s"}${store.selectedId && layer.byId.has(store.selectedId) ? ", one selected" : ""}`);
    schedule();
  }

  // ---- sizing
  let stageW = 0, stageH = 0, dpr = 1;
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
    const changed = w !== stageW || h !== stageH;
    stageW = w;
    stageH = h;
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    if ((refit || changed) && state.loaded) fit(String(attrs.defaultZoom) === "original" ? "original" : "fit");
    schedule();
  }
  if (attrs.height) stage.style.height = /^\d+$/.test(String(attrs.height)) ? `${attrs.height}px` : String(attrs.height);
  const resizer = new ResizeObserver(() => {
    if (Math.floor(stage.clientWidth) !== stageW) layout(true);
  });
  resizer.observe(stage);

  /** @param {"fit"|"original"} mode */
  function fit(mode) {
    if (!state.loaded) return;
    view.fit(stageW, stageH, state.width, state.height, mode);
    if (mode === "fit" && attrs.horizontalAlignment && attrs.horizontalAlignment !== "center") align();
    schedule();
    drawStatus();
  }
  /** Label Studio aligns the fitted image left/top by default. */
  function align() {
    const corners = [[0, 0], [state.width, 0], [state.width, state.height], [0, state.height]].map(([x, y]) => view.toScreen(x, y));
    const minX = Math.min(...corners.map((c) => c[0])), maxX = Math.max(...corners.map((c) => c[0]));
    const minY = Math.min(...corners.map((c) => c[1])), maxY = Math.max(...corners.map((c) => c[1]));
    if (attrs.horizontalAlignment === "left") view.panX -= minX;
    if (attrs.horizontalAlignment === "right") view.panX += stageW - maxX;
    if (attrs.verticalAlignment === "top") view.panY -= minY;
    if (attrs.verticalAlignment === "bottom") view.panY += stageH - maxY;
  }

  // ---- loading
  function load() {
    state.loaded = false;
    state.error = "";
    // Busy until the picture is in: clicks and drags before that are ignored.
    stage.setAttribute("aria-busy", "true");
    const url = urls[state.page];
    if (!url) {
      state.error = "This task has no image.";
      stage.setAttribute("aria-busy", "false");
      drawStatus();
      schedule();
      return;
    }
    img.onload = () => {
      performance.mark("image:loaded");
      state.width = img.naturalWidth || img.width || 1;
      state.height = img.naturalHeight || img.height || 1;
      state.loaded = true;
      stage.setAttribute("aria-busy", "false");
      layout(true);
      rebuild();
      drawToolbar();
      drawStatus();
      el.dispatchEvent(new CustomEvent("li-image-loaded", { bubbles: true, detail: { name, width: state.width, height: state.height } }));
    };
    img.onerror = () => {
      state.error = `The image could not be loaded (${url.startsWith("data:") ? "inline data" : url}).`;
      stage.setAttribute("aria-busy", "false");
      drawStatus();
      schedule();
    };
    img.src = url;
  }

  // ---- drawing
  let raf = 0;
  let drawnMarked = false;
  /** Hotkeys live only while a polygon is being drawn. @type {(() => void)[]} */
  let draftKeys = [];
  function schedule() {
    syncDraftKeys();
    if (!raf) raf = requestAnimationFrame(paint);
  }
  /** Transient drawing state: the shape being drawn, or a working brush mask. */
  /** @type {{kind: "rect"|"ellipse", x0: number, y0: number, x1: number, y1: number} | {kind: "polygon", points: [number, number][]} | null} */
  let draft = null;
  /** @type {{mask: Uint8Array, canvas: HTMLCanvasElement, color: string, targetId: string|null, erase: boolean, last: [number, number], changed: boolean} | null} */
  let stroke = null;
  /** A region being edited: its live shape replaces the stored one until the drag ends. */
  /** @type {{id: string, shape: Shape} | null} */
  let live = null;

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
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!state.loaded) return;
    const [a, b, c, d, e, f] = view.matrix();
    g.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
    if (state.brightness !== 100 || state.contrast !== 100) g.filter = `brightness(${state.brightness}%) contrast(${state.contrast}%)`;
    g.imageSmoothingEnabled = attrs.smoothing !== false && view.zoom < 4;
    g.drawImage(img, 0, 0, state.width, state.height);
    g.filter = "none";
    drawScene();
    g.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
    const px = 1 / view.zoom; // one screen pixel in image pixels
    if (stroke) g.drawImage(stroke.canvas, 0, 0, state.width, state.height);
    // Selection and live edit on top of the cached scene
    const selected = store.selectedId;
    const sel = selected ? layer.byId.get(selected) : undefined;
    if (sel && !sel.region.hidden) {
      const shape = live && live.id === sel.id ? live.shape : sel.shape;
      // A selected mask is drawn a second time, so it stands out from the others.
      if (sel.mask && !stroke) g.drawImage(sel.mask.canvas, 0, 0, state.width, state.height);
      drawSelected(shape, sel.color, px, sel.locked);
    } else if (live) {
      const entry = layer.byId.get(live.id);
      if (entry) drawSelected(live.shape, entry.color, px, false);
    }
    drawDraft(px);
    drawOverlays();
  }

  /**
   * Every region is rasterised once into a cached layer (the visible part of the image plus a
   * margin) and the layer is copied each frame: panning is one bitmap copy whatever the region
   * count, and while the wheel turns the copy is scaled, then redrawn sharp when it stops
   * (ux.md P1). The cache is redrawn when regions change or the view leaves it.
   */
  /** @type {{canvas: HTMLCanvasElement, key: string, base: string, zoom: number, panX: number, panY: number, left: number, top: number, w: number, h: number} | null} */
  let scene = null;
  let sceneVersion = 0;
  let lastWheel = 0;
  let crispTimer = 0;
  const sceneCanvas = document.createElement("canvas");

  function drawScene() {
    const exclude = live?.id || stroke?.targetId || "";
    const base = `${sceneVersion}|${view.rotation}|${exclude}|${ctx.settings.showLabels}|${stageW}x${stageH}|${dpr}`;
    const key = `${base}|${view.zoom}`;
    const bounds = imageScreenBounds(24);
    const need = intersect({ left: 0, top: 0, right: stageW, bottom: stageH }, bounds);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!need) return;
    if (scene && scene.key === key) {
      const dx = view.panX - scene.panX, dy = view.panY - scene.panY;
      if (need.left >= scene.left + dx && need.top >= scene.top + dy && need.right <= scene.left + dx + scene.w && need.bottom <= scene.top + dy + scene.h) {
        g.drawImage(scene.canvas, scene.left + dx, scene.top + dy, scene.w, scene.h);
        return;
      }
    } else if (scene && scene.base === base && performance.now() - lastWheel < 200) {
      const k = view.zoom / scene.zoom;
      // Where the cached area lands now; it must still cover what is on screen.
      const l = k * (scene.left - scene.panX) + view.panX, t = k * (scene.top - scene.panY) + view.panY;
      const covered = need.left >= l && need.top >= t && need.right <= l + k * scene.w && need.bottom <= t + k * scene.h;
      if (covered && k > 1 / 3 && k < 3) {
        g.setTransform(k * dpr, 0, 0, k * dpr, (view.panX - k * scene.panX) * dpr, (view.panY - k * scene.panY) * dpr);
        // Nearest-neighbour while the wheel turns: cheap, and redrawn sharp when it stops.
        g.imageSmoothingEnabled = false;
        g.drawImage(scene.canvas, scene.left, scene.top, scene.w, scene.h);
        g.imageSmoothingEnabled = true;
        clearTimeout(crispTimer);
        crispTimer = window.setTimeout(schedule, 210);
        return;
      }
    }
    renderScene(key, base, bounds, exclude);
    paintStats.scenes++;
    if (scene) g.drawImage(scene.canvas, scene.left, scene.top, scene.w, scene.h);
  }

  /** Screen box of the image (plus a margin for labels and handles). @param {number} pad */
  function imageScreenBounds(pad) {
    const pts = [[0, 0], [state.width, 0], [state.width, state.height], [0, state.height]].map(([x, y]) => view.toScreen(x, y));
    return {
      left: Math.min(...pts.map((p) => p[0])) - pad, top: Math.min(...pts.map((p) => p[1])) - pad,
      right: Math.max(...pts.map((p) => p[0])) + pad, bottom: Math.max(...pts.map((p) => p[1])) + pad,
    };
  }

  /** @param {string} key @param {string} base @param {{left: number, top: number, right: number, bottom: number}} bounds @param {string} exclude */
  function renderScene(key, base, bounds, exclude) {
    const mx = stageW / 2, my = stageH / 2;
    const area = intersect({ left: -mx, top: -my, right: stageW + mx, bottom: stageH + my }, bounds);
    if (!area) {
      scene = null;
      return;
    }
    const left = Math.floor(area.left), top = Math.floor(area.top);
    const w = Math.ceil(area.right) - left, h = Math.ceil(area.bottom) - top;
    sceneCanvas.width = Math.max(1, Math.round(w * dpr));
    sceneCanvas.height = Math.max(1, Math.round(h * dpr));
    const c = /** @type {CanvasRenderingContext2D} */ (sceneCanvas.getContext("2d"));
    const [a, b, cc, d, e, f] = view.matrix();
    c.setTransform(a * dpr, b * dpr, cc * dpr, d * dpr, (e - left) * dpr, (f - top) * dpr);
    // Only regions inside the cached area are traced (zoomed in, that is a few of them).
    const corners = [[left, top], [left + w, top], [left + w, top + h], [left, top + h]].map(([x, y]) => view.toImage(x, y));
    const visible = {
      minX: Math.min(...corners.map((p) => p[0])), minY: Math.min(...corners.map((p) => p[1])),
      maxX: Math.max(...corners.map((p) => p[0])), maxY: Math.max(...corners.map((p) => p[1])),
    };
    drawRegions(c, exclude, visible);
    if (ctx.settings.showLabels) {
      c.setTransform(dpr, 0, 0, dpr, -left * dpr, -top * dpr);
      drawLabels(c, exclude);
    }
    scene = { canvas: sceneCanvas, key, base, zoom: view.zoom, panX: view.panX, panY: view.panY, left, top, w, h };
  }

  /**
   * Masks, outlines (one path per colour) and key points, in image coordinates.
   * @param {CanvasRenderingContext2D} c @param {string} exclude @param {import("../geometry.js").Box} visible image area drawn
   */
  function drawRegions(c, exclude, visible) {
    const px = 1 / view.zoom;
    for (const entry of layer.entries) {
      if (entry.shape.kind !== "mask" || entry.region.hidden || !entry.mask || entry.id === exclude) continue;
      c.globalAlpha = 0.85;
      c.drawImage(entry.mask.canvas, 0, 0, state.width, state.height);
    }
    c.globalAlpha = 1;
    c.lineWidth = 2 * px;
    c.lineJoin = "round";
    for (const [color, path] of layer.paths(exclude, visible)) {
      c.fillStyle = color;
      c.globalAlpha = 0.14;
      c.fill(path, "evenodd");
      c.globalAlpha = 1;
      c.strokeStyle = color;
      c.stroke(path);
    }
    // Key points keep a visible size at any zoom
    for (const entry of layer.entries) {
      if (entry.shape.kind !== "point" || entry.region.hidden || entry.id === exclude) continue;
      const r = Math.max(entry.shape.r, 4 * px);
      if (entry.shape.x + r < visible.minX || entry.shape.x - r > visible.maxX || entry.shape.y + r < visible.minY || entry.shape.y - r > visible.maxY) continue;
      c.beginPath();
      c.arc(entry.shape.x, entry.shape.y, r, 0, Math.PI * 2);
      c.fillStyle = entry.color;
      c.fill();
      c.strokeStyle = "#fff";
      c.lineWidth = 1.5 * px;
      c.stroke();
    }
  }

  /**
   * Region labels, in screen space so text stays crisp. Only labels of regions on screen and
   * wide enough to hold them are drawn when there are many (P1: a page of 1,000 word boxes
   * shows its boxes, and their labels once zoomed in).
   */
  /** @param {CanvasRenderingContext2D} c @param {string} exclude */
  function drawLabels(c, exclude) {
    const many = layer.entries.length > 150;
    c.font = "12px system-ui, sans-serif";
    c.textBaseline = "bottom";
    for (const entry of layer.entries) {
      if (!entry.label || entry.region.hidden || entry.shape.kind === "mask" || entry.id === exclude) continue;
      const box = layer.index.boxes.get(entry.id);
      if (!box) continue;
      const corners = [view.toScreen(box.minX, box.minY), view.toScreen(box.maxX, box.maxY)];
      const left = Math.min(corners[0][0], corners[1][0]), right = Math.max(corners[0][0], corners[1][0]);
      const top = Math.min(corners[0][1], corners[1][1]), bottom = Math.max(corners[0][1], corners[1][1]);
      if (right < 0 || left > stageW || bottom < 0 || top - 16 > stageH) continue;
      let width = labelWidths.get(entry.label);
      if (width === undefined) labelWidths.set(entry.label, (width = c.measureText(entry.label).width + 6));
      if (many && right - left < width) continue;
      const s = entry.shape;
      const [x, y] = s.kind === "rect" ? view.toScreen(s.x, s.y) : s.kind === "point" ? [right + 2, top] : [left, top];
      c.fillStyle = entry.color;
      c.fillRect(x, y - 16, width, 16);
      c.fillStyle = "#fff";
      c.fillText(entry.label, x + 3, y - 2);
    }
  }
  /** @type {Map<string, number>} */
  const labelWidths = new Map();

  /** @param {{left: number, top: number, right: number, bottom: number}} a @param {{left: number, top: number, right: number, bottom: number}} b */
  function intersect(a, b) {
    const out = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
    return out.right > out.left && out.bottom > out.top ? out : null;
  }

  /** @param {Shape} shape @param {string} color @param {number} px @param {boolean} locked */
  function drawSelected(shape, color, px, locked) {
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
    if (locked || ctx.readOnly) return;
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
          if (!canRotateBoxes) continue;
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

  /** @param {number} px */
  function drawDraft(px) {
    if (!draft) return;
    const armed = store.armed(name);
    const color = armed ? ctx.labelColor(/** @type {TagNode} */ (ctx.byName(armed.from_name)), armed.labels[0] || "") : "#2F80ED";
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = 2 * px;
    g.setLineDash([6 * px, 4 * px]);
    g.beginPath();
    if (draft.kind === "rect") g.rect(Math.min(draft.x0, draft.x1), Math.min(draft.y0, draft.y1), Math.abs(draft.x1 - draft.x0), Math.abs(draft.y1 - draft.y0));
    else if (draft.kind === "ellipse") g.ellipse(draft.x0, draft.y0, Math.abs(draft.x1 - draft.x0), Math.abs(draft.y1 - draft.y0), 0, 0, Math.PI * 2);
    else if (draft.kind === "polygon") {
      draft.points.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
      if (state.pointer) g.lineTo(state.pointer[0], state.pointer[1]);
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

  /** Grid, crosshair and brush cursor, in screen space. */
  function drawOverlays() {
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (state.grid) {
      const size = Math.max(2, Number(attrs.gridSize) || 30) * view.zoom;
      if (size >= 4) {
        g.beginPath();
        const [ox, oy] = view.toScreen(0, 0);
        for (let x = ((ox % size) + size) % size; x < stageW; x += size) { g.moveTo(x + 0.5, 0); g.lineTo(x + 0.5, stageH); }
        for (let y = ((oy % size) + size) % size; y < stageH; y += size) { g.moveTo(0, y + 0.5); g.lineTo(stageW, y + 0.5); }
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

  // ---- toolbar and status
  function setTool(/** @type {Tool} */ tool) {
    if (!tools.includes(tool)) return;
    if (draft && tool !== state.tool) draft = null;
    state.tool = tool;
    state.hint = "";
    stage.dataset.tool = tool;
    drawToolbar();
    drawStatus();
    schedule();
  }

  function drawToolbar() {
    const button = (/** @type {string} */ label, /** @type {string} */ key, /** @type {string} */ iconName, /** @type {() => void} */ onClick, pressed = /** @type {boolean|null} */ (null), disabled = false) => html`
      <button type="button" class="li-tool" aria-label=${label} title=${key ? `${label} (${key})` : label}
        aria-pressed=${pressed === null ? nothing : pressed ? "true" : "false"} ?disabled=${disabled} @click=${onClick}>${toolIcon(iconName)}</button>`;
    render(html`<div role="toolbar" aria-label=${`Image tools: ${name}`} aria-orientation="vertical">
      ${tools.map((t) => button(TOOLS[t].title, TOOLS[t].key.toUpperCase(), t, () => setTool(t), state.tool === t, ctx.readOnly && t !== "select" && t !== "pan"))}
      <span class="li-sep" role="separator"></span>
      ${button("Zoom in", "Ctrl +", "zoom-in", () => zoomBy(1.25))}
      ${button("Zoom to fit", "Shift 1", "fit", () => fit("fit"))}
      ${button("Zoom out", "Ctrl −", "zoom-out", () => zoomBy(0.8))}
      ${button("Actual size (100%)", "Shift 2", "one", () => fit("original"))}
      ${bool(attrs.rotateControl) ? html`${button("Rotate left", "Alt ←", "rotate-left", () => rotateView(-90))}${button("Rotate right", "Alt →", "rotate-right", () => rotateView(90))}` : nothing}
    </div>`, toolbar);
  }

  function drawStatus() {
    const hint = state.hint || (state.error ? "" : TOOLS[state.tool].hint);
    render(html`
      ${multi ? html`<span class="li-pages">
        <button type="button" class="btn btn-icon li-page" aria-label="Previous image (Ctrl ←)" title="Previous image (Ctrl ←)" ?disabled=${state.page === 0} @click=${() => goPage(state.page - 1)}>‹</button>
        <span aria-live="polite">Image ${state.page + 1} of ${urls.length}</span>
        <button type="button" class="btn btn-icon li-page" aria-label="Next image (Ctrl →)" title="Next image (Ctrl →)" ?disabled=${state.page >= urls.length - 1} @click=${() => goPage(state.page + 1)}>›</button>
      </span>` : nothing}
      ${state.error ? html`<span class="li-error" role="alert">${state.error}</span>` : html`<span class="li-hint ${state.hint ? "is-warning" : ""}" aria-live="polite">${hint}</span>`}
      <span class="li-meta">
        ${state.tool === "brush" || state.tool === "eraser" ? html`<span title="[ and ] change the size">Size ${state.brushSize}px</span>` : nothing}
        ${bool(attrs.brightnessControl) ? html`<label class="li-slider">Brightness <input type="range" min="20" max="250" .value=${String(state.brightness)} aria-label="Brightness"
          @input=${(/** @type {any} */ e) => { state.brightness = Number(e.target.value); schedule(); }}></label>` : nothing}
        ${bool(attrs.contrastControl) ? html`<label class="li-slider">Contrast <input type="range" min="20" max="250" .value=${String(state.contrast)} aria-label="Contrast"
          @input=${(/** @type {any} */ e) => { state.contrast = Number(e.target.value); schedule(); }}></label>` : nothing}
        ${state.loaded ? html`<span class="li-zoom" title="Zoom">${Math.round(view.zoom * 100)}%</span><span class="muted">${state.width}×${state.height}</span>` : nothing}
      </span>`, status);
  }

  /** @param {number} factor @param {number} [sx] @param {number} [sy] */
  function zoomBy(factor, sx = stageW / 2, sy = stageH / 2) {
    const min = bool(attrs.negativeZoom) ? 0.02 : Math.min(1, Math.min(stageW / (state.width || 1), stageH / (state.height || 1)));
    view.zoomAt(factor, sx, sy, min, 64);
    schedule();
    drawStatus();
  }
  /** @param {number} deg */
  function rotateView(deg) {
    view.rotation = ((view.rotation + deg) % 360 + 360) % 360;
    layout(true);
  }
  /** @param {number} page */
  function goPage(page) {
    if (page < 0 || page >= urls.length || page === state.page) return;
    state.page = page;
    draft = null;
    store.select(null);
    load();
    drawStatus();
  }

  // ---- creating and editing regions
  function extraFields() {
    /** @type {Record<string, any>} */
    const extra = { original_width: state.width, original_height: state.height, image_rotation: 0 };
    if (multi) extra.item_index = state.page;
    return extra;
  }

  /**
   * @param {Tool} tool @param {Record<string, any>} geometry percent value keys
   * @returns {string|null} the new region's id
   */
  function createRegion(tool, geometry) {
    const target = creationTarget(tool, store.armed(name), controls);
    if ("error" in target) {
      state.hint = target.error;
      drawStatus();
      return null;
    }
    const value = { ...geometry };
    if (target.labels) value[target.type] = target.labels;
    let id = null;
    store.transact(() => {
      id = store.createRegion({ from_name: target.from_name, to_name: name, type: target.type, value, ...extraFields() });
      if (target.extra) store.setRegionLabels(/** @type {any} */ (id), target.extra.from_name, "labels", target.extra.labels);
    });
    state.hint = "";
    drawStatus();
    return id;
  }

  /** @param {string} id @param {Shape} shape */
  function commitShape(id, shape) {
    store.updateRegion(id, valueOf(shape, state.width, state.height));
  }

  function selectedEntry() {
    const id = store.selectedId;
    return id ? layer.byId.get(id) : undefined;
  }

  // ---- pointer interaction
  /** @type {null | {mode: string, startX: number, startY: number, sx: number, sy: number, panX: number, panY: number, id?: string, shape?: Shape, handle?: string, vertex?: number, moved: boolean}} */
  let drag = null;

  /** @param {PointerEvent|MouseEvent|WheelEvent} event @returns {[number, number, number, number]} */
  function pointerAt(event) {
    const rect = canvas.getBoundingClientRect();
    const sx = event.clientX - rect.left, sy = event.clientY - rect.top;
    const [x, y] = view.toImage(sx, sy);
    return [sx, sy, x, y];
  }

  /** Which handle of the selected region is under a point. @param {number} x @param {number} y */
  function handleAt(x, y) {
    const entry = selectedEntry();
    if (!entry || entry.locked || entry.region.hidden || ctx.readOnly) return null;
    const px = 1 / view.zoom;
    const tol = HANDLE * px;
    const shape = entry.shape;
    if (shape.kind === "rect") {
      for (const [hname, hx, hy] of rectHandles(shape, ROTATE_OFFSET * px)) {
        if (hname === "rot" && !canRotateBoxes) continue;
        if (Math.abs(hx - x) <= tol && Math.abs(hy - y) <= tol) return { entry, handle: hname };
      }
    } else if (shape.kind === "polygon") {
      const v = vertexAt(shape.points, x, y, tol);
      if (v >= 0) return { entry, handle: "vertex", vertex: v };
    } else if (shape.kind === "ellipse") {
      const hs = ellipseHandles(shape);
      for (let i = 0; i < hs.length; i++) if (Math.abs(hs[i][0] - x) <= tol && Math.abs(hs[i][1] - y) <= tol) return { entry, handle: ["e", "s", "w", "n"][i] };
    }
    return null;
  }

  stage.addEventListener("pointerdown", (event) => {
    if (!state.loaded) return;
    stage.focus({ preventScroll: true });
    const [sx, sy, x, y] = pointerAt(event);
    const base = { startX: x, startY: y, sx, sy, panX: view.panX, panY: view.panY, moved: false };
    if (event.button === 1 || state.space || state.tool === "pan") {
      event.preventDefault();
      drag = { mode: "pan", ...base };
      stage.setPointerCapture(event.pointerId);
      stage.classList.add("is-panning");
      return;
    }
    if (event.button !== 0) return;
    stage.setPointerCapture(event.pointerId);
    const tol = 4 / view.zoom;
    const onHandle = handleAt(x, y);
    if (onHandle && (state.tool === "select" || state.tool !== "polygon" || !draft)) {
      const { entry, handle, vertex } = /** @type {any} */ (onHandle);
      if (handle === "vertex" && event.altKey && entry.shape.kind === "polygon") {
        const points = deletePoint(entry.shape.points, vertex);
        if (points) commitShape(entry.id, { ...entry.shape, points });
        else { state.hint = "A polygon needs at least 3 points."; drawStatus(); }
        drag = null;
        return;
      }
      drag = { mode: "handle", ...base, id: entry.id, shape: entry.shape, handle, vertex };
      return;
    }
    if (ctx.readOnly || state.tool === "select") {
      const hit = layer.hit(x, y, tol);
      store.select(hit ? hit.id : null);
      if (hit && !hit.locked && !ctx.readOnly && hit.shape.kind !== "mask") drag = { mode: "move", ...base, id: hit.id, shape: hit.shape };
      else drag = null;
      return;
    }
    if (x < 0 || y < 0 || x > state.width || y > state.height) {
      if (state.tool !== "polygon") return;
    }
    const [cx, cy] = clampPoint(x, y, state.width, state.height);
    switch (state.tool) {
      case "rect":
      case "ellipse":
        draft = { kind: state.tool, x0: cx, y0: cy, x1: cx, y1: cy };
        drag = { mode: "draw", ...base };
        break;
      case "keypoint": {
        const strokeWidth = Number(controls.find((c) => c.tag.startsWith("KeyPoint"))?.attrs?.strokeWidth) || 1;
        createRegion("keypoint", { x: round10((cx / state.width) * 100), y: round10((cy / state.height) * 100), width: round10(((strokeWidth / view.zoom) / state.width) * 100) });
        drag = null;
        break;
      }
      case "polygon": {
        if (draft && draft.kind === "polygon") {
          const [fx, fy] = draft.points[0];
          if (draft.points.length >= 3 && Math.hypot(fx - cx, fy - cy) <= 8 / view.zoom) finishPolygon();
          else draft.points.push([cx, cy]);
        } else draft = { kind: "polygon", points: [[cx, cy]] };
        drag = null;
        schedule();
        break;
      }
      case "brush":
      case "eraser":
        startStroke(cx, cy, state.tool === "eraser");
        drag = { mode: "stroke", ...base };
        break;
      default:
        break;
    }
  });

  stage.addEventListener("pointermove", (event) => {
    if (!state.loaded) return;
    const [sx, sy, x, y] = pointerAt(event);
    state.pointer = [x, y];
    if (!drag) {
      if (state.crosshair || draft || state.tool === "brush" || state.tool === "eraser") schedule();
      const over = handleAt(x, y);
      stage.dataset.cursor = over ? (over.handle === "rot" ? "rotate" : "handle") : "";
      return;
    }
    if (!drag.moved && Math.hypot(sx - drag.sx, sy - drag.sy) >= MIN_DRAG) drag.moved = true;
    if (drag.mode === "pan") {
      view.panX = drag.panX + (sx - drag.sx);
      view.panY = drag.panY + (sy - drag.sy);
      schedule();
      return;
    }
    if (!drag.moved) return;
    const [cx, cy] = clampPoint(x, y, state.width, state.height);
    if (drag.mode === "draw" && draft && draft.kind !== "polygon") {
      draft.x1 = cx;
      draft.y1 = cy;
    } else if (drag.mode === "move" && drag.id && drag.shape) {
      live = { id: drag.id, shape: moveShape(drag.shape, x - drag.startX, y - drag.startY, state.width, state.height) };
    } else if (drag.mode === "handle" && drag.id && drag.shape) {
      live = { id: drag.id, shape: editedShape(drag.shape, /** @type {string} */ (drag.handle), drag.vertex ?? -1, cx, cy, x, y) };
    } else if (drag.mode === "stroke") {
      continueStroke(cx, cy);
    }
    schedule();
  });

  /** @param {PointerEvent} event */
  function endPointer(event) {
    if (stage.hasPointerCapture?.(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    stage.classList.remove("is-panning");
    const current = drag;
    drag = null;
    if (!current) return;
    if (current.mode === "pan") {
      drawStatus();
      return;
    }
    if (current.mode === "draw" && draft && draft.kind !== "polygon") {
      const d = draft;
      draft = null;
      const minSize = MIN_DRAG / view.zoom;
      if (Math.abs(d.x1 - d.x0) >= minSize && Math.abs(d.y1 - d.y0) >= minSize) {
        /** @type {Shape} */
        const shape = d.kind === "rect"
          ? { kind: "rect", x: Math.min(d.x0, d.x1), y: Math.min(d.y0, d.y1), w: Math.abs(d.x1 - d.x0), h: Math.abs(d.y1 - d.y0), rotation: 0 }
          : { kind: "ellipse", cx: d.x0, cy: d.y0, rx: Math.abs(d.x1 - d.x0), ry: Math.abs(d.y1 - d.y0), rotation: 0 };
        createRegion(d.kind, valueOf(shape, state.width, state.height));
      }
      schedule();
      return;
    }
    if ((current.mode === "move" || current.mode === "handle") && live) {
      const { id, shape } = live;
      live = null;
      if (current.moved) commitShape(id, shape);
      schedule();
      return;
    }
    if (current.mode === "stroke") endStroke();
  }
  stage.addEventListener("pointerup", endPointer);
  stage.addEventListener("pointercancel", endPointer);
  stage.addEventListener("pointerleave", () => {
    if (!drag) {
      state.pointer = null;
      schedule();
    }
  });
  stage.addEventListener("dblclick", (event) => {
    const [, , x, y] = pointerAt(event);
    if (draft && draft.kind === "polygon") {
      // The double click's second press added a point on top of the last one.
      if (draft.points.length > 3) draft.points.pop();
      finishPolygon();
      return;
    }
    const entry = selectedEntry();
    if (!entry || entry.locked || ctx.readOnly || entry.shape.kind !== "polygon") return;
    const edge = nearestEdge(entry.shape.points, x, y, entry.shape.closed);
    if (edge.distance <= 6 / view.zoom) commitShape(entry.id, { ...entry.shape, points: insertPoint(entry.shape.points, edge.index, [x, y]) });
  });
  stage.addEventListener("wheel", (event) => {
    if (!state.loaded || !(zoomable || event.ctrlKey)) return;
    event.preventDefault();
    lastWheel = performance.now();
    const [sx, sy] = pointerAt(event);
    if (event.ctrlKey || !event.shiftKey) zoomBy(Math.pow(Number(attrs.zoomBy) || 1.1, -Math.sign(event.deltaY)), sx, sy);
    else {
      view.panX -= event.deltaY;
      schedule();
    }
  }, { passive: false });
  // Space + drag pans: tracked on the focused stage itself (not the document).
  stage.addEventListener("keydown", (event) => {
    if (event.key === " " && !event.repeat) {
      state.space = true;
      stage.classList.add("is-space");
      event.preventDefault();
    }
  });
  stage.addEventListener("keyup", (event) => {
    if (event.key === " ") {
      state.space = false;
      stage.classList.remove("is-space");
    }
  });
  stage.addEventListener("blur", () => {
    state.space = false;
    stage.classList.remove("is-space");
  });

  /**
   * A shape after dragging one of its handles.
   * @param {Shape} shape @param {string} handle @param {number} vertex @param {number} cx @param {number} cy clamped point @param {number} x @param {number} y raw point
   * @returns {Shape}
   */
  function editedShape(shape, handle, vertex, cx, cy, x, y) {
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

  function finishPolygon() {
    if (!draft || draft.kind !== "polygon") return;
    const points = draft.points;
    draft = null;
    if (points.length < 3) {
      state.hint = "A polygon needs at least 3 points.";
      drawStatus();
      schedule();
      return;
    }
    createRegion("polygon", valueOf({ kind: "polygon", points, closed: true }, state.width, state.height));
    schedule();
  }

  // ---- brush strokes
  /** @param {number} x @param {number} y @param {boolean} erase */
  function startStroke(x, y, erase) {
    const W = state.width, H = state.height;
    let target = selectedEntry();
    if (target && target.shape.kind !== "mask") target = undefined;
    if (erase && !target) {
      const hit = layer.hit(x, y, 0);
      target = hit && hit.shape.kind === "mask" ? hit : undefined;
    }
    if (!erase && target) {
      // Extend the selected mask only when it carries the armed label (else start a new one).
      const armed = store.armed(name);
      const labels = target.label;
      if (armed && armed.labels.join(", ") !== labels) target = undefined;
    }
    if (target?.locked) target = undefined;
    if (erase && !target) {
      state.hint = "Select a mask to erase from.";
      drawStatus();
      return;
    }
    if (!erase && !target) {
      const check = creationTarget("brush", store.armed(name), controls);
      if ("error" in check) {
        state.hint = check.error;
        drawStatus();
        return;
      }
    }
    const mask = target?.mask && target.mask.width === W ? new Uint8Array(target.mask.mask) : new Uint8Array(W * H);
    const armed = store.armed(name);
    const color = target ? target.color : armed ? ctx.labelColor(/** @type {TagNode} */ (ctx.byName(armed.from_name)), armed.labels[0] || "") : "#2F80ED";
    const c = document.createElement("canvas");
    c.width = W;
    c.height = H;
    paintMask(c, mask, W, H, color);
    stroke = { mask, canvas: c, color, targetId: target ? target.id : null, erase, last: [x, y], changed: false };
    continueStroke(x, y);
  }
  /** @param {number} x @param {number} y */
  function continueStroke(x, y) {
    if (!stroke) return;
    const radius = state.brushSize / 2 / view.zoom;
    const box = paintLine(stroke.mask, state.width, state.height, stroke.last[0], stroke.last[1], x, y, radius, stroke.erase ? 0 : 255);
    stroke.last = [x, y];
    if (box) {
      stroke.changed = true;
      paintMask(stroke.canvas, stroke.mask, state.width, state.height, stroke.color, box);
    }
  }
  function endStroke() {
    const s = stroke;
    stroke = null;
    if (!s || !s.changed) {
      schedule();
      return;
    }
    const rle = rleFromMask(s.mask, state.width, state.height);
    if (s.targetId) {
      if (!maskArea(s.mask)) store.deleteRegion(s.targetId);
      else store.updateRegion(s.targetId, { format: "rle", rle });
    } else if (maskArea(s.mask)) {
      const id = createRegion("brush", { format: "rle", rle });
      if (id) store.select(id);
    }
    schedule();
  }

  // ---- keyboard (through the runtime's keymap only)
  /** @type {(() => void)[]} */
  const offKeys = [];
  /** @param {string} combo @param {(e: KeyboardEvent) => void} fn @param {string} description @param {string} [group] */
  const key = (combo, fn, description, group = "Image tools") => offKeys.push(ctx.hotkey(combo, fn, { description, group }));
  for (const t of tools) key(TOOLS[t].key, () => setTool(t), `${TOOLS[t].title} tool`);
  if (tools.includes("brush")) {
    key("[", () => { state.brushSize = Math.max(2, state.brushSize - 4); drawStatus(); schedule(); }, "Smaller brush");
    key("]", () => { state.brushSize = Math.min(200, state.brushSize + 4); drawStatus(); schedule(); }, "Bigger brush");
  }
  key("ctrl+=, ctrl++", () => zoomBy(1.25), "Zoom in");
  key("ctrl+-", () => zoomBy(0.8), "Zoom out");
  key("shift+1", () => fit("fit"), "Zoom to fit");
  key("shift+2", () => fit("original"), "Zoom to 100%");
  if (bool(attrs.rotateControl)) {
    key("alt+left", () => rotateView(-90), "Rotate image left");
    key("alt+right", () => rotateView(90), "Rotate image right");
  }
  if (multi) {
    key("ctrl+left", () => goPage(state.page - 1), "Previous image", "Multi-image");
    key("ctrl+right", () => goPage(state.page + 1), "Next image", "Multi-image");
  }
  // Enter / Esc / Backspace belong to the polygon only while one is being drawn; otherwise the
  // runtime's own bindings (unselect, cancel a relation, delete the selected region) apply.
  function syncDraftKeys() {
    const drawing = Boolean(draft && draft.kind === "polygon");
    if (drawing && !draftKeys.length) {
      const opts = (/** @type {string} */ description) => ({ description, group: "Image tools" });
      draftKeys.push(ctx.hotkey("enter", () => finishPolygon(), opts("Close the polygon being drawn")));
      draftKeys.push(ctx.hotkey("escape", () => {
        draft = null;
        schedule();
      }, opts("Cancel the polygon being drawn")));
      draftKeys.push(ctx.hotkey("backspace, delete", () => {
        if (!draft || draft.kind !== "polygon") return;
        draft.points.pop();
        if (!draft.points.length) draft = null;
        schedule();
      }, opts("Remove the last polygon point")));
    } else if (!drawing && draftKeys.length) {
      draftKeys.forEach((off) => off());
      draftKeys = [];
    }
  }
  key("ctrl+d", (event) => {
    event?.preventDefault?.();
    duplicateSelected();
  }, "Duplicate selected region", "Regions");

  // Arrow nudging exists only while a region of this image is selected, so plain Shift+↑/↓
  // keep moving between tasks otherwise.
  /** @type {(() => void)[]} */
  let nudgeKeys = [];
  function syncNudgeKeys() {
    const entry = selectedEntry();
    const want = Boolean(entry && !entry.locked && !ctx.readOnly && entry.shape.kind !== "mask");
    if (want && !nudgeKeys.length) {
      for (const [combo, dx, dy] of /** @type {[string, number, number][]} */ ([["left", -1, 0], ["right", 1, 0], ["up", 0, -1], ["down", 0, 1]])) {
        nudgeKeys.push(ctx.hotkey(combo, () => nudge(dx, dy), { description: "Nudge selected region 1 px", group: "Regions" }));
        nudgeKeys.push(ctx.hotkey(`shift+${combo}`, () => nudge(dx * 10, dy * 10), { description: "Nudge selected region 10 px", group: "Regions" }));
      }
    } else if (!want && nudgeKeys.length) {
      nudgeKeys.forEach((off) => off());
      nudgeKeys = [];
    }
  }
  /** @param {number} dx @param {number} dy image pixels */
  function nudge(dx, dy) {
    const entry = selectedEntry();
    if (!entry || entry.locked) return;
    commitShape(entry.id, moveShape(entry.shape, dx, dy, state.width, state.height));
  }
  function duplicateSelected() {
    const entry = selectedEntry();
    if (!entry || ctx.readOnly) return;
    const region = entry.region;
    const offset = Math.max(4, 10 / view.zoom);
    const shape = entry.shape.kind === "mask" ? entry.shape : moveShape(entry.shape, offset, offset, state.width, state.height);
    const geometry = entry.shape.kind === "mask" ? {} : valueOf(shape, state.width, state.height);
    store.transact(() => {
      const [main, ...rest] = region.items;
      const { id: _id, from_name, to_name, type, value, origin: _o, ...extra } = /** @type {any} */ (main);
      const id = store.createRegion({ from_name, to_name, type, value: { ...value, ...geometry }, ...extra });
      for (const item of rest) {
        if (item.type === "relation") continue;
        const own = Object.keys(item.value || {}).find((k) => Array.isArray(item.value?.[k]) && !["points", "rle"].includes(k));
        if (own) store.setRegionLabels(id, String(item.from_name), item.type, item.value?.[own]);
      }
      store.select(id);
    });
  }

  // ---- store subscription
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
      syncNudgeKeys();
      stage.setAttribute("aria-label", `Image ${name}: ${layer.entries.length} regions${store.selectedId && layer.byId.has(store.selectedId) ? ", one selected" : ""}`);
      schedule();
      return;
    }
    rebuild();
    syncNudgeKeys();
  });

  stage.dataset.tool = state.tool;
  drawToolbar();
  drawStatus();
  layout();
  load();

  return () => {
    cancelAnimationFrame(raf);
    clearTimeout(crispTimer);
    resizer.disconnect();
    offStore();
    offKeys.forEach((off) => off());
    nudgeKeys.forEach((off) => off());
    draftKeys.forEach((off) => off());
    img.onload = img.onerror = null;
    render(nothing, toolbar);
    render(nothing, status);
    el.replaceChildren();
    el.classList.remove("li-image");
  };
}

/** Time spent drawing frames, for benchmarks (bench/ui_image_bench.py); reset freely. */
export const paintStats = { frames: 0, total: 0, max: 0, scenes: 0 };

/** @param {number} v */
function round10(v) {
  return Math.round(v * 1e10) / 1e10;
}

/** Radius handles of an ellipse: right, bottom, left, top (rotated). @param {{cx: number, cy: number, rx: number, ry: number, rotation: number}} e @returns {[number, number][]} */
function ellipseHandles(e) {
  const a = (e.rotation * Math.PI) / 180;
  const c = Math.cos(a), s = Math.sin(a);
  return [[e.rx, 0], [0, e.ry], [-e.rx, 0], [0, -e.ry]].map(([x, y]) => [e.cx + x * c - y * s, e.cy + x * s + y * c]);
}

/**
 * A thumbnail for the data manager's table and grid: the image (the first of a list, with a
 * count), lazy-loaded.
 * @param {{el: HTMLElement, value: any, ctx?: any}} args
 */
export function preview({ el, value }) {
  ensureImageStyles();
  const list = Array.isArray(value) ? value.map(String) : [String(value ?? "")];
  const url = list[0] || "";
  const wrap = document.createElement("span");
  wrap.className = "li-thumb";
  if (/^(https?:|\/|data:image)/.test(url)) {
    const image = document.createElement("img");
    image.loading = "lazy";
    image.decoding = "async";
    image.alt = "";
    image.src = url;
    image.addEventListener("error", () => {
      wrap.textContent = url.startsWith("data:") ? "image" : url.split("/").pop() || url;
      wrap.classList.add("is-broken");
    });
    wrap.append(image);
  } else {
    wrap.textContent = url;
    wrap.classList.add("is-broken");
  }
  if (list.length > 1) {
    const badge = document.createElement("span");
    badge.className = "li-thumb-count";
    badge.textContent = `+${list.length - 1}`;
    wrap.append(badge);
  }
  wrap.title = list.join("\n").slice(0, 2000);
  el.replaceChildren(wrap);
  return () => wrap.remove();
}
