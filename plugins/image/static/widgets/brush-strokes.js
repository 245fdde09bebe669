// @ts-check
/**
 * Brush and eraser strokes: pick the mask a stroke paints into (the selected mask of the armed
 * label, or a new one) or erases from, paint it on a working copy as the pointer moves, and on
 * release store it as RLE (a new region, an updated one, or a deleted one when erased empty).
 */
import { line as paintLine, area as maskArea } from "../brush.js";
import { rleFromMask } from "../rle.js";
import { armedColor, paintMask } from "./regions.js";
import { creationTarget } from "./tools.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./regions.js").RegionLayer} RegionLayer */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */
/** @typedef {import("./region-actions.js").RegionActions} RegionActions */

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {string} deps.name the Image tag's name
 * @param {TagNode[]} deps.controls controls drawing on this image
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits the stroke in progress lives in `edits.stroke`
 * @param {ViewTransform} deps.view
 * @param {RegionLayer} deps.layer
 * @param {RegionActions} deps.actions
 * @param {() => void} deps.drawStatus
 * @param {() => void} deps.schedule
 */
export function createBrushStrokes({ ctx, name, controls, state, edits, view, layer, actions, drawStatus, schedule }) {
  const store = ctx.store;

  /** @param {number} x @param {number} y @param {boolean} erase */
  function start(x, y, erase) {
    const W = state.width, H = state.height;
    let target = actions.selectedEntry();
    if (target && target.shape.kind !== "mask") target = undefined;
    if (erase && !target) {
      const hit = layer.hit(x, y, 0);
      target = hit && hit.shape.kind === "mask" ? hit : undefined;
    }
    if (!erase && target) {
      // Extend the selected mask only when it carries the armed label (else start a new one).
      const armed = store.armed(name);
      const labels = target.label;
      if (armed && armed.labels.join(", ") !== labels) target = undefined;
    }
    if (target?.locked) target = undefined;
    if (erase && !target) {
      state.hint = "Select a mask to erase from.";
      drawStatus();
      return;
    }
    if (!erase && !target) {
      const check = creationTarget("brush", store.armed(name), controls);
      if ("error" in check) {
        state.hint = check.error;
        drawStatus();
        return;
      }
    }
    const mask = target?.mask && target.mask.width === W ? new Uint8Array(target.mask.mask) : new Uint8Array(W * H);
    const color = target ? target.color : armedColor(ctx, store.armed(name));
    const c = document.createElement("canvas");
    c.width = W;
    c.height = H;
    paintMask(c, mask, W, H, color);
    edits.stroke = { mask, canvas: c, color, targetId: target ? target.id : null, erase, last: [x, y], changed: false };
    extend(x, y);
  }

  /** @param {number} x @param {number} y */
  function extend(x, y) {
    const stroke = edits.stroke;
    if (!stroke) return;
    const radius = state.brushSize / 2 / view.zoom;
    const box = paintLine(stroke.mask, state.width, state.height, stroke.last[0], stroke.last[1], x, y, radius, stroke.erase ? 0 : 255);
    stroke.last = [x, y];
    if (box) {
      stroke.changed = true;
      paintMask(stroke.canvas, stroke.mask, state.width, state.height, stroke.color, box);
    }
  }

  function end() {
    const s = edits.stroke;
    edits.stroke = null;
    if (!s || !s.changed) {
      schedule();
      return;
    }
    const rle = rleFromMask(s.mask, state.width, state.height);
    if (s.targetId) {
      if (!maskArea(s.mask)) store.deleteRegion(s.targetId);
      else store.updateRegion(s.targetId, { format: "rle", rle });
    } else if (maskArea(s.mask)) {
      const id = actions.createRegion("brush", { format: "rle", rle });
      if (id) store.select(id);
    }
    schedule();
  }

  return { start, extend, end };
}

/** @typedef {ReturnType<typeof createBrushStrokes>} BrushStrokes */
