// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  allDecided, countsText, inUse, itemLabels, itemWhere, kindOf, labelsByControl, needsMigration, toChanges, usageByLabel,
  vanishedLabels,
} from "../static/app/labeling-setup/label-changes-model.js";
import { TAGS } from "./tag-catalogue.js";

/** @param {string} labels @param {string} [choices] */
const config = (labels, choices = '<Choice value="Yes"/><Choice value="No"/>') => `<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text">${labels}</Labels>
  <Choices name="ok" toName="text">${choices}</Choices>
  <Choices name="dyn" toName="text" value="$options"/>
</View>`;
const OLD = config('<Label value="PER"/><Label value="LOC"/><Label value="ORG"/>');

test("labels per control, aliases first, task-fed controls left out", () => {
  const labels = labelsByControl(config('<Label value="Person" alias="PER"/><Label value="LOC"/>'), TAGS);
  assert.deepEqual(labels && [...labels], [["ner", ["PER", "LOC"]], ["ok", ["Yes", "No"]]]);
  assert.equal(labelsByControl("<View><Labels", TAGS), null);
});

test("a vanished label needs a decision; one out and one in suggests a rename", () => {
  const before = /** @type {Map<string, string[]>} */ (labelsByControl(OLD, TAGS));
  const renamed = /** @type {Map<string, string[]>} */ (labelsByControl(config('<Label value="Person"/><Label value="LOC"/><Label value="ORG"/>'), TAGS));
  const [only] = vanishedLabels(before, renamed);
  assert.deepEqual(only, { from_name: "ner", from: "PER", decision: "Person", renames: ["Person"], merges: ["LOC", "ORG"] });
  assert.equal(kindOf(only), "rename");

  // two gone, one new: nothing is guessed
  const fewer = /** @type {Map<string, string[]>} */ (labelsByControl(config('<Label value="Person"/><Label value="ORG"/>'), TAGS));
  const both = vanishedLabels(before, fewer);
  assert.deepEqual(both.map((c) => [c.from, c.decision]), [["PER", ""], ["LOC", ""]]);
  // the visual editor's renames decide
  const told = vanishedLabels(before, fewer, [{ from_name: "ner", from: "PER", to: "Person" }]);
  assert.deepEqual(told.map((c) => [c.from, c.decision]), [["PER", "Person"], ["LOC", ""]]);
  // a rename recorded to a label the new config does not have is ignored
  assert.deepEqual(vanishedLabels(before, fewer, [{ from_name: "ner", from: "PER", to: "Gone" }]).map((c) => c.decision), ["", ""]);
});

test("a removed control's labels can only be removed", () => {
  const before = /** @type {Map<string, string[]>} */ (labelsByControl(OLD, TAGS));
  const after = new Map(before);
  after.delete("ok");
  const gone = vanishedLabels(before, after);
  assert.deepEqual(gone.map((c) => [c.from_name, c.from, c.renames.length + c.merges.length]), [["ok", "Yes", 0], ["ok", "No", 0]]);
});

test("changes for the API: renames, merges, removals; undecided ones counted as removals on request", () => {
  const candidates = [
    { from_name: "ner", from: "PER", decision: "Person", renames: ["Person"], merges: ["ORG"] },
    { from_name: "ner", from: "LOC", decision: "ORG", renames: ["Person"], merges: ["ORG"] },
    { from_name: "ner", from: "MISC", decision: "remove", renames: ["Person"], merges: ["ORG"] },
    { from_name: "ner", from: "X", decision: "", renames: ["Person"], merges: ["ORG"] },
  ];
  assert.equal(kindOf(candidates[1]), "merge");
  assert.equal(kindOf(candidates[2]), "remove");
  assert.deepEqual(toChanges(candidates), [
    { from_name: "ner", from: "PER", to: "Person" },
    { from_name: "ner", from: "LOC", to: "ORG" },
    { from_name: "ner", remove: "MISC" },
  ]);
  assert.deepEqual(toChanges(candidates, { countUndecided: true }).at(-1), { from_name: "ner", remove: "X" });

  const usage = usageByLabel([
    { from_name: "ner", from: "PER", annotations: 12, predictions: 1, drafts: 0, examples: [] },
    { from_name: "ner", from: "LOC", annotations: 0, predictions: 0, drafts: 0, examples: [] },
    { from_name: "ner", remove: "MISC", annotations: 0, predictions: 0, drafts: 2, examples: [] },
    { from_name: "ner", remove: "X", annotations: 1, predictions: 0, drafts: 0, examples: [] },
  ]);
  assert.deepEqual(inUse(candidates, usage).map((c) => c.from), ["PER", "MISC", "X"]);
  assert.equal(needsMigration(candidates, usage), true);
  assert.equal(allDecided(candidates, usage), false);
  assert.equal(allDecided(candidates.slice(0, 3), usage), true);
  assert.equal(needsMigration(candidates.slice(1, 2), usage), false);
  assert.equal(countsText(usage.get("ner\u0000PER")), "12 annotations · 1 prediction");
  assert.equal(countsText(usage.get("ner\u0000LOC")), "not used");
  assert.equal(countsText(usage.get("ner\u0000MISC")), "2 drafts");
});

test("result items in words", () => {
  const item = { type: "labels", value: { start: 0, end: 4, text: "Anna", labels: ["PER", "ORG"] } };
  assert.equal(itemLabels(item), "PER, ORG");
  assert.equal(itemWhere(item), "0–4 “Anna”");
  assert.equal(itemLabels({ type: "rectanglelabels", value: { x: 10.4, y: 20, rectanglelabels: ["Car"] } }), "Car");
  assert.equal(itemWhere({ value: { x: 10.4, y: 20 } }), "x 10 y 20");
  assert.equal(itemLabels(null), "");
});
