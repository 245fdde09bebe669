// @ts-check
/**
 * Choices semantics, as Label Studio's Choices/Choice models define them:
 * - result value `{choices: [...]}` lists the selected choices in CONFIG order (not click order);
 *   each entry is the choice's `alias` if set, else its `value`;
 * - `allowNested`: nested choices take part and each entry is the path from the top choice
 *   (`[["Parent", "Child"], ...]`); a parent counts as selected when all its children are;
 *   without it, nested choices are ignored;
 * - single / single-radio: selecting one clears the others; selecting the selected one clears it.
 */

/** @typedef {import("@labelloom/sdk").TagNode} TagNode */

/**
 * @typedef {object} ChoiceOption
 * @property {string} key         stable identity (JSON of `result`)
 * @property {string} value       shown text (Choice `value`)
 * @property {string|string[]} result  what the result stores
 * @property {string[]} path      result path (alias ?? value of each level)
 * @property {number} depth
 * @property {ChoiceOption[]} children
 * @property {TagNode|null} node  the Choice tag (null for choices loaded from task data)
 * @property {Record<string, any>} attrs
 */

/**
 * Build the option tree of a Choices tag: its Choice items (through View/Header wrappers) plus
 * any dynamic options from task data (`value="$options"`: `[{value, alias?, html?, hint?, children?}]`).
 * @param {TagNode} model @param {any} [dynamic] the resolved `value` attribute
 * @returns {ChoiceOption[]}
 */
export function buildOptions(model, dynamic) {
  const nested = Boolean(model.attrs?.allowNested);
  /** @param {Record<string, any>} attrs @param {TagNode|null} node @param {string[]} parents @param {any[]} kids @returns {ChoiceOption} */
  const make = (attrs, node, parents, kids) => {
    const own = String(attrs.alias ?? attrs.value ?? "");
    const path = [...parents, own];
    /** @type {ChoiceOption} */
    const option = {
      key: JSON.stringify(nested ? path : own),
      value: String(attrs.value ?? ""),
      result: nested ? path : own,
      path,
      depth: parents.length,
      children: [],
      node,
      attrs,
    };
    if (nested) option.children = kids.map((kid) => kid);
    return option;
  };
  /** @param {TagNode} node @param {string[]} parents @returns {ChoiceOption[]} */
  const fromNode = (node, parents) =>
    choiceItems(node).map((child) => {
      const own = String(child.attrs?.alias ?? child.attrs?.value ?? "");
      const kids = nested ? fromNode(child, [...parents, own]) : [];
      return make(child.attrs || {}, child, parents, kids);
    });
  /** @param {any[]} list @param {string[]} parents @returns {ChoiceOption[]} */
  const fromData = (list, parents) =>
    list
      .filter((entry) => entry && (typeof entry === "string" || typeof entry === "object"))
      .map((entry) => {
        const attrs = typeof entry === "string" ? { value: entry } : entry;
        const own = String(attrs.alias ?? attrs.value ?? "");
        const kids = nested && Array.isArray(attrs.children) ? fromData(attrs.children, [...parents, own]) : [];
        return make(attrs, null, parents, kids);
      });
  const options = fromNode(model, []);
  if (Array.isArray(dynamic)) options.push(...fromData(dynamic, []));
  return dedupe(options);
}

/** Choice children of a node (through structural wrappers). @param {TagNode} node @returns {TagNode[]} */
function choiceItems(node) {
  /** @type {TagNode[]} */
  const out = [];
  for (const child of node.children || []) {
    if (child.tag === "Choice") out.push(child);
    else if (child.kind === "structural" || child.kind === "visual") out.push(...choiceItems(child));
  }
  return out;
}

/** Drop later duplicates of the same result (a config and its data may both list a choice). @param {ChoiceOption[]} options */
function dedupe(options) {
  const seen = new Set();
  return options.filter((option) => {
    if (seen.has(option.key)) return false;
    seen.add(option.key);
    option.children = dedupe(option.children);
    return true;
  });
}

/** Every option, depth first (config order). @param {ChoiceOption[]} options @returns {ChoiceOption[]} */
export function flatten(options) {
  return options.flatMap((option) => [option, ...flatten(option.children)]);
}

/** @param {ChoiceOption} option @returns {ChoiceOption[]} */
function leavesOf(option) {
  return option.children.length ? option.children.flatMap(leavesOf) : [option];
}

/**
 * The selected leaves for a stored result value.
 * @param {ChoiceOption[]} options @param {any[]|undefined} stored `value.choices`
 * @returns {Set<string>} keys of selected leaves
 */
export function selectionFromResult(options, stored) {
  /** @type {Set<string>} */
  const selected = new Set();
  if (!Array.isArray(stored)) return selected;
  const wanted = new Set(stored.map((entry) => JSON.stringify(entry)));
  for (const option of flatten(options)) {
    if (!wanted.has(option.key)) continue;
    for (const leaf of leavesOf(option)) selected.add(leaf.key);
  }
  return selected;
}

/** Whether an option is selected (a parent: all its leaves are). @param {ChoiceOption} option @param {Set<string>} leaves */
export function isSelected(option, leaves) {
  return leavesOf(option).every((leaf) => leaves.has(leaf.key));
}

/** Some but not all leaves selected (a checkbox's mixed state). @param {ChoiceOption} option @param {Set<string>} leaves */
export function isPartial(option, leaves) {
  if (!option.children.length) return false;
  const all = leavesOf(option);
  const count = all.filter((leaf) => leaves.has(leaf.key)).length;
  return count > 0 && count < all.length;
}

/**
 * Toggle one option. `mode` is the Choices `choice` attribute.
 * @param {ChoiceOption[]} options @param {Set<string>} leaves @param {ChoiceOption} option @param {string} [mode]
 * @returns {Set<string>} the new leaf selection
 */
export function toggle(options, leaves, option, mode = "single") {
  const wasSelected = isSelected(option, leaves);
  /** @type {Set<string>} */
  const next = mode === "multiple" ? new Set(leaves) : new Set();
  for (const leaf of leavesOf(option)) {
    if (wasSelected) next.delete(leaf.key);
    else next.add(leaf.key);
  }
  return next;
}

/**
 * The result payload for a selection: `{choices: [...]}` in config order, or `{}` when empty
 * (the store removes the result for an empty payload).
 * @param {ChoiceOption[]} options @param {Set<string>} leaves
 * @returns {Record<string, any>}
 */
export function resultValue(options, leaves) {
  const choices = flatten(options)
    .filter((option) => isSelected(option, leaves))
    .map((option) => (Array.isArray(option.result) ? [...option.result] : option.result));
  return choices.length ? { choices } : {};
}

/** Options preselected with `selected="true"`. @param {ChoiceOption[]} options @returns {Set<string>} */
export function preselected(options) {
  /** @type {Set<string>} */
  const out = new Set();
  for (const option of flatten(options)) {
    const flag = option.attrs.selected;
    if (flag === true || flag === "true") for (const leaf of leavesOf(option)) out.add(leaf.key);
  }
  return out;
}

/**
 * The layout to draw: Label Studio maps `showInline` onto `layout` (true: inline, false: vertical).
 * @param {TagNode} model @returns {"select"|"inline"|"vertical"}
 */
export function layoutOf(model) {
  if (model.attrs?.showInline === true) return "inline";
  if (model.attrs?.showInline === false) return "vertical";
  const layout = model.attrs?.layout;
  if (layout === "select" || layout === "inline") return layout;
  if (layout === "horizontal") return "inline";
  return "vertical";
}
