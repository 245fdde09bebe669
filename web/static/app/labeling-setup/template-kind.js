// @ts-check
/**
 * What a template's thumbnail should show, read from its config: the main kind of data, the
 * kind of region drawn on it, the side controls, and the first label colours (so cards look
 * like the interface they open). DOM-free (node-tested); drawing is in thumbnail.js.
 */
import { DEFAULT_LABEL_BACKGROUND, PALETTE } from "../../labeling/colors.js";
import { attrValue, childElements, elements, parseXml } from "./xml-source.js";

/** @typedef {"image"|"text"|"html"|"audio"|"video"|"timeseries"|"dialogue"|"table"|"list"|"pdf"|"none"} DataKind */
/** @typedef {"rect"|"polygon"|"points"|"brush"|"ellipse"|"span"|"track"|null} RegionKind */
/** @typedef {"choices"|"textarea"|"rating"|"number"|"datetime"|"taxonomy"|"pairwise"|"ranker"|"relations"} SideKind */
/** @typedef {{data: DataKind, count: number, region: RegionKind, side: SideKind[], colors: string[], labels: string[]}} TemplateKind */

/** @type {Record<string, DataKind>} */
const DATA = {
  Image: "image", Text: "text", HyperText: "html", Audio: "audio", AudioPlus: "audio", Video: "video",
  TimeSeries: "timeseries", Paragraphs: "dialogue", Chat: "dialogue", Table: "table", List: "list", Pdf: "pdf",
};

/** @type {Record<string, RegionKind>} */
const REGION = {
  RectangleLabels: "rect", Rectangle: "rect", PolygonLabels: "polygon", Polygon: "polygon",
  KeyPointLabels: "points", KeyPoint: "points", BrushLabels: "brush", Brush: "brush", MagicWand: "brush",
  EllipseLabels: "ellipse", Ellipse: "ellipse", Labels: "span", HyperTextLabels: "span", ParagraphLabels: "span",
  TimeSeriesLabels: "span", TimelineLabels: "span", VideoRectangle: "track",
};

/** @type {Record<string, SideKind>} */
const SIDE = {
  Choices: "choices", TextArea: "textarea", Rating: "rating", Number: "number", DateTime: "datetime",
  Taxonomy: "taxonomy", Pairwise: "pairwise", Ranker: "ranker", Relations: "relations",
};

/** Region kinds in order of how well they identify a template. */
const REGION_RANK = ["track", "rect", "polygon", "brush", "ellipse", "points", "span"];

/** @param {string} config @returns {TemplateKind} */
export function templateKind(config) {
  const doc = parseXml(config);
  /** @type {TemplateKind} */
  const kind = { data: "none", count: 0, region: null, side: [], colors: [], labels: [] };
  for (const el of elements(doc)) {
    const data = DATA[el.name];
    if (data) {
      if (kind.data === "none") kind.data = data;
      if (data === kind.data) kind.count++;
    }
    const region = REGION[el.name];
    if (region && (!kind.region || REGION_RANK.indexOf(region) < REGION_RANK.indexOf(kind.region))) kind.region = region;
    const side = SIDE[el.name];
    if (side && !kind.side.includes(side)) kind.side.push(side);
    if ((el.name.endsWith("Labels") || el.name === "Choices") && kind.labels.length < 4) {
      const items = childElements(el).filter((c) => c.name === "Label" || c.name === "Choice");
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
