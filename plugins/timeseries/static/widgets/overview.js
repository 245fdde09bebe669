// @ts-check
/**
 * The overview strip of a TimeSeries: the whole series (decimated once to the strip's width)
 * with a brush showing the visible window. Drag the brush to pan, drag its edges to zoom,
 * click elsewhere to centre the window there.
 */
import { uPlot } from "./vendor.js";
import { decimate } from "../lib/decimate.js";

/**
 * @param {{
 *   el: HTMLElement, width: number, time: Float64Array,
 *   channels: {values: Float64Array, pyramid: import("../lib/decimate.js").Pyramid, color: string}[],
 *   theme: () => {grid: string, axis: string, accent: string},
 *   onWindow: (t0: number, t1: number) => void,
 *   draw: (u: import("./vendor.js").UPlot) => void,
 *   name: string,
 * }} o
 */
export function createOverview(o) {
  const { time } = o;
  const tmin = time[0], tmax = time.length > 1 ? time[time.length - 1] : time[0] + 1;
  const box = document.createElement("div");
  box.className = "ts-overview";
  o.el.append(box);
  /** @type {import("./vendor.js").UPlotOptions} */
  const opts = {
    width: o.width,
    height: 44,
    legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, auto: false }, y: { auto: false } },
    axes: [{ show: false }, { show: false }],
    series: [{}, ...o.channels.map((c) => ({ stroke: c.color, width: 1, points: { show: false } }))],
    hooks: { draw: [(u) => o.draw(u)] },
  };
  const u = new uPlot(opts, [[], ...o.channels.map(() => [])], box);
  // the plot area spans the whole strip, like the channels' plot areas below it (same y-axis gutter)
  const brush = document.createElement("div");
  brush.className = "ts-brush";
  brush.setAttribute("role", "slider");
  brush.setAttribute("aria-label", `Visible part of ${o.name}`);
  brush.tabIndex = -1;
  u.over.append(brush);
  let win = [tmin, tmax];

  function fill() {
    const data = decimate(time, o.channels, tmin, tmax, u.bbox.width / uPlot.pxRatio || o.width);
    let lo = Infinity, hi = -Infinity;
    for (const c of o.channels) { lo = Math.min(lo, c.pyramid.min); hi = Math.max(hi, c.pyramid.max); }
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    u.batch(() => {
      u.setData(/** @type {any} */ ([data.x, ...data.ys]), false);
      u.setScale("x", { min: tmin, max: tmax });
      u.setScale("y", { min: lo - (hi - lo) * 0.05, max: hi + (hi - lo) * 0.05 });
    });
  }
  function place() {
    const x0 = u.valToPos(win[0], "x"), x1 = u.valToPos(win[1], "x");
    brush.style.left = `${x0}px`;
    brush.style.width = `${Math.max(4, x1 - x0)}px`;
    brush.setAttribute("aria-valuetext", `${win[0]} to ${win[1]}`);
  }

  /** @type {{kind: string, x: number, w0: number, w1: number}|null} */
  let drag = null;
  /** @param {PointerEvent} e */
  const xOf = (e) => e.clientX - u.over.getBoundingClientRect().left;
  u.over.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    const x = xOf(e);
    const x0 = u.valToPos(win[0], "x"), x1 = u.valToPos(win[1], "x");
    let kind = "move";
    if (Math.abs(x - x0) <= 6 && x1 - x0 > 12) kind = "start";
    else if (Math.abs(x - x1) <= 6 && x1 - x0 > 12) kind = "end";
    else if (x < x0 || x > x1) {
      const half = (win[1] - win[0]) / 2, t = u.posToVal(x, "x");
      o.onWindow(t - half, t + half);
    }
    drag = { kind, x, w0: win[0], w1: win[1] };
    u.over.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  u.over.addEventListener("pointermove", (e) => {
    const x = xOf(e);
    if (!drag) {
      const x0 = u.valToPos(win[0], "x"), x1 = u.valToPos(win[1], "x");
      u.over.style.cursor = (Math.abs(x - x0) <= 6 || Math.abs(x - x1) <= 6) && x1 - x0 > 12 ? "ew-resize" : x >= x0 && x <= x1 ? "grab" : "pointer";
      return;
    }
    const dt = u.posToVal(x, "x") - u.posToVal(drag.x, "x");
    if (drag.kind === "move") o.onWindow(drag.w0 + dt, drag.w1 + dt);
    else if (drag.kind === "start") o.onWindow(Math.min(drag.w0 + dt, drag.w1 - 1e-9), drag.w1);
    else o.onWindow(drag.w0, Math.max(drag.w1 + dt, drag.w0 + 1e-9));
  });
  const end = () => (drag = null);
  u.over.addEventListener("pointerup", end);
  u.over.addEventListener("pointercancel", end);

  fill();
  return {
    u,
    /** @param {number} t0 @param {number} t1 */
    setWindow(t0, t1) {
      win = [t0, t1];
      place();
    },
    /** @param {number} width */
    resize(width) {
      u.setSize({ width, height: 44 });
      fill();
      place();
    },
    redraw() {
      u.redraw(false, false);
    },
    destroy() {
      u.destroy();
      box.remove();
    },
  };
}
