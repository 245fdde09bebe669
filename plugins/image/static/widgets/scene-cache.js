// @ts-check
/**
 * The cached region layer. Every region is rasterised once into a cached layer (the visible part
 * of the image plus a margin) and the layer is copied each frame: panning is one bitmap copy
 * whatever the region count, and while the wheel turns the copy is scaled, then redrawn sharp
 * when it stops (ux.md P1). The cache is redrawn when regions change or the view leaves it.
 */
import { imageScreenBounds, intersect } from "./viewport.js";
import { paintStats } from "./paint-stats.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./regions.js").RegionLayer} RegionLayer */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */
/** @typedef {import("./viewport.js").StageSize} StageSize */
/** @typedef {import("./viewport.js").ScreenBox} ScreenBox */

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits the region being dragged or painted is left out (drawn live)
 * @param {ViewTransform} deps.view
 * @param {RegionLayer} deps.layer
 * @param {StageSize} deps.size
 * @param {CanvasRenderingContext2D} deps.g the stage canvas
 * @param {() => void} deps.schedule repaint on the next frame
 */
export function createSceneCache({ ctx, state, edits, view, layer, size, g, schedule }) {
  /** @type {{canvas: HTMLCanvasElement, key: string, base: string, zoom: number, panX: number, panY: number, left: number, top: number, w: number, h: number} | null} */
  let scene = null;
  let version = 0;
  let lastWheel = 0;
  let crispTimer = 0;
  const sceneCanvas = document.createElement("canvas");
  /** @type {Map<string, number>} */
  const labelWidths = new Map();

  /** Copy the cached layer onto the stage (redrawing it first when it is stale). */
  function draw() {
    const exclude = edits.live?.id || edits.stroke?.targetId || "";
    const { width: stageW, height: stageH, dpr } = size;
    const base = `${version}|${view.rotation}|${exclude}|${ctx.settings.showLabels}|${stageW}x${stageH}|${dpr}`;
    const key = `${base}|${view.zoom}`;
    const bounds = imageScreenBounds(view, state.width, state.height, 24);
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
    render(key, base, bounds, exclude);
    paintStats.scenes++;
    if (scene) g.drawImage(scene.canvas, scene.left, scene.top, scene.w, scene.h);
  }

  /** @param {string} key @param {string} base @param {ScreenBox} bounds @param {string} exclude */
  function render(key, base, bounds, exclude) {
    const { width: stageW, height: stageH, dpr } = size;
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
   * @param {CanvasRenderingContext2D} c @param {string} exclude
   */
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
      if (right < 0 || left > size.width || bottom < 0 || top - 16 > size.height) continue;
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

  return {
    draw,
    /** The regions changed: the next frame redraws the layer. */
    invalidate: () => void version++,
    /** The wheel just turned: for a moment, scale the cached layer instead of redrawing it. */
    noteWheel: () => void (lastWheel = performance.now()),
    dispose: () => clearTimeout(crispTimer),
  };
}

/** @typedef {ReturnType<typeof createSceneCache>} SceneCache */
