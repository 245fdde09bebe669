// @ts-check
/**
 * The image's keyboard shortcuts, all through the runtime's keymap (`ctx.hotkey`): tools, brush
 * size, zoom, rotation, image paging and duplicate; plus two sets bound only while they apply —
 * Enter / Esc / Backspace while a polygon is being drawn, and arrow nudging while a region of
 * this image is selected (otherwise the runtime's own bindings for those keys work).
 */
import { TOOLS } from "./tools.js";
import { bool } from "./image-state.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("./tools.js").Tool} Tool */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */
/** @typedef {import("./viewport.js").Viewport} Viewport */
/** @typedef {import("./region-actions.js").RegionActions} RegionActions */

/**
 * Bind the always-on shortcuts now; the returned `sync*` functions bind or unbind the others.
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {Record<string, any>} deps.attrs the Image tag's attributes (rotateControl)
 * @param {Tool[]} deps.tools tools the image offers
 * @param {boolean} deps.multi a multi-image task
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits
 * @param {Viewport} deps.viewport
 * @param {RegionActions} deps.actions
 * @param {(tool: Tool) => void} deps.setTool
 * @param {(page: number) => void} deps.goPage
 * @param {() => void} deps.drawStatus
 * @param {() => void} deps.schedule
 */
export function bindImageHotkeys({ ctx, attrs, tools, multi, state, edits, viewport, actions, setTool, goPage, drawStatus, schedule }) {
  /** @type {(() => void)[]} */
  const offKeys = [];
  /** @param {string} combo @param {(e: KeyboardEvent) => void} fn @param {string} description @param {string} [group] */
  const key = (combo, fn, description, group = "Image tools") => offKeys.push(ctx.hotkey(combo, fn, { description, group }));
  for (const t of tools) key(TOOLS[t].key, () => setTool(t), `${TOOLS[t].title} tool`);
  if (tools.includes("brush")) {
    key("[", () => { state.brushSize = Math.max(2, state.brushSize - 4); drawStatus(); schedule(); }, "Smaller brush");
    key("]", () => { state.brushSize = Math.min(200, state.brushSize + 4); drawStatus(); schedule(); }, "Bigger brush");
  }
  key("ctrl+=, ctrl++", () => viewport.zoomBy(1.25), "Zoom in");
  key("ctrl+-", () => viewport.zoomBy(0.8), "Zoom out");
  key("shift+1", () => viewport.fit("fit"), "Zoom to fit");
  key("shift+2", () => viewport.fit("original"), "Zoom to 100%");
  if (bool(attrs.rotateControl)) {
    key("alt+left", () => viewport.rotateView(-90), "Rotate image left");
    key("alt+right", () => viewport.rotateView(90), "Rotate image right");
  }
  if (multi) {
    key("ctrl+left", () => goPage(state.page - 1), "Previous image", "Multi-image");
    key("ctrl+right", () => goPage(state.page + 1), "Next image", "Multi-image");
  }
  key("ctrl+d", (event) => {
    event?.preventDefault?.();
    actions.duplicateSelected();
  }, "Duplicate selected region", "Regions");

  /** Hotkeys live only while a polygon is being drawn. @type {(() => void)[]} */
  let draftKeys = [];
  // Enter / Esc / Backspace belong to the polygon only while one is being drawn; otherwise the
  // runtime's own bindings (unselect, cancel a relation, delete the selected region) apply.
  function syncDraftKeys() {
    const drawing = Boolean(edits.draft && edits.draft.kind === "polygon");
    if (drawing && !draftKeys.length) {
      const opts = (/** @type {string} */ description) => ({ description, group: "Image tools" });
      draftKeys.push(ctx.hotkey("enter", () => actions.finishPolygon(), opts("Close the polygon being drawn")));
      draftKeys.push(ctx.hotkey("escape", () => {
        edits.draft = null;
        schedule();
      }, opts("Cancel the polygon being drawn")));
      draftKeys.push(ctx.hotkey("backspace, delete", () => {
        const draft = edits.draft;
        if (!draft || draft.kind !== "polygon") return;
        draft.points.pop();
        if (!draft.points.length) edits.draft = null;
        schedule();
      }, opts("Remove the last polygon point")));
    } else if (!drawing && draftKeys.length) {
      draftKeys.forEach((off) => off());
      draftKeys = [];
    }
  }

  // Arrow nudging exists only while a region of this image is selected, so plain Shift+↑/↓
  // keep moving between tasks otherwise.
  /** @type {(() => void)[]} */
  let nudgeKeys = [];
  function syncNudgeKeys() {
    const entry = actions.selectedEntry();
    const want = Boolean(entry && !entry.locked && !ctx.readOnly && entry.shape.kind !== "mask");
    if (want && !nudgeKeys.length) {
      for (const [combo, dx, dy] of /** @type {[string, number, number][]} */ ([["left", -1, 0], ["right", 1, 0], ["up", 0, -1], ["down", 0, 1]])) {
        nudgeKeys.push(ctx.hotkey(combo, () => actions.nudge(dx, dy), { description: "Nudge selected region 1 px", group: "Regions" }));
        nudgeKeys.push(ctx.hotkey(`shift+${combo}`, () => actions.nudge(dx * 10, dy * 10), { description: "Nudge selected region 10 px", group: "Regions" }));
      }
    } else if (!want && nudgeKeys.length) {
      nudgeKeys.forEach((off) => off());
      nudgeKeys = [];
    }
  }

  return {
    syncDraftKeys,
    syncNudgeKeys,
    /** Unbind every shortcut. */
    dispose() {
      offKeys.forEach((off) => off());
      nudgeKeys.forEach((off) => off());
      draftKeys.forEach((off) => off());
    },
  };
}
