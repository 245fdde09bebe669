// @ts-check
/**
 * Which drawing tools an image offers (from the controls pointing at it) and which control a
 * new region of a tool belongs to, given the armed label.
 */

/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("@labelloom/sdk").Armed} Armed */
/** @typedef {"select"|"pan"|"rect"|"polygon"|"keypoint"|"ellipse"|"brush"|"eraser"} Tool */

/** Control tag -> drawing tool. */
export const TOOL_OF_TAG = /** @type {Record<string, Tool>} */ ({
  Rectangle: "rect", RectangleLabels: "rect",
  Polygon: "polygon", PolygonLabels: "polygon",
  KeyPoint: "keypoint", KeyPointLabels: "keypoint",
  Ellipse: "ellipse", EllipseLabels: "ellipse",
  Brush: "brush", BrushLabels: "brush",
});

/** Tool buttons: label, Label Studio's hotkey (label-studio.md §9.1), hint in the status bar. */
export const TOOLS = /** @type {Record<Tool, {title: string, key: string, hint: string}>} */ ({
  select: { title: "Select and move", key: "v", hint: "Click a region to select it; drag to move, handles to resize or rotate. Arrows nudge (Shift: 10 px)." },
  pan: { title: "Pan", key: "h", hint: "Drag to move the view (also: Space + drag, or the middle mouse button)." },
  rect: { title: "Rectangle", key: "r", hint: "Drag to draw a box." },
  polygon: { title: "Polygon", key: "p", hint: "Click to add points; click the first point, double-click or press Enter to close; Backspace removes the last point, Esc cancels." },
  keypoint: { title: "Key point", key: "k", hint: "Click to place a point." },
  ellipse: { title: "Ellipse", key: "o", hint: "Drag from the centre to draw an ellipse." },
  brush: { title: "Brush", key: "b", hint: "Paint with the mouse; [ and ] change the size. A selected mask of the same label is extended." },
  eraser: { title: "Eraser", key: "e", hint: "Erase from the selected mask (or the mask under the pointer); [ and ] change the size." },
});

/**
 * Tools the image offers, in toolbar order.
 * @param {TagNode[]} controls controls whose toName includes the image
 * @returns {Tool[]}
 */
export function toolsFor(controls) {
  const present = new Set(controls.map((c) => TOOL_OF_TAG[c.tag]).filter(Boolean));
  /** @type {Tool[]} */
  const out = ["select", "pan"];
  for (const tool of /** @type {Tool[]} */ (["rect", "polygon", "ellipse", "keypoint", "brush"])) if (present.has(tool)) out.push(tool);
  if (present.has("brush")) out.push("eraser");
  return out;
}

/**
 * The tool a freshly armed label implies (arming "Car" of a RectangleLabels picks the box tool).
 * @param {Armed|null} armed @param {TagNode[]} controls
 * @returns {Tool|null}
 */
export function toolForArmed(armed, controls) {
  if (!armed) return null;
  const control = controls.find((c) => c.attrs?.name === armed.from_name);
  return (control && TOOL_OF_TAG[control.tag]) || null;
}

/**
 * What a new region drawn with `tool` is made of: the control writing its main item (with the
 * armed labels when that control is the armed Labels-family tool), plus the armed generic
 * `<Labels>` to add as a second item (Rectangle + Labels). Null, with a reason, when it cannot be
 * made (a *Labels tool with no label picked).
 * @param {Tool} tool @param {Armed|null} armed @param {TagNode[]} controls
 * @returns {{from_name: string, type: string, labels: string[]|null, extra: Armed|null} | {error: string}}
 */
export function creationTarget(tool, armed, controls) {
  const kind = controls.filter((c) => TOOL_OF_TAG[c.tag] === tool);
  if (!kind.length) return { error: "This image has no control for that tool." };
  if (armed) {
    const labelled = kind.find((c) => c.attrs?.name === armed.from_name && c.tag.endsWith("Labels"));
    if (labelled) return { from_name: armed.from_name, type: labelled.tag.toLowerCase(), labels: [...armed.labels], extra: null };
  }
  const plain = kind.find((c) => !c.tag.endsWith("Labels"));
  if (plain) {
    const extra = armed && armed.type === "labels" ? armed : null;
    return { from_name: String(plain.attrs?.name), type: plain.tag.toLowerCase(), labels: null, extra };
  }
  const names = kind.map((c) => c.attrs?.name).join(", ");
  return { error: `Pick a label first (${names}): click a label chip or press its hotkey.` };
}
