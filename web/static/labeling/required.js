// @ts-check
/**
 * `required` controls: what blocks Submit, with a message naming the control (and the region
 * for perRegion controls). DOM-free.
 */
import { controlTargets, isVisible } from "./visibility.js";

/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */

/** @typedef {{control: string, message: string, regionId?: string}} Missing */

/** @param {TagNode} node @returns {TagNode[]} */
function controlsOf(node) {
  const out = [];
  /** @param {TagNode} n */
  const walk = (n) => {
    if (n.kind === "control") out.push(n);
    (n.children || []).forEach(walk);
  };
  walk(node);
  return out;
}

/** Parents of every node, to test whether a control sits in a hidden View. @param {TagNode} tree */
function parentMap(tree) {
  /** @type {Map<TagNode, TagNode>} */
  const parents = new Map();
  /** @param {TagNode} n */
  const walk = (n) => (n.children || []).forEach((c) => (parents.set(c, n), walk(c)));
  walk(tree);
  return parents;
}

/**
 * Required controls with no answer. Controls hidden by a visibility rule (theirs or a parent
 * View's) do not count, as in Label Studio; perRegion ones need an answer on every region of
 * their objects.
 * @param {TagNode} tree @param {AnnotationStore} store
 * @returns {Missing[]}
 */
export function missingRequired(tree, store) {
  const parents = parentMap(tree);
  /** @type {Missing[]} */
  const missing = [];
  for (const control of controlsOf(tree)) {
    const attrs = control.attrs || {};
    if (!attrs.required) continue;
    const name = String(attrs.name || control.tag);
    const message = String(attrs.requiredMessage || `“${name}” (${control.tag}) is required.`);
    if (attrs.perRegion) {
      const targets = controlTargets(control);
      for (const region of store.regions()) {
        if (!targets.some((t) => region.to_name.split(",").includes(t))) continue;
        if (!store.classification(name, region.id)) {
          missing.push({ control: name, regionId: region.id, message: attrs.requiredMessage ? String(attrs.requiredMessage) : `“${name}” is required for every region — a region has none.` });
          break;
        }
      }
      continue;
    }
    // A hidden control (visibleWhen not met, or inside such a View) is not asked for.
    let hidden = false;
    for (let n = /** @type {TagNode|undefined} */ (control); n; n = parents.get(n)) {
      if (n !== control || !attrs.perRegion) {
        const a = n.attrs || {};
        if ((a.visibleWhen || a.whenLabelValue || a.whenChoiceValue) && !isVisible(n, { store })) hidden = true;
      }
    }
    if (hidden) continue;
    const answered = !control.traits?.includes("classifies")
      ? store.items.some((it) => it.from_name === name)
      : Boolean(store.classification(name));
    if (!answered) missing.push({ control: name, message });
  }
  return missing;
}
