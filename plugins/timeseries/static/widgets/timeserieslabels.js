// @ts-check
/**
 * TimeSeriesLabels: the label chips for time ranges (arm a label for the next range, or relabel
 * the selected one). The shared chip bar from the SDK does the work; the TimeSeries widget reads
 * the armed labels when a range is selected.
 */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model, ctx }) {
  return renderLabelControl({ el, model, ctx });
}
