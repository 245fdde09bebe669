// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../../../../web/static/labeling/store.js";
import { applyDefaultsOnce, trackStore } from "../lib/defaults.js";

test("defaults apply once per control, only to an annotation that started empty", () => {
  const store = createStore();
  trackStore(store);
  let runs = 0;
  assert.equal(applyDefaultsOnce(store, "c", () => runs++), true);
  assert.equal(applyDefaultsOnce(store, "c", () => runs++), false, "not twice for one control");
  assert.equal(applyDefaultsOnce(store, "d", () => runs++), true, "another control of the same new annotation");
  assert.equal(runs, 2);
  // Loading saved results (an existing annotation, a draft): no defaults.
  store.load([{ id: "a", from_name: "x", to_name: "t", type: "choices", value: { choices: ["A"] } }]);
  assert.equal(applyDefaultsOnce(store, "c", () => runs++), false);
  // The next task's new annotation: defaults again.
  store.load([]);
  assert.equal(applyDefaultsOnce(store, "c", () => runs++), true);
  assert.equal(runs, 3);
});
