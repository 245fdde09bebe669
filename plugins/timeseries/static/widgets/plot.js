// @ts-check
/**
 * One plot of a TimeSeries: a uPlot chart for a Channel (or a MultiChannel's channels) with a
 * legend line above it. The widget owns the x window and hands each plot already decimated
 * points (../lib/decimate.js), so uPlot draws at most a few points per pixel column; regions,
 * the drag preview and the sync cursor are painted in uPlot's draw hook on the same canvas.
 */
import { uPlot } from "./vendor.js";
import { numberFormatter } from "../lib/timefmt.js";

export const DEFAULT_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/** Millisecond tick steps for dates (uPlot's numeric steps otherwise). */
const DATE_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5,
  72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5, 2592e6, 7776e6, 31536e6, 63072e6, 157680e6, 315360e6];

/**
 * @typedef {{column: string, legend: string, units: string, color: string, width: number,
 *   format: (n: number) => string, markerSize: number, markerColor: string, dataRange: [number, number]|null,
 *   fixedScale: boolean}} ChannelInfo
 * @typedef {{node: any, channels: ChannelInfo[], height: number, showAxis: boolean, fixedScale: boolean}} PlotInfo
 */

/**
 * The channel's settings from its `<Channel>` attributes.
 * @param {Record<string, any>} a @param {number} position @param {boolean} seriesFixed
 * @returns {ChannelInfo}
 */
export function channelInfo(a, position, seriesFixed) {
  const range = typeof a.dataRange === "string" ? a.dataRange.split(",").map(Number) : null;
  return {
    column: String(a.column),
    legend: String(a.legend ?? a.column),
    units: a.units ? String(a.units) : "",
    color: String(a.strokeColor || DEFAULT_COLORS[position % DEFAULT_COLORS.length]),
    width: Number(a.strokeWidth ?? 1) || 1,
    format: numberFormatter(a.displayFormat),
    markerSize: Number(a.markerSize ?? 0) || 0,
    markerColor: String(a.markerColor || a.strokeColor || DEFAULT_COLORS[position % DEFAULT_COLORS.length]),
    dataRange: range && range.length === 2 && range.every(Number.isFinite) ? /** @type {[number, number]} */ (range) : null,
    fixedScale: a.fixedScale === undefined ? seriesFixed : !!a.fixedScale,
  };
}

/**
 * @typedef {{
 *   el: HTMLElement, info: PlotInfo, width: number, bottom: boolean, syncKey: string,
 *   theme: () => {text: string, grid: string, axis: string},
 *   xLabel: (t: number) => string, dates: boolean,
 *   fixedRange: (info: PlotInfo) => [number, number]|null,
 *   draw: (u: import("./vendor.js").UPlot) => void,
 *   onCursor: (u: import("./vendor.js").UPlot, t: number|null) => void,
 * }} PlotOptions
 */

/**
 * @param {PlotOptions} o
 */
export function createPlot(o) {
  const { info } = o;
  const box = document.createElement("div");
  box.className = "ts-plot";
  const legend = document.createElement("div");
  legend.className = "ts-legend";
  /** @type {HTMLElement[]} */
  const readouts = [];
  for (const ch of info.channels) {
    const item = document.createElement("span");
    item.className = "ts-legend-item";
    const swatch = document.createElement("span");
    swatch.className = "ts-swatch";
    swatch.style.background = ch.color;
    const label = document.createElement("span");
    label.className = "ts-legend-name";
    label.textContent = ch.legend + (ch.units ? ` (${ch.units})` : "");
    const readout = document.createElement("span");
    readout.className = "ts-readout";
    readouts.push(readout);
    item.append(swatch, label, readout);
    legend.append(item);
  }
  const chart = document.createElement("div");
  chart.className = "ts-chart";
  box.append(legend, chart);
  o.el.append(box);

  const fixed = o.fixedRange(info);
  /** @type {import("./vendor.js").UPlotOptions} */
  const opts = {
    width: o.width,
    height: info.height,
    legend: { show: false },
    cursor: {
      drag: { x: false, y: false, setScale: false },
      points: { show: false },
      y: false,
      sync: { key: o.syncKey, setSeries: false },
    },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, auto: false },
      y: { auto: false },
    },
    axes: [
      {
        show: true,
        stroke: () => o.theme().axis,
        grid: { stroke: () => o.theme().grid, width: 1 },
        ticks: { stroke: () => o.theme().grid, width: 1, size: o.bottom ? 4 : 0 },
        size: o.bottom ? 30 : 2,
        incrs: o.dates ? DATE_INCRS : undefined,
        space: o.dates ? 90 : 60,
        values: (u, splits) => (o.bottom ? splits.map((t) => o.xLabel(t)) : splits.map(() => "")),
        font: "11px system-ui, sans-serif",
      },
      {
        show: true,
        stroke: () => o.theme().axis,
        grid: { stroke: () => o.theme().grid, width: 1 },
        ticks: { show: false },
        size: 58,
        values: (u, splits) => (info.showAxis ? splits.map((v) => info.channels[0].format(v)) : splits.map(() => "")),
        font: "11px system-ui, sans-serif",
      },
    ],
    series: [
      {},
      ...info.channels.map((ch) => ({
        label: ch.legend,
        stroke: ch.color,
        width: ch.width,
        spanGaps: false,
        points: ch.markerSize > 0
          ? { show: (/** @type {import("./vendor.js").UPlot} */ u, /** @type {number} */ _si, /** @type {number} */ i0, /** @type {number} */ i1) => i1 - i0 < u.bbox.width / 6, size: ch.markerSize * 2, fill: ch.markerColor, stroke: ch.markerColor }
          : { show: false },
      })),
    ],
    hooks: {
      draw: [(u) => o.draw(u)],
      setCursor: [(u) => {
        const idx = u.cursor.idx;
        const left = u.cursor.left ?? -1;
        const t = left >= 0 ? u.posToVal(left, "x") : null;
        info.channels.forEach((ch, k) => {
          const v = idx == null ? null : /** @type {any} */ (u.data[k + 1])[idx];
          readouts[k].textContent = v == null ? "" : ` ${ch.format(v)}${ch.units ? " " + ch.units : ""}`;
        });
        o.onCursor(u, t);
      }],
    },
  };
  const u = new uPlot(opts, [[], ...info.channels.map(() => [])], chart);
  return {
    box,
    u,
    /** @param {number} width */
    resize(width) {
      u.setSize({ width, height: info.height });
    },
    /**
     * @param {{x: number[], ys: (number|null)[][]}} data @param {number} t0 @param {number} t1
     */
    setData(data, t0, t1) {
      u.batch(() => {
        u.setData(/** @type {any} */ ([data.x, ...data.ys]), false);
        u.setScale("x", { min: t0, max: t1 });
        let range = fixed;
        if (!range) {
          let lo = Infinity, hi = -Infinity;
          for (const ys of data.ys) for (const v of ys) if (v != null) { if (v < lo) lo = v; if (v > hi) hi = v; }
          if (lo === Infinity) { lo = 0; hi = 1; }
          range = /** @type {[number, number]} */ (uPlot.rangeNum(lo, hi, 0.1, true));
        }
        u.setScale("y", { min: range[0], max: range[1] });
      });
    },
    destroy() {
      u.destroy();
      box.remove();
    },
  };
}
