// @ts-check
/**
 * Image region geometry, DOM-free (node-tested).
 *
 * Results store positions in percent of the original image (Label Studio's convention); the
 * widget works in image pixels ("px": the natural image's pixel grid) and converts at the edges.
 * Rectangles and ellipses rotate clockwise (y points down) around the rectangle's top-left
 * corner / the ellipse's centre, as Label Studio draws them.
 */

/** @typedef {{x: number, y: number}} Point */
/** @typedef {{minX: number, minY: number, maxX: number, maxY: number}} Box */
/**
 * A region's shape in image pixels.
 * @typedef {{kind: "rect", x: number, y: number, w: number, h: number, rotation: number}
 *   | {kind: "ellipse", cx: number, cy: number, rx: number, ry: number, rotation: number}
 *   | {kind: "polygon", points: [number, number][], closed: boolean}
 *   | {kind: "point", x: number, y: number, r: number}
 *   | {kind: "mask"}} Shape
 */

/** Region value keys per result type (label keys excluded). */
export const SHAPE_OF_TYPE = /** @type {Record<string, Shape["kind"]>} */ ({
  rectangle: "rect", rectanglelabels: "rect",
  ellipse: "ellipse", ellipselabels: "ellipse",
  polygon: "polygon", polygonlabels: "polygon",
  keypoint: "point", keypointlabels: "point",
  brush: "mask", brushlabels: "mask",
});

/** Round a percent to 10 decimals: enough for any image, and JSON stays short. @param {number} v */
export const round = (v) => Math.round(v * 1e10) / 1e10;

/**
 * The shape of a region value (percent) in pixels of a `width` x `height` image; null when the
 * value does not describe a drawable shape.
 * @param {string} type @param {Record<string, any>} value @param {number} width @param {number} height
 * @returns {Shape|null}
 */
export function shapeOf(type, value, width, height) {
  const kind = SHAPE_OF_TYPE[type] || guessKind(value);
  const sx = width / 100;
  const sy = height / 100;
  const num = (/** @type {any} */ v) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);
  if (kind === "rect") {
    let x = num(value.x), y = num(value.y), w = num(value.width), h = num(value.height);
    if ([x, y, w, h].some(Number.isNaN)) return null;
    const rotation = num(value.rotation) || 0;
    // Old data may hold negative sizes (boxes drawn right-to-left).
    if (!rotation && w < 0) { x += w; w = -w; }
    if (!rotation && h < 0) { y += h; h = -h; }
    return { kind, x: x * sx, y: y * sy, w: w * sx, h: h * sy, rotation };
  }
  if (kind === "ellipse") {
    const cx = num(value.x), cy = num(value.y), rx = num(value.radiusX), ry = num(value.radiusY);
    if ([cx, cy, rx, ry].some(Number.isNaN)) return null;
    return { kind, cx: cx * sx, cy: cy * sy, rx: Math.abs(rx) * sx, ry: Math.abs(ry) * sy, rotation: num(value.rotation) || 0 };
  }
  if (kind === "polygon") {
    if (!Array.isArray(value.points)) return null;
    /** @type {[number, number][]} */
    const points = [];
    for (const p of value.points) {
      if (!Array.isArray(p) || Number.isNaN(num(p[0])) || Number.isNaN(num(p[1]))) return null;
      points.push([p[0] * sx, p[1] * sy]);
    }
    return { kind, points, closed: value.closed !== false };
  }
  if (kind === "point") {
    const x = num(value.x), y = num(value.y);
    if (Number.isNaN(x) || Number.isNaN(y)) return null;
    const w = num(value.width);
    return { kind, x: x * sx, y: y * sy, r: Number.isNaN(w) ? 0 : (w * sx) / 2 };
  }
  if (kind === "mask") return { kind };
  return null;
}

/** Which shape a value has when its type says nothing (a "labels" item of Rectangle + Labels). @param {Record<string, any>} value */
export function guessKind(value) {
  if (!value) return undefined;
  if ("radiusX" in value) return "ellipse";
  if ("points" in value) return "polygon";
  if ("rle" in value) return "mask";
  if ("width" in value && "height" in value) return "rect";
  if ("x" in value && "y" in value) return "point";
  return undefined;
}

