// @ts-check
/**
 * /projects/:id/dashboard — the project's quality dashboard: progress over time, throughput and
 * lead time per annotator, label distribution, agreement distribution, the annotator-pair
 * agreement matrix, each annotator's score against ground truth, per-label agreement and
 * prediction scores per model version. Date range and annotator filters live in the URL; every
 * chart links its rows as CSV. /projects/:id/my-figures is the same page for the signed-in
 * annotator (their own figures, no settings).
 *
 * Time series are uPlot charts; categorical figures are HTML bars and tables (readable, and
 * accessible to screen readers as tables).
 */
import { html, render, nothing } from "lit";
import uPlot from "uplot";
import { api, errorText } from "../api.js";
import { navigate } from "../router.js";
import { setBreadcrumb, setTopActions } from "../state.js";
import { formatNumber, icon, toast, useStyles } from "../ui.js";
import { followJob } from "../projects/job-progress.js";
import * as q from "../quality/model.js";

/** @typedef {any} Dashboard the JSON of GET /api/projects/{id}/quality/dashboard */

const PALETTE = ["#4f6bed", "#e07a2e", "#2e9e6a", "#c2418c", "#8a6d1f", "#2b8fb3", "#7a52c7", "#b3432b"];

/** @type {import("../router.js").PageRender} */
export default function page(el, route) {
  useStyles("/static/core/app/pages/dashboard.css");
  useStyles("/static/core/vendor/uplot/dist/uPlot.min.css");
  const projectId = Number(route.params.id);
  const mine = route.path.endsWith("/my-figures");
  /** @type {q.DashboardFilters} */
  let filters = q.filtersFrom(route.query);
  /** @type {Dashboard|null} */
  let data = null;
  /** @type {any} */
  let settings = null;
  /** @type {{id: number, name: string}[]} annotators ever seen (the filter's choices) */
  let known = [];
  let loading = true;
  /** @type {string|null} */
  let error = null;
  /** @type {uPlot[]} */
  let plots = [];
  let disposed = false;
  let scoring = false;
  const base = `/api/projects/${projectId}/quality`;

  api.get(`/api/projects/${projectId}`).then((project) => {
    if (disposed) return;
    const label = mine ? "My figures" : "Dashboard";
    setBreadcrumb([{ label: "Projects", href: "/projects" }, { label: project.title || `Project ${projectId}`, href: `/projects/${projectId}` }, { label }]);
  }).catch(() => {});
  setTopActions(html`<a class="btn" href="/projects/${projectId}/data">${icon("grid", 14)} Data manager</a>
    ${mine ? nothing : html`<a class="btn" href="/projects/${projectId}/settings">${icon("settings", 14)} Settings</a>`}`);

  async function load() {
    loading = true;
    error = null;
    draw();
    try {
      const query = q.filterQuery(filters);
      if (mine) {
        data = await api.get(`${base}/annotators/me`, { from: query.from, to: query.to });
      } else {
        [data, settings] = await Promise.all([api.get(`${base}/dashboard`, query), settings ? settings : api.get(`${base}/settings`)]);
        if (settings.job && !scoring) {
          // A project never scored in full (new, or from before quality tracking): its first
          // full recompute runs now; the figures reload when it is done.
          scoring = true;
          followJob(settings.job, { title: "Scoring this project's annotations", onDone: () => { settings = null; if (!disposed) load(); } });
        }
      }
      for (const a of data.annotators) if (!known.some((k) => k.id === a.user)) known.push({ id: a.user, name: a.name });
      known.sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      error = errorText(e);
    }
    loading = false;
    if (!disposed) draw();
  }

  /** @param {q.DashboardFilters} next */
  function setFilters(next) {
    filters = next;
    const url = new URL(location.href);
    url.search = new URLSearchParams(q.filterQuery(filters)).toString();
    history.replaceState(null, "", url.pathname + url.search);
    load();
  }

  /** @param {string} chart */
  function csvHref(chart) {
    const query = new URLSearchParams(q.filterQuery(mine ? { from: filters.from, to: filters.to } : filters));
    return mine ? `${base}/annotators/me/${chart}/csv?${query}` : `${base}/dashboard/${chart}/csv?${query}`;
  }

  /** A chart card: title, what it shows, a CSV link, the body. @param {string} chart @param {string} title @param {string} hint @param {any} body */
  function card(chart, title, hint, body, wide = false) {
    return html`<section class="qd-card ${wide ? "wide" : ""}" data-chart=${chart} aria-labelledby="qd-${chart}">
      <header><div><h2 id="qd-${chart}">${title}</h2><p class="muted">${hint}</p></div>
        <a class="btn btn-sm" href=${csvHref(chart)} download title="Download this chart's data as CSV">${icon("download", 14)} CSV</a></header>
      ${body}</section>`;
  }

  function filterBar() {
    const chosen = new Set(filters.annotators || []);
    /** @param {Event} e */
    const apply = (e) => {
      e.preventDefault();
      const form = /** @type {HTMLFormElement} */ (e.currentTarget);
      const values = new FormData(form);
      setFilters({
        from: String(values.get("from") || ""),
        to: String(values.get("to") || ""),
        annotators: values.getAll("annotator").map(Number),
      });
    };
    return html`<form class="qd-filters" @submit=${apply} aria-label="Dashboard filters">
      <label>From <input type="date" name="from" .value=${filters.from || ""}></label>
      <label>To <input type="date" name="to" .value=${filters.to || ""}></label>
      ${mine ? nothing : html`<details class="qd-annotators">
        <summary class="btn">${icon("user", 14)} ${chosen.size ? `${chosen.size} annotator${chosen.size > 1 ? "s" : ""}` : "All annotators"}</summary>
        <div class="menu-list" role="group" aria-label="Annotators">
          ${known.length ? known.map((k) => html`<label class="qd-check"><input type="checkbox" name="annotator" value=${k.id} ?checked=${chosen.has(k.id)}> ${k.name}</label>`)
            : html`<p class="muted">No annotations yet.</p>`}
        </div></details>`}
      <button class="btn btn-primary" type="submit">Apply</button>
      ${filters.from || filters.to || chosen.size ? html`<button class="btn" type="button" @click=${() => setFilters({})}>Reset</button>` : nothing}
    </form>`;
  }

  function summary() {
    const s = data.summary;
    const items = [
      ["Tasks", formatNumber(s.tasks)],
      ["Annotations", formatNumber(s.annotations)],
      ["Skipped", formatNumber(s.skipped)],
      ["Tasks with agreement", formatNumber(s.scored_tasks)],
      ["Mean agreement", q.percent(s.agreement)],
    ];
    if (mine) {
      const me = data.annotators[0] || {};
      items.splice(3, 2, ["My agreement", q.percent(me.agreement)], ["Score vs ground truth", q.percent(me.gt_score)]);
    }
    return html`<dl class="qd-summary">${items.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
  }

  /** Horizontal bars. @param {{label: string, value: number, text: string, color?: string}[]} rows */
  function bars(rows, empty = "Nothing yet.") {
    if (!rows.length) return html`<p class="muted qd-empty">${empty}</p>`;
    const max = Math.max(...rows.map((r) => r.value), 1e-9);
    return html`<table class="qd-bars"><tbody>${rows.map((r) => html`<tr>
      <th scope="row" title=${r.label}>${r.label}</th>
      <td><span class="qd-bar" style="width:${Math.max(1, (r.value / max) * 100)}%;${r.color ? `background:${r.color}` : ""}"></span></td>
      <td class="num">${r.text}</td></tr>`)}</tbody></table>`;
  }

  function annotatorsTable() {
    if (!data.annotators.length) return html`<p class="muted qd-empty">No annotations in this range.</p>`;
    return html`<div class="table-wrap"><table class="qd-table">
      <thead><tr><th scope="col">Annotator</th><th scope="col" class="num">Submitted</th><th scope="col" class="num">Skipped</th>
        <th scope="col" class="num">Mean lead time</th><th scope="col" class="num">Agreement</th><th scope="col" class="num">Vs ground truth</th></tr></thead>
      <tbody>${data.annotators.map((/** @type {any} */ a) => html`<tr>
        <th scope="row">${mine ? a.name : html`<a href="/projects/${projectId}/dashboard?annotators=${a.user}">${a.name}</a>`}</th>
        <td class="num">${formatNumber(a.done)}</td><td class="num">${formatNumber(a.skipped)}</td>
        <td class="num">${a.lead_time === null || a.lead_time === undefined ? "–" : `${a.lead_time.toFixed(1)} s`}</td>
        <td class="num"><span class="qd-score" style="background:${q.scoreColor(a.agreement)}">${q.percent(a.agreement)}</span></td>
        <td class="num"><span class="qd-score" style="background:${q.scoreColor(a.gt_score)}" title="${a.gt_n} annotations scored">${q.percent(a.gt_score)}</span></td>
      </tr>`)}</tbody></table></div>`;
  }

  function matrix() {
    const m = q.pairMatrix(data.pairs);
    if (m.users.length < 2) return html`<p class="muted qd-empty">Agreement needs two annotators on the same task.</p>`;
    return html`<div class="table-wrap"><table class="qd-matrix">
      <thead><tr><td></td>${m.names.map((n) => html`<th scope="col" title=${n}><span>${n}</span></th>`)}</tr></thead>
      <tbody>${m.cells.map((row, i) => html`<tr><th scope="row" title=${m.names[i]}>${m.names[i]}</th>${row.map((cell) => cell
        ? html`<td style="background:${q.scoreColor(cell.agreement)}" title="${cell.n} shared tasks">${q.percent(cell.agreement)}</td>`
        : html`<td class="muted">·</td>`)}</tr>`)}</tbody></table></div>`;
  }

  function histogram() {
    const rows = data.agreement;
    const total = rows.reduce((/** @type {number} */ s, /** @type {any} */ r) => s + r.count, 0);
    if (!total) return html`<p class="muted qd-empty">No task has two annotations yet.</p>`;
    return html`<div class="qd-plot" data-plot="agreement"></div>
      <p class="muted qd-note">${rows[0].scope === "tasks" ? `${formatNumber(total)} tasks by agreement` : `${formatNumber(total)} annotations by their agreement with the others`}</p>`;
  }

  /** @type {Map<Element, uPlot>} */
  const sizes = new Map();
  const resizer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const u = sizes.get(entry.target);
      const width = Math.max(240, /** @type {HTMLElement} */ (entry.target).clientWidth);
      if (u && Math.abs(u.width - width) > 1) u.setSize({ width, height: 220 });
    }
  });
  // Chart colours come from the theme's CSS variables: draw again when the theme changes.
  const themeWatch = new MutationObserver(() => draw());
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
  const onScheme = () => draw();
  darkQuery.addEventListener("change", onScheme);

  function draw() {
    if (disposed) return;
    for (const p of plots) p.destroy();
    plots = [];
    resizer.disconnect();
    sizes.clear();
    let body;
    if (error) body = html`<div class="error-box" role="alert"><strong>The dashboard could not load.</strong> ${error}</div>`;
    else if (!data) body = html`<div class="qd-grid">${[1, 2, 3, 4].map(() => html`<section class="qd-card"><span class="skeleton" style="width:40%"></span><span class="skeleton" style="height:180px"></span></section>`)}</div>`;
    else {
      body = html`${summary()}<div class="qd-grid" aria-busy=${loading ? "true" : "false"}>
        ${card("progress", "Progress", `Annotations submitted per ${data.bucket || "day"} and in total.`, data.progress.length ? html`<div class="qd-plot" data-plot="progress"></div>` : html`<p class="muted qd-empty">No annotations in this range.</p>`, true)}
        ${mine ? nothing : card("throughput", "Throughput per annotator", `Annotations submitted by each annotator per ${data.bucket || "day"} (the bucket fits the range shown).`, data.throughput.length ? html`<div class="qd-plot" data-plot="throughput"></div>` : html`<p class="muted qd-empty">No annotations in this range.</p>`, true)}
        ${card("annotators", mine ? "My figures" : "Annotators", "Submitted and skipped annotations, mean lead time, mean agreement with the task's other annotators, and the score against ground-truth annotations.", annotatorsTable(), true)}
        ${card("agreement", "Agreement distribution", "How much annotations of the same task agree, in 10 % steps.", histogram())}
        ${card("labels", "Label distribution", "Regions and choices carrying each label.", bars(data.labels.map((/** @type {any} */ l) => ({ label: l.label, value: l.count, text: formatNumber(l.count) }))))}
        ${mine ? nothing : card("pairs", "Agreement between annotators", "Mean agreement of each pair of annotators over the tasks both annotated.", matrix(), true)}
        ${mine ? nothing : card("label_agreement", "Agreement per label", "For each label, how well annotators agree on where it applies.", bars(data.label_agreement.map((/** @type {any} */ l) => ({ label: l.label, value: l.agreement ?? 0, text: q.percent(l.agreement), color: q.scoreColor(l.agreement) })), "Agreement needs two annotators on the same task."))}
        ${mine ? nothing : card("models", "Predictions per model version", "Mean score of each model version's predictions against ground truth and against the annotations.", modelsTable())}
      </div>
      ${mine ? nothing : settingsCard()}`;
    }
    render(html`<section class="qd-page">
      <header class="qd-head"><div><h1>${mine ? "My figures" : "Quality dashboard"}</h1>
        <p class="muted">${mine ? "Your own work in this project." : html`Agreement, progress and scores. How each figure is computed: <a href="https://github.com/labelloom/labelloom/blob/main/docs/quality.md" target="_blank" rel="noopener">docs/quality.md</a>.`}</p></div>
        ${filterBar()}</header>
      ${body}</section>`, el);
    if (data && !error) requestAnimationFrame(drawPlots);
  }

  function modelsTable() {
    if (!data.models.length) return html`<p class="muted qd-empty">No predictions on annotated tasks.</p>`;
    return html`<div class="table-wrap"><table class="qd-table"><thead><tr><th scope="col">Model version</th>
      <th scope="col" class="num">Vs ground truth</th><th scope="col" class="num">Vs annotations</th><th scope="col" class="num">Predictions</th></tr></thead>
      <tbody>${data.models.map((/** @type {any} */ m) => html`<tr><th scope="row">${m.model_version || html`<span class="muted">(none)</span>`}</th>
        <td class="num"><span class="qd-score" style="background:${q.scoreColor(m.gt_score)}" title="${m.gt_n} with ground truth">${q.percent(m.gt_score)}</span></td>
        <td class="num"><span class="qd-score" style="background:${q.scoreColor(m.agreement)}">${q.percent(m.agreement)}</span></td>
        <td class="num">${formatNumber(m.n)}</td></tr>`)}</tbody></table></div>`;
  }

  function settingsCard() {
    if (!settings) return nothing;
    /** @param {Event} e */
    const save = async (e) => {
      e.preventDefault();
      const values = new FormData(/** @type {HTMLFormElement} */ (e.currentTarget));
      try {
        const body = await api.patch(`${base}/settings`, {
          method: values.get("method"),
          threshold: Number(values.get("threshold")),
          match_labels: values.get("match_labels") === "on",
        });
        settings = body;
        draw();
        if (body.job) {
          await followJob(body.job, { title: "Recomputing agreement", onDone: () => load() });
        } else toast("Nothing changed.");
      } catch (error) {
        toast(errorText(error), { kind: "error" });
      }
    };
    const recompute = async () => {
      try {
        const body = await api.post(`${base}/recompute`);
        await followJob(body.job, { title: "Recomputing agreement", onDone: () => load() });
      } catch (error) {
        toast(errorText(error), { kind: "error" });
      }
    };
    return html`<details class="qd-card qd-settings"><summary><h2>Agreement settings</h2>
      <span class="muted">${settings.method === "threshold" ? `Regions match at ${Math.round(settings.threshold * 100)} % overlap` : "Regions count with their overlap"}${settings.match_labels ? ", labels must match" : ""}</span></summary>
      <form @submit=${save} class="qd-settings-form">
        <fieldset><legend>Region matching</legend>
          <label><input type="radio" name="method" value="threshold" ?checked=${settings.method === "threshold"}> A pair counts as a match when its overlap reaches the threshold</label>
          <label><input type="radio" name="method" value="overlap" ?checked=${settings.method === "overlap"}> A pair counts with its overlap (soft)</label>
        </fieldset>
        <label>Threshold <input type="number" name="threshold" min="0.01" max="1" step="0.01" .value=${String(settings.threshold)} required></label>
        <label class="qd-check"><input type="checkbox" name="match_labels" ?checked=${settings.match_labels}> Regions match only when their labels are the same</label>
        <div class="qd-actions"><button class="btn btn-primary" type="submit">Save and recompute</button>
          <button class="btn" type="button" @click=${recompute}>${icon("refresh", 14)} Recompute now</button></div>
        <p class="muted">Metrics in use: ${settings.metrics.map((/** @type {any} */ m) => `${m.name} (${m.title})`).join(", ")}.</p>
      </form></details>`;
  }

  function drawPlots() {
    if (disposed || !data) return;
    const css = getComputedStyle(document.documentElement);
    const text = css.getPropertyValue("--text-2").trim() || "#555";
    const grid = css.getPropertyValue("--border").trim() || "#ddd";
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    /** @param {string} name @param {any} opts @param {any} series */
    const plot = (name, opts, series) => {
      const box = /** @type {HTMLElement|null} */ (el.querySelector(`[data-plot="${name}"]`));
      if (!box) return;
      const width = Math.max(240, box.clientWidth);
      const u = new uPlot({ width, height: 220, ...opts, axes: opts.axes || [axis, axis] }, series, box);
      plots.push(u);
      // The box's width can change after drawing (a scrollbar appears, the window resizes).
      sizes.set(box, u);
      resizer.observe(box);
    };
    const bucket = data.bucket || "day";
    // Time axes reach half a bucket past the first and last: edge bars are whole bars.
    const half = { day: 43200, week: 302400, month: 1339200 }[bucket] || 43200;
    const timeScale = { time: true, range: (/** @type {any} */ _u, /** @type {number} */ min, /** @type {number} */ max) => [min - half, max + half] };
    const starts = (/** @type {string[]} */ periods) => periods.map(q.periodSeconds);
    const zeroBased = { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, max > 0 ? max * 1.08 : 1] };
    /** A category x axis: one slot per bucket, labelled with it (few buckets: bars stay bars). @param {string[]} periods */
    const categories = (periods) => {
      const labels = periods.map((p) => q.periodLabel(p, bucket));
      const every = Math.ceil(periods.length / 8);
      // At least six slots wide, centred: one bucket is a bar of sensible width, not a wall.
      const pad = (Math.max(periods.length, 6) - periods.length) / 2;
      return {
        scale: { time: false, range: /** @type {[number, number]} */ ([-0.5 - pad, periods.length - 0.5 + pad]) },
        axis: { ...axis, splits: () => periods.map((_p, i) => i), values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((i) => (i % every ? "" : labels[i] ?? "")) },
        legend: { label: bucket[0].toUpperCase() + bucket.slice(1), value: (/** @type {any} */ _u, /** @type {number|null} */ i) => (i === null ? "" : labels[i] ?? "") },
        x: periods.map((_p, i) => i),
      };
    };
    const per = `Per ${bucket}`;
    if (data.progress.length) {
      const p = q.progressSeries(data.progress, bucket);
      const few = p.periods.length <= q.FEW_POINTS;
      const c = categories(p.periods);
      plot("progress", {
        scales: { x: few ? c.scale : timeScale, y: zeroBased, total: zeroBased },
        series: [few ? c.legend : {}, { label: per, stroke: PALETTE[0], fill: `${PALETTE[0]}88`, width: 1, paths: uPlot.paths.bars?.({ size: [few ? 0.5 : 0.7, 64] }), points: { show: false } },
          { label: "Total", stroke: PALETTE[2], width: 2, scale: "total", points: { show: few } }],
        axes: [few ? c.axis : axis, axis, { ...axis, scale: "total", side: 1, grid: { show: false } }],
      }, [few ? c.x : starts(p.periods), p.done, p.total]);
    }
    if (!mine && data.throughput.length) {
      const t = q.throughputSeries(data.throughput, bucket);
      const few = t.periods.length <= q.FEW_POINTS;
      const c = categories(t.periods);
      const k = t.series.length;
      // Few buckets: bars side by side per bucket (a line between two points would suggest a
      // trend); many: one line per annotator on a time axis.
      /** @param {number} s */
      const grouped = (s) => uPlot.paths.bars?.({ disp: {
        x0: { unit: 1, values: (/** @type {any} */ u) => u.data[0].map((/** @type {number} */ i) => i - 0.4 + (s * 0.8) / k) },
        size: { unit: 1, values: (/** @type {any} */ u) => u.data[0].map(() => 0.8 / k) },
      } });
      plot("throughput", {
        scales: { x: few ? c.scale : timeScale, y: zeroBased },
        series: [few ? c.legend : {}, ...t.names.map((name, i) => {
          const colour = PALETTE[i % PALETTE.length];
          return few
            ? { label: name, stroke: colour, fill: `${colour}cc`, width: 1, paths: grouped(i), points: { show: false } }
            : { label: name, stroke: colour, width: 2, points: { show: t.periods.length < 60 } };
        })],
        axes: [few ? c.axis : axis, axis],
      }, [few ? c.x : starts(t.periods), ...t.series]);
    }
    const buckets = data.agreement;
    if (buckets.some((/** @type {any} */ b) => b.count)) {
      plot("agreement", {
        scales: { x: { time: false, range: [-0.5, 9.5] } },
        series: [{}, { label: "Count", fill: `${PALETTE[0]}bb`, stroke: PALETTE[0], paths: uPlot.paths.bars?.({ size: [0.85, 80] }), points: { show: false } }],
        axes: [{ ...axis, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((v) => Number.isInteger(v) ? `${v * 10}%` : "") }, axis],
        legend: { show: false },
      }, [buckets.map((/** @type {any} */ _b, /** @type {number} */ i) => i), buckets.map((/** @type {any} */ b) => b.count)]);
    }
  }

  const onResize = () => draw();
  window.addEventListener("resize", onResize);
  load();
  return () => {
    disposed = true;
    window.removeEventListener("resize", onResize);
    resizer.disconnect();
    themeWatch.disconnect();
    darkQuery.removeEventListener("change", onScheme);
    for (const p of plots) p.destroy();
  };
}
