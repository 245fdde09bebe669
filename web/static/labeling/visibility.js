// @ts-check
/**
 * Conditional visibility (Label Studio's visibleWhen / whenTagName / whenLabelValue /
 * whenChoiceValue, and perRegion controls shown only for a selected region). DOM-free.
 */

/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */

/** Comma list attribute -> trimmed values. @param {any} value @returns {string[]} */
export function commaList(value) {
  if (Array.isArray(value)) return value.map(String);
  return String(value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** The objects a control points at (`toName` may be comma-joined). @param {TagNode} node */
export function controlTargets(node) {
  return commaList(node.attrs?.toName);
}

/** Choices values of an item, flattened (allowNested stores paths). @param {any} item @returns {string[]} */
function choiceValues(item) {
  const list = item?.value?.choices;
  if (!Array.isArray(list)) return [];
  return list.flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));
}

/** Labels of every item of a region, optionally only those from one control. @param {import("./types.js").Region} region @param {string[]} fromNames */
function regionLabelValues(region, fromNames) {
  const out = [];
  for (const item of region.items) {
    if (fromNames.length && !fromNames.includes(item.from_name || "")) continue;
    const key = item.type;
    const list = item.value?.[key];
    if (Array.isArray(list) && (key === "labels" || key.endsWith("labels"))) out.push(...list.map(String));
  }
  return out;
}

/**
 * Whether a tag is shown now.
 * @param {TagNode} node
 * @param {{store: AnnotationStore}} state
 */
export function isVisible(node, { store }) {
  const attrs = node.attrs || {};
  const tagNames = commaList(attrs.whenTagName);
  const labelValues = commaList(attrs.whenLabelValue);
  const choiceValuesWanted = commaList(attrs.whenChoiceValue);
  let when = String(attrs.visibleWhen || "");
  // Label Studio's shorthands: whenLabelValue alone means "a region with this label is selected",
  // whenChoiceValue alone means "this choice is selected".
  if (!when && labelValues.length) when = "region-selected";
  if (!when && choiceValuesWanted.length) when = "choice-selected";

  const selected = store.selectedId ? store.region(store.selectedId) : undefined;

  // perRegion controls belong to the selected region of one of their objects.
  if (node.kind === "control" && attrs.perRegion) {
    if (!selected) return false;
    const targets = controlTargets(node);
    const regionTargets = commaList(selected.to_name);
    if (targets.length && !targets.some((t) => regionTargets.includes(t))) return false;
  }

  switch (when) {
    case "region-selected": {
      if (!selected) return false;
      if (!tagNames.length && !labelValues.length) return true;
      const labels = regionLabelValues(selected, tagNames);
      if (labelValues.length) return labels.some((l) => labelValues.includes(l));
      // whenTagName alone: the selected region has a label from (or belongs to) that control.
      return selected.items.some((it) => tagNames.includes(it.from_name || "")) || commaList(selected.to_name).some((t) => tagNames.includes(t));
    }
    case "no-region-selected":
      return !selected;
    case "choice-selected":
    case "choice-unselected": {
      const chosen = [];
      for (const item of store.items) {
        if (item.type !== "choices") continue;
        if (tagNames.length && !tagNames.includes(item.from_name || "")) continue;
        // A per-region choice only counts for the region being looked at.
        if (item.id !== selected?.id && store.region(item.id)) continue;
        chosen.push(...choiceValues(item));
      }
      const hit = choiceValuesWanted.length ? chosen.some((c) => choiceValuesWanted.includes(c)) : chosen.length > 0;
      return when === "choice-selected" ? hit : !hit;
    }
    default:
      return true;
  }
}
