// @ts-check
/**
 * What the visual editor sees in a config (label/choice controls, data-reading object tags) and
 * the edits it makes, as functions from XML text to XML text. DOM-free (node-tested).
 * Every edit re-reads the text, so positions are never stale; formatting, comments and other
 * tags are left byte-for-byte as they were.
 */
import {
  appendChildrenEdit, applyEdits, attrValue, childElements, elements, encodeAttr, getAttr, parseXml,
  removeAttrEdit, removeElementEdit, setAttrEdit, swapEdit,
} from "./xml-source.js";
import { labelItemOf } from "../catalogue.js";

/** @typedef {import("./xml-source.js").XmlElement} XmlElement */
/** @typedef {import("../catalogue.js").TagCatalogue} TagCatalogue */

/**
 * @typedef {object} ConfigItem  one item (label, choice, relation) of a control
 * @property {string} value
 * @property {string|undefined} background
 * @property {string|undefined} hotkey
 * @property {string|undefined} alias
 * @property {number} depth      nesting under the control (a taxonomy's choices nest)
 * @property {number} line
 * @property {XmlElement} el
 */

/**
 * @typedef {object} ConfigControl
 * @property {number} index      position among the config's controls (the edit functions' key)
 * @property {string} tag
 * @property {string} name
 * @property {string} toName
 * @property {string} itemTag    the item tag declaring its labels (the catalogue's first "label" item)
 * @property {boolean} dynamic   labels come from task data (value="$field")
 * @property {ConfigItem[]} items depth-first
 * @property {number} line
 * @property {XmlElement} el
 */

/**
 * @typedef {object} ConfigObject  a tag that shows task data (value="$field")
 * @property {number} index
 * @property {string} tag
 * @property {string} name
 * @property {string} attribute  "value" or "valueList"
 * @property {string} raw        the attribute as written, e.g. "$image"
 * @property {string|null} field the task field when the value is exactly one variable
 * @property {number} line
 * @property {XmlElement} el
 */

/**
 * @typedef {object} ConfigModel
 * @property {boolean} ok        false when the XML is not well-formed (lists are then empty)
 * @property {string} error      the first XML problem ("" when ok)
 * @property {number} line       its line (0 when ok)
 * @property {ConfigControl[]} controls
 * @property {ConfigObject[]} objects
 * @property {string[]} names    every name="…" in the config
 */

/**
 * Tag name of a control's items, or null when the tag holds no labels: the first item tag the
 * control accepts that declares a label (the catalogue's "label" trait).
 * @param {string} tag @param {TagCatalogue} tags
 */
export function itemTagOf(tag, tags) {
  return labelItemOf(tags, tag);
}

const VARIABLE = /^\$([A-Za-z_][\w.\-[\]{}]*)$/;

/**
 * Read the controls and objects of a config.
 * @param {string} text @param {TagCatalogue} tags `GET /api/plugins` → tags @returns {ConfigModel}
 */
export function describeConfig(text, tags) {
  const doc = parseXml(text);
  if (doc.errors.length || !doc.root) {
    const first = doc.errors[0];
    return { ok: false, error: first ? first.message : "there is no root tag", line: first ? first.line : 1, controls: [], objects: [], names: [] };
  }
  /** @type {ConfigControl[]} */
  const controls = [];
  /** @type {ConfigObject[]} */
  const objects = [];
  /** @type {string[]} */
  const names = [];
  for (const el of elements(doc)) {
    const name = attrValue(el, "name");
    if (name) names.push(name);
    const itemTag = itemTagOf(el.name, tags);
    if (itemTag && getAttr(el, "toName") !== undefined) {
      /** @type {ConfigItem[]} */
      const items = [];
      /** @param {XmlElement} parent @param {number} depth */
      const collect = (parent, depth) => {
        for (const child of childElements(parent)) {
          if (child.name !== itemTag) continue;
          items.push({
            value: attrValue(child, "value") ?? "",
            background: attrValue(child, "background"),
            hotkey: attrValue(child, "hotkey"),
            alias: attrValue(child, "alias"),
            depth, line: child.line, el: child,
          });
          collect(child, depth + 1);
        }
      };
      collect(el, 0);
      controls.push({
        index: controls.length, tag: el.name, name: name ?? "", toName: attrValue(el, "toName") ?? "", itemTag,
        dynamic: (attrValue(el, "value") ?? "").startsWith("$"), items, line: el.line, el,
      });
      continue;
    }
    if (name && getAttr(el, "toName") === undefined && !itemTag) {
      const attribute = (attrValue(el, "value") ?? "").includes("$") ? "value" : (attrValue(el, "valueList") ?? "").includes("$") ? "valueList" : null;
      if (!attribute) continue;
      const raw = attrValue(el, attribute) ?? "";
      const match = VARIABLE.exec(raw);
      objects.push({ index: objects.length, tag: el.name, name, attribute, raw, field: match ? match[1] : null, line: el.line, el });
    }
  }
  return { ok: true, error: "", line: 0, controls, objects, names };
}

/** @param {string} text @param {TagCatalogue} tags @returns {ConfigModel} */
function model(text, tags) {
  const m = describeConfig(text, tags);
  if (!m.ok) throw new Error(`The config has an error on line ${m.line}: ${m.error}`);
  return m;
}

/** @param {string} text @param {number} index @param {TagCatalogue} tags */
function controlAt(text, index, tags) {
  const control = model(text, tags).controls[index];
  if (!control) throw new Error("That control is no longer in the config");
  return control;
}

