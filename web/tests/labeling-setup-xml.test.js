// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  appendChildrenEdit, applyEdits, attrValue, childElements, decodeEntities, elementAtLine, elements, encodeAttr,
  indentUnit, lineAt, lineStarts, parseXml, removeAttrEdit, removeElementEdit, setAttrEdit, swapEdit,
} from "../static/app/labeling-setup/xml-source.js";
import { highlightXml, splitLines } from "../static/app/labeling-setup/highlight.js";

const CONFIG = `<!-- {"data": {"text": "hello"}} -->
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName='text' choice="single">
    <Choice value="Pos &amp; happy" background="#00ff00"/>
    <Choice value="Neg"></Choice>
  </Choices>
  <Style><![CDATA[ .a > .b { color: red } ]]></Style>
</View>
`;

/** @param {string} text @param {string} name */
const find = (text, name) => {
  const doc = parseXml(text);
  assert.deepEqual(doc.errors, []);
  return elements(doc).filter((el) => el.name === name);
};

test("reads elements with positions, lines, attributes and decoded values", () => {
  const doc = parseXml(CONFIG);
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.root?.name, "View");
  assert.equal(doc.root?.line, 2);
  const names = elements(doc).map((el) => el.name);
  assert.deepEqual(names, ["View", "Text", "Choices", "Choice", "Choice", "Style"]);
  const [text, choices, pos, neg] = elements(doc).slice(1);
  assert.equal(text.selfClosing, true);
  assert.equal(CONFIG.slice(text.start, text.end), `<Text name="text" value="$text"/>`);
  assert.equal(attrValue(choices, "toName"), "text");
  assert.equal(choices.attrs[1].quote, "'");
  assert.equal(attrValue(pos, "value"), "Pos & happy");
  assert.equal(pos.attrs[0].raw, "Pos &amp; happy");
  assert.equal(neg.selfClosing, false);
  assert.equal(CONFIG.slice(neg.start, neg.end), `<Choice value="Neg"></Choice>`);
  assert.equal(neg.line, 6);
  assert.deepEqual(childElements(choices).map((c) => attrValue(c, "value")), ["Pos & happy", "Neg"]);
  assert.equal(doc.nodes[0].type, "comment");
});

test("CDATA, comments and processing instructions are opaque", () => {
  const doc = parseXml(`<?xml version="1.0"?><View><!-- <Fake name="x"/> --><Style><![CDATA[ <b> ]]></Style></View>`);
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(elements(doc).map((e) => e.name), ["View", "Style"]);
});

test("reports malformed markup with lines and keeps going", () => {
  const cases = [
    [`<View>\n  <Text name="a" value="$a">\n</View>`, /never closed|does not match/],
    [`<View>\n<Text name=a/>\n</View>`, /in quotes/],
    [`<View>\n<Text name="a\n</View>`, /not closed/],
    [`<View></View>\n<View/>`, /second root/],
    [`<View>\n<!-- open\n</View>`, /comment is not closed/],
    [`<View><Text name="a" name="b"/></View>`, /twice/],
    [`<View> < </View>`, /stray </],
    [``, /no root/],
  ];
  for (const [text, pattern] of cases) {
    const doc = parseXml(/** @type {string} */ (text));
    assert.ok(doc.errors.length, `no error for ${text}`);
    assert.match(doc.errors.map((e) => e.message).join("; "), /** @type {RegExp} */ (pattern));
  }
  assert.equal(parseXml(`<View>\n<Text name=a/>\n</View>`).errors[0].line, 2);
});

test("entities round-trip through decode and encode", () => {
  assert.equal(decodeEntities("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42; &unknown;"), `a <b> & "c" 'd' AB &unknown;`);
  for (const value of [`plain`, `a & b`, `"quoted"`, `it's`, `<tag>`, "tab\there", "line\nbreak", "ünï©ødé 😀"]) {
    for (const quote of ['"', "'"]) {
      const written = `<L value=${quote}${encodeAttr(value, quote)}${quote}/>`;
      const doc = parseXml(written);
      assert.deepEqual(doc.errors, [], written);
      assert.equal(attrValue(/** @type {any} */ (doc.root), "value"), value.replace(/\n/g, "\n"));
    }
  }
});

test("setting an attribute changes only its value and keeps the quote style", () => {
  const [choices] = find(CONFIG, "Choices");
  const out = applyEdits(CONFIG, [setAttrEdit(CONFIG, choices, "toName", `it's "x"`)]);
  assert.ok(out.includes(`toName='it&apos;s "x"'`));
  assert.equal(out.replace(`toName='it&apos;s "x"'`, `toName='text'`), CONFIG);
  const [again] = find(out, "Choices");
  assert.equal(attrValue(again, "toName"), `it's "x"`);
});

test("adding an attribute appends it after the last one, also on self-closing and bare tags", () => {
  const [text] = find(CONFIG, "Text");
  const out = applyEdits(CONFIG, [setAttrEdit(CONFIG, text, "granularity", "word")]);
  assert.ok(out.includes(`<Text name="text" value="$text" granularity="word"/>`));
  const bare = `<View><Label/></View>`;
  const [label] = find(bare, "Label");
  assert.equal(applyEdits(bare, [setAttrEdit(bare, label, "value", "A&B")]), `<View><Label value="A&amp;B"/></View>`);
});

test("removing an attribute removes the whitespace before it", () => {
  const [pos] = find(CONFIG, "Choice");
  const edit = removeAttrEdit(CONFIG, pos, "background");
  assert.ok(edit);
  assert.ok(applyEdits(CONFIG, [/** @type {any} */ (edit)]).includes(`<Choice value="Pos &amp; happy"/>`));
  assert.equal(removeAttrEdit(CONFIG, pos, "nothere"), null);
});

