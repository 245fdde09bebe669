// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { Keymap, parseHotkey, matchesCombo, assignHotkeys, formatHotkey, eventKey } from "../static/labeling/keymap.js";

/** @param {string} key @param {Record<string, any>} [extra] */
const ev = (key, extra = {}) => ({ key, code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^\d$/.test(key) ? `Digit${key}` : "", ...extra });

test("parse combos, aliases and comma lists", () => {
  assert.deepEqual(parseHotkey("ctrl+shift+z"), [{ key: "z", ctrl: true, shift: true, alt: false, meta: false }]);
  assert.deepEqual(parseHotkey("Esc").map((c) => c.key), ["escape"]);
  assert.deepEqual(parseHotkey("ctrl+z, cmd+z").map((c) => [c.key, c.ctrl, c.meta]), [["z", true, false], ["z", false, true]]);
  assert.deepEqual(parseHotkey("alt+.").map((c) => [c.key, c.alt]), [["." , true]]);
  assert.deepEqual(parseHotkey("alt+,").map((c) => [c.key, c.alt]), [[",", true]]);
  assert.deepEqual(parseHotkey("ctrl+space").map((c) => c.key), ["space"]);
  assert.deepEqual(parseHotkey(""), []);
});

test("matching: exact modifiers; ctrl also matches ⌘; Shift+digit by physical key", () => {
  const [undo] = parseHotkey("ctrl+z");
  assert.ok(matchesCombo(ev("z", { ctrlKey: true }), undo));
  assert.ok(matchesCombo(ev("z", { metaKey: true }), undo));
  assert.ok(!matchesCombo(ev("z", { ctrlKey: true, shiftKey: true }), undo), "ctrl+shift+z is redo, not undo");
  assert.ok(!matchesCombo(ev("z"), undo));
  assert.equal(eventKey({ key: "!", code: "Digit1", shiftKey: true }), "1");
  assert.equal(eventKey({ key: "å", code: "KeyA", altKey: true }), "a");
  assert.equal(eventKey({ key: "ArrowUp", code: "ArrowUp" }), "up");
  assert.equal(eventKey({ key: " ", code: "Space" }), "space");
});

test("single keys never fire while typing; opted-in modifier combos do", () => {
  const keymap = new Keymap();
  /** @type {string[]} */
  const fired = [];
  keymap.add("1", () => fired.push("choice"));
  keymap.add("ctrl+enter", () => fired.push("submit"), { allowInInputs: true });
  keymap.add("ctrl+z", () => fired.push("undo"));
  keymap.handle(ev("1"), { typing: true });
  keymap.handle(ev("z", { ctrlKey: true }), { typing: true });
  keymap.handle({ key: "Enter", code: "Enter", ctrlKey: true }, { typing: true });
  assert.deepEqual(fired, ["submit"]);
  keymap.handle(ev("1"));
  keymap.handle(ev("z", { ctrlKey: true }));
  assert.deepEqual(fired, ["submit", "choice", "undo"]);
});

test("scopes: inactive scopes are ignored, a modal scope hides everything else", () => {
  const keymap = new Keymap();
  /** @type {string[]} */
  const fired = [];
  keymap.add("a", () => fired.push("widget"), { scope: "labeling" });
  keymap.add("escape", () => fired.push("global"));
  keymap.add("escape", () => fired.push("dialog"), { scope: "dialog" });
  keymap.handle(ev("a"));
  assert.deepEqual(fired, []);
  const leave = keymap.pushScope("labeling");
  keymap.handle(ev("a"));
  assert.deepEqual(fired, ["widget"]);
  const close = keymap.pushScope("dialog", { modal: true });
  keymap.handle(ev("a"));
  keymap.handle({ key: "Escape", code: "Escape" });
  assert.deepEqual(fired, ["widget", "dialog"]);
  close();
  keymap.handle({ key: "Escape", code: "Escape" });
  assert.deepEqual(fired, ["widget", "dialog", "global"]);
  leave();
});

