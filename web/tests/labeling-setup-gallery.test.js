// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { templateKind } from "../static/app/labeling-setup/template-kind.js";
import { fitsData, orderedGroups, searchTemplates } from "../static/app/labeling-setup/gallery-model.js";
import { TAGS } from "./tag-catalogue.js";

test("thumbnails follow the data, the regions, the side controls and the label colours", () => {
  const boxes = templateKind(`<View><Image name="i" value="$i"/><RectangleLabels name="l" toName="i">
    <Label value="Car" background="#FF8A00"/><Label value="Person"/></RectangleLabels>
    <Choices name="c" toName="i"><Choice value="Day"/></Choices></View>`, TAGS);
  assert.equal(boxes.data, "image");
  assert.equal(boxes.region, "rect");
  assert.deepEqual(boxes.side, ["choices"]);
  assert.deepEqual(boxes.labels, ["Car", "Person", "Day"]);
  assert.equal(boxes.colors[0], "#FF8A00");
  assert.notEqual(boxes.colors[1], "#FF8A00");

  const ner = templateKind(`<View><Labels name="l" toName="t"><Label value="PER"/></Labels><Text name="t" value="$t"/></View>`, TAGS);
  assert.deepEqual([ner.data, ner.region], ["text", "span"]);

  const video = templateKind(`<View><Video name="v" value="$v"/><Labels name="l" toName="v"><Label value="A"/></Labels><VideoRectangle name="r" toName="v"/></View>`, TAGS);
  assert.deepEqual([video.data, video.region], ["video", "track"]);

  const pages = templateKind(`<View><Image name="a" value="$a"/><Image name="b" value="$b"/><TextArea name="x" toName="a"/><Rating name="r" toName="a"/></View>`, TAGS);
  assert.equal(pages.count, 2);
  assert.deepEqual(pages.side, ["textarea", "rating"]);
  assert.equal(pages.colors.length, 3); // palette fallback when there are no labels

  assert.equal(templateKind(`<View/>`, TAGS).data, "none");
  assert.equal(templateKind(`not xml`, TAGS).data, "none");
});

test("thumbnails follow the catalogue, so a tag a plugin registers needs no change here", () => {
  /** @type {import("../static/app/catalogue.js").TagCatalogue} */
  const tags = {
    Scan: { kind: "object", traits: ["object", "visual"], preview: "image" },
    Outline: { kind: "control", traits: ["labels"], items: ["Tag"], region: "polygon" },
    Tag: { kind: "item", traits: ["label"] },
    Verdict: { kind: "control", traits: ["classifies"], result_type: "choices", region: null },
  };
  const kind = templateKind(`<View><Scan name="s" value="$s"/><Outline name="o" toName="s"><Tag value="Crack"/></Outline>
    <Verdict name="v" toName="s"/></View>`, tags);
  assert.deepEqual([kind.data, kind.region, kind.side, kind.labels], ["image", "polygon", ["choices"], ["Crack"]]);
  assert.equal(templateKind(`<View><Scan name="s" value="$s"/></View>`, {}).data, "none");
});

/** @param {string} name @param {string} group @param {string} config @returns {import("../static/app/labeling-setup/gallery-model.js").Template} */
const tpl = (name, group, config, description = "") => ({ name, title: name, group, description, config, sample_task: {}, plugin: null });

test("groups follow Label Studio's order, unknown ones last alphabetically", () => {
  assert.deepEqual(orderedGroups(["Zeta", "Videos", "Computer Vision", "Alpha", "Natural Language Processing"]),
    ["Computer Vision", "Natural Language Processing", "Videos", "Alpha", "Zeta"]);
});

test("search matches every word in title, description, group or tag names", () => {
  const all = [
    tpl("Object Detection", "Computer Vision", `<View><Image name="i" value="$image"/><RectangleLabels name="l" toName="i"/></View>`, "Draw boxes"),
    tpl("Text Classification", "Natural Language Processing", `<View><Text name="t" value="$text"/><Choices name="c" toName="t"/></View>`),
  ];
  assert.deepEqual(searchTemplates(all, "").map((t) => t.title), ["Object Detection", "Text Classification"]);
  assert.deepEqual(searchTemplates(all, "boxes vision").map((t) => t.title), ["Object Detection"]);
  assert.deepEqual(searchTemplates(all, "choices").map((t) => t.title), ["Text Classification"]);
  assert.deepEqual(searchTemplates(all, "CLASSIF  text").map((t) => t.title), ["Text Classification"]);
  assert.deepEqual(searchTemplates(all, "audio"), []);
});

test("a template fits the data when every field it reads was imported", () => {
  const two = tpl("Pair", "X", `<View><Image name="i" value="$image"/><Text name="t" value="$caption"/></View>`);
  assert.equal(fitsData(two, ["image", "caption", "id"]), true);
  assert.equal(fitsData(two, ["image"]), false);
  assert.equal(fitsData(two, []), false);
  assert.equal(fitsData(tpl("None", "X", `<View><Header value="Hi"/></View>`), ["text"]), false);
  assert.equal(fitsData(tpl("Pages", "X", `<View><Image name="i" valueList="$pages"/></View>`), ["pages"]), true);
});

test("uploaded media fit templates showing one field with an object of their data type", () => {
  const t = (/** @type {string} */ config) => ({ name: "t", title: "t", group: "g", description: "", config, sample_task: {}, plugin: null });
  const image = t('<View><Image name="img" value="$image"/><Choices name="c" toName="img"><Choice value="A"/></Choices></View>');
  const pair = t('<View><Image name="img" value="$image"/><Text name="t" value="$caption"/></View>');
  const text = t('<View><Text name="t" value="$text"/></View>');
  assert.equal(fitsData(image, [], ["Image"]), true);
  assert.equal(fitsData(image, [], ["Audio"]), false);
  assert.equal(fitsData(pair, [], ["Image"]), false); // two fields: one uploaded file cannot fill both
  assert.equal(fitsData(text, [], ["Image"]), false);
  assert.equal(fitsData(text, ["text"], []), true);
  assert.equal(fitsData(image, [], []), false);
});