/** Split pasted label names: one per line, trimmed, blank lines and repeats dropped. @param {string} input */
export function splitNames(input) {
  const seen = new Set();
  /** @type {string[]} */
  const out = [];
  for (const line of input.split(/\r?\n/)) {
    const value = line.trim();
    if (value && !seen.has(value)) {
      seen.add(value);
      out.push(value);
    }
  }
  return out;
}

/**
 * Add items (labels or choices) at the end of a control; names it already has are skipped.
 * @param {string} text @param {number} index control index @param {string[]} values @param {TagCatalogue} tags
 * @returns {{text: string, added: string[], skipped: string[]}}
 */
export function addItems(text, index, values, tags) {
  const control = controlAt(text, index, tags);
  const existing = new Set(control.items.map((i) => i.value));
  const added = [];
  const skipped = [];
  for (const value of values) {
    if (existing.has(value)) skipped.push(value);
    else {
      existing.add(value);
      added.push(value);
    }
  }
  if (!added.length) return { text, added, skipped };
  const snippets = added.map((value) => `<${control.itemTag} value="${encodeAttr(value)}"/>`);
  return { text: applyEdits(text, [appendChildrenEdit(text, control.el, snippets)]), added, skipped };
}

/**
 * Rename an item. Refuses an empty name or one its siblings already use.
 * @param {string} text @param {number} index @param {number} item @param {string} value @param {TagCatalogue} tags
 */
export function renameItem(text, index, item, value, tags) {
  const control = controlAt(text, index, tags);
  const target = control.items[item];
  const name = value.trim();
  if (!target) throw new Error("That label is no longer in the config");
  if (!name) throw new Error("A label needs a name");
  if (name === target.value) return text;
  if (control.items.some((other, i) => i !== item && other.value === name && other.el.parent === target.el.parent)) {
    throw new Error(`${control.tag} "${control.name}" already has "${name}"`);
  }
  return applyEdits(text, [setAttrEdit(text, target.el, "value", name)]);
}

/**
 * Set an item's colour (`background`); an empty colour removes the attribute.
 * @param {string} text @param {number} index @param {number} item @param {string} color @param {TagCatalogue} tags
 */
export function setItemColor(text, index, item, color, tags) {
  const target = controlAt(text, index, tags).items[item];
  if (!target) throw new Error("That label is no longer in the config");
  if (!color) {
    const edit = removeAttrEdit(text, target.el, "background");
    return edit ? applyEdits(text, [edit]) : text;
  }
  return applyEdits(text, [setAttrEdit(text, target.el, "background", color)]);
}

/**
 * Delete an item (with its nested items).
 * @param {string} text @param {number} index @param {number} item @param {TagCatalogue} tags
 */
export function removeItem(text, index, item, tags) {
  const target = controlAt(text, index, tags).items[item];
  if (!target) throw new Error("That label is no longer in the config");
  return applyEdits(text, [removeElementEdit(text, target.el)]);
}

/**
 * Move an item among its siblings by `delta` places (clamped). Returns the text and the item's
 * new index in the control's list.
 * @param {string} text @param {number} index @param {number} item @param {number} delta @param {TagCatalogue} tags
 * @returns {{text: string, item: number}}
 */
export function moveItem(text, index, item, delta, tags) {
  let current = text;
  let position = item;
  const steps = Math.abs(delta);
  for (let step = 0; step < steps; step++) {
    const control = controlAt(current, index, tags);
    const target = control.items[position];
    if (!target || !target.el.parent) break;
    const siblings = childElements(target.el.parent).filter((el) => el.name === control.itemTag);
    const at = siblings.indexOf(target.el);
    const other = siblings[at + Math.sign(delta)];
    if (!other) break;
    const [a, b] = delta < 0 ? [other, target.el] : [target.el, other];
    current = applyEdits(current, [swapEdit(current, a, b)]);
    // Where the moved element starts now: at `a`'s old start when it moved up, else shifted
    // by the difference in length between the two swapped elements.
    const newStart = delta < 0 ? a.start : b.end - (a.end - a.start);
    position = controlAt(current, index, tags).items.findIndex((i) => i.el.start === newStart);
  }
  return { text: current, item: position };
}

/**
 * Point an object tag at another task field (`value="$field"`).
 * @param {string} text @param {number} index object index @param {string} field without "$" @param {TagCatalogue} tags
 */
export function setObjectField(text, index, field, tags) {
  const object = model(text, tags).objects[index];
  if (!object) throw new Error("That data tag is no longer in the config");
  const clean = field.trim().replace(/^\$/, "");
  if (!clean) throw new Error("Name the task field, e.g. image");
  if (!/^[^\s"'<>&$]+$/.test(clean)) throw new Error(`"${clean}" is not a valid field name`);
  return applyEdits(text, [setAttrEdit(text, object.el, object.attribute, `$${clean}`)]);
}

/** @typedef {{from_name: string, from: string, to: string}} Rename  a label renamed in a control */

/**
 * Record a rename, collapsing chains (A→B then B→C is A→C; A→B→A is nothing).
 * @param {Rename[]} renames @param {Rename} next @returns {Rename[]}
 */
export function addRename(renames, next) {
  const chained = renames.find((r) => r.from_name === next.from_name && r.to === next.from);
  const rest = renames.filter((r) => r !== chained);
  const from = chained ? chained.from : next.from;
  return from === next.to ? rest : [...rest, { from_name: next.from_name, from, to: next.to }];
}
