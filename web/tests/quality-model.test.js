// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { filterQuery, filtersFrom, pairMatrix, percent, periodSeconds, previousPeriod, progressSeries, scoreColor, throughputSeries } from "../static/app/quality/model.js";

test("filters round-trip through the query string", () => {
  assert.deepEqual(filterQuery({ from: "2026-01-01", to: "", annotators: [3, 5] }), { from: "2026-01-01", annotators: "3,5" });
  assert.deepEqual(filtersFrom(new URLSearchParams("from=2026-01-01&annotators=3,x,5")), { from: "2026-01-01", to: "", annotators: [3, 5] });
});

test("periods are UTC seconds, months at their first day", () => {
  assert.equal(periodSeconds("2026-01-02"), Date.UTC(2026, 0, 2) / 1000);
  assert.equal(periodSeconds("2026-03"), Date.UTC(2026, 2, 1) / 1000);
});

test("progress and throughput series", () => {
  assert.deepEqual(progressSeries([{ day: "2026-01-01", done: 2, skipped: 0, cumulative: 2 }, { day: "2026-01-03", done: 1, skipped: 1, cumulative: 3 }]),
    [[periodSeconds("2026-01-01"), periodSeconds("2026-01-02"), periodSeconds("2026-01-03")], [2, 0, 1], [2, 2, 3]]);
  // One day: the day before is added, so the axis spans a day.
  assert.deepEqual(progressSeries([{ day: "2026-01-01", done: 2, skipped: 0, cumulative: 2 }]),
    [[periodSeconds("2025-12-31"), periodSeconds("2026-01-01")], [0, 2], [0, 2]]);
  assert.equal(previousPeriod("2026-01"), "2025-12");
  assert.equal(previousPeriod("2026-03-01"), "2026-02-28");
  assert.deepEqual(throughputSeries([{ period: "2026-01-02", user: 1, name: "Al", done: 4 }]).data, [[periodSeconds("2026-01-01"), periodSeconds("2026-01-02")], [0, 4]]);
  const { data, names, users } = throughputSeries([
    { period: "2026-01-02", user: 2, name: "Bo", done: 4 },
    { period: "2026-01-01", user: 1, name: "Al", done: 3 },
  ]);
  assert.deepEqual(users, [1, 2]);
  assert.deepEqual(names, ["Al", "Bo"]);
  assert.deepEqual(data.slice(1), [[3, null], [null, 4]]);
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
