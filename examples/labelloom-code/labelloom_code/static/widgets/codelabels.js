// @ts-check
/**
 * CodeLabels: the label chips for line ranges of a Code object. The SDK's chip bar arms a label
 * for the next range (or relabels the selected one); the Code widget reads the armed labels.
 */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model, ctx }) {
  return renderLabelControl({ el, model, ctx });
}