/**
 * A shape in pixels back to the percent value keys Label Studio stores.
 * @param {Shape} shape @param {number} width @param {number} height
 * @returns {Record<string, any>}
 */
export function valueOf(shape, width, height) {
  const px = 100 / width;
  const py = 100 / height;
  switch (shape.kind) {
    case "rect":
      return { x: round(shape.x * px), y: round(shape.y * py), width: round(shape.w * px), height: round(shape.h * py), rotation: round(normAngle(shape.rotation)) };
    case "ellipse":
      return { x: round(shape.cx * px), y: round(shape.cy * py), radiusX: round(shape.rx * px), radiusY: round(shape.ry * py), rotation: round(normAngle(shape.rotation)) };
    case "polygon":
      return { points: shape.points.map(([x, y]) => [round(x * px), round(y * py)]), closed: shape.closed };
    case "point":
      return { x: round(shape.x * px), y: round(shape.y * py), width: round(shape.r * 2 * px) };
    default:
      return {};
  }
}

/** @param {number} deg */
export function normAngle(deg) {
  const a = deg % 360;
  return a < 0 ? a + 360 : a;
}

/**
 * Rotate a point clockwise (screen coordinates) around a centre.
 * @param {number} x @param {number} y @param {number} cx @param {number} cy @param {number} deg
 * @returns {[number, number]}
 */
export function rotate(x, y, cx, cy, deg) {
  if (!deg) return [x, y];
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a), s = Math.sin(a);
  const dx = x - cx, dy = y - cy;
  return [cx + dx * c - dy * s, cy + dx * s + dy * c];
}

/**
 * Corners of a (rotated) rectangle: top-left, top-right, bottom-right, bottom-left.
 * @param {{x: number, y: number, w: number, h: number, rotation: number}} r
 * @returns {[number, number][]}
 */
export function rectCorners(r) {
  return [
    [r.x, r.y],
    rotate(r.x + r.w, r.y, r.x, r.y, r.rotation),
    rotate(r.x + r.w, r.y + r.h, r.x, r.y, r.rotation),
    rotate(r.x, r.y + r.h, r.x, r.y, r.rotation),
  ];
}

/** Bounding box of a shape in pixels (masks: none). @param {Shape} shape @returns {Box|null} */
export function boundsOf(shape) {
  /** @type {[number, number][]} */
  let pts;
  if (shape.kind === "rect") pts = rectCorners(shape);
  else if (shape.kind === "polygon") pts = shape.points;
  else if (shape.kind === "point") return { minX: shape.x - shape.r, minY: shape.y - shape.r, maxX: shape.x + shape.r, maxY: shape.y + shape.r };
  else if (shape.kind === "ellipse") {
    const a = (shape.rotation * Math.PI) / 180;
    const hw = Math.hypot(shape.rx * Math.cos(a), shape.ry * Math.sin(a));
    const hh = Math.hypot(shape.rx * Math.sin(a), shape.ry * Math.cos(a));
    return { minX: shape.cx - hw, minY: shape.cy - hh, maxX: shape.cx + hw, maxY: shape.cy + hh };
  } else return null;
  if (!pts.length) return null;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of pts) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** Distance from a point to a segment. @param {number} px @param {number} py @param {number} ax @param {number} ay @param {number} bx @param {number} by */
