// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addItems, addRename, describeConfig, itemTagOf, moveItem, removeItem, renameItem, setItemColor, setObjectField, splitNames,
} from "../static/app/labeling-setup/config-model.js";
import { closest, distance, matchHints, nameHints } from "../static/app/labeling-setup/suggest.js";
import { parseXml } from "../static/app/labeling-setup/xml-source.js";
import { TAGS } from "./tag-catalogue.js";

const NER = `<View>
  <!-- Entities: keep this comment -->
  <Labels name="label" toName="text">
    <Label value="PER" background="red"/>
    <Label value="ORG" background="darkorange" hotkey="o"/>
    <Label value="LOC" background='orange'/>
  </Labels>

  <Text   name="text"  value="$text"   granularity="word" />
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/>
    <Choice value="Negative"/>
  </Choices>
  <Image name="img" valueList="$pages"/>
  <Header value="$title"/>
  <TextArea name="notes" toName="text"/>
</View>`;

/** @param {string} text */
const model = (text) => {
  const m = describeConfig(text, TAGS);
  assert.ok(m.ok, m.ok ? "" : `line ${m.line}: ${m.error}`);
  return m;
};

test("finds label and choice controls, their items and the data tags", () => {
  const m = model(NER);
  assert.deepEqual(m.controls.map((c) => [c.tag, c.name, c.toName, c.itemTag]), [
    ["Labels", "label", "text", "Label"],
    ["Choices", "sentiment", "text", "Choice"],
  ]);
  assert.deepEqual(m.controls[0].items.map((i) => [i.value, i.background, i.hotkey ?? null]), [
    ["PER", "red", null], ["ORG", "darkorange", "o"], ["LOC", "orange", null],
  ]);
  assert.deepEqual(m.objects.map((o) => [o.tag, o.name, o.attribute, o.field]), [
    ["Text", "text", "value", "text"], ["Image", "img", "valueList", "pages"],
  ]);
  assert.deepEqual(m.names, ["label", "text", "sentiment", "img", "notes"]);
});

test("item tags by control", () => {
  assert.equal(itemTagOf("RectangleLabels", TAGS), "Label");
  assert.equal(itemTagOf("Taxonomy", TAGS), "Choice");
  assert.equal(itemTagOf("Relations", TAGS), "Relation");
  assert.equal(itemTagOf("TextArea", TAGS), null);
  assert.equal(itemTagOf("Label", TAGS), null); // an item, not a control
  /** @type {import("../static/app/catalogue.js").TagCatalogue} */
  const plugin = { Grade: { kind: "control", traits: ["labels"], items: ["Hint", "Mark"] }, Hint: { kind: "item", traits: [] }, Mark: { kind: "item", traits: ["label"] } };
  assert.equal(itemTagOf("Grade", plugin), "Mark");
});

test("a broken config is described as an error with its line", () => {
  const m = describeConfig(`<View>\n  <Labels name="a" toName="b">\n</View>`, TAGS);
  assert.equal(m.ok, false);
  assert.ok(!m.ok && m.line >= 2);
  assert.throws(() => addItems(`<View>\n<Labels name="a"\n</View>`, 0, ["x"], TAGS), /error on line/);
});

test("adding labels appends them, skips existing ones and leaves the rest untouched", () => {
  const { text, added, skipped } = addItems(NER, 0, ["MISC", "PER", `Q&A "x"`], TAGS);
  assert.deepEqual(added, ["MISC", `Q&A "x"`]);
  assert.deepEqual(skipped, ["PER"]);
  assert.equal(text, NER.replace(`background='orange'/>\n`, `background='orange'/>\n    <Label value="MISC"/>\n    <Label value="Q&amp;A &quot;x&quot;"/>\n`));
  assert.deepEqual(model(text).controls[0].items.map((i) => i.value), ["PER", "ORG", "LOC", "MISC", `Q&A "x"`]);
  assert.equal(addItems(NER, 0, ["PER"], TAGS).text, NER);
});

test("adding to a control without items (self-closing) opens it", () => {
  const cfg = `<View>\n  <Image name="image" value="$image"/>\n  <RectangleLabels name="box" toName="image"/>\n</View>`;
  const { text } = addItems(cfg, 0, ["Car", "Person"], TAGS);
  assert.equal(text, `<View>\n  <Image name="image" value="$image"/>\n  <RectangleLabels name="box" toName="image">\n    <Label value="Car"/>\n    <Label value="Person"/>\n  </RectangleLabels>\n</View>`);
});

