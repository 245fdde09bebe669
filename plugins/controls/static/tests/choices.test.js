// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../../../../web/static/labeling/store.js";
import * as choices from "../lib/choices.js";
import { currentValue, target, writeValue } from "../lib/control.js";

/** @param {Record<string, any>} attrs @param {any[]} children @returns {any} */
const node = (tag, kind, attrs, children = []) => ({ tag, kind, line: 1, attrs, children });
const choice = (value, extra = {}, children = []) => node("Choice", "item", { value, selected: false, ...extra }, children);

const sentiment = node("Choices", "control", { name: "sentiment", toName: "text", choice: "single" }, [
  choice("Positive"),
  choice("Negative", { alias: "neg" }),
  choice("Neutral", { selected: true }),
]);

/** Strip ids, which are random. @param {any[]} items */
const withoutIds = (items) => items.map(({ id, ...rest }) => rest);

test("a single choice stores Label Studio's JSON with alias replacing the value", () => {
  const store = createStore();
  const options = choices.buildOptions(sentiment);
  let sel = choices.selectionFromResult(options, undefined);
  sel = choices.toggle(options, sel, options[1], "single");
  writeValue(store, sentiment, "choices", choices.resultValue(options, sel));
  const [item] = store.toResults();
  assert.match(item.id, /^[A-Za-z0-9]{10}$/);
  assert.deepEqual(withoutIds(store.toResults()), [
    { from_name: "sentiment", to_name: "text", type: "choices", origin: "manual", value: { choices: ["neg"] } },
  ]);
  // picking another replaces; picking it again clears the result entirely
  sel = choices.toggle(options, sel, options[0], "single");
  writeValue(store, sentiment, "choices", choices.resultValue(options, sel));
  assert.deepEqual(currentValue(store, sentiment, "choices"), ["Positive"]);
  sel = choices.toggle(options, sel, options[0], "single");
  writeValue(store, sentiment, "choices", choices.resultValue(options, sel));
  assert.deepEqual(store.toResults(), []);
});

test("multiple choices are stored in config order, not click order", () => {
  const options = choices.buildOptions({ ...sentiment, attrs: { ...sentiment.attrs, choice: "multiple" } });
  let sel = new Set();
  sel = choices.toggle(options, sel, options[2], "multiple");
  sel = choices.toggle(options, sel, options[0], "multiple");
  assert.deepEqual(choices.resultValue(options, sel), { choices: ["Positive", "Neutral"] });
  assert.deepEqual([...choices.selectionFromResult(options, ["Neutral", "neg"])].sort(), ['"Neutral"', '"neg"']);
});

test("selected=true preselects", () => {
  const options = choices.buildOptions(sentiment);
  assert.deepEqual(choices.resultValue(options, choices.preselected(options)), { choices: ["Neutral"] });
});

test("allowNested stores paths; a parent is selected when all its children are", () => {
  const model = node("Choices", "control", { name: "topic", toName: "text", choice: "multiple", allowNested: true }, [
    choice("Sports", {}, [choice("Football"), choice("Tennis", { alias: "tennis" })]),
    choice("Politics"),
  ]);
  const options = choices.buildOptions(model);
  const flat = choices.flatten(options);
  assert.deepEqual(flat.map((o) => o.result), [["Sports"], ["Sports", "Football"], ["Sports", "tennis"], ["Politics"]]);
  let sel = choices.toggle(options, new Set(), flat[1], "multiple");
  assert.deepEqual(choices.resultValue(options, sel), { choices: [["Sports", "Football"]] });
  assert.equal(choices.isPartial(flat[0], sel), true);
  sel = choices.toggle(options, sel, flat[2], "multiple");
  assert.deepEqual(choices.resultValue(options, sel), { choices: [["Sports"], ["Sports", "Football"], ["Sports", "tennis"]] });
  sel = choices.toggle(options, sel, flat[0], "multiple");
  assert.deepEqual(choices.resultValue(options, sel), {});
});

test("without allowNested nested choices are ignored", () => {
  const model = node("Choices", "control", { name: "c", toName: "t" }, [choice("A", {}, [choice("A1")]), choice("B")]);
  assert.deepEqual(choices.flatten(choices.buildOptions(model)).map((o) => o.result), ["A", "B"]);
});

test("choices from task data join the configured ones", () => {
  const model = node("Choices", "control", { name: "c", toName: "t", value: "$opts" }, [choice("A")]);
  const options = choices.buildOptions(model, [{ value: "B", html: "<b>B</b>" }, "C", { value: "A" }]);
  assert.deepEqual(options.map((o) => o.result), ["A", "B", "C"]);
});

test("showInline maps onto the layout", () => {
  assert.equal(choices.layoutOf(node("Choices", "control", { showInline: true })), "inline");
  assert.equal(choices.layoutOf(node("Choices", "control", { layout: "select" })), "select");
  assert.equal(choices.layoutOf(node("Choices", "control", {})), "vertical");
});

test("a perRegion control writes to the selected region and is inactive without one", () => {
  const store = createStore();
  const model = node("Choices", "control", { name: "occluded", toName: "img", perRegion: true });
  assert.deepEqual(target(store, model), { active: false });
  assert.equal(writeValue(store, model, "choices", { choices: ["yes"] }), false);
  const id = store.createRegion({ from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, rectanglelabels: ["Car"] } });
  const other = store.createRegion({ from_name: "ner", to_name: "txt", type: "labels", value: { start: 0, end: 1, text: "a", labels: ["X"] } });
  store.select(other);
  assert.deepEqual(target(store, model), { active: false }, "a region of another object does not count");
  store.select(id);
  assert.equal(writeValue(store, model, "choices", { choices: ["yes"] }), true);
  assert.deepEqual(store.toResults()[2], {
    id, from_name: "occluded", to_name: "img", type: "choices", origin: "manual",
    value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, choices: ["yes"] },
  });
  assert.deepEqual(currentValue(store, model, "choices"), ["yes"]);
});
