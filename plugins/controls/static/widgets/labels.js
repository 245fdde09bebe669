// @ts-check
/**
 * <Labels>: the shared label chip bar of the SDK (arm a label for the next region, or relabel
 * the selected region). A <Filter> narrows the chips through the filter bus.
 */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderLabels({ el, model, ctx }) {
  return renderLabelControl({ el, model, ctx });
}
