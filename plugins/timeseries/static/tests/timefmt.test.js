import { test } from "node:test";
import assert from "node:assert/strict";
import { numberFormatter, timeFormatter, timeParser } from "../lib/timefmt.js";

test("formats round-trip (UTC)", () => {
  for (const [format, text] of [
    ["%Y-%m-%d %H:%M:%S", "2024-01-01 00:00:42"],
    ["%Y-%m-%dT%H:%M:%S.%L", "2023-07-09T13:05:59.250"],
    ["%d/%m/%y %I:%M %p", "05/11/99 03:04 PM"],
    ["%b %d, %Y", "Mar 02, 2021"],
    ["%Y%m%d", "20200229"],
    ["%s", "1700000000"],
    ["%H:%M:%S.%f", "01:02:03.123456"],
  ]) {
    const ms = timeParser(format)(text);
    assert.ok(Number.isFinite(ms), `${format} parses ${text}`);
    assert.equal(timeFormatter(format)(ms), text, format);
  }
  assert.equal(timeParser("%Y-%m-%d %H:%M:%S")("2024-01-01 00:00:10"), Date.UTC(2024, 0, 1, 0, 0, 10));
  assert.equal(timeParser("%Y-%m-%dT%H:%M:%S%Z")("2024-01-01T02:00:00+02:00"), Date.UTC(2024, 0, 1, 0, 0, 0));
  assert.equal(timeParser("%Q")("1700000000123"), 1700000000123);
});

test("text that does not match the whole format is NaN", () => {
  const p = timeParser("%Y-%m-%d");
  for (const text of ["2024-13-01", "2024/01/01", "2024-01-01 extra", "", "abcd-01-01"]) assert.ok(Number.isNaN(p(text)), text);
});

test("d3-format subset for channel displayFormat", () => {
  assert.equal(numberFormatter(",.1f")(12345.678), "12,345.7");
  assert.equal(numberFormatter(".2f")(-1.005), "−1.00");
  assert.equal(numberFormatter("d")(3.7), "4");
  assert.equal(numberFormatter(".0%")(0.256), "26%");
  assert.equal(numberFormatter(".3s")(1234567), "1.23M");
  assert.equal(numberFormatter(".2e")(1234), "1.23e+3");
  assert.equal(numberFormatter("")(0.1 + 0.2), "0.3");
  assert.equal(numberFormatter(undefined)(5), "5");
});
