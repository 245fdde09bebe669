// @ts-check
/**
 * What a template's thumbnail should show, read from its config: the main kind of data, the
 * kind of region drawn on it, the side controls, and the first label colours (so cards look
 * like the interface they open). DOM-free (node-tested); drawing is in thumbnail.js.
 */
import { DEFAULT_LABEL_BACKGROUND, PALETTE } from "../../labeling/colors.js";
import { hasTrait } from "../catalogue.js";
import { attrValue, childElements, elements, parseXml } from "./xml-source.js";

/** @typedef {import("../catalogue.js").TagCatalogue} TagCatalogue */

/** @typedef {"image"|"text"|"html"|"audio"|"video"|"timeseries"|"dialogue"|"table"|"list"|"pdf"|"none"} DataKind */
/** @typedef {"rect"|"polygon"|"points"|"brush"|"ellipse"|"span"|"track"|null} RegionKind */
/** @typedef {"choices"|"textarea"|"rating"|"number"|"datetime"|"taxonomy"|"pairwise"|"ranker"|"relations"} SideKind */
/** @typedef {{data: DataKind, count: number, region: RegionKind, side: SideKind[], colors: string[], labels: string[]}} TemplateKind */

/** The thumbnail's region by the geometry a control draws ("*": its object's, drawn as a span). @type {Record<string, RegionKind>} */
const REGION = {
  rectangle: "rect", polygon: "polygon", keypoint: "points", brush: "brush", bitmask: "brush", ellipse: "ellipse",
  span: "span", htmlspan: "span", paragraphspan: "span", timerange: "span", timeline: "span", "*": "span",
  videorectangle: "track",
};

/** Side controls the thumbnail draws: classifying controls by result type, and relations. */
/** @type {SideKind[]} */
const SIDE = ["choices", "textarea", "rating", "number", "datetime", "taxonomy", "pairwise", "ranker"];

/**
 * The data kind an object tag is previewed as, or null for a tag that is no object.
 * @param {TagCatalogue} tags @param {string} tag @returns {DataKind|null}
 */
function dataKindOf(tags, tag) {
  return tags[tag]?.kind === "object" ? /** @type {DataKind} */ (tags[tag].preview || "text") : null;
}

/** @param {TagCatalogue} tags @param {string} tag @returns {SideKind|null} */
function sideOf(tags, tag) {
  if (hasTrait(tags, tag, "top_level")) return "relations";
  const type = /** @type {SideKind} */ (tags[tag]?.result_type);
  return hasTrait(tags, tag, "classifies") && SIDE.includes(type) ? type : null;
}

/** Region kinds in order of how well they identify a template. */
const REGION_RANK = ["track", "rect", "polygon", "brush", "ellipse", "points", "span"];

/**
 * @param {string} config the template's XML
 * @param {TagCatalogue} tags `GET /api/plugins` → tags: what each tag shows, draws or declares
 * @returns {TemplateKind}
 */
export function templateKind(config, tags) {
  const doc = parseXml(config);
  /** @type {TemplateKind} */
  const kind = { data: "none", count: 0, region: null, side: [], colors: [], labels: [] };
  for (const el of elements(doc)) {
    const data = dataKindOf(tags, el.name);
    if (data) {
      if (kind.data === "none") kind.data = data;
      if (data === kind.data) kind.count++;
    }
    const region = REGION[tags[el.name]?.region ?? ""] ?? null;
    if (region && (!kind.region || REGION_RANK.indexOf(region) < REGION_RANK.indexOf(kind.region))) kind.region = region;
    const side = sideOf(tags, el.name);
    if (side && !kind.side.includes(side)) kind.side.push(side);
    if (hasTrait(tags, el.name, "labels") && kind.labels.length < 4) {
      const items = childElements(el).filter((c) => hasTrait(tags, c.name, "label"));
      items.forEach((item, index) => {
        if (kind.labels.length >= 4) return;
        const value = attrValue(item, "value") ?? "";
        const explicit = attrValue(item, "background");
        kind.labels.push(value);
        kind.colors.push(explicit && explicit.toUpperCase() !== DEFAULT_LABEL_BACKGROUND ? explicit : PALETTE[index % PALETTE.length]);
      });
    }
  }
  if (!kind.colors.length) kind.colors = PALETTE.slice(0, 3);
  return kind;
}
