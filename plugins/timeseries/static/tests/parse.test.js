import { test } from "node:test";
import assert from "node:assert/strict";
import { fromJson, parseDelimited, readNumber, separator, SeriesError } from "../lib/parse.js";

const bytes = (text) => new TextEncoder().encode(text);

test("readNumber reads plain, signed, fractional and exponent numbers; anything else is NaN", () => {
  for (const [text, value] of /** @type {[string, number][]} */ ([["12", 12], ["-3.25", -3.25], ["+0.5", 0.5], [" 7 ", 7], ["1e3", 1000], ["2.5E-2", 0.025], [".5", 0.5]])) {
    const b = bytes(text);
    assert.equal(readNumber(b, 0, b.length), value, text);
  }
  for (const text of ["", "abc", "1.2.3", "1e", "--1", "12a"]) {
    const b = bytes(text);
    assert.ok(Number.isNaN(readNumber(b, 0, b.length)), text);
  }
});

test("a CSV with a header: columns by name, time column, CRLF and quotes", () => {
  const s = parseDelimited(bytes('time,a,"b"\r\n0,1.5,2\r\n1,"2.5",3\r\n2,,4\r\n'), { timeColumn: "time", columns: ["a", "b"] });
  assert.deepEqual([...s.time], [0, 1, 2]);
  assert.deepEqual([...s.columns.a].map((v) => (Number.isNaN(v) ? null : v)), [1.5, 2.5, null]);
  assert.deepEqual([...s.columns.b], [2, 3, 4]);
  assert.equal(s.timeKind, "number");
  assert.deepEqual(s.header, ["time", "a", "b"]);
});

test("a headless TSV: columns by index, the row index as time when timeColumn is absent", () => {
  const s = parseDelimited(bytes("10\t1\n20\t2\n30\t3"), { sep: "\\t", columns: ["1"] });
  assert.equal(separator("\\t"), "\t");
  assert.deepEqual([...s.time], [0, 1, 2]);
  assert.deepEqual([...s.columns["1"]], [1, 2, 3]);
  assert.equal(s.timeKind, "index");
  assert.equal(s.header, null);
});

test("dates are read with timeFormat into milliseconds (UTC)", () => {
  const s = parseDelimited(bytes("ts;v\n2024-01-01 00:00:10;1\n2024-01-01 00:00:11;2\n"), { sep: ";", timeColumn: "ts", timeFormat: "%Y-%m-%d %H:%M:%S", columns: ["v"] });
  assert.equal(s.timeKind, "date");
  assert.deepEqual([...s.time], [Date.UTC(2024, 0, 1, 0, 0, 10), Date.UTC(2024, 0, 1, 0, 0, 11)]);
});

test("errors name the row and the column", () => {
  /** @type {[string, any, RegExp][]} */
  const cases = [
    ["time,a\n0,1\n1,abc\n", { timeColumn: "time", columns: ["a"] }, /Row 3, column "a": "abc" is not a number/],
    ["time,a\n0,1\n", { timeColumn: "time", columns: ["nope"] }, /Column "nope" is not in the file; its columns are "time", "a"/],
    ["t,a\n2024-01-01,1\n2024-13-45,2\n", { timeColumn: "t", timeFormat: "%Y-%m-%d", columns: ["a"] }, /Row 3, column "t": "2024-13-45" does not match timeFormat "%Y-%m-%d"/],
    ["t,a\n0,1\n5,1\n3,1\n", { timeColumn: "t", columns: ["a"] }, /Row 4, column "t": times must not go backwards/],
    ["t,a\n0,1\nnoon,1\n", { timeColumn: "t", columns: ["a"] }, /Row 3, column "t": "noon" is not a time/],
  ];
  for (const [text, options, message] of cases) {
    assert.throws(() => parseDelimited(bytes(text), options), (e) => e instanceof SeriesError && message.test(e.message), String(message));
  }
});

test("inline JSON columns, with and without a time column", () => {
  const s = fromJson({ time: [0, 0.5, 1], v: [3, null, "4"] }, { timeColumn: "time", columns: ["v"] });
  assert.deepEqual([...s.time], [0, 0.5, 1]);
  assert.deepEqual([...s.columns.v].map((v) => (Number.isNaN(v) ? null : v)), [3, null, 4]);
  const idx = fromJson({ v: [1, 2] }, { columns: ["v"] });
  assert.deepEqual([...idx.time], [0, 1]);
  assert.throws(() => fromJson({ time: [0], v: ["x"] }, { timeColumn: "time", columns: ["v"] }), /Row 1, column "v": "x" is not a number/);
  assert.throws(() => fromJson({ v: [1] }, { columns: ["w"] }), /Column "w" is not in the data/);
});

test("a large file parses quickly", () => {
  const rows = ["time,a,b"];
  for (let i = 0; i < 200000; i++) rows.push(`${i},${Math.sin(i / 100).toFixed(5)},${i % 7}`);
  const b = bytes(rows.join("\n"));
  const t0 = performance.now();
  const s = parseDelimited(b, { timeColumn: "time", columns: ["a", "b"] });
  const ms = performance.now() - t0;
  assert.equal(s.time.length, 200000);
  assert.equal(s.columns.b[13], 6);
  assert.ok(ms < 2000, `${ms} ms`);
});

test("the incremental reader gives the same series whatever the chunk cuts", async () => {
  const { createDelimitedParser } = await import("../lib/parse.js");
  const text = 'time,a,b\r\n0,1.5,2\r\n1,"2.5",3\r\n2,,4\r\n3,-1e2,5';
  const whole = parseDelimited(bytes(text), { timeColumn: "time", columns: ["a", "b"] });
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const parser = createDelimitedParser({ timeColumn: "time", columns: ["a", "b"] }, text.length);
    const b = bytes(text);
    for (let i = 0; i < b.length; i += size) parser.push(b.slice(i, i + size));
    const s = parser.finish();
    assert.deepEqual([...s.time], [...whole.time], String(size));
    assert.deepEqual([...s.columns.a].map(String), [...whole.columns.a].map(String), String(size));
    assert.deepEqual([...s.columns.b], [...whole.columns.b], String(size));
  }
  assert.deepEqual([...whole.columns.a].map(String), ["1.5", "2.5", "NaN", "-100"]);
});
