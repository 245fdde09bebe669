// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import * as m from "../../static/app/datamanager/model.js";

test("a page next to a loaded one is fetched by keyset, others by number", () => {
  const cursors = new Map([[4, { next: "after-4", previous: "before-4" }], [9, { next: null, previous: "before-9" }]]);
  assert.deepEqual(m.pageRequest(5, cursors), { cursor: "after-4" });
  assert.deepEqual(m.pageRequest(3, cursors), { cursor: "before-4" });
  assert.deepEqual(m.pageRequest(8, cursors), { cursor: "before-9" });
  assert.deepEqual(m.pageRequest(10, cursors), { page: 10 }); // page 9 was the last: no next cursor
  assert.deepEqual(m.pageRequest(100, cursors), { page: 100 });
  assert.deepEqual(m.pageRequest(1, new Map([[2, { next: "x", previous: "before-2" }]])), { page: 1 }); // the first page is cheap by number
});

test("estimated totals read as rounded and approximate, exact ones in full", () => {
  assert.equal(m.totalText(1234567, true), (1234567).toLocaleString());
  assert.equal(m.totalText(1234567, false), "about 1.2M");
  assert.equal(m.totalText(666600, false), "about 667K");
  assert.equal(m.totalText(41666, false), "about 41.7K");
  assert.equal(m.totalText(980, false), "about 980");
  assert.equal(m.compactNumber(2_500_000_000), "2.5B");
  assert.equal(m.compactNumber(1000), "1K");
});