export function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  let t = len ? ((px - ax) * dx + (py - ay) * dy) / len : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** @param {[number, number][]} points @param {number} x @param {number} y */
export function polygonContains(points, x, y) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i], [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Whether a shape contains a point; `tolerance` (pixels) widens outlines, points and open polygons.
 * @param {Shape} shape @param {number} x @param {number} y @param {number} [tolerance]
 */
export function contains(shape, x, y, tolerance = 0) {
  switch (shape.kind) {
    case "rect": {
      const [lx, ly] = rotate(x, y, shape.x, shape.y, -shape.rotation);
      return lx >= shape.x - tolerance && lx <= shape.x + shape.w + tolerance && ly >= shape.y - tolerance && ly <= shape.y + shape.h + tolerance;
    }
    case "ellipse": {
      const [lx, ly] = rotate(x, y, shape.cx, shape.cy, -shape.rotation);
      const rx = shape.rx + tolerance, ry = shape.ry + tolerance;
      if (rx <= 0 || ry <= 0) return false;
      return ((lx - shape.cx) / rx) ** 2 + ((ly - shape.cy) / ry) ** 2 <= 1;
    }
    case "polygon":
      if (shape.closed && shape.points.length > 2 && polygonContains(shape.points, x, y)) return true;
      return nearestEdge(shape.points, x, y, shape.closed).distance <= tolerance;
    case "point":
      return Math.hypot(x - shape.x, y - shape.y) <= Math.max(shape.r, 0) + tolerance;
    default:
      return false;
  }
}

/**
 * The polygon edge closest to a point: `index` is where a point inserted on it goes.
 * @param {[number, number][]} points @param {number} x @param {number} y @param {boolean} [closed]
 */
export function nearestEdge(points, x, y, closed = true) {
  let best = { index: -1, distance: Infinity };
  const n = points.length;
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[(i + 1) % n];
    const d = segmentDistance(x, y, ax, ay, bx, by);
    if (d < best.distance) best = { index: i + 1, distance: d };
  }
  return best;
}

/** Index of the vertex within `tolerance` of a point, or -1. @param {[number, number][]} points @param {number} x @param {number} y @param {number} tolerance */
export function vertexAt(points, x, y, tolerance) {
  let best = -1, bestD = tolerance;
  points.forEach(([px, py], i) => {
    const d = Math.hypot(px - x, py - y);
    if (d <= bestD) { best = i; bestD = d; }
  });
  return best;
}

/** A copy with a point inserted before `index`. @param {[number, number][]} points @param {number} index @param {[number, number]} point */
export function insertPoint(points, index, point) {
  return [...points.slice(0, index), point, ...points.slice(index)];
}

/** A copy without the point at `index`; null if the polygon would drop under `min` points. @param {[number, number][]} points @param {number} index @param {number} [min] */
export function deletePoint(points, index, min = 3) {
  if (points.length <= min) return null;
  return points.filter((_, i) => i !== index);
}

/**
 * Resize a rectangle by dragging a handle ("n", "ne", "e", "se", "s", "sw", "w", "nw") to a
 * point, in the rectangle's own rotated frame; the opposite side stays put.
 * @param {{x: number, y: number, w: number, h: number, rotation: number}} r
 * @param {string} handle @param {number} px @param {number} py
 */
export function resizeRect(r, handle, px, py) {
  // Work in the unrotated frame anchored at the top-left corner.
  const [lx, ly] = rotate(px, py, r.x, r.y, -r.rotation);
  let left = r.x, top = r.y, right = r.x + r.w, bottom = r.y + r.h;
  if (handle.includes("w")) left = lx;
  if (handle.includes("e")) right = lx;
  if (handle.includes("n")) top = ly;
  if (handle.includes("s")) bottom = ly;
  const nl = Math.min(left, right), nt = Math.min(top, bottom);
  const w = Math.abs(right - left), h = Math.abs(bottom - top);
  // The new top-left corner, back in image space (rotation pivots on the old corner).
  const [x, y] = rotate(nl, nt, r.x, r.y, r.rotation);
  return { x, y, w, h, rotation: r.rotation };
}

/**
 * Handle positions of a rectangle (for drawing and hit-testing), plus "rot" above the top edge.
 * @param {{x: number, y: number, w: number, h: number, rotation: number}} r @param {number} rotOffset pixels above the top edge
 * @returns {[string, number, number][]}
 */
