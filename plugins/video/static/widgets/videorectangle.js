// @ts-check
/** VideoRectangle: the Video widget draws the tracks; this control only says how. */

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model }) {
  const hint = document.createElement("div");
  hint.className = "lv-control-hint";
  hint.textContent = `Boxes (${model.attrs?.name}): drag on the video to start a track; move or resize it on another frame to add a keyframe.`;
  el.append(hint);
  return () => hint.remove();
}
