// @ts-check
/**
 * Shared, DOM-free helpers every control widget of this plugin uses: which region a per-region
 * control writes to, reading a control's current payload and writing it back through the store.
 * Results are written ONLY through `store.setClassification`, so their JSON is Label Studio's.
 */

/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("@labelloom/sdk").AnnotationStore} AnnotationStore */
/** @typedef {import("@labelloom/sdk").ResultItem} ResultItem */

/** The object names a control points at (`toName` may be a comma list). @param {TagNode} model */
export function toNames(model) {
  return String(model.attrs?.toName ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Where a control's result goes right now.
 * - a whole-task control: `{active: true}` (no region id)
 * - a perRegion control with a selected region of one of its objects: `{active: true, regionId}`
 * - a perRegion control with nothing (applicable) selected: `{active: false}` (Label Studio hides it)
 * @param {AnnotationStore} store @param {TagNode} model
 * @returns {{active: boolean, regionId?: string}}
 */
export function target(store, model) {
  if (!model.attrs?.perRegion) return { active: true };
  const id = store.selectedId;
  if (!id) return { active: false };
  const region = store.region(id);
  if (!region) return { active: false };
  const names = toNames(model);
  const regionTargets = String(region.to_name || "").split(",").map((s) => s.trim());
  if (names.length && !regionTargets.some((name) => names.includes(name))) return { active: false };
  return { active: true, regionId: id };
}

/**
 * The control's current result item for its target (undefined when none or inactive).
 * @param {AnnotationStore} store @param {TagNode} model
 * @returns {ResultItem|undefined}
 */
export function currentItem(store, model) {
  const where = target(store, model);
  if (!where.active) return undefined;
  return store.classification(String(model.attrs?.name ?? ""), where.regionId);
}

/**
 * The control's payload under `key` (e.g. `choices`, `text`, `rating`), or undefined.
 * @param {AnnotationStore} store @param {TagNode} model @param {string} key
 */
export function currentValue(store, model, key) {
  return currentItem(store, model)?.value?.[key];
}

/**
 * Write the control's payload (empty payload removes the result). Does nothing when the
 * control is per-region and no applicable region is selected.
 * @param {AnnotationStore} store @param {TagNode} model @param {string} type @param {Record<string, any>} value
 * @returns {boolean} whether anything was written
 */
export function writeValue(store, model, type, value) {
  const where = target(store, model);
  if (!where.active) return false;
  store.setClassification(model, type, value, where.regionId);
  return true;
}

/** Children of a node, descending through structural/visual wrappers (View, Header ...). @param {TagNode} node @param {string} tag */
export function itemsOf(node, tag) {
  /** @type {TagNode[]} */
  const out = [];
  for (const child of node.children || []) {
    if (child.tag === tag) out.push(child);
    else if (child.kind === "structural" || child.kind === "visual") out.push(...itemsOf(child, tag));
  }
  return out;
}