test("renaming changes only the value, refuses duplicates and empty names", () => {
  const out = renameItem(NER, 0, 1, "  Organisation ", TAGS);
  assert.equal(out, NER.replace(`value="ORG"`, `value="Organisation"`));
  assert.throws(() => renameItem(NER, 0, 1, "PER", TAGS), /already has "PER"/);
  assert.throws(() => renameItem(NER, 0, 1, "  ", TAGS), /needs a name/);
  assert.equal(renameItem(NER, 0, 1, "ORG", TAGS), NER);
  const quoted = renameItem(NER, 0, 2, `it's <here>`, TAGS);
  assert.ok(quoted.includes(`<Label value="it's &lt;here&gt;" background='orange'/>`));
  assert.equal(model(quoted).controls[0].items[2].value, `it's <here>`);
});

test("recolouring sets, replaces and removes background", () => {
  const a = setItemColor(NER, 0, 2, "#112233", TAGS);
  assert.equal(a, NER.replace(`background='orange'`, `background='#112233'`));
  const b = setItemColor(NER, 1, 0, "#abcdef", TAGS);
  assert.ok(b.includes(`<Choice value="Positive" background="#abcdef"/>`));
  assert.equal(setItemColor(b, 1, 0, "", TAGS), NER);
});

test("deleting an item removes its line only", () => {
  const out = removeItem(NER, 0, 1, TAGS);
  assert.equal(out, NER.replace(`    <Label value="ORG" background="darkorange" hotkey="o"/>\n`, ""));
});

test("moving items reorders siblings and reports the new index", () => {
  const up = moveItem(NER, 0, 2, -1, TAGS);
  assert.deepEqual(model(up.text).controls[0].items.map((i) => i.value), ["PER", "LOC", "ORG"]);
  assert.equal(up.item, 1);
  const top = moveItem(NER, 0, 2, -5, TAGS);
  assert.deepEqual(model(top.text).controls[0].items.map((i) => i.value), ["LOC", "PER", "ORG"]);
  assert.equal(top.item, 0);
  const down = moveItem(NER, 0, 0, 1, TAGS);
  assert.deepEqual(model(down.text).controls[0].items.map((i) => i.value), ["ORG", "PER", "LOC"]);
  assert.equal(down.item, 1);
  // Moving back restores the exact text.
  assert.equal(moveItem(down.text, 0, 1, -1, TAGS).text, NER);
  assert.equal(moveItem(NER, 0, 0, -1, TAGS).text, NER);
});

test("nested taxonomy choices move within their own level", () => {
  const cfg = `<View><Text name="t" value="$t"/><Taxonomy name="tax" toName="t">
  <Choice value="Animal">
    <Choice value="Dog"/>
    <Choice value="Cat"/>
  </Choice>
  <Choice value="Plant"/>
</Taxonomy></View>`;
  const m = model(cfg);
  assert.deepEqual(m.controls[0].items.map((i) => [i.value, i.depth]), [["Animal", 0], ["Dog", 1], ["Cat", 1], ["Plant", 0]]);
  const moved = moveItem(cfg, 0, 2, -1, TAGS);
  assert.deepEqual(model(moved.text).controls[0].items.map((i) => i.value), ["Animal", "Cat", "Dog", "Plant"]);
  assert.equal(moved.item, 1);
  const plantUp = moveItem(cfg, 0, 3, -1, TAGS);
  assert.deepEqual(model(plantUp.text).controls[0].items.map((i) => i.value), ["Plant", "Animal", "Dog", "Cat"]);
  assert.equal(plantUp.item, 0);
  // Renaming a child to a name used on another level is fine.
  assert.ok(renameItem(cfg, 0, 1, "Plant", TAGS).includes(`<Choice value="Plant"/>\n    <Choice value="Cat"/>`));
});

test("pointing a data tag at another field", () => {
  assert.equal(setObjectField(NER, 0, "$body", TAGS), NER.replace(`value="$text"`, `value="$body"`));
  assert.equal(setObjectField(NER, 1, "scans", TAGS), NER.replace(`valueList="$pages"`, `valueList="$scans"`));
  assert.throws(() => setObjectField(NER, 0, "", TAGS), /Name the task field/);
  assert.throws(() => setObjectField(NER, 0, `a"b`, TAGS), /not a valid/);
});

test("splitting pasted names", () => {
  assert.deepEqual(splitNames("  Car \n\nPerson\r\nCar\nTraffic light\n"), ["Car", "Person", "Traffic light"]);
});

