// @ts-check
/**
 * The TimeSeries object: channels drawn with uPlot, labelled time ranges and instants.
 *
 * - Data: inline JSON (`valueType="json"`) or a CSV/TSV URL parsed in a worker (./load.js);
 *   `timeColumn` (else the row index), `timeFormat` (dates), `sep`.
 * - Each `<Channel>` is a plot, a `<MultiChannel>` one plot of several channels; all share one
 *   time window. Every frame each plot gets min/max-decimated points for its pixel width
 *   (../lib/decimate.js), so a million-point channel pans and zooms like a small one.
 * - Navigation: the overview strip (brush), Ctrl/⌘+wheel to zoom, Shift+wheel, a horizontal
 *   wheel or a middle-button / Shift drag to pan, the zoom buttons.
 * - Regions: drag across any channel to select a range, click for an instant; the labels armed
 *   for this object label it (or pick one after selecting). Click a region to select it, drag its
 *   edges to resize it, drag inside it to move it; ←/→ extend and Alt+←/→ shrink the selected
 *   region (Shift: larger steps). Results are Label Studio's: `{start, end, instant, <labels>}`
 *   in the series' own units (numbers, or dates formatted with `timeFormat`).
 * - `sync`: a region selection publishes a range, a click a seek; seek/play/pause messages from
 *   other media move a cursor.
 */
import { ensureStylesheet, regionColor, valueKey } from "@labelloom/sdk";
import { loadSeries } from "./load.js";
import { channelInfo, createPlot } from "./plot.js";
import { createOverview } from "./overview.js";
import { columnBounds, decimate, lowerBound, nearestIndex } from "../lib/decimate.js";
import { formatDuration, fromSeconds, rangeValue, stepRange, timeLabeler, timeUnits, toSeconds } from "../lib/ranges.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("@labelloom/sdk").Region} Region */
/** @typedef {import("./plot.js").PlotInfo} PlotInfo */
/** @typedef {{id: string, t0: number, t1: number, instant: boolean, color: string, labels: string[], hidden: boolean, locked: boolean}} RangeRecord */

/** Paint statistics (the bench reads them). */
export const paintStats = { frames: 0, total: 0, max: 0, decimate: 0 };

function ensureStyles() {
  return Promise.all([
    ensureStylesheet(new URL("../timeseries.css", import.meta.url)),
    ensureStylesheet("/static/core/vendor/uplot/dist/uPlot.min.css"),
  ]).then(() => undefined);
}

/**
 * The plots a TimeSeries draws: one per Channel, one per MultiChannel.
 * @param {TagNode} model
 * @returns {PlotInfo[]}
 */
