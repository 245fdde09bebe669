// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../static/labeling/store.js";
import { isVisible } from "../static/labeling/visibility.js";
import { missingRequired } from "../static/labeling/required.js";

/** @param {string} tag @param {Record<string, any>} attrs @param {any[]} [children] @returns {any} */
const node = (tag, attrs, children = []) => ({ tag, kind: ["View"].includes(tag) ? "structural" : "control", line: 1, attrs, children });

const sentiment = node("Choices", { name: "sentiment", toName: "text" });
const ner = () => {
  const store = createStore();
  const id = store.createRegion({ from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 4, text: "Anna", labels: ["PER"] } });
  return { store, id };
};

test("region-selected / no-region-selected, with whenTagName and whenLabelValue", () => {
  const { store, id } = ner();
  const whenRegion = node("View", { visibleWhen: "region-selected" });
  const whenPer = node("View", { visibleWhen: "region-selected", whenTagName: "ner", whenLabelValue: "PER,ORG" });
  const whenLoc = node("View", { visibleWhen: "region-selected", whenLabelValue: "LOC" });
  const whenNone = node("View", { visibleWhen: "no-region-selected" });
  assert.deepEqual([whenRegion, whenPer, whenLoc, whenNone].map((n) => isVisible(n, { store })), [false, false, false, true]);
  store.select(id);
  assert.deepEqual([whenRegion, whenPer, whenLoc, whenNone].map((n) => isVisible(n, { store })), [true, true, false, false]);
});

test("choice-selected / choice-unselected, and the whenChoiceValue shorthand", () => {
  const store = createStore();
  const selected = node("View", { visibleWhen: "choice-selected", whenTagName: "sentiment", whenChoiceValue: "Negative" });
  const unselected = node("View", { visibleWhen: "choice-unselected", whenTagName: "sentiment" });
  const shorthand = node("TextArea", { name: "why", toName: "text", whenTagName: "sentiment", whenChoiceValue: "Negative" });
  assert.deepEqual([selected, unselected, shorthand].map((n) => isVisible(n, { store })), [false, true, false]);
  store.setClassification(sentiment, "choices", { choices: ["Positive"] });
  assert.deepEqual([selected, unselected, shorthand].map((n) => isVisible(n, { store })), [false, false, false]);
  store.setClassification(sentiment, "choices", { choices: ["Negative"] });
  assert.deepEqual([selected, unselected, shorthand].map((n) => isVisible(n, { store })), [true, false, true]);
});

test("perRegion controls show only for a selected region of their own object", () => {
  const { store, id } = ner();
  const other = store.createRegion({ from_name: "box", to_name: "image", type: "rectanglelabels", value: { x: 1, y: 1, width: 1, height: 1, rectanglelabels: ["Car"] } });
  const attr = node("Choices", { name: "attr", toName: "text", perRegion: true });
  const onlyPer = node("Choices", { name: "p", toName: "text", perRegion: true, whenLabelValue: "PER" });
  assert.equal(isVisible(attr, { store }), false);
  store.select(other);
  assert.equal(isVisible(attr, { store }), false);
  store.select(id);
  assert.equal(isVisible(attr, { store }), true);
  assert.equal(isVisible(onlyPer, { store }), true);
  store.setRegionLabels(id, "ner", "labels", ["LOC"]);
  assert.equal(isVisible(onlyPer, { store }), false);
});

test("required: names the control; hidden controls do not count; perRegion needs every region", () => {
  const { store, id } = ner();
  const tree = node("View", {}, [
    node("Choices", { name: "sentiment", toName: "text", required: true }),
    node("View", { visibleWhen: "choice-selected", whenTagName: "sentiment", whenChoiceValue: "Negative" }, [node("TextArea", { name: "why", toName: "text", required: true, requiredMessage: "Say why it is negative." })]),
    node("Choices", { name: "attr", toName: "text", perRegion: true, required: true }),
  ]);
  assert.deepEqual(missingRequired(tree, store).map((m) => [m.control, m.message, m.regionId]), [
    ["sentiment", "“sentiment” (Choices) is required.", undefined],
    ["attr", "“attr” is required for every region — a region has none.", id],
  ]);
  store.setClassification(/** @type {any} */ (tree.children[0]), "choices", { choices: ["Negative"] });
  store.setClassification(/** @type {any} */ (tree.children[2]), "choices", { choices: ["yes"] }, id);
  assert.deepEqual(missingRequired(tree, store).map((m) => m.message), ["Say why it is negative."]);
});

test("a required Labels control needs at least one region", () => {
  const store = createStore();
  const tree = node("View", {}, [node("Labels", { name: "ner", toName: "text", required: true })]);
  assert.equal(missingRequired(tree, store).length, 1);
  store.createRegion({ from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 1, labels: ["A"] } });
  assert.equal(missingRequired(tree, store).length, 0);
});
