// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../../../../web/static/labeling/store.js";
import { writeValue } from "../lib/control.js";
import * as tx from "../lib/taxonomy.js";

/** @returns {any} */
const node = (tag, kind, attrs, children = []) => ({ tag, kind, line: 1, attrs, children });
const choice = (value, children = [], extra = {}) => node("Choice", "item", { value, ...extra }, children);
const model = node("Taxonomy", "control", { name: "topic", toName: "txt", pathSeparator: " / " }, [
  choice("Sports", [choice("Football"), choice("Tennis", [], { alias: "tennis" }), choice("Football")]),
  choice("Politics"),
]);

test("the tree uses alias ?? value for paths and drops duplicate siblings", () => {
  const tree = tx.treeFromConfig(model);
  assert.deepEqual(tx.flatten(tree).map((n) => n.path), [["Sports"], ["Sports", "Football"], ["Sports", "tennis"], ["Politics"]]);
  assert.equal(tx.flatten(tree)[2].label, "Tennis");
  assert.equal(tree[0].leaf, false);
});

test("selections are full paths in selection order, stored as Label Studio's taxonomy JSON", () => {
  const store = createStore();
  const tree = tx.treeFromConfig(model);
  let selected = tx.togglePath([], tx.findPath(tree, ["Sports", "tennis"]), {});
  selected = tx.togglePath(selected, tx.findPath(tree, ["Politics"]), {});
  writeValue(store, model, "taxonomy", tx.resultValue(selected));
  const [{ id, ...item }] = store.toResults();
  assert.deepEqual(item, { from_name: "topic", to_name: "txt", type: "taxonomy", origin: "manual", value: { taxonomy: [["Sports", "tennis"], ["Politics"]] } });
  selected = tx.togglePath(selected, tx.findPath(tree, ["Sports", "tennis"]), {});
  assert.deepEqual(selected, [["Politics"]]);
  assert.equal(tx.displayPath(tree, ["Sports", "tennis"], { showFullPath: true, pathSeparator: " > " }), "Sports > Tennis");
  assert.equal(tx.displayPath(tree, ["Sports", "tennis"], { showFullPath: false }), "Tennis");
});

test("leafsOnly and maxUsages limit what can be chosen", () => {
  const tree = tx.treeFromConfig(model);
  const sports = tx.findPath(tree, ["Sports"]);
  assert.equal(tx.canSelect(sports, [], { leafsOnly: true }).ok, false);
  assert.deepEqual(tx.togglePath([], sports, { leafsOnly: true }), []);
  const two = tx.togglePath(tx.togglePath([], sports, { maxUsages: 2 }), tx.findPath(tree, ["Politics"]), { maxUsages: 2 });
  assert.equal(two.length, 2);
  assert.deepEqual(tx.togglePath(two, tx.findPath(tree, ["Sports", "Football"]), { maxUsages: 2 }), two);
  assert.match(tx.canSelect(tx.findPath(tree, ["Sports", "Football"]), two, { maxUsages: 2 }).reason || "", /At most 2/);
  assert.deepEqual(tx.togglePath([["Politics"]], sports, { maxUsages: 1 }), [["Sports"]], "maxUsages=1 replaces");
});

test("search keeps matches with their ancestors expanded", () => {
  const tree = tx.treeFromConfig(model);
  const found = tx.search(tree, "TENN");
  assert.ok(found);
  assert.deepEqual(found.matches.map((n) => n.path), [["Sports", "tennis"]]);
  assert.ok(found.visible.has(JSON.stringify(["Sports"])));
  assert.ok(found.expanded.has(JSON.stringify(["Sports"])));
  assert.equal(tx.search(tree, "  "), null);
});

test("apiUrl items load lazily: isLeaf=false children arrive later", () => {
  const tree = tx.treeFromApi({ items: [{ value: "Animal", isLeaf: false }, { value: "Plant", alias: "P" }] });
  assert.equal(tree[0].children, null);
  assert.equal(tree[0].leaf, false);
  assert.deepEqual(tree[1].path, ["P"]);
  const grown = tx.withChildren(tree, ["Animal"], tx.treeFromApi([{ value: "Dog" }], ["Animal"]));
  assert.deepEqual(tx.flatten(grown).map((n) => n.path), [["Animal"], ["Animal", "Dog"], ["P"]]);
  assert.equal(tree[0].children, null, "the old tree is untouched");
});
