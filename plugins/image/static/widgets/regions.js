// @ts-check
/**
 * The image's regions as the canvas needs them: shapes in image pixels, colours, labels, a grid
 * index for hit-testing and one Path2D per colour (so a frame costs a few fill/stroke calls
 * whatever the region count — ux.md P1). Brush masks are decoded once per RLE and kept as
 * tinted canvases.
 */
import { parseHex } from "../colors-lite.js";
import { GridIndex, boundsOf, contains, rectCorners, shapeOf } from "../geometry.js";
import { maskFromRle } from "../rle.js";
import { tint } from "../brush.js";

/** @typedef {import("@labelloom/sdk").Region} Region */
/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("../geometry.js").Shape} Shape */

/**
 * @typedef {object} Entry
 * @property {string} id
 * @property {Region} region
 * @property {Shape} shape
 * @property {string} color
 * @property {string} label
 * @property {boolean} locked
 * @property {{mask: Uint8Array, canvas: HTMLCanvasElement|OffscreenCanvas, width: number, height: number}|null} mask
 */

const LABEL_KEYS = ["rectanglelabels", "polygonlabels", "keypointlabels", "ellipselabels", "brushlabels", "labels"];
const FALLBACK = "#36B37E";

/** The labels of a region and the control they come from. @param {Region} region */
export function labelsOf(region) {
  for (const item of region.items) {
    for (const key of LABEL_KEYS) {
      const list = item.value?.[key];
      if (Array.isArray(list) && list.length) return { from_name: String(item.from_name || ""), labels: list.map(String) };
    }
  }
  return { from_name: region.from_name, labels: /** @type {string[]} */ ([]) };
}

/** Colour of a region: its first label's background, else the control's strokeColor. @param {Region} region @param {WidgetContext} ctx */
export function colorOf(region, ctx) {
  const { from_name, labels } = labelsOf(region);
  const control = ctx.byName(from_name);
  if (control && labels.length) {
    const label = (control.children || []).find((c) => c.tag === "Label" && (c.attrs?.alias === labels[0] || c.attrs?.value === labels[0]));
    return ctx.labelColor(control, String(label?.attrs?.value ?? labels[0]));
  }
  const main = ctx.byName(region.from_name);
  return String(main?.attrs?.strokeColor || main?.attrs?.fillColor || FALLBACK);
}

/**
 * Colour of a region about to be drawn: the armed label's, else the default blue.
 * @param {WidgetContext} ctx @param {import("@labelloom/sdk").Armed|null} armed
 */
export function armedColor(ctx, armed) {
  return armed ? ctx.labelColor(/** @type {import("@labelloom/sdk").TagNode} */ (ctx.byName(armed.from_name)), armed.labels[0] || "") : "#2F80ED";
}

/** A canvas of the given size (OffscreenCanvas when there is no document, e.g. in a worker). @param {number} w @param {number} h */
function makeCanvas(w, h) {
  if (typeof document !== "undefined") {
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    return c;
  }
  return new OffscreenCanvas(w, h);
}

/**
 * Draw a mask into a canvas in a colour.
 * @param {HTMLCanvasElement|OffscreenCanvas} canvas @param {Uint8Array} mask @param {number} width @param {number} height @param {string} color
 * @param {{x0: number, y0: number, x1: number, y1: number}} [box] only this part
 */
export function paintMask(canvas, mask, width, height, color, box) {
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const rgb = parseHex(color) || [54, 179, 126];
  if (!box) {
    g.putImageData(new ImageData(tint(mask, rgb, 0.55), width, height), 0, 0);
    return;
  }
  const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
  const part = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) part.set(mask.subarray((box.y0 + y) * width + box.x0, (box.y0 + y) * width + box.x0 + w), y * w);
  g.putImageData(new ImageData(tint(part, rgb, 0.55), w, h), box.x0, box.y0);
}

export class RegionLayer {
  constructor() {
    /** @type {Entry[]} */
    this.entries = [];
    /** @type {Map<string, Entry>} */
    this.byId = new Map();
    this.index = new GridIndex(64);
    /** One filled+stroked path per colour. @type {Map<string, Path2D>} */
    this.batches = new Map();
    /** Decoded masks by region id, reused while the RLE array is the same object. @type {Map<string, {rle: any, color: string, mask: NonNullable<Entry["mask"]>}>} */
    this.masks = new Map();
  }

