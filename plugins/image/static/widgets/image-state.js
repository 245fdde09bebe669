// @ts-check
/**
 * The image widget's shared state, in one documented place: the view settings the user changes
 * (`ImageState`) and the gesture in progress (`Edits`: a shape being drawn, a brush stroke, a
 * region being dragged). Every module of the widget reads and writes these two objects.
 */

/** @typedef {import("./tools.js").Tool} Tool */
/** @typedef {import("../geometry.js").Shape} Shape */

/**
 * @typedef {object} ImageState
 * @property {number} page        index of the image shown (multi-image tasks)
 * @property {number} width       natural size of the current image
 * @property {number} height
 * @property {boolean} loaded
 * @property {string} error
 * @property {Tool} tool
 * @property {number} brushSize   screen pixels
 * @property {number} brightness  percent
 * @property {number} contrast    percent
 * @property {boolean} grid
 * @property {boolean} crosshair
 * @property {string} hint        a warning shown instead of the tool's hint
 * @property {[number, number]|null} pointer  pointer in image pixels
 * @property {boolean} space      Space is held (drag pans)
 */

/** A box or ellipse being dragged out, or a polygon being clicked point by point. */
/** @typedef {{kind: "rect"|"ellipse", x0: number, y0: number, x1: number, y1: number} | {kind: "polygon", points: [number, number][]}} Draft */
/** A brush or eraser stroke in progress, on a working copy of the mask. */
/** @typedef {{mask: Uint8Array, canvas: HTMLCanvasElement, color: string, targetId: string|null, erase: boolean, last: [number, number], changed: boolean}} Stroke */
/** A region being edited: its live shape replaces the stored one until the drag ends. */
/** @typedef {{id: string, shape: Shape}} LiveEdit */

/**
 * @typedef {object} Edits transient drawing state
 * @property {Draft|null} draft
 * @property {Stroke|null} stroke
 * @property {LiveEdit|null} live
 */

/** @param {any} v */
export const bool = (v) => v === true || v === "true";

/** @param {Record<string, any>} attrs the Image tag's attributes @returns {ImageState} */
export function createImageState(attrs) {
  return {
    page: 0,
    width: 0,
    height: 0,
    loaded: false,
    error: "",
    tool: "select",
    brushSize: 16,
    brightness: 100,
    contrast: 100,
    grid: bool(attrs.grid),
    crosshair: bool(attrs.crosshair),
    hint: "",
    pointer: null,
    space: false,
  };
}

/** @returns {Edits} */
export function createEdits() {
  return { draft: null, stroke: null, live: null };
}
