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

/** Up to this many buckets a chart draws bars on a category axis (one per bucket), beyond it a time axis. */
export const FEW_POINTS = 16;

/**
 * The start of the bucket after `period` (`YYYY-MM-DD`; a month bucket starts on its first day).
 * @param {string} period @param {string} bucket "day", "week" or "month"
 */
export function nextPeriod(period, bucket) {
  const d = new Date(periodSeconds(period) * 1000);
  if (bucket === "month") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  return new Date(d.getTime() + (bucket === "week" ? 7 : 1) * DAY * 1000).toISOString().slice(0, 10);
}

/** Every bucket start from `first` to `last`, gaps included. @param {string} first @param {string} last @param {string} bucket */
export function periodRange(first, last, bucket) {
  const day = (/** @type {string} */ p) => (p.length === 7 ? `${p}-01` : p);
  const out = [];
  for (let p = day(first); p <= day(last) && out.length < 5000; p = nextPeriod(p, bucket)) out.push(p);
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A bucket's axis label: "Mar 5", "Week of Mar 2" or "Mar 2026". @param {string} period @param {string} bucket */
export function periodLabel(period, bucket) {
  const [y, m, d] = period.split("-").map(Number);
  if (bucket === "month" || !d) return `${MONTHS[m - 1]} ${y}`;
  return `${bucket === "week" ? "Week of " : ""}${MONTHS[m - 1]} ${d}`;
}

/**
 * The progress chart's buckets: start of each (gaps filled: nothing submitted is 0 that bucket,
 * the total unchanged), submitted per bucket and the running total. Rows are per bucket already
 * (the API fits the bucket to the range).
 * @param {ProgressRow[]} rows @param {string} [bucket]
 * @returns {{ periods: string[], done: number[], total: number[] }}
 */
export function progressSeries(rows, bucket = "day") {
  if (!rows.length) return { periods: [], done: [], total: [] };
  const byPeriod = new Map(rows.map((r) => [r.day, r]));
  const periods = periodRange(rows[0].day, rows[rows.length - 1].day, bucket);
  let total = rows[0].cumulative - rows[0].done;
  const done = [], totals = [];
  for (const p of periods) {
    const row = byPeriod.get(p);
    if (row) total = row.cumulative;
    done.push(row ? row.done : 0);
    totals.push(total);
  }
  return { periods, done, total: totals };
}

/**
 * The throughput chart: one series per annotator over every bucket of the range (0 where an
 * annotator submitted nothing that bucket: that is their throughput).
 * @param {ThroughputRow[]} rows @param {string} [bucket]
 * @returns {{ periods: string[], series: number[][], names: string[], users: number[] }}
 */
export function throughputSeries(rows, bucket = "day") {
  const seen = [...new Set(rows.map((r) => r.period))].sort();
  const periods = seen.length ? periodRange(seen[0], seen[seen.length - 1], bucket) : [];
  const users = [...new Set(rows.map((r) => r.user))].sort((a, b) => a - b);
  const names = users.map((u) => rows.find((r) => r.user === u)?.name || `User ${u}`);
  const at = new Map(periods.map((p, i) => [p, i]));
  const series = users.map(() => periods.map(() => 0));
  for (const r of rows) {
    const i = at.get(r.period.length === 7 ? `${r.period}-01` : r.period);
    if (i !== undefined) series[users.indexOf(r.user)][i] += r.done;
  }
  return { periods, series, names, users };
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
