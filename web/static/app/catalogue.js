// @ts-check
/**
 * The tag catalogue (`GET /api/plugins` → `tags`) and the questions the shell asks it. The shell
 * never names a tag: it asks what a tag does (its traits, preview, region, items), as the
 * plugins' specs say (core/labelconfig/traits.py). DOM-free (node-tested).
 */

/**
 * @typedef {object} TagInfo
 * @property {string} [plugin]
 * @property {"object"|"control"|"item"|"visual"} kind
 * @property {string[]} traits   "classifies", "labels", "label", "object", "visual", "top_level"
 * @property {string|null} [result_type]
 * @property {string[]} [items]  item tags accepted inside
 * @property {string|null} [module]
 * @property {string} [preview]  objects: text, html, image, video, audio, timeseries, pdf, dialogue, table, list
 * @property {string[]} [extensions] objects: file extensions a file import accepts (with the dot)
 * @property {string[]} [regions] objects: geometry names
 * @property {string|null} [region] controls: the geometry they draw ("*": the object's; null: none)
 */

/** @typedef {Record<string, TagInfo>} TagCatalogue */

/** Whether the catalogue says the tag has the trait. @param {TagCatalogue} tags @param {string} tag @param {string} trait */
export function hasTrait(tags, tag, trait) {
  return Boolean(tags[tag]?.traits?.includes(trait));
}

/** How an object tag's data is previewed ("" when the tag is no object). @param {TagCatalogue} tags @param {string} tag */
export function previewOf(tags, tag) {
  return tags[tag]?.preview ?? "";
}

/** The item tag declaring a control's labels (its first item with the "label" trait), or null. @param {TagCatalogue} tags @param {string} tag */
export function labelItemOf(tags, tag) {
  if (tags[tag]?.kind !== "control") return null;
  return tags[tag].items?.find((item) => hasTrait(tags, item, "label")) ?? null;
}