export function rectHandles(r, rotOffset) {
  const local = /** @type {[string, number, number][]} */ ([
    ["nw", 0, 0], ["n", r.w / 2, 0], ["ne", r.w, 0], ["e", r.w, r.h / 2],
    ["se", r.w, r.h], ["s", r.w / 2, r.h], ["sw", 0, r.h], ["w", 0, r.h / 2], ["rot", r.w / 2, -rotOffset],
  ]);
  return local.map(([name, dx, dy]) => {
    const [x, y] = rotate(r.x + dx, r.y + dy, r.x, r.y, r.rotation);
    return [name, x, y];
  });
}

/**
 * Rotation (degrees) that points a rectangle's "up" handle at a point: the angle of the line from
 * the rectangle's centre to the point, measured from straight up.
 * @param {{x: number, y: number, w: number, h: number, rotation: number}} r @param {number} px @param {number} py
 */
export function rotationTowards(r, px, py) {
  const [cx, cy] = rotate(r.x + r.w / 2, r.y + r.h / 2, r.x, r.y, r.rotation);
  return normAngle((Math.atan2(px - cx, -(py - cy)) * 180) / Math.PI);
}

/**
 * Rotate a rectangle about its centre to a new angle; returns the new top-left corner (which is
 * what Label Studio stores: x/y are the rotated top-left corner).
 * @param {{x: number, y: number, w: number, h: number, rotation: number}} r @param {number} deg
 */
export function rotateRectAboutCentre(r, deg) {
  const [cx, cy] = rotate(r.x + r.w / 2, r.y + r.h / 2, r.x, r.y, r.rotation);
  const [x, y] = rotate(cx - r.w / 2, cy - r.h / 2, cx, cy, deg);
  return { x, y, w: r.w, h: r.h, rotation: normAngle(deg) };
}

/**
 * Move a shape by (dx, dy) pixels, kept inside the image when it fits.
 * @param {Shape} shape @param {number} dx @param {number} dy @param {number} width @param {number} height
 * @returns {Shape}
 */
export function moveShape(shape, dx, dy, width, height) {
  const b = boundsOf(shape);
  if (b) {
    // Clamp the move so the bounding box stays in the image (when it fits at all).
    if (b.maxX - b.minX <= width) dx = Math.min(Math.max(dx, -b.minX), width - b.maxX);
    if (b.maxY - b.minY <= height) dy = Math.min(Math.max(dy, -b.minY), height - b.maxY);
  }
  switch (shape.kind) {
    case "rect": return { ...shape, x: shape.x + dx, y: shape.y + dy };
    case "ellipse": return { ...shape, cx: shape.cx + dx, cy: shape.cy + dy };
    case "polygon": return { ...shape, points: shape.points.map(([x, y]) => /** @type {[number, number]} */ ([x + dx, y + dy])) };
    case "point": return { ...shape, x: shape.x + dx, y: shape.y + dy };
    default: return shape;
  }
}

/** Clamp a point into the image. @param {number} x @param {number} y @param {number} width @param {number} height @returns {[number, number]} */
export function clampPoint(x, y, width, height) {
  return [Math.min(Math.max(x, 0), width), Math.min(Math.max(y, 0), height)];
}

/**
 * A uniform grid over image pixels: which regions' bounding boxes touch a cell. Hit-testing asks
 * one cell instead of every region (ux.md P1: cost must not grow with the region count).
 */
