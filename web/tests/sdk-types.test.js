// @ts-check
/**
 * web/static/sdk.d.ts (the declarations third-party widgets type-check against, written out by
 * `labelloom sdk-types`) stays in step with the JavaScript:
 * - at run time (node --test): it declares exactly the values @labelloom/sdk exports;
 * - at type-check time (tsc -p web): the runtime module fits the declared module, and every
 *   declared contract type and the runtime's own (labeling/types.js) are assignable both ways.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as sdk from "../static/sdk.js";
// The implementation: tsc resolves "../static/sdk.js" to the .d.ts beside it, so the type check
// below reads the module sdk.js re-exports.
import * as implementation from "../static/labeling/sdk.js";

/** @typedef {typeof import("../static/sdk.d.ts")} Declared */
/** @type {Declared} */
const runtimeFitsDeclarations = implementation;

/** Declared values (functions, constants, classes) of the .d.ts. */
function declaredValues() {
  const text = readFileSync(new URL("../static/sdk.d.ts", import.meta.url), "utf8");
  return [...text.matchAll(/^export (?:declare )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]);
}

test("sdk.d.ts declares every value @labelloom/sdk exports, and nothing else", () => {
  assert.ok(runtimeFitsDeclarations);
  assert.deepEqual([...new Set(declaredValues())].sort(), Object.keys(sdk).sort());
  assert.deepEqual(Object.keys(implementation).sort(), Object.keys(sdk).sort());
});

/* Contract types, both ways (never called: tsc checks the assignments). */
/**
 * @param {import("../static/sdk.d.ts").TagNode} a1 @param {import("../static/labeling/types.js").TagNode} b1
 * @param {import("../static/sdk.d.ts").ResultItem} a2 @param {import("../static/labeling/types.js").ResultItem} b2
 * @param {import("../static/sdk.d.ts").Region} a3 @param {import("../static/labeling/types.js").Region} b3
 * @param {import("../static/sdk.d.ts").Armed} a4 @param {import("../static/labeling/types.js").Armed} b4
 * @param {import("../static/sdk.d.ts").StoreChange} a5 @param {import("../static/labeling/types.js").StoreChange} b5
 * @param {import("../static/sdk.d.ts").AnnotationStore} a6 @param {import("../static/labeling/types.js").AnnotationStore} b6
 * @param {import("../static/sdk.d.ts").RegionSpec} a7 @param {import("../static/labeling/types.js").RegionSpec} b7
 * @param {import("../static/sdk.d.ts").HotkeyOptions} a8 @param {import("../static/labeling/types.js").HotkeyOptions} b8
 * @param {import("../static/sdk.d.ts").WidgetContext} a9 @param {import("../static/labeling/types.js").WidgetContext} b9
 * @param {import("../static/sdk.d.ts").LabelingSettings} a10 @param {import("../static/labeling/types.js").LabelingSettings} b10
 * @param {import("../static/sdk.d.ts").WidgetRender} a11 @param {import("../static/labeling/types.js").WidgetRender} b11
 */
export function sameContractTypes(a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, a7, b7, a8, b8, a9, b9, a10, b10, a11, b11) {
  a1 = b1; b1 = a1; a2 = b2; b2 = a2; a3 = b3; b3 = a3; a4 = b4; b4 = a4; a5 = b5; b5 = a5; a6 = b6; b6 = a6;
  a7 = b7; b7 = a7; a8 = b8; b8 = a8; a9 = b9; b9 = a9; a10 = b10; b10 = a10; a11 = b11; b11 = a11;
  return [a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, a7, b7, a8, b8, a9, b9, a10, b10, a11, b11];
}
