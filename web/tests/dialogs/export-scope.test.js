import { test } from "node:test";
import assert from "node:assert/strict";
import { exportUrl, selectionSize, snapshotTaskOptions } from "../../static/app/dialogs/export-scope.js";

const query = (url) => new URL(url, "http://x").searchParams;

test("ids of an explicit selection go in the link", () => {
  const context = { viewId: 4, selection: { all: false, included: [3, 9] }, filtered: 50 };
  const params = query(exportUrl(1, "CSV", "selection", context));
  assert.deepEqual(params.getAll("ids"), ["3", "9"]);
  assert.equal(params.get("view"), null);
  assert.equal(params.get("download_all_tasks"), "true");
  assert.deepEqual(selectionSize(context), { count: 2, listed: 2 });
  assert.deepEqual(snapshotTaskOptions("selection", context), { ids: [3, 9] });
});

test("all but excluded is the tab minus the unticked tasks", () => {
  const context = { viewId: 4, selection: { all: true, excluded: [7] }, filtered: 50 };
  const params = query(exportUrl(1, "JSON", "selection", context));
  assert.equal(params.get("view"), "4");
  assert.deepEqual(params.getAll("exclude_ids"), ["7"]);
  assert.deepEqual(params.getAll("ids"), []);
  assert.deepEqual(selectionSize(context), { count: 49, listed: 1 });
  assert.deepEqual(snapshotTaskOptions("selection", context), { view: 4, exclude_ids: [7] });
});

test("other scopes", () => {
  const context = { viewId: 4, filtered: 50 };
  assert.equal(query(exportUrl(1, "JSON", "annotated", context)).get("download_all_tasks"), null);
  assert.equal(query(exportUrl(1, "JSON", "view", context)).get("view"), "4");
  assert.deepEqual(snapshotTaskOptions("annotated", context), { only_with_annotations: true });
  assert.deepEqual(snapshotTaskOptions("all", context), {});
  assert.deepEqual(selectionSize({}), { count: 0, listed: 0 });
});
