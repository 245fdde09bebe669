// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "../lib/values.js";

test("textarea lines respect maxSubmissions, skipDuplicates and transcription", () => {
  assert.deepEqual(v.addLine([], "hello", {}), { lines: ["hello"] });
  assert.match(v.addLine(["a"], "b", { maxSubmissions: 1 }).error || "", /Only 1 entry/);
  assert.match(v.addLine(["Hello"], "hello", { skipDuplicates: true }).error || "", /already/);
  assert.match(v.addLine([], "   ", {}).error || "", /Type something/);
  assert.equal(v.canAddLine(["x"], { transcription: true }), false);
  assert.equal(v.canAddLine(["x"], { maxSubmissions: 2 }), true);
  assert.deepEqual(v.textValue(["a", "b"]), { text: ["a", "b"] });
  assert.deepEqual(v.textValue([]), {});
  assert.deepEqual(v.linesFromResult("one"), ["one"]);
});

test("rating clicks clear on repeat and the hotkey wraps after maxRating", () => {
  assert.equal(v.clickRating(3, 3), 0);
  assert.equal(v.clickRating(3, 4), 4);
  assert.equal(v.nextRating(0, 5), 1);
  assert.equal(v.nextRating(4, 5), 5);
  assert.equal(v.nextRating(5, 5), 0);
  assert.deepEqual(v.ratingValue(4), { rating: 4 });
  assert.deepEqual(v.ratingValue(0), {});
});

test("numbers are checked against min, max and the step grid", () => {
  assert.deepEqual(v.parseNumber("", {}), { value: null });
  assert.deepEqual(v.parseNumber("7", { min: 0, max: 10 }), { value: 7 });
  assert.match(v.parseNumber("11", { max: 10 }).error || "", /at most 10/);
  assert.match(v.parseNumber("-1", { min: 0 }).error || "", /at least 0/);
  assert.match(v.parseNumber("0.25", { step: 0.5 }).error || "", /nearest valid values are 0 and 0.5/);
  assert.equal(v.parseNumber("0.3", { step: 0.1 }).error, undefined, "binary rounding is tolerated");
  assert.match(v.parseNumber("abc", {}).error || "", /Enter a number/);
  assert.equal(v.nextNumber(null, { min: 1 }), 1);
  assert.equal(v.nextNumber(9.5, { max: 10, step: 0.5 }), 10);
  assert.equal(v.nextNumber(10, { max: 10, step: 0.5, min: 2 }), 2);
  assert.deepEqual(v.numberValue(3.5), { number: 3.5 });
  assert.deepEqual(v.numberValue(0), { number: 0 });
  assert.deepEqual(v.numberValue(null), {});
});

test("datetime values follow Label Studio's formats per `only`", () => {
  assert.equal(v.composeDateTime({ date: "2024-05-01", time: "13:45" }, {}), "2024-05-01T13:45");
  assert.equal(v.composeDateTime({ date: "2024-05-01" }, {}), "2024-05-01T00:00");
  assert.equal(v.composeDateTime({ date: "2024-05-01", time: "13:45" }, { only: "date" }), "2024-05-01");
  assert.equal(v.composeDateTime({ time: "13:45" }, { only: "time" }), "13:45");
  assert.equal(v.composeDateTime({ year: 2024, month: 5 }, { only: "month,year" }), "2024-05");
  assert.equal(v.composeDateTime({ year: 2024 }, { only: "year" }), "2024");
  assert.equal(v.composeDateTime({ month: 5 }, { only: "month,year" }), "");
  assert.equal(v.composeDateTime({ date: "2024-05-01" }, { only: "date", format: "%d.%m.%Y" }), "01.05.2024");
  assert.deepEqual(v.splitDateTime("2024-05-01T13:45", {}), { date: "2024-05-01", time: "13:45", month: "5", year: "2024" });
  assert.deepEqual(v.splitDateTime("13:45", { only: "time" }), { date: "", time: "13:45", month: "", year: "" });
  assert.deepEqual(v.splitDateTime("01.05.2024", { only: "date", format: "%d.%m.%Y" }).date, "2024-05-01");
  assert.deepEqual(v.dateParts("date,month,year"), { date: true, time: false, month: false, year: false });
  assert.match(v.checkDateRange("1999-12-31", { min: "2000-01-01" }) || "", /on or after/);
  assert.equal(v.checkDateRange("2000-01-01", { min: "2000-01-01", max: "2000-12-31" }), null);
  assert.deepEqual(v.yearRange({ min: "2020" }, 2023), [2023, 2022, 2021, 2020]);
  assert.equal(v.strftime("%B %e, %Y (%j)", "2024-02-05"), "February  5, 2024 (036)");
});
