// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { toolsFor, toolForArmed, creationTarget } from "../widgets/tools.js";

/** @param {string} tag @param {string} name */
const node = (tag, name) => /** @type {any} */ ({ tag, kind: "control", line: 1, attrs: { name, toName: "img" }, children: [] });

test("tools follow the controls of the image", () => {
  assert.deepEqual(toolsFor([node("RectangleLabels", "box"), node("BrushLabels", "mask"), node("Choices", "c")]),
    ["select", "pan", "rect", "brush", "eraser"]);
});

test("a new region belongs to the armed labelled tool, or to the plain tool plus Labels", () => {
  const controls = [node("RectangleLabels", "box"), node("Polygon", "poly"), node("Labels", "lab")];
  const armedBox = { from_name: "box", type: "rectanglelabels", labels: ["Car"] };
  assert.deepEqual(creationTarget("rect", armedBox, controls), { from_name: "box", type: "rectanglelabels", labels: ["Car"], extra: null });
  assert.equal(toolForArmed(armedBox, controls), "rect");
  assert.match(/** @type {any} */ (creationTarget("rect", null, controls)).error, /Pick a label/);
  const armedLab = { from_name: "lab", type: "labels", labels: ["X"] };
  assert.deepEqual(creationTarget("polygon", armedLab, controls), { from_name: "poly", type: "polygon", labels: null, extra: armedLab });
  assert.deepEqual(creationTarget("polygon", null, controls), { from_name: "poly", type: "polygon", labels: null, extra: null });
  assert.match(/** @type {any} */ (creationTarget("ellipse", null, controls)).error, /no control/);
});
