// @ts-check
/**
 * The image controls (RectangleLabels, PolygonLabels, KeyPointLabels, EllipseLabels,
 * BrushLabels and their plain twins): the labelled ones show the shared label chip bar (arm a
 * label, or relabel the selected region); drawing happens on the Image they point at, whose
 * toolbar offers the matching tool. Plain tools have no labels and show nothing.
 */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderImageControl({ el, model, ctx }) {
  if (model.tag.endsWith("Labels")) return renderLabelControl({ el, model, ctx });
  if (model.tag === "MagicWand") {
    el.className += " li-note";
    el.textContent = "Magic wand is not available in this version: paint masks with the brush (B) instead.";
    return () => el.replaceChildren();
  }
  el.hidden = true;
  return () => {
    el.hidden = false;
  };
}