export class GridIndex {
  /** @param {number} cell cell size in pixels */
  constructor(cell = 64) {
    this.cell = cell;
    /** @type {Map<string, string[]>} */
    this.cells = new Map();
    /** @type {Map<string, Box>} */
    this.boxes = new Map();
  }
  clear() {
    this.cells.clear();
    this.boxes.clear();
  }
  /** @param {string} id @param {Box} box */
  insert(id, box) {
    this.boxes.set(id, box);
    const c = this.cell;
    const x0 = Math.floor(box.minX / c), x1 = Math.floor(box.maxX / c);
    const y0 = Math.floor(box.minY / c), y1 = Math.floor(box.maxY / c);
    // Huge boxes would fill thousands of cells: they go in a shared list checked every time.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 4096) {
      this._push("*", id);
      return;
    }
    for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) this._push(`${gx},${gy}`, id);
  }
  /** @param {string} key @param {string} id */
  _push(key, id) {
    const list = this.cells.get(key);
    if (list) list.push(id);
    else this.cells.set(key, [id]);
  }
  /**
   * Ids whose bounding box (grown by `tolerance`) contains the point, in insertion order.
   * @param {number} x @param {number} y @param {number} [tolerance]
   */
  query(x, y, tolerance = 0) {
    const c = this.cell;
    /** @type {Set<string>} */
    const found = new Set();
    const x0 = Math.floor((x - tolerance) / c), x1 = Math.floor((x + tolerance) / c);
    const y0 = Math.floor((y - tolerance) / c), y1 = Math.floor((y + tolerance) / c);
    const keys = ["*"];
    for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) keys.push(`${gx},${gy}`);
    for (const key of keys) {
      for (const id of this.cells.get(key) || []) {
        const b = /** @type {Box} */ (this.boxes.get(id));
        if (x >= b.minX - tolerance && x <= b.maxX + tolerance && y >= b.minY - tolerance && y <= b.maxY + tolerance) found.add(id);
      }
    }
    return [...found];
  }
}

/**
 * The view: how image pixels map to the stage (zoom, pan, a rotation by quarter turns).
 * screen = R(rotation) * (image * zoom) + pan, rotation about the image origin.
 */
export class ViewTransform {
  constructor() {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.rotation = 0; // 0, 90, 180, 270
  }
  /** The canvas transform [a, b, c, d, e, f]. */
  matrix() {
    const z = this.zoom;
    const [c, s] = quarter(this.rotation);
    return [c * z, s * z, -s * z, c * z, this.panX, this.panY];
  }
  /** @param {number} x @param {number} y @returns {[number, number]} */
  toScreen(x, y) {
    const [a, b, c, d, e, f] = this.matrix();
    return [a * x + c * y + e, b * x + d * y + f];
  }
  /** @param {number} sx @param {number} sy @returns {[number, number]} */
  toImage(sx, sy) {
    const [a, b, c, d, e, f] = this.matrix();
    const det = a * d - b * c;
    const x = sx - e, y = sy - f;
    return [(d * x - c * y) / det, (-b * x + a * y) / det];
  }
  /**
   * Zoom by a factor keeping the screen point (sx, sy) fixed.
   * @param {number} factor @param {number} sx @param {number} sy @param {number} [min] @param {number} [max]
   */
  zoomAt(factor, sx, sy, min = 0.02, max = 64) {
    const [ix, iy] = this.toImage(sx, sy);
    this.zoom = Math.min(max, Math.max(min, this.zoom * factor));
    const [nx, ny] = this.toScreen(ix, iy);
    this.panX += sx - nx;
    this.panY += sy - ny;
  }
  /**
   * Fit (or show at 100%) an image in a stage, centred.
   * @param {number} stageW @param {number} stageH @param {number} imageW @param {number} imageH @param {"fit"|"original"} [mode]
   */
  fit(stageW, stageH, imageW, imageH, mode = "fit") {
    const turned = this.rotation % 180 !== 0;
    const w = turned ? imageH : imageW, h = turned ? imageW : imageH;
    this.zoom = mode === "original" ? 1 : Math.min(stageW / w, stageH / h);
    // Centre the rotated image's box on the stage.
    const corners = [[0, 0], [imageW, 0], [imageW, imageH], [0, imageH]];
    this.panX = 0;
    this.panY = 0;
    const pts = corners.map(([x, y]) => this.toScreen(x, y));
    const minX = Math.min(...pts.map((p) => p[0])), minY = Math.min(...pts.map((p) => p[1]));
    this.panX = (stageW - w * this.zoom) / 2 - minX;
    this.panY = (stageH - h * this.zoom) / 2 - minY;
  }
}

/** cos/sin of a quarter-turn angle, exact. @param {number} deg @returns {[number, number]} */
function quarter(deg) {
  switch (normAngle(deg)) {
    case 90: return [0, 1];
    case 180: return [-1, 0];
    case 270: return [0, -1];
    default: return [1, 0];
  }
}