test("later bindings win; removal restores the earlier one; `when` and `enabled` gate", () => {
  const keymap = new Keymap();
  /** @type {string[]} */
  const fired = [];
  keymap.add("x", () => fired.push("first"));
  const off = keymap.add("x", () => fired.push("second"));
  keymap.handle(ev("x"));
  off();
  keymap.handle(ev("x"));
  let visible = false;
  keymap.add("y", () => fired.push("hidden widget"), { when: () => visible });
  keymap.handle(ev("y"));
  visible = true;
  keymap.handle(ev("y"));
  keymap.enabled = false;
  keymap.add("ctrl+enter", () => fired.push("always"), { always: true });
  keymap.handle(ev("x"));
  keymap.handle({ key: "Enter", code: "Enter", ctrlKey: true });
  assert.deepEqual(fired, ["second", "first", "hidden widget", "always"]);
});

test("active() lists one row per combo for the shortcuts dialog", () => {
  const keymap = new Keymap();
  keymap.add("1", () => {}, { description: "old", group: "Labels" });
  keymap.add("1", () => {}, { description: "new", group: "Labels" });
  keymap.add("ctrl+z", () => {}, { description: "Undo", group: "Annotation" });
  assert.deepEqual(keymap.active().map((b) => b.description), ["Undo", "new"]);
});

test("auto hotkeys: config order, explicit and reserved keys skipped, taxonomy choices left alone", () => {
  const tree = /** @type {any} */ ({
    tag: "View", kind: "structural", line: 1, attrs: {}, children: [
      { tag: "Labels", kind: "control", traits: ["labels"], line: 2, attrs: { name: "ner" }, children: [
        { tag: "Label", kind: "item", traits: ["label"], line: 3, attrs: { value: "A" } },
        { tag: "Label", kind: "item", traits: ["label"], line: 4, attrs: { value: "B", hotkey: "2" } },
        { tag: "Label", kind: "item", traits: ["label"], line: 5, attrs: { value: "C" } },
      ] },
      { tag: "Choices", kind: "control", traits: ["classifies", "labels"], line: 6, attrs: { name: "c" }, children: Array.from({ length: 10 }, (_, i) => ({ tag: "Choice", kind: "item", traits: ["label"], line: 7, attrs: { value: `c${i}` } })) },
      { tag: "Taxonomy", kind: "control", traits: ["classifies"], line: 8, attrs: { name: "t" }, children: [{ tag: "Choice", kind: "item", traits: ["label"], line: 9, attrs: { value: "x" } }] },
    ],
  });
  assignHotkeys(tree, ["q"]);
  const keys = (/** @type {any} */ node) => node.children.map((/** @type {any} */ c) => c.attrs.hotkey);
  assert.deepEqual(keys(tree.children[0]), ["1", "2", "3"]);
  assert.deepEqual(keys(tree.children[1]), ["4", "5", "6", "7", "8", "9", "0", "w", "e", "t"]);
  assert.deepEqual(keys(tree.children[2]), [undefined]);
});

test("formatHotkey gives keycaps", () => {
  assert.deepEqual(formatHotkey("shift+r").slice(-2), ["Shift", "R"]);
  assert.deepEqual(formatHotkey("ctrl+enter").slice(-1), ["Enter"]);
  assert.deepEqual(formatHotkey("alt+left").slice(-1), ["←"]);
});

test("a handler returning false passes the key on (Escape closes the host panel when nothing is selected)", () => {
  const keymap = new Keymap();
  /** @type {string[]} */
  const fired = [];
  keymap.add("escape", () => fired.push("outer"));
  let selected = true;
  keymap.add("escape", () => {
    if (!selected) return false;
    fired.push("unselect");
  });
  assert.ok(keymap.handle({ key: "Escape", code: "Escape" }));
  selected = false;
  const hit = keymap.handle({ key: "Escape", code: "Escape" });
  assert.deepEqual(fired, ["unselect", "outer"]);
  assert.equal(hit?.description, "");
  const only = new Keymap();
  only.add("escape", () => false);
  assert.equal(only.handle({ key: "Escape", code: "Escape" }), null, "not handled: the runtime does not preventDefault");
});
