// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../../../../web/static/labeling/store.js";
import { writeValue } from "../lib/control.js";
import * as r from "../lib/ranker.js";

/** @returns {any} */
const node = (tag, kind, attrs, children = []) => ({ tag, kind, line: 1, attrs, children });
const items = [{ id: "blog", title: "B" }, { id: "mdn", title: "M" }, { id: 3, title: "W" }];

test("a plain ranker is one column named after the Ranker; the result is Label Studio's", () => {
  const model = node("Ranker", "control", { name: "rank", toName: "results" });
  const ids = r.listItems(items).map((i) => i.id);
  assert.deepEqual(ids, ["blog", "mdn", "3"]);
  const order = r.columnsOf(model, "Results");
  let cols = r.placement(model, ids, undefined, "Results");
  assert.deepEqual(cols, { rank: ["blog", "mdn", "3"] });
  cols = r.step(cols, order, "3", "up");
  cols = r.step(cols, order, "3", "up");
  cols = r.step(cols, order, "3", "up");
  assert.deepEqual(cols, { rank: ["3", "blog", "mdn"] });
  cols = r.move(cols, "3", "rank", 2);
  assert.deepEqual(cols.rank, ["blog", "mdn", "3"]);
  const store = createStore();
  writeValue(store, model, "ranker", r.rankerValue(cols, order));
  const [{ id, ...item }] = store.toResults();
  assert.deepEqual(item, { from_name: "rank", to_name: "results", type: "ranker", origin: "manual", value: { ranker: { rank: ["blog", "mdn", "3"] } } });
});

test("buckets without a default keep the original list as the '_' column", () => {
  const model = node("Ranker", "control", { name: "rank", toName: "results" }, [
    node("Bucket", "item", { name: "best", title: "Best" }),
    node("Bucket", "item", { name: "ads", title: "Ads" }),
  ]);
  const order = r.columnsOf(model, "Results");
  assert.deepEqual(order.map((c) => c.id), ["_", "best", "ads"]);
  let cols = r.placement(model, ["a", "b", "c"], undefined, "Results");
  cols = r.step(cols, order, "b", "right");
  cols = r.move(cols, "c", "ads", 0);
  assert.deepEqual(r.rankerValue(cols, order), { ranker: { _: ["a"], best: ["b"], ads: ["c"] } });
  // a stored result with a stale id and an unplaced item
  assert.deepEqual(r.placement(model, ["a", "b", "c"], { best: ["b", "zzz"] }, "Results"), { _: ["a", "c"], best: ["b"], ads: [] });
});

test("a default bucket receives everything at first", () => {
  const model = node("Ranker", "control", { name: "rank", toName: "results" }, [
    node("Bucket", "item", { name: "relevant", title: "Relevant", default: true }),
    node("Bucket", "item", { name: "not", title: "Not relevant" }),
  ]);
  const order = r.columnsOf(model, "Results");
  assert.deepEqual(order.map((c) => c.id), ["relevant", "not"]);
  const cols = r.placement(model, ["a", "b"], undefined, "Results");
  assert.deepEqual(r.rankerValue(r.step(cols, order, "a", "right"), order), { ranker: { relevant: ["b"], not: ["a"] } });
  assert.deepEqual(r.step(cols, order, "a", "left"), cols, "no column to the left");
});
