// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import * as m from "../../static/app/datamanager/model.js";

const text = { id: "text", title: "text", type: "Text", parent: "data" };
const count = { id: "total_annotations", title: "Annotations", type: "Number" };
const done = { id: "completed_at", title: "Completed", type: "Datetime" };
const who = { id: "annotators", title: "Annotated by", type: "List" };
const inner = { id: "inner_id", title: "Inner ID", type: "Number", visibility_defaults: { explore: false } };
const root = { id: "data", title: "data", type: "List", children: ["text"] };

test("operators and inputs follow the column type", () => {
  assert.deepEqual(m.operatorsFor(count).slice(0, 2), ["equal", "not_equal"]);
  assert.ok(m.operatorsFor(count).includes("in") && m.operatorsFor(count).includes("empty"));
  assert.ok(m.operatorsFor(text).includes("regex") && m.operatorsFor(text).includes("exists"));
  assert.ok(!m.operatorsFor({ ...text, parent: undefined, type: "String" }).includes("exists"));
  assert.equal(m.valueInput(done, "in"), "range-date");
  assert.equal(m.valueInput(done, "less"), "date");
  assert.equal(m.valueInput(count, "in"), "range-number");
  assert.equal(m.valueInput(who, "contains"), "user");
  assert.equal(m.valueInput(text, "empty"), "boolean");
  assert.equal(m.valueInput(text, "exists"), "none");
  assert.deepEqual(m.newFilter(text), { filter: "filter:tasks:data.text", operator: "contains", type: "Text", value: "" });
});

test("incomplete filters are not sent, open range ends are dropped", () => {
  const filters = {
    conjunction: /** @type {const} */ ("or"),
    items: [
      { filter: "filter:tasks:data.text", operator: "contains", type: "Text", value: "" },
      { filter: "filter:tasks:total_annotations", operator: "greater", type: "Number", value: "x" },
      { filter: "filter:tasks:total_annotations", operator: "in", type: "Number", value: { min: 1, max: "" } },
      { filter: "filter:tasks:data.text", operator: "empty", type: "Text", value: false },
    ],
  };
  const active = m.activeFilters(filters);
  assert.equal(active.conjunction, "or");
  assert.deepEqual(active.items.map((i) => i.value), [{ min: 1 }, false]);
});

test("selection follows the server's selectedItems model", () => {
  let sel = m.noSelection();
  sel = m.toggle(sel, 5);
  assert.deepEqual(sel, { all: false, included: [5] });
  assert.equal(m.selectionState(sel, 10), "some");
  sel = { all: true, excluded: [] };
  sel = m.toggle(sel, 3);
  assert.deepEqual(sel, { all: true, excluded: [3] });
  assert.equal(m.selectedCount(sel, 10), 9);
  assert.equal(m.isSelected(sel, 3), false);
  assert.equal(m.isSelected(sel, 4), true);
  assert.deepEqual(m.selectIds(sel, [3, 4]), { all: true, excluded: [] });
  assert.equal(m.selectionState({ all: true, excluded: [] }, 10), "all");
  assert.deepEqual(m.selectIds(m.noSelection(), [1, 2]), { all: false, included: [1, 2] });
});

test("visible columns honour defaults, hidden list and order", () => {
  const cols = [text, root, count, inner];
  assert.deepEqual(m.visibleColumns(cols, {}).map((c) => c.id), ["text", "total_annotations"]);
  const hidden = m.setHidden(cols, {}, inner, true);
  assert.deepEqual(hidden.explore, []);
  const data = { hiddenColumns: m.setHidden(cols, {}, text, false), columnOrder: ["tasks:total_annotations"] };
  assert.deepEqual(m.visibleColumns(cols, data).map((c) => c.id), ["total_annotations"]);
  assert.deepEqual(m.moveBefore(["a", "b", "c"], "c", "a"), ["c", "a", "b"]);
  assert.deepEqual(m.cycleOrdering([], "id"), ["tasks:id"]);
  assert.deepEqual(m.cycleOrdering(["tasks:id"], "id"), ["-tasks:id"]);
  assert.deepEqual(m.cycleOrdering(["-tasks:id"], "id"), []);
});

test("the window covers the viewport and its pages", () => {
  const w = m.windowOf({ scrollTop: 3200, viewport: 640, rowHeight: 32, total: 1000, pageSize: 100, overscan: 5 });
  assert.equal(w.first, 100);
  assert.equal(w.start, 95);
  assert.equal(w.end, 126);
  assert.deepEqual(w.pages, [1, 2]);
  const empty = m.windowOf({ scrollTop: 0, viewport: 640, rowHeight: 32, total: 0, pageSize: 100 });
  assert.equal(empty.end, 0);
});

test("a million rows fit under the browser's height cap and the last row is reachable", () => {
  const { height, scale } = m.spacerOf(1_000_000, 36, 800);
  assert.equal(height, m.MAX_SPACER);
  const w = m.windowOf({ scrollTop: height - 800, viewport: 800, rowHeight: 36, total: 1_000_000, pageSize: 100, scale });
  assert.ok(w.end === 1_000_000, `end ${w.end}`);
  assert.deepEqual(m.spacerOf(10, 36, 800), { height: 360, scale: 1 });
});

test("far pages are evicted first", () => {
  assert.deepEqual(m.pagesToEvict([1, 2, 3, 50, 51], [50, 51], 4), [1]);
  assert.deepEqual(m.pagesToEvict([1, 2], [2], 4), []);
});

test("the task's ID column is told apart from a data field named id", () => {
  assert.equal(m.columnTitle(/** @type {any} */ ({ id: "id", title: "ID", type: "Number" })), "Task ID");
  assert.equal(m.columnTitle(/** @type {any} */ ({ id: "id", title: "id", type: "String", parent: "data" })), "id");
  assert.equal(m.columnLabel(/** @type {any} */ ({ id: "id", title: "id", type: "String", parent: "data" })), "data id");
  assert.equal(m.columnLabel(/** @type {any} */ ({ id: "inner_id", title: "Inner ID", type: "Number" })), "Inner ID");
});