export function plotsOf(model) {
  const seriesFixed = !!model.attrs?.fixedScale;
  /** @type {PlotInfo[]} */
  const plots = [];
  let position = 0;
  for (const child of model.children || []) {
    if (child.tag === "Channel") {
      const ch = channelInfo(child.attrs || {}, position++, seriesFixed);
      plots.push({ node: child, channels: [ch], height: Number(child.attrs?.height ?? 200) || 200, showAxis: child.attrs?.showAxis !== false, fixedScale: ch.fixedScale });
    } else if (child.tag === "MultiChannel") {
      const fixed = child.attrs?.fixedScale === undefined ? seriesFixed : !!child.attrs.fixedScale;
      const channels = (child.children || []).filter((c) => c.tag === "Channel").map((c) => channelInfo(c.attrs || {}, position++, fixed));
      if (channels.length) plots.push({ node: child, channels, height: Number(child.attrs?.height ?? 200) || 200, showAxis: child.attrs?.showAxis !== false && child.attrs?.showYAxis !== false, fixedScale: fixed });
    }
  }
  return plots;
}

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model, ctx }) {
  performance.mark("timeseries:mount");
  const attrs = model.attrs || {};
  const name = String(attrs.name || "");
  const store = ctx.store;
  const plotInfos = plotsOf(model);
  const columns = [...new Set(plotInfos.flatMap((p) => p.channels.map((c) => c.column)))];

  const root = document.createElement("div");
  root.className = "ts";
  root.dataset.object = name;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", `Time series ${name}`);
  root.setAttribute("aria-busy", "true");
  const toolbar = document.createElement("div");
  toolbar.className = "ts-toolbar";
  const overviewEl = document.createElement("div");
  overviewEl.className = "ts-overview-host";
  const plotsEl = document.createElement("div");
  plotsEl.className = "ts-plots";
  const statusEl = document.createElement("div");
  statusEl.className = "ts-status";
  statusEl.setAttribute("aria-live", "polite");
  const noteEl = document.createElement("div");
  noteEl.className = "ts-note";
  noteEl.setAttribute("role", "status");
  noteEl.hidden = true;
  const loading = document.createElement("div");
  loading.className = "ts-loading";
  loading.textContent = "Loading the time series…";
  root.append(toolbar, overviewEl, plotsEl, statusEl, noteEl, loading);
  el.append(root);

  let destroyed = false;
  /** @type {(() => void)[]} */
  const cleanups = [];
  ensureStyles();

  loadSeries(attrs, ctx, columns)
    .then((loaded) => {
      if (destroyed) return;
      performance.mark("timeseries:loaded");
      loading.remove();
      return ensureStyles().then(() => {
        if (!destroyed) build(loaded);
      });
    })
    .catch((error) => {
      if (destroyed) return;
      loading.remove();
      const box = document.createElement("div");
      box.className = "ts-error";
      box.setAttribute("role", "alert");
      box.textContent = `Time series “${name}” could not be shown: ${error?.message ?? error}`;
      root.append(box);
      root.setAttribute("aria-busy", "false");
      root.dataset.error = "true";
    });

  /** @param {import("./load.js").Loaded} loaded */
  function build({ series, pyramids }) {
    const time = series.time;
    const n = time.length;
    if (!n) throw new Error("the series has no rows");
    const dates = series.timeKind === "date";
    const units = timeUnits(series.timeKind, attrs.timeFormat);
    const tmin = time[0];
    const tmax = n > 1 && time[n - 1] > tmin ? time[n - 1] : tmin + 1;
    const minSpan = Math.max(((tmax - tmin) / Math.max(1, n - 1)) * 4, (tmax - tmin) * 1e-9);
    const channelData = plotInfos.map((p) => p.channels.map((c) => ({ values: series.columns[c.column], pyramid: pyramids[c.column] })));
    const editable = () => !ctx.readOnly && !store.readOnly;

    // --- theme ----------------------------------------------------------------------------------
    /** @type {{text: string, grid: string, axis: string, accent: string, cursor: string}|null} */
    let themeCache = null;
    const theme = () => {
      if (themeCache) return themeCache;
      const cs = getComputedStyle(root);
      const v = (/** @type {string} */ k, /** @type {string} */ d) => cs.getPropertyValue(k).trim() || d;
      return (themeCache = {
        text: v("--text", "#1d2230"), axis: v("--text-2", "#5b6274"), grid: v("--border", "#e3e6ec"),
        accent: v("--accent", "#3b6ef5"), cursor: String(attrs.cursorColor || v("--danger", "#d33")),
      });
    };
    const themeWatch = new MutationObserver(() => {
      themeCache = null;
      for (const p of plots) p.u.redraw(false, true);
      overview?.redraw();
    });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "data-theme", "style"] });
    cleanups.push(() => themeWatch.disconnect());

    // --- view -----------------------------------------------------------------------------------
    const overviewCols = typeof attrs.overviewChannels === "string" && attrs.overviewChannels.trim()
      ? attrs.overviewChannels.split(",").map((s) => s.trim()).filter((c) => series.columns[c])
      : [];
    const fraction = Math.min(1, Math.max(0.001, parseFloat(String(attrs.overviewWidth ?? "25%")) / 100 || 0.25));
    const view = { t0: tmin, t1: overviewCols.length ? tmin + (tmax - tmin) * fraction : tmax };
    /** @type {number|null} cursor from the sync channel */
    let cursor = null;
    /** @type {number|null} hovered time */
    let hover = null;
    const channel = attrs.sync ? ctx.sync(String(attrs.sync)) : null;

    const width = () => Math.max(200, Math.floor(plotsEl.clientWidth || root.clientWidth || 800));
    let label = timeLabeler(dates, attrs.timeDisplayFormat, view.t1 - view.t0);

    // --- regions ----------------------------------------------------------------------------------
    /** @type {RangeRecord[]} */
    let records = [];
    /** @type {{id: string, t0: number, t1: number}|null} edit preview during a drag */
    let preview = null;
    /** @type {{a: number, b: number, armedColor: string|null}|null} range being dragged out */
    let drawing = null;
    /** @type {{a: number, b: number}|null} selected range waiting for a label */
    let pending = null;

    /** @param {Region} region */
    const colorOf = (region) => regionColor(ctx, region);
    function readRegions() {
      records = [];
      for (const region of store.regions(name)) {
        const v = region.value || {};
        if (v.start === undefined || v.end === undefined) continue;
        const t0 = units.read(v.start), t1 = units.read(v.end);
        if (!Number.isFinite(t0) || !Number.isFinite(t1)) continue;
        /** @type {string[]} */
        const labels = [];
        for (const item of region.items) {
          const list = item.value?.[valueKey(item.type)];
          if (Array.isArray(list) && /labels$/.test(item.type)) labels.push(...list.map(String));
        }
        records.push({ id: region.id, t0: Math.min(t0, t1), t1: Math.max(t0, t1), instant: !!v.instant || t0 === t1, color: colorOf(region), labels, hidden: region.hidden, locked: region.locked });
      }
    }
    const selectedRecord = () => records.find((r) => r.id === store.selectedId) || null;

    // --- drawing ----------------------------------------------------------------------------------
    /** @param {import("./vendor.js").UPlot} u @param {boolean} [compact] */
    function drawOverlay(u, compact = false) {
      const c = u.ctx;
      const { left, top, width: w, height: h } = u.bbox;
      const px = devicePixelRatio || 1;
      const X = (/** @type {number} */ t) => u.valToPos(t, "x", true);
      c.save();
      c.beginPath();
      c.rect(left, top, w, h);
      c.clip();
      const selected = store.selectedId;
      const showLabels = !compact && ctx.settings?.showLabels !== false;
      c.font = `${600} ${11 * px}px system-ui, sans-serif`;
      c.textBaseline = "top";
      c.textAlign = "left";
      for (const r of records) {
        if (r.hidden) continue;
        const t0 = preview && preview.id === r.id ? preview.t0 : r.t0;
        const t1 = preview && preview.id === r.id ? preview.t1 : r.t1;
        if (t1 < view.t0 - (view.t1 - view.t0) && !compact) continue;
        const x0 = X(t0), x1 = X(t1);
        if (x1 < left - 2 || x0 > left + w + 2) continue;
        const isSel = r.id === selected;
        if (r.instant || x1 - x0 < 2 * px) {
          c.fillStyle = r.color;
          const lw = (isSel ? 3 : 2) * px;
          c.fillRect(x0 - lw / 2, top, lw, h);
        } else {
          c.globalAlpha = isSel ? 0.38 : 0.2;
          c.fillStyle = r.color;
          c.fillRect(x0, top, x1 - x0, h);
          c.globalAlpha = 1;
          c.fillRect(x0, top, x1 - x0, (compact ? 2 : 3) * px);
          if (isSel) {
            c.fillRect(x0 - px, top, 2 * px, h);
            c.fillRect(x1 - px, top, 2 * px, h);
          }
        }
        if (isSel && !compact) {
          // handles on both edges
          c.fillStyle = r.color;
          for (const x of r.instant ? [x0] : [x0, x1]) c.fillRect(x - 3 * px, top + h / 2 - 10 * px, 6 * px, 20 * px);
        }
        if (showLabels && r.labels.length) {
          const text = r.labels.join(", ");
          const tx = Math.max(left, x0) + 4 * px;
          const tw = c.measureText(text).width;
          c.fillStyle = theme().text;
          c.globalAlpha = 0.85;
          c.fillStyle = r.color;
          c.fillRect(tx - 3 * px, top + 5 * px, tw + 6 * px, 15 * px);
          c.globalAlpha = 1;
          c.fillStyle = readable(r.color);
          c.fillText(text, tx, top + 7 * px);
        }
      }
      const band = drawing || pending;
      if (band && !compact) {
        const x0 = X(Math.min(band.a, band.b)), x1 = X(Math.max(band.a, band.b));
        const color = (drawing && drawing.armedColor) || theme().axis;
        c.globalAlpha = 0.18;
        c.fillStyle = color;
        c.fillRect(x0, top, Math.max(px, x1 - x0), h);
        c.globalAlpha = 1;
        c.strokeStyle = color;
        c.setLineDash([4 * px, 3 * px]);
        c.lineWidth = px;
        c.strokeRect(x0 + px / 2, top + px / 2, Math.max(px, x1 - x0) - px, h - px);
        c.setLineDash([]);
      }
      if (cursor !== null) {
        c.fillStyle = theme().cursor;
        c.fillRect(X(cursor) - px, top, 2 * px, h);
      }
      c.restore();
      if (!firstDrawn && !compact) {
        firstDrawn = true;
        performance.mark("timeseries:drawn");
      }
    }
    let firstDrawn = false;

    // --- plots --------------------------------------------------------------------------------------
    const syncKey = `ts-${name}-${Math.random().toString(36).slice(2)}`;
    const plots = plotInfos.map((info, k) => createPlot({
      el: plotsEl, info, width: width(), bottom: k === plotInfos.length - 1, syncKey, theme, dates,
      xLabel: (t) => label(t),
      fixedRange: (p) => {
        const explicit = p.channels.find((c) => c.dataRange)?.dataRange;
        if (explicit) return explicit;
        if (!p.fixedScale) return null;
        let lo = Infinity, hi = -Infinity;
        for (const c of p.channels) { const pyr = pyramids[c.column]; lo = Math.min(lo, pyr.min); hi = Math.max(hi, pyr.max); }
        const pad = (hi - lo) * 0.05 || 1;
        return [lo - pad, hi + pad];
      },
      draw: (u) => drawOverlay(u),
      onCursor: (_u, t) => {
        hover = t;
        renderStatus();
      },
    }));
    for (const p of plots) attachPointer(p.u);

    const overviewChannels = (overviewCols.length ? overviewCols : [plotInfos[0]?.channels[0]?.column].filter(Boolean))
      .map((col) => ({
        values: series.columns[/** @type {string} */ (col)],
        pyramid: pyramids[/** @type {string} */ (col)],
        color: plotInfos.flatMap((p) => p.channels).find((c) => c.column === col)?.color || "#888",
      }));
    const overview = overviewChannels.length ? createOverview({
      el: overviewEl, width: width() - 60, time, channels: overviewChannels, theme, name,
      onWindow: (a, b) => setView(a, b),
      draw: (u) => drawOverlay(u, true),
    }) : null;

    // --- view updates -------------------------------------------------------------------------------
    let frame = 0;
    /** @param {number} a @param {number} b */
    function setView(a, b) {
      let span = Math.min(tmax - tmin, Math.max(minSpan, b - a));
      let t0 = a + (b - a - span) / 2;
      t0 = Math.max(tmin, Math.min(tmax - span, t0));
      view.t0 = t0;
      view.t1 = t0 + span;
      schedule();
    }
    function schedule() {
      if (!frame) frame = requestAnimationFrame(paint);
    }
    function paint() {
      frame = 0;
      if (destroyed) return;
      const start = performance.now();
      label = timeLabeler(dates, attrs.timeDisplayFormat, view.t1 - view.t0);
      const columns = Math.floor(plots[0] ? plots[0].u.bbox.width / (devicePixelRatio || 1) || width() : width());
      const bounds = columnBounds(time, view.t0, view.t1, columns, tmin);
      const decimated = plots.map((p, k) => decimate(time, channelData[k], view.t0, view.t1, columns, bounds));
      paintStats.decimate += performance.now() - start;
      plots.forEach((p, k) => p.setData(decimated[k], view.t0, view.t1));
      overview?.setWindow(view.t0, view.t1);
      renderStatus();
      const ms = performance.now() - start;
      paintStats.frames++;
      paintStats.total += ms;
      paintStats.max = Math.max(paintStats.max, ms);
    }
    function redraw() {
      for (const p of plots) p.u.redraw(false, false);
      overview?.redraw();
      renderStatus();
    }
    /** @param {number} factor @param {number} [at] */
    function zoom(factor, at) {
      const center = at ?? (view.t0 + view.t1) / 2;
      const a = center - (center - view.t0) * factor;
      const b = center + (view.t1 - center) * factor;
      setView(a, b);
    }

    // --- pointer ------------------------------------------------------------------------------------
    /** @type {{kind: "create"|"start"|"end"|"move"|"pan", u: any, x: number, t: number, id?: string, r0?: number, r1?: number, v0: number, v1: number, moved: boolean}|null} */
    let gesture = null;

    /** @param {any} u @param {number} x CSS px in the plot area */
    function hitTest(u, x) {
      /** @type {RangeRecord|null} */
      let best = null;
      for (const r of records) {
        if (r.hidden) continue;
        const x0 = u.valToPos(r.t0, "x"), x1 = u.valToPos(r.t1, "x");
        const inside = r.instant || x1 - x0 < 4 ? Math.abs(x - x0) <= 4 : x >= x0 - 2 && x <= x1 + 2;
        if (inside && (!best || r.t1 - r.t0 < best.t1 - best.t0)) best = r;
      }
      return best;
    }
    /** @param {any} u @param {number} x */
    function edgeAt(u, x) {
      const r = selectedRecord();
      if (!r || r.locked || r.hidden || !editable()) return null;
      const x0 = u.valToPos(r.t0, "x"), x1 = u.valToPos(r.t1, "x");
      if (!r.instant && Math.abs(x - x0) <= 6) return { r, kind: /** @type {const} */ ("start") };
      if (!r.instant && Math.abs(x - x1) <= 6) return { r, kind: /** @type {const} */ ("end") };
      if (x >= x0 - 4 && x <= x1 + 4) return { r, kind: /** @type {const} */ ("move") };
      return null;
    }
    /** @param {any} u */
    function attachPointer(u) {
      const over = /** @type {HTMLElement} */ (u.over);
      const xOf = (/** @type {MouseEvent} */ e) => e.clientX - over.getBoundingClientRect().left;
      const clampT = (/** @type {number} */ t) => Math.max(tmin, Math.min(tmax, t));
      over.addEventListener("pointerdown", (e) => {
        // the default is prevented below (no text selection while dragging), which would keep
        // focus in a text field: hand the keyboard back to the labeling hotkeys
        const active = document.activeElement;
        if (active instanceof HTMLElement && active !== document.body && !root.contains(active)) active.blur();
        const x = xOf(e);
        const t = clampT(u.posToVal(x, "x"));
        if (e.button === 1 || (e.button === 0 && e.shiftKey)) {
          gesture = { kind: "pan", u, x, t, v0: view.t0, v1: view.t1, moved: false };
        } else if (e.button === 0) {
          const edge = edgeAt(u, x);
          if (edge) gesture = { kind: edge.kind, u, x, t, id: edge.r.id, r0: edge.r.t0, r1: edge.r.t1, v0: view.t0, v1: view.t1, moved: false };
          else gesture = { kind: "create", u, x, t, v0: view.t0, v1: view.t1, moved: false };
        } else return;
        over.setPointerCapture(e.pointerId);
        e.preventDefault();
      });
      over.addEventListener("pointermove", (e) => {
        const x = xOf(e);
        if (!gesture || gesture.u !== u) {
          const edge = edgeAt(u, x);
          over.style.cursor = edge ? (edge.kind === "move" ? "grab" : "ew-resize") : hitTest(u, x) ? "pointer" : "crosshair";
          return;
        }
        if (Math.abs(x - gesture.x) > 3) gesture.moved = true;
        if (!gesture.moved) return;
        const t = clampT(u.posToVal(x, "x"));
        const g = gesture;
        if (g.kind === "pan") {
          const dt = ((g.x - x) / Math.max(1, u.bbox.width / (devicePixelRatio || 1))) * (g.v1 - g.v0);
          setView(g.v0 + dt, g.v1 + dt);
          return;
        }
        if (g.kind === "create") {
          if (!editable()) return;
          const armed = store.armed(name);
          const control = armed ? ctx.byName(armed.from_name) : null;
          drawing = { a: g.t, b: t, armedColor: control && armed?.labels.length ? ctx.labelColor(control, armed.labels[0]) : null };
          pending = null;
        } else if (g.id && g.r0 !== undefined && g.r1 !== undefined) {
          const dt = t - g.t;
          if (g.kind === "move") {
            const shift = Math.max(tmin - g.r0, Math.min(tmax - g.r1, dt));
            preview = { id: g.id, t0: g.r0 + shift, t1: g.r1 + shift };
          } else if (g.kind === "start") preview = { id: g.id, t0: Math.min(t, g.r1), t1: Math.max(t, g.r1) };
          else preview = { id: g.id, t0: Math.min(t, g.r0), t1: Math.max(t, g.r0) };
        }
        redraw();
      });
      const finish = (/** @type {PointerEvent} */ e, /** @type {boolean} */ cancelled) => {
        const g = gesture;
        if (!g || g.u !== u) return;
        gesture = null;
        const x = xOf(e);
        const t = clampT(u.posToVal(x, "x"));
        if (cancelled) {
          drawing = null;
          preview = null;
          redraw();
          return;
        }
        if (!g.moved && g.kind !== "pan") {
          click(u, x, t);
        } else if (g.kind === "create" && drawing) {
          const band = { a: drawing.a, b: drawing.b };
          drawing = null;
          labelRange(band.a, band.b, false);
        } else if (preview && g.id) {
          const p = preview;
          preview = null;
          store.updateRegion(g.id, rangeValue(time, p.t0, p.t1, units));
        }
        redraw();
      };
      over.addEventListener("pointerup", (e) => finish(e, false));
      over.addEventListener("pointercancel", (e) => finish(e, true));
      over.addEventListener("pointerleave", () => {
        if (!gesture) {
          hover = null;
          renderStatus();
        }
      });
      over.addEventListener("wheel", (e) => {
        const rect = over.getBoundingClientRect();
        const t = u.posToVal(e.clientX - rect.left, "x");
        const dx = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.shiftKey ? e.deltaY : 0;
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY * (e.deltaMode ? 0.05 : 0.002)))), t);
        } else if (dx) {
          e.preventDefault();
          const dt = (dx * (e.deltaMode ? 20 : 1) / Math.max(1, rect.width)) * (view.t1 - view.t0);
          setView(view.t0 + dt, view.t1 + dt);
        }
      }, { passive: false });
    }

    /** @param {any} u @param {number} x @param {number} t */
    function click(u, x, t) {
      const hit = hitTest(u, x);
      if (hit) {
        pending = null;
        store.select(hit.id);
        return;
      }
      const armed = store.armed(name);
      if (editable() && armed && armed.labels.length) {
        labelRange(t, t, true);
        return;
      }
      pending = null;
      if (store.selectedId && records.some((r) => r.id === store.selectedId)) store.select(null);
      setCursor(time[nearestIndex(time, t)], false);
      if (cursor !== null) channel?.publish({ type: "seek", time: toSeconds(cursor, tmin, dates) });
      redraw();
    }

    /** Label a dragged range (or a click's instant) with the armed labels, or keep it pending. */
    /** @param {number} a @param {number} b @param {boolean} instant */
    function labelRange(a, b, instant) {
      if (!editable()) return;
      const armed = store.armed(name);
      if (!armed || !armed.labels.length) {
        pending = { a, b };
        note("Now pick a label (click it or press its hotkey) to label this range.");
        return;
      }
      pending = null;
      note(null);
      const value = rangeValue(time, a, b, units, instant);
      store.createRegion({
        from_name: armed.from_name,
        to_name: name,
        type: armed.type,
        value: { ...value, [valueKey(armed.type)]: [...armed.labels] },
      });
    }

    /** @param {string|null} message */
    function note(message) {
      noteEl.textContent = message || "";
      noteEl.hidden = !message;
    }

    // --- toolbar and status ---------------------------------------------------------------------------
    /** @param {string} text @param {string} title @param {() => void} fn */
    const button = (text, title, fn) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "ts-btn";
      b.textContent = text;
      b.title = title;
      b.setAttribute("aria-label", title);
      b.addEventListener("click", fn);
      return b;
    };
    const hint = document.createElement("span");
    hint.className = "ts-hint";
    hint.textContent = ctx.readOnly
      ? "Ctrl+wheel zooms · Shift+wheel or Shift+drag pans"
      : "Drag to select a range · click for an instant · Ctrl+wheel zooms · Shift+drag pans";
    toolbar.append(
      button("−", "Zoom out", () => zoom(2)),
      button("+", "Zoom in", () => zoom(0.5)),
      button("Fit", "Show the whole series", () => setView(tmin, tmax)),
      hint,
    );

    function renderStatus() {
      const parts = [`${label(view.t0)} – ${label(view.t1)}`, `${n.toLocaleString("en-US")} samples`];
      const sel = selectedRecord();
      let selectedText = "";
      if (sel) {
        const t0 = preview?.id === sel.id ? preview.t0 : sel.t0, t1 = preview?.id === sel.id ? preview.t1 : sel.t1;
        selectedText = sel.instant
          ? `Selected instant ${units.store(t0)}`
          : `Selected ${units.store(t0)} – ${units.store(t1)} (${formatDuration(t1 - t0, dates, attrs.durationDisplayFormat)})`;
        if (editable() && !sel.locked) selectedText += " · ←/→ extend, Alt+←/→ shrink";
      }
      statusEl.textContent = [parts.join(" · "), selectedText, hover !== null ? `at ${label(hover)}` : ""].filter(Boolean).join("   ");
      root.setAttribute("aria-label", `Time series ${name}, ${records.length} regions`);
    }

    // --- keyboard (Label Studio §9.1: extend / shrink the selected region) -------------------------------
    /** @type {(() => void)[]} */
    let stepKeys = [];
    function bindStepKeys() {
      const sel = selectedRecord();
      const want = !!sel && editable() && !sel.locked;
      if (want === stepKeys.length > 0) return;
      for (const off of stepKeys) off();
      stepKeys = [];
      if (!want) return;
      for (const key of /** @type {const} */ (["left", "right"])) {
        for (const alt of [false, true]) {
          for (const shift of [false, true]) {
            const combo = `${shift ? "shift+" : ""}${alt ? "alt+" : ""}${key}`;
            const what = `${alt ? "Shrink" : "Extend"} the selected time range ${key === "left" ? (alt ? "from the end" : "to the left") : alt ? "from the start" : "to the right"}${shift ? " (large step)" : ""}`;
            stepKeys.push(ctx.hotkey(combo, () => step(key, alt, shift), { description: what, group: "Time series" }));
          }
        }
      }
    }
    /** @param {"left"|"right"} key @param {boolean} alt @param {boolean} shift */
    function step(key, alt, shift) {
      const sel = selectedRecord();
      if (!sel || sel.locked || !editable()) return false;
      const visible = Math.max(1, lowerBound(time, view.t1) - lowerBound(time, view.t0));
      const perPixel = Math.max(1, Math.round(visible / Math.max(1, plots[0]?.u.bbox.width / (devicePixelRatio || 1) || 800)));
      const i0 = nearestIndex(time, sel.t0), i1 = nearestIndex(time, sel.t1);
      const [s, e] = stepRange(i0, i1, n, key, { alt, shift: false, large: 1 });
      const k = shift ? perPixel * 10 : perPixel;
      const ns = s === i0 ? i0 : Math.max(0, Math.min(i1, i0 + (s - i0) * k));
      const ne = e === i1 ? i1 : Math.max(ns, Math.min(n - 1, i1 + (e - i1) * k));
      store.updateRegion(sel.id, rangeValue(time, time[ns], time[ne], units));
      return true;
    }

    // --- store, sync, resize ------------------------------------------------------------------------------
    let lastSelected = store.selectedId;
    const offStore = store.subscribe((change) => {
      readRegions();
      if (change.kind === "arm" && pending) {
        const armed = store.armed(name);
        if (armed && armed.labels.length) {
          const p = pending;
          pending = null;
          labelRange(p.a, p.b, false);
          return;
        }
      }
      if (store.selectedId !== lastSelected) {
        lastSelected = store.selectedId;
        const sel = selectedRecord();
        if (sel) {
          // bring it into view (outliner selection, region cycling)
          if (sel.t1 < view.t0 || sel.t0 > view.t1) {
            const span = view.t1 - view.t0;
            setView((sel.t0 + sel.t1) / 2 - span / 2, (sel.t0 + sel.t1) / 2 + span / 2);
          }
          channel?.publish({ type: "range", time: toSeconds(sel.t0, tmin, dates), end: toSeconds(sel.t1, tmin, dates) });
          pending = null;
          note(null);
        }
      }
      bindStepKeys();
      redraw();
    });
    cleanups.push(offStore, () => stepKeys.forEach((off) => off()));

    /** playback of the group: the cursor advances on its own between play and pause @type {{seconds: number, at: number, speed: number}|null} */
    let playing = null;
    let speed = 1;
    let playFrame = 0;
    /** @param {number|null} t */
    function setCursor(t, follow = true) {
      cursor = t;
      if (t === null) delete root.dataset.cursor;
      else root.dataset.cursor = toSeconds(t, tmin, dates).toFixed(2);
      if (t !== null && follow && (t < view.t0 || t > view.t1)) {
        const span = view.t1 - view.t0;
        // page forward while playing, centre otherwise
        if (playing && t > view.t1) setView(t - span * 0.1, t + span * 0.9);
        else setView(t - span / 2, t + span / 2);
      }
    }
    function tick() {
      playFrame = 0;
      if (!playing || destroyed) return;
      setCursor(fromSeconds(playing.seconds + ((performance.now() - playing.at) / 1000) * playing.speed, tmin, dates));
      redraw();
      if (cursor !== null && cursor >= tmax) playing = null;
      else playFrame = requestAnimationFrame(tick);
    }
    if (channel) {
      cleanups.push(channel.subscribe((message) => {
        const seconds = typeof message.time === "number" ? message.time : null;
        if (message.type === "speed" && typeof message.speed === "number") {
          if (playing) playing = { seconds: toSeconds(cursor ?? tmin, tmin, dates), at: performance.now(), speed: message.speed };
          speed = message.speed;
          return;
        }
        if (seconds === null) return;
        if (message.type === "range") {
          playing = null;
          const a = fromSeconds(seconds, tmin, dates), b = fromSeconds(message.end ?? seconds, tmin, dates);
          const pad = Math.max((b - a) * 0.25, minSpan);
          setView(a - pad, b + pad);
          setCursor(a, false);
        } else if (message.type === "play") {
          playing = { seconds, at: performance.now(), speed };
          setCursor(fromSeconds(seconds, tmin, dates));
          if (!playFrame) playFrame = requestAnimationFrame(tick);
        } else {
          playing = null;
          setCursor(fromSeconds(seconds, tmin, dates));
        }
        redraw();
      }));
      cleanups.push(() => cancelAnimationFrame(playFrame));
    }

    const resize = new ResizeObserver(() => {
      const w = width();
      for (const p of plots) p.resize(w);
      overview?.resize(w - 60);
      schedule();
    });
    resize.observe(plotsEl);
    cleanups.push(() => resize.disconnect(), () => cancelAnimationFrame(frame));
    cleanups.push(() => { for (const p of plots) p.destroy(); overview?.destroy(); });

    readRegions();
    bindStepKeys();
    paint();
    root.setAttribute("aria-busy", "false");
  }

  return () => {
    destroyed = true;
    for (const off of cleanups.splice(0)) off();
    root.remove();
  };
}