test("appending children follows the existing children's indentation", () => {
  const [choices] = find(CONFIG, "Choices");
  const out = applyEdits(CONFIG, [appendChildrenEdit(CONFIG, choices, [`<Choice value="Mixed"/>`])]);
  assert.ok(out.includes(`    <Choice value="Neg"></Choice>\n    <Choice value="Mixed"/>\n  </Choices>`));
});

test("appending to a self-closing tag opens it up, indented one step deeper", () => {
  const text = `<View>\n    <Labels name="l" toName="t" />\n    <Text name="t" value="$t"/>\n</View>`;
  const [labels] = find(text, "Labels");
  assert.equal(indentUnit(text), "    ");
  const out = applyEdits(text, [appendChildrenEdit(text, labels, [`<Label value="A"/>`, `<Label value="B"/>`])]);
  assert.equal(out, `<View>\n    <Labels name="l" toName="t">\n        <Label value="A"/>\n        <Label value="B"/>\n    </Labels>\n    <Text name="t" value="$t"/>\n</View>`);
});

test("appending to an empty element, or one with only a comment, keeps the comment", () => {
  const text = `<View>\n  <Labels name="l" toName="t"></Labels>\n  <Choices name="c" toName="t">\n    <!-- none yet -->\n  </Choices>\n</View>`;
  const [labels] = find(text, "Labels");
  const out = applyEdits(text, [appendChildrenEdit(text, labels, [`<Label value="A"/>`])]);
  assert.ok(out.includes(`  <Labels name="l" toName="t">\n    <Label value="A"/>\n  </Labels>`));
  const [choices] = find(out, "Choices");
  const out2 = applyEdits(out, [appendChildrenEdit(out, choices, [`<Choice value="X"/>`])]);
  assert.ok(out2.includes(`    <!-- none yet -->\n    <Choice value="X"/>\n  </Choices>`), out2);
  assert.deepEqual(parseXml(out2).errors, []);
});

test("removing an element takes its whole line when it is alone on it", () => {
  const [, neg] = find(CONFIG, "Choice");
  const out = applyEdits(CONFIG, [removeElementEdit(CONFIG, neg)]);
  assert.ok(out.includes(`background="#00ff00"/>\n  </Choices>`));
  const inline = `<View><A/><B/><C/></View>`;
  const [b] = find(inline, "B");
  assert.equal(applyEdits(inline, [removeElementEdit(inline, b)]), `<View><A/><C/></View>`);
  const last = `<View/>`;
  assert.equal(applyEdits(last, [removeElementEdit(last, find(last, "View")[0])]), ``);
});

test("swapping siblings keeps what lies between them", () => {
  const text = `<V>\n  <A x="1"/>  <!-- c -->\n  <B>\n    <i/>\n  </B>\n</V>`;
  const [a] = find(text, "A");
  const [b] = find(text, "B");
  assert.equal(applyEdits(text, [swapEdit(text, a, b)]), `<V>\n  <B>\n    <i/>\n  </B>  <!-- c -->\n  <A x="1"/>\n</V>`);
});

test("overlapping edits are refused", () => {
  assert.throws(() => applyEdits("abcdef", [{ start: 0, end: 3, insert: "" }, { start: 2, end: 4, insert: "" }]));
  assert.equal(applyEdits("abcdef", [{ start: 4, end: 6, insert: "Z" }, { start: 0, end: 1, insert: "Y" }]), "YbcdZ");
});

test("line helpers", () => {
  const starts = lineStarts("a\nbc\n\nd");
  assert.deepEqual(starts, [0, 2, 5, 6]);
  assert.equal(lineAt(starts, 0), 1);
  assert.equal(lineAt(starts, 3), 2);
  assert.equal(lineAt(starts, 6), 4);
  const doc = parseXml(`<View>\n  <Text name="a"\n        value="$a"/>\n</View>`);
  assert.equal(elementAtLine(doc, 3)?.name, "Text");
  assert.equal(elementAtLine(doc, 1)?.name, "View");
});

/** @param {string} html */
const unhighlight = (html) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

test("highlighting keeps every character and colours the parts", () => {
  const samples = [CONFIG, `<View><Text name="a`, `<<>>&&"'`, `<!-- open`, `<V a='x' b=c/>`, "", `</`, `<V a="1"\n b="2">`];
  for (const sample of samples) assert.equal(unhighlight(highlightXml(sample)), sample);
  const html = highlightXml(`<Label value="A &amp; B"/><!-- c -->`);
  assert.ok(html.includes(`<span class="x-tag">Label</span>`));
  assert.ok(html.includes(`<span class="x-attr">value</span>`));
  assert.ok(html.includes(`<span class="x-val">"A &amp;amp; B"</span>`));
  assert.ok(html.includes(`<span class="x-com">&lt;!-- c --&gt;</span>`));
});

test("highlighted HTML splits into self-contained lines", () => {
  const text = `<View>\n  <!-- a\n  comment -->\n  <Text name="t"\n    value="$t"/>\n\n</View>`;
  const lines = splitLines(highlightXml(text));
  assert.equal(lines.length, text.split("\n").length);
  lines.forEach((line, i) => {
    assert.equal(unhighlight(line), text.split("\n")[i]);
    // Every span opened on a line is closed on it.
    assert.equal((line.match(/<span/g) || []).length, (line.match(/<\/span>/g) || []).length, line);
  });
  assert.equal(lines[2], `<span class="x-com">  comment --&gt;</span>`);
  assert.deepEqual(splitLines(""), [""]);
  assert.deepEqual(splitLines("a\n"), ["a", ""]);
});
