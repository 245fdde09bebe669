// @ts-check
/**
 * HyperTextLabels: the label chips for HyperText spans (arm a label, or relabel the selected region). The shared chip bar from
 * the SDK does the work; the object widget reads the armed labels when a selection is made.
 */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model, ctx }) {
  return renderLabelControl({ el, model, ctx });
}