  /**
   * Rebuild from the store's regions of this image (and page).
   * @param {Region[]} regions @param {number} width @param {number} height @param {WidgetContext} ctx
   */
  rebuild(regions, width, height, ctx) {
    this.entries = [];
    this.byId.clear();
    this.index.clear();
    this.batches.clear();
    const seenMasks = new Set();
    for (const region of regions) {
      const shape = shapeOf(region.type, region.value, width, height);
      if (!shape) continue;
      const color = colorOf(region, ctx);
      const { labels } = labelsOf(region);
      /** @type {Entry} */
      const entry = { id: region.id, region, shape, color, label: labels.join(", "), locked: region.locked, mask: null };
      if (shape.kind === "mask") {
        entry.mask = this.maskFor(region, width, height, color);
        if (!entry.mask) continue;
        seenMasks.add(region.id);
      }
      this.entries.push(entry);
      this.byId.set(region.id, entry);
      if (region.hidden) continue;
      const box = shape.kind === "mask" ? { minX: 0, minY: 0, maxX: width, maxY: height } : boundsOf(shape);
      if (box) this.index.insert(region.id, box);
      if (shape.kind !== "point" && shape.kind !== "mask") {
        let path = this.batches.get(color);
        if (!path) this.batches.set(color, (path = new Path2D()));
        tracePath(path, shape);
      }
    }
    for (const id of [...this.masks.keys()]) if (!seenMasks.has(id)) this.masks.delete(id);
  }

  /**
   * The per-colour paths of the regions whose bounds touch `visible` (all of them when it covers
   * everything), optionally without one region (the one being dragged is drawn live).
   * @param {string} [exclude] @param {import("../geometry.js").Box} [visible]
   */
  paths(exclude, visible) {
    /** @type {Map<string, Path2D>} */
    const paths = new Map();
    let skipped = 0;
    for (const entry of this.entries) {
      if (entry.region.hidden || entry.shape.kind === "point" || entry.shape.kind === "mask") continue;
      const box = this.index.boxes.get(entry.id);
      if (entry.id === exclude || (visible && box && (box.maxX < visible.minX || box.minX > visible.maxX || box.maxY < visible.minY || box.minY > visible.maxY))) {
        skipped++;
        continue;
      }
      let path = paths.get(entry.color);
      if (!path) paths.set(entry.color, (path = new Path2D()));
      tracePath(path, entry.shape);
    }
    return skipped ? paths : this.batches;
  }

  /** @param {Region} region @param {number} width @param {number} height @param {string} color */
  maskFor(region, width, height, color) {
    const rle = region.value?.rle;
    if (!Array.isArray(rle)) return null;
    const cached = this.masks.get(region.id);
    if (cached && cached.rle === rle && cached.color === color && cached.mask.width === width) return cached.mask;
    const item = region.items[0];
    const w = Number(item.original_width) || width, h = Number(item.original_height) || height;
    let mask;
    try {
      mask = maskFromRle(rle, w, h);
    } catch (error) {
      console.warn(`brush region ${region.id}: ${error instanceof Error ? error.message : error}`);
      return null;
    }
    const canvas = makeCanvas(w, h);
    paintMask(canvas, mask, w, h, color);
    const entry = { mask, canvas, width: w, height: h };
    this.masks.set(region.id, { rle, color, mask: entry });
    return entry;
  }

  /**
   * The topmost visible region at an image point (later regions are drawn on top).
   * @param {number} x @param {number} y @param {number} tolerance image pixels
   */
  hit(x, y, tolerance) {
    const ids = this.index.query(x, y, tolerance);
    for (let i = ids.length - 1; i >= 0; i--) {
      const e = /** @type {Entry} */ (this.byId.get(ids[i]));
      if (e.shape.kind === "mask") {
        const m = e.mask;
        if (!m) continue;
        const px = Math.floor(x), py = Math.floor(y);
        if (px >= 0 && py >= 0 && px < m.width && py < m.height && m.mask[py * m.width + px]) return e;
        continue;
      }
      if (contains(e.shape, x, y, tolerance)) return e;
    }
    return null;
  }
}

/** Add a shape's outline to a path (image pixel coordinates). @param {Path2D} path @param {Shape} shape */
export function tracePath(path, shape) {
  if (shape.kind === "rect") {
    const pts = rectCorners(shape);
    path.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < 4; i++) path.lineTo(pts[i][0], pts[i][1]);
    path.closePath();
  } else if (shape.kind === "ellipse") {
    path.moveTo(shape.cx + shape.rx * Math.cos((shape.rotation * Math.PI) / 180), shape.cy + shape.rx * Math.sin((shape.rotation * Math.PI) / 180));
    path.ellipse(shape.cx, shape.cy, Math.max(shape.rx, 0), Math.max(shape.ry, 0), (shape.rotation * Math.PI) / 180, 0, Math.PI * 2);
    path.closePath();
  } else if (shape.kind === "polygon" && shape.points.length) {
    path.moveTo(shape.points[0][0], shape.points[0][1]);
    for (let i = 1; i < shape.points.length; i++) path.lineTo(shape.points[i][0], shape.points[i][1]);
    if (shape.closed) path.closePath();
  }
}
