// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { FEW_POINTS, filterQuery, filtersFrom, nextPeriod, pairMatrix, percent, periodLabel, periodRange, periodSeconds, progressSeries, scoreColor, throughputSeries } from "../static/app/quality/model.js";

test("filters round-trip through the query string", () => {
  assert.deepEqual(filterQuery({ from: "2026-01-01", to: "", annotators: [3, 5] }), { from: "2026-01-01", annotators: "3,5" });
  assert.deepEqual(filtersFrom(new URLSearchParams("from=2026-01-01&annotators=3,x,5")), { from: "2026-01-01", to: "", annotators: [3, 5] });
});

test("periods are UTC seconds, months at their first day", () => {
  assert.equal(periodSeconds("2026-01-02"), Date.UTC(2026, 0, 2) / 1000);
  assert.equal(periodSeconds("2026-03"), Date.UTC(2026, 2, 1) / 1000);
});

test("progress and throughput series fill every bucket of the range", () => {
  assert.deepEqual(progressSeries([{ day: "2026-01-01", done: 2, skipped: 0, cumulative: 2 }, { day: "2026-01-03", done: 1, skipped: 1, cumulative: 3 }]),
    { periods: ["2026-01-01", "2026-01-02", "2026-01-03"], done: [2, 0, 1], total: [2, 2, 3] });
  // One day is one bucket (the chart draws it as one bar on a category axis), nothing invented.
  assert.deepEqual(progressSeries([{ day: "2026-01-01", done: 2, skipped: 0, cumulative: 2 }]),
    { periods: ["2026-01-01"], done: [2], total: [2] });
  assert.deepEqual(progressSeries([]), { periods: [], done: [], total: [] });
  // Weeks and months step by their bucket.
  assert.deepEqual(progressSeries([{ day: "2026-01-05", done: 1, skipped: 0, cumulative: 1 }, { day: "2026-01-19", done: 2, skipped: 0, cumulative: 3 }], "week").periods,
    ["2026-01-05", "2026-01-12", "2026-01-19"]);
  assert.deepEqual(periodRange("2025-11-01", "2026-02-01", "month"), ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]);
  assert.equal(nextPeriod("2026-01-31", "month"), "2026-02-01");
  assert.equal(nextPeriod("2026-02-28", "day"), "2026-03-01");

  const one = throughputSeries([{ period: "2026-01-02", user: 1, name: "Al", done: 4 }]);
  assert.deepEqual(one.periods, ["2026-01-02"]);
  assert.deepEqual(one.series, [[4]]);
  const { periods, series, names, users } = throughputSeries([
    { period: "2026-01-03", user: 2, name: "Bo", done: 4 },
    { period: "2026-01-01", user: 1, name: "Al", done: 3 },
  ]);
  assert.deepEqual(users, [1, 2]);
  assert.deepEqual(names, ["Al", "Bo"]);
  assert.deepEqual(periods, ["2026-01-01", "2026-01-02", "2026-01-03"]);
  assert.deepEqual(series, [[3, 0, 0], [0, 0, 4]]);
  // Months as the API sent them before ("YYYY-MM") still land on their first day.
  assert.deepEqual(throughputSeries([{ period: "2026-03", user: 1, name: "Al", done: 2 }], "month").periods, ["2026-03-01"]);
});

test("bucket labels", () => {
  assert.equal(periodLabel("2026-03-05", "day"), "Mar 5");
  assert.equal(periodLabel("2026-03-02", "week"), "Week of Mar 2");
  assert.equal(periodLabel("2026-03-01", "month"), "Mar 2026");
  assert.ok(FEW_POINTS >= 8);
});

test("the pair matrix is symmetric and skips empty pairs", () => {
  const m = pairMatrix([
    { user_a: 1, user_b: 2, name_a: "Al", name_b: "Bo", agreement: 0.5, n: 4 },
    { user_a: 2, user_b: 3, name_a: "Bo", name_b: "Cy", agreement: null, n: 0 },
  ]);
  assert.deepEqual(m.users, [1, 2, 3]);
  assert.deepEqual(m.cells[0][1], { agreement: 0.5, n: 4 });
  assert.deepEqual(m.cells[1][0], { agreement: 0.5, n: 4 });
  assert.equal(m.cells[1][2], null);
});

test("percent and colour", () => {
  assert.equal(percent(0.3333), "33.3%");
  assert.equal(percent(null), "–");
  assert.equal(scoreColor(null), "transparent");
  assert.match(scoreColor(1), /hsl\(120 /);
  assert.match(scoreColor(0), /hsl\(0 /);
});
