// @ts-check
/**
 * Pure helpers of the quality dashboard: its filters as a query string, chart series from the
 * API's rows, the annotator-pair matrix, and colours for scores. No DOM here (node --test).
 */

/**
 * @typedef {{ from?: string, to?: string, annotators?: number[] }} DashboardFilters
 * @typedef {{ day: string, done: number, skipped: number, cumulative: number }} ProgressRow
 * @typedef {{ period: string, user: number, name: string, done: number }} ThroughputRow
 * @typedef {{ user_a: number, user_b: number, name_a: string, name_b: string, agreement: number|null, n: number }} PairRow
 */

/** The chart ids of the API (`/quality/dashboard/<chart>/csv`). */
export const CHARTS = /** @type {const} */ (["progress", "throughput", "annotators", "labels", "agreement", "pairs", "label_agreement", "models"]);

/** Query parameters of a filter set (empty values left out). @param {DashboardFilters} filters */
export function filterQuery(filters) {
  /** @type {Record<string, string>} */
  const query = {};
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.annotators?.length) query.annotators = filters.annotators.join(",");
  return query;
}

/** Filters read back from a URL query. @param {URLSearchParams} params @returns {DashboardFilters} */
export function filtersFrom(params) {
  const annotators = (params.get("annotators") || "").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return { from: params.get("from") || "", to: params.get("to") || "", annotators };
}

/** Seconds since the epoch of a `YYYY-MM-DD` or `YYYY-MM` period (UTC). @param {string} period */
export function periodSeconds(period) {
  const [y, m, d] = period.split("-").map(Number);
  return Date.UTC(y, (m || 1) - 1, d || 1) / 1000;
}

const DAY = 86400;

/**
 * uPlot data of the progress chart: x (seconds), per-day annotations, running total. Days
 * without annotations are filled in (0 that day, the total unchanged), and a single day gets
 * the day before it, so the time axis spans days rather than a point.
 * @param {ProgressRow[]} rows
 */
export function progressSeries(rows) {
  /** @type {number[][]} */
  const out = [[], [], []];
  if (!rows.length) return out;
  const byDay = new Map(rows.map((r) => [periodSeconds(r.day), r]));
  const first = periodSeconds(rows[0].day) - (rows.length === 1 ? DAY : 0);
  const last = periodSeconds(rows[rows.length - 1].day);
  let total = rows[0].cumulative - rows[0].done;
  for (let t = first; t <= last; t += DAY) {
    const row = byDay.get(t);
    if (row) total = row.cumulative;
    out[0].push(t);
    out[1].push(row ? row.done : 0);
    out[2].push(total);
  }
  return out;
}

/**
 * uPlot data of the throughput chart: one series per annotator over the union of periods
 * (null where an annotator did nothing, so lines break rather than fall to zero).
 * @param {ThroughputRow[]} rows
 * @returns {{ data: (number|null)[][], names: string[], users: number[] }}
 */
export function throughputSeries(rows) {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  if (periods.length === 1) periods.unshift(previousPeriod(periods[0]));  // a span, not a point
  const users = [...new Set(rows.map((r) => r.user))].sort((a, b) => a - b);
  const names = users.map((u) => rows.find((r) => r.user === u)?.name || `User ${u}`);
  const at = new Map(periods.map((p, i) => [p, i]));
  const data = [periods.map(periodSeconds), ...users.map(() => periods.map(() => /** @type {number|null} */ (null)))];
  for (const r of rows) data[users.indexOf(r.user) + 1][/** @type {number} */ (at.get(r.period))] = r.done;
  if (periods.length === 2 && rows.every((r) => r.period === periods[1])) for (let i = 1; i < data.length; i++) data[i][0] = 0;
  return { data, names, users };
}

/** The day (or month) before a `YYYY-MM-DD` (or `YYYY-MM`) period. @param {string} period */
export function previousPeriod(period) {
  const seconds = periodSeconds(period);
  if (period.length === 7) {
    const d = new Date(seconds * 1000);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  }
  return new Date((seconds - DAY) * 1000).toISOString().slice(0, 10);
}

/**
 * The symmetric annotator-pair matrix: `cells[i][j]` for users[i] x users[j] (the diagonal is
 * an annotator with themselves: only filled if they annotated a task twice).
 * @param {PairRow[]} rows
 */
export function pairMatrix(rows) {
  /** @type {Map<number, string>} */
  const names = new Map();
  for (const r of rows) {
    names.set(r.user_a, r.name_a);
    names.set(r.user_b, r.name_b);
  }
  const users = [...names.keys()].sort((a, b) => a - b);
  const index = new Map(users.map((u, i) => [u, i]));
  /** @type {({agreement: number|null, n: number}|null)[][]} */
  const cells = users.map(() => users.map(() => null));
  for (const r of rows) {
    if (!r.n) continue;
    const i = /** @type {number} */ (index.get(r.user_a));
    const j = /** @type {number} */ (index.get(r.user_b));
    cells[i][j] = cells[j][i] = { agreement: r.agreement, n: r.n };
  }
  return { users, names: users.map((u) => names.get(u) || `User ${u}`), cells };
}

/** "72%" (or "–" for no value). @param {number|null|undefined} score */
export function percent(score) {
  return score === null || score === undefined ? "–" : `${Math.round(score * 1000) / 10}%`;
}

/**
 * A background for a score from red (0) through amber to green (1), as a CSS colour mixed with
 * the surface so text stays readable in light and dark themes.
 * @param {number|null|undefined} score
 */
export function scoreColor(score) {
  if (score === null || score === undefined) return "transparent";
  const hue = Math.round(Math.max(0, Math.min(1, score)) * 120);
  return `color-mix(in srgb, hsl(${hue} 70% 45%) 45%, var(--surface))`;
}
