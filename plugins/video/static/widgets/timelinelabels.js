// @ts-check
/** TimelineLabels: the label chips. Arming a label lets the Video's timeline create frame ranges
 * (drag on the timeline, or press the label's hotkey while the video plays to start and again to stop). */
import { renderLabelControl } from "@labelloom/sdk";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render(args) {
  return renderLabelControl(args);
}
