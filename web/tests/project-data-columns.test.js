// Column names found in data queued for import (create wizard → labeling setup).
import { test } from "node:test";
import assert from "node:assert/strict";
import { columnsOf, columnsOfAll } from "../static/app/projects/data-columns.js";

test("CSV and TSV headers", () => {
  assert.deepEqual(columnsOf("tasks.csv", 'text,"label"\nhello,x\n'), ["text", "label"]);
  assert.deepEqual(columnsOf("pasted.tsv", "image\tcaption\r\na.png\tA"), ["image", "caption"]);
});

test("JSON tasks with or without a data wrapper", () => {
  assert.deepEqual(columnsOf("pasted.json", '[{"data": {"text": "a", "meta_info": 1}, "annotations": []}]'), ["text", "meta_info"]);
  assert.deepEqual(columnsOf("one.json", '{"image": "x.png"}'), ["image"]);
  assert.deepEqual(columnsOf("pasted.jsonl", '\n{"audio": "a.wav"}\n{"audio": "b.wav"}'), ["audio"]);
});

test("media, URL lists and malformed content add no columns", () => {
  assert.deepEqual(columnsOf("cat.jpg", "\u0000\u0001"), []);
  assert.deepEqual(columnsOf("urls.txt", "https://x/1.png"), []);
  assert.deepEqual(columnsOf("broken.json", "[{"), []);
  assert.deepEqual(columnsOf("empty.json", "[]"), []);
});

test("union keeps the first-seen order", () => {
  assert.deepEqual(columnsOfAll([{ name: "a.csv", text: "text,id" }, { name: "b.json", text: '[{"id": 1, "image": "x"}]' }]), ["text", "id", "image"]);
});

test("the first queued task's data, for the wizard's preview", async () => {
  const { firstTaskOf } = await import("../static/app/projects/data-columns.js");
  assert.deepEqual(firstTaskOf("a.csv", "text,lang\nhello,en\nbye,de\n"), { text: "hello", lang: "en" });
  assert.deepEqual(firstTaskOf("a.tsv", "text\tlang\nhello\ten\n"), { text: "hello", lang: "en" });
  assert.deepEqual(firstTaskOf("a.json", '[{"data": {"text": "x"}}, {"data": {"text": "y"}}]'), { text: "x" });
  assert.deepEqual(firstTaskOf("a.json", '{"text": "only"}'), { text: "only" });
  assert.deepEqual(firstTaskOf("a.jsonl", '\n{"text": "l1"}\n{"text": "l2"}'), { text: "l1" });
  assert.equal(firstTaskOf("a.json", "[oops"), null);
  assert.equal(firstTaskOf("a.csv", "header-only\n"), null);
  assert.equal(firstTaskOf("cat.png", ""), null);
});

test("uploaded media files map to the catalogue's data types accepting their extension", async () => {
  const { mediaTypesOf } = await import("../static/app/projects/data-columns.js");
  /** @type {import("../static/app/catalogue.js").TagCatalogue} */
  const tags = {
    Pic: { kind: "object", traits: ["object"], extensions: [".png", ".JPG"] },
    Table: { kind: "object", traits: ["object"], extensions: [".csv"] },
    Label: { kind: "item", traits: ["label"], extensions: [".png"] },
  };
  assert.deepEqual(mediaTypesOf(["a.PNG", "b.jpg", "c.csv", "d"], tags, [".csv", ".json"]), ["Pic"]);
  assert.deepEqual(mediaTypesOf(["c.csv"], tags, [".csv"]), []);
});
