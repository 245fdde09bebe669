// @ts-check
/**
 * Changes the widget makes to the annotation store: create a region from a drawn shape (for the
 * armed label, in percent of the image), commit an edited shape, close the polygon being drawn,
 * nudge and duplicate the selected region.
 */
import { valueOf, moveShape } from "../geometry.js";
import { creationTarget } from "./tools.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("../geometry.js").Shape} Shape */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./tools.js").Tool} Tool */
/** @typedef {import("./regions.js").RegionLayer} RegionLayer */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {string} deps.name the Image tag's name
 * @param {TagNode[]} deps.controls controls drawing on this image
 * @param {boolean} deps.multi a multi-image task (regions carry their item_index)
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits
 * @param {ViewTransform} deps.view
 * @param {RegionLayer} deps.layer
 * @param {() => void} deps.drawStatus
 * @param {() => void} deps.schedule
 */
export function createRegionActions({ ctx, name, controls, multi, state, edits, view, layer, drawStatus, schedule }) {
  const store = ctx.store;

  function extraFields() {
    /** @type {Record<string, any>} */
    const extra = { original_width: state.width, original_height: state.height, image_rotation: 0 };
    if (multi) extra.item_index = state.page;
    return extra;
  }

  /**
   * @param {Tool} tool @param {Record<string, any>} geometry percent value keys
   * @returns {string|null} the new region's id
   */
  function createRegion(tool, geometry) {
    const target = creationTarget(tool, store.armed(name), controls);
    if ("error" in target) {
      state.hint = target.error;
      drawStatus();
      return null;
    }
    const value = { ...geometry };
    if (target.labels) value[target.type] = target.labels;
    let id = null;
    store.transact(() => {
      id = store.createRegion({ from_name: target.from_name, to_name: name, type: target.type, value, ...extraFields() });
      if (target.extra) store.setRegionLabels(/** @type {any} */ (id), target.extra.from_name, "labels", target.extra.labels);
    });
    state.hint = "";
    drawStatus();
    return id;
  }

  /** @param {string} id @param {Shape} shape */
  function commitShape(id, shape) {
    store.updateRegion(id, valueOf(shape, state.width, state.height));
  }

  /** The selected region, when it is one of this image (and page). */
  function selectedEntry() {
    const id = store.selectedId;
    return id ? layer.byId.get(id) : undefined;
  }

  /** Close the polygon being drawn into a region (it needs 3 points). */
  function finishPolygon() {
    const draft = edits.draft;
    if (!draft || draft.kind !== "polygon") return;
    const points = draft.points;
    edits.draft = null;
    if (points.length < 3) {
      state.hint = "A polygon needs at least 3 points.";
      drawStatus();
      schedule();
      return;
    }
    createRegion("polygon", valueOf({ kind: "polygon", points, closed: true }, state.width, state.height));
    schedule();
  }

  /** @param {number} dx @param {number} dy image pixels */
  function nudge(dx, dy) {
    const entry = selectedEntry();
    if (!entry || entry.locked) return;
    commitShape(entry.id, moveShape(entry.shape, dx, dy, state.width, state.height));
  }

  function duplicateSelected() {
    const entry = selectedEntry();
    if (!entry || ctx.readOnly) return;
    const region = entry.region;
    const offset = Math.max(4, 10 / view.zoom);
    const shape = entry.shape.kind === "mask" ? entry.shape : moveShape(entry.shape, offset, offset, state.width, state.height);
    const geometry = entry.shape.kind === "mask" ? {} : valueOf(shape, state.width, state.height);
    store.transact(() => {
      const [main, ...rest] = region.items;
      const { id: _id, from_name, to_name, type, value, origin: _o, ...extra } = /** @type {any} */ (main);
      const id = store.createRegion({ from_name, to_name, type, value: { ...value, ...geometry }, ...extra });
      for (const item of rest) {
        if (item.type === "relation") continue;
        const own = Object.keys(item.value || {}).find((k) => Array.isArray(item.value?.[k]) && !["points", "rle"].includes(k));
        if (own) store.setRegionLabels(id, String(item.from_name), item.type, item.value?.[own]);
      }
      store.select(id);
    });
  }

  return { createRegion, commitShape, selectedEntry, finishPolygon, nudge, duplicateSelected };
}

/** @typedef {ReturnType<typeof createRegionActions>} RegionActions */