test("comments, CDATA and unrelated tags survive every edit byte for byte", () => {
  const cfg = `<View>
  <Style><![CDATA[ .x > .y { color: red } ]]></Style>
  <!-- <Label value="commented out"/> -->
  <Labels name="l" toName="t"><Label value="A"/><!-- inline --><Label value="B"/></Labels>
  <Text name="t" value="$t"/>
</View>`;
  const a = addItems(cfg, 0, ["C"], TAGS).text;
  assert.equal(a, cfg.replace(`<Label value="B"/></Labels>`, `<Label value="B"/>\n    <Label value="C"/></Labels>`));
  assert.deepEqual(parseXml(a).errors, []);
  const b = moveItem(cfg, 0, 1, -1, TAGS).text;
  assert.equal(b, cfg.replace(`<Label value="A"/><!-- inline --><Label value="B"/>`, `<Label value="B"/><!-- inline --><Label value="A"/>`));
  const c = removeItem(cfg, 0, 0, TAGS);
  assert.equal(c, cfg.replace(`<Label value="A"/>`, ""));
  assert.equal(model(cfg).controls[0].items.length, 2);
});

test("edit distance and closest name", () => {
  assert.equal(distance("text", "text"), 0);
  assert.equal(distance("Text", "text"), 0.5);
  assert.equal(distance("txet", "text"), 1);
  assert.equal(distance("nothere", "text"), 5);
  assert.equal(closest("txt", ["text", "image"]), "text");
  assert.equal(closest("imgae", ["text", "image"]), "image");
  assert.equal(closest("nothere", ["text", "image"]), null);
  assert.equal(closest("im", ["text", "image_1"]), "image_1");
  assert.equal(closest("text", ["text"]), null);
});

test("name hints find dangling references with a suggestion and the exact span", () => {
  const cfg = `<View>\n  <Text name="text" value="$text"/>\n  <Image name="image" value="$i"/>\n  <Choices name="c" toName="txt">\n    <Choice value="A"/>\n  </Choices>\n  <Labels name="l" toName="text, imgae"/>\n  <TextArea name="n" toName="nothere"/>\n</View>`;
  const hints = nameHints(cfg);
  assert.deepEqual(hints.map((h) => [h.line, h.attribute, h.wrong, h.suggestion]), [
    [4, "toName", "txt", "text"],
    [7, "toName", "imgae", "image"],
    [8, "toName", "nothere", null],
  ]);
  for (const h of hints) assert.equal(cfg.slice(h.start, h.end), h.wrong);
  assert.deepEqual(nameHints(`<View><Text name="t" value="$t"/><Choices name="c" toName="t"/></View>`), []);
  // One data tag: it is the suggestion even for a name nothing like it; controls are no candidates.
  const single = nameHints(`<View><Text name="text" value="$t"/><Choices name="choice" toName="nothere"/><Labels name="other" toName="choise"/></View>`);
  assert.deepEqual(single.map((h) => [h.wrong, h.suggestion, h.names]), [["nothere", "text", ["text"]], ["choise", "text", ["text"]]]);
  assert.deepEqual(nameHints(`<View><Repeater on="$x"><Image name="i{{idx}}" value="$x"/><Choices name="c{{idx}}" toName="i{{idx}}"/></Repeater></View>`), []);
});

test("renames collapse into one mapping per original label", () => {
  let renames = addRename([], { from_name: "label", from: "Car", to: "Auto" });
  renames = addRename(renames, { from_name: "label", from: "Auto", to: "Vehicle" });
  renames = addRename(renames, { from_name: "other", from: "Car", to: "Truck" });
  assert.deepEqual(renames, [{ from_name: "label", from: "Car", to: "Vehicle" }, { from_name: "other", from: "Car", to: "Truck" }]);
  assert.deepEqual(addRename(renames, { from_name: "label", from: "Vehicle", to: "Car" }), [{ from_name: "other", from: "Car", to: "Truck" }]);
});

test("server issues are paired with the hint about the same reference", () => {
  const cfg = `<View>\n  <Text name="text" value="$t"/>\n  <Choices name="a" toName="txt"/>\n  <Choices name="b" toName="txt"/>\n</View>`;
  const hints = nameHints(cfg);
  const issues = [
    { message: "the XML is fine", line: 1 },
    { message: '<Choices name="a">: toName="txt" does not match the name of any tag', line: 3, tag: "Choices", attribute: "toName" },
    { message: '<Choices name="b">: toName="txt" does not match the name of any tag', line: 4, tag: "Choices", attribute: "toName" },
  ];
  const rows = matchHints(issues, hints);
  assert.deepEqual(rows.map((r) => r.hint?.line ?? null), [null, 3, 4]);
  assert.deepEqual(rows.map((r) => r.hint?.suggestion ?? null), [null, "text", "text"]);
});
