// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { detectPasted, errorLines, acceptList, distinctDataTypes, fallbackFormats, formatBytes } from "../../static/app/dialogs/import-model.js";
import { TAGS } from "../tag-catalogue.js";

test("pasted text is recognised by its shape", () => {
  assert.equal(detectPasted('[{"text": "a"}, {"text": "b"}]')?.label, "JSON · 2 tasks");
  assert.equal(detectPasted('{"a": 1}\n{"a": 2}')?.name, "pasted.jsonl");
  assert.equal(detectPasted("text,label\nhello,pos\nbye,neg")?.name, "pasted.csv");
  assert.equal(detectPasted("text\tlabel\nhello\tpos")?.name, "pasted.tsv");
  assert.deepEqual(detectPasted("https://x.org/1.jpg\nhttps://x.org/2.jpg"), { name: "urls.txt", label: "2 URLs" });
  assert.equal(detectPasted("just words"), null);
  assert.equal(detectPasted("[{broken"), null);
  assert.equal(detectPasted("  "), null);
});

test("server errors become lines with their location", () => {
  const error = { body: { detail: "x", validation_errors: { tasks: ["data.csv row 3: data.text is required"], file: ["bad.exe: has an unsupported extension"] } } };
  assert.deepEqual(errorLines(error), [
    { where: "data.csv row 3", message: "data.text is required" },
    { where: "bad.exe", message: "has an unsupported extension" },
  ]);
  assert.deepEqual(errorLines({ body: { detail: "Server error" } }), [{ where: "", message: "Server error" }]);
});

test("accepted formats and sizes", () => {
  assert.ok(acceptList(fallbackFormats({})).includes(".csv"));
  assert.equal(formatBytes(2048), "2.0 KB");
});

test("media formats come from the catalogue's data types, an alias with the same list shown once", () => {
  const formats = fallbackFormats(TAGS);
  const names = formats.data_types.map((d) => d.name);
  assert.equal(names.length, new Set(formats.data_types.map((d) => d.extensions.join())).size);
  for (const [name, tag] of Object.entries(TAGS)) {
    if (tag.kind !== "object" || !tag.extensions?.length) assert.ok(!names.includes(name), name);
  }
  assert.ok(acceptList(formats).includes(".png") && acceptList(formats).includes(".mp3"));
  /** @type {import("../../static/app/catalogue.js").TagCatalogue} */
  const tags = {
    Scan: { kind: "object", traits: ["object"], extensions: [".tif", ".dcm", ".tif"] },
    ScanPlus: { kind: "object", traits: ["object"], extensions: [".dcm", ".tif"] },
    Tag: { kind: "item", traits: ["label"] },
  };
  assert.deepEqual(fallbackFormats(tags).data_types, [{ name: "Scan", extensions: [".dcm", ".tif"] }]);
  assert.deepEqual(distinctDataTypes([{ name: "a", extensions: [".x"] }, { name: "b", extensions: [".x"] }]).map((d) => d.name), ["a"]);
});

test("columns are read from the start of queued data", async () => {
  const { columnsOf } = await import("../../static/app/dialogs/import-model.js");
  assert.deepEqual(columnsOf("a.csv", 'text,"label"\nx,y'), ["text", "label"]);
  assert.deepEqual(columnsOf("a.tsv", "image\tscore\n"), ["image", "score"]);
  assert.deepEqual(columnsOf("a.json", '[{"data": {"text": "x"}, "annotations": []}, {"text": "y", "n": 1}]'), ["text", "n"]);
  assert.deepEqual(columnsOf("a.jsonl", '{"text": "x"}\n{"url": "y"}\n{"par'), ["text", "url"]);
  assert.deepEqual(columnsOf("a.json", "[{broken"), []);
  assert.deepEqual(columnsOf("urls.txt", "https://x"), []);
});

test("each extension is listed once: task files first, a data type left with none is not shown", () => {
  /** @type {import("../../static/app/catalogue.js").TagCatalogue} */
  const tags = {
    Words: { kind: "object", traits: ["object"], extensions: [".txt"] },
    Series: { kind: "object", traits: ["object"], extensions: [".csv", ".tsv", ".parquet"] },
    Pic: { kind: "object", traits: ["object"], extensions: [".PNG", ".tif"] },
  };
  const formats = fallbackFormats(tags);
  assert.deepEqual(formats.data_types, [{ name: "Series", extensions: [".parquet"] }, { name: "Pic", extensions: [".png", ".tif"] }]);
  const all = [...formats.task_formats, ...formats.data_types.flatMap((d) => d.extensions)];
  assert.equal(all.length, new Set(all).size);
});