/** @param {string} color */
function readable(color) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return "#fff";
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 ? "#111" : "#fff";
}

/**
 * The data manager's preview: a sparkline of the first numeric column of inline data, or the URL.
 * @param {{el: HTMLElement, value: any}} args
 */
export function preview({ el, value }) {
  let data = value;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      el.textContent = value;
      return;
    }
  }
  const column = data && typeof data === "object" ? Object.values(data).filter(Array.isArray)[1] ?? Object.values(data).find(Array.isArray) : null;
  if (!Array.isArray(column) || !column.length) {
    el.textContent = typeof value === "string" ? value : JSON.stringify(value).slice(0, 120);
    return;
  }
  const values = column.map(Number).filter(Number.isFinite);
  const lo = Math.min(...values.slice(0, 5000)), hi = Math.max(...values.slice(0, 5000));
  const w = 160, h = 36;
  const stepX = w / Math.max(1, Math.min(values.length, 5000) - 1);
  const points = values.slice(0, 5000).map((v, i) => `${(i * stepX).toFixed(1)},${(h - 2 - ((v - lo) / (hi - lo || 1)) * (h - 4)).toFixed(1)}`).join(" ");
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Time series, ${column.length} samples`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points);
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "1.2");
  svg.append(line);
  el.append(svg);
  return () => svg.remove();
}
