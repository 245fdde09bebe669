// @ts-check
/**
 * The session's global hotkeys (label-studio.md §9.1) on the one keymap: annotation actions,
 * region editing, selection cycling and, in the label stream, task navigation. Single keys obey
 * the "hotkeys enabled" setting; the `always` ones do not.
 */
import { confirmAction } from "../../app/ui.js";
import { canSkip } from "./state.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("../types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("../keymap.js").Keymap} Keymap */
/** @typedef {import("./relation-mode.js").RelationMode} RelationMode */

/** Select the next (step 1) or previous (step -1) visible region, wrapping. @param {AnnotationStore} store @param {number} step */
export function cycleSelection(store, step) {
  const all = store.regions().filter((r) => !r.hidden);
  if (!all.length) return;
  const i = all.findIndex((r) => r.id === store.selectedId);
  const nextIndex = i < 0 ? (step > 0 ? 0 : all.length - 1) : (i + step + all.length) % all.length;
  store.select(all[nextIndex].id);
}

/**
 * @param {object} ctx
 * @param {Keymap} ctx.keymap
 * @param {LabelingSettings} ctx.settings
 * @param {AnnotationStore} ctx.store
 * @param {SessionState} ctx.state     reads readOnly, relationFrom, showSettings
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {RelationMode} ctx.relation
 * @param {object} ctx.actions
 * @param {() => Promise<void>} ctx.actions.submit
 * @param {() => Promise<void>} ctx.actions.skip
 * @param {() => Promise<void>} ctx.actions.next
 * @param {() => Promise<void>} ctx.actions.previous
 * @param {() => void} ctx.actions.showShortcuts
 * @param {() => void} ctx.actions.closeSettings
 * @returns {() => void} remove every binding
 */
export function bindSessionHotkeys({ keymap, settings, store, state, mode, relation, actions }) {
  const selected = () => (store.selectedId ? store.region(store.selectedId) : undefined);
  const bind = /** @type {(combo: string, fn: () => (void|boolean|Promise<void>), description: string, group: string, extra?: {allowInInputs?: boolean, always?: boolean}) => () => void} */ (
    (combo, fn, description, group, extra = {}) => keymap.add(combo, fn, { description, group, scope: "global", always: extra.always, allowInInputs: extra.allowInInputs, when: extra.always ? undefined : () => settings.hotkeysEnabled })
  );
  const offKeys = [
    bind("ctrl+enter", () => actions.submit(), "Submit or update", "Annotation", { allowInInputs: true, always: true }),
    bind("ctrl+z", () => {
      if (state.readOnly) return false;
      store.undo();
    }, "Undo", "Annotation", { always: true }),
    bind("ctrl+shift+z, ctrl+y", () => {
      if (state.readOnly) return false;
      store.redo();
    }, "Redo", "Annotation", { always: true }),
    bind("shift+?", () => actions.showShortcuts(), "Keyboard shortcuts", "Navigation", { always: true }),
    bind("backspace, delete", () => {
      const r = selected();
      if (!r || r.locked || state.readOnly) return false;
      store.deleteRegion(r.id);
    }, "Delete selected region", "Regions"),
    bind("ctrl+backspace", async () => {
      if (state.readOnly || !store.regions().length) return;
      const ok = await confirmAction({ title: "Delete all regions?", message: `All ${store.regions().length} regions of this annotation are removed (Ctrl+Z brings them back).`, confirm: "Delete all", danger: true });
      if (ok) store.transact(() => store.regions().filter((r) => !r.locked).forEach((r) => store.deleteRegion(r.id)));
    }, "Delete all regions", "Regions"),
    bind("u", () => {
      if (!store.selectedId) return false;
      store.select(null);
    }, "Unselect region", "Regions"),
    bind("escape", () => {
      if (state.relationFrom) relation.cancel();
      else if (state.showSettings) actions.closeSettings();
      else if (store.selectedId) store.select(null);
      else return false; // let the page have it (the data manager closes the task)
    }, "Unselect / cancel", "Regions", { always: true }),
    bind("alt+h", () => {
      const r = selected();
      if (r) store.setHidden(r.id, !r.hidden);
    }, "Hide / show selected region", "Regions"),
    bind("ctrl+h", () => {
      const all = store.regions();
      const anyVisible = all.some((r) => !r.hidden);
      all.forEach((r) => store.setHidden(r.id, anyVisible));
    }, "Hide / show all regions", "Regions"),
    bind("alt+l", () => {
      const r = selected();
      if (r) store.setLocked(r.id, !r.locked);
    }, "Lock / unlock selected region", "Regions"),
    bind("alt+r", () => {
      const r = selected();
      if (!r || state.readOnly) return;
      relation.start(r.id);
    }, "Relation from selected region", "Regions"),
    bind("ctrl+d", () => {
      const r = selected();
      if (!r || state.readOnly || !store.duplicateRegion) return false;
      const copy = store.duplicateRegion(r.id);
      if (copy) store.select(copy);
    }, "Duplicate selected region", "Regions"),
    bind("alt+.", () => cycleSelection(store, 1), "Next region", "Regions"),
    bind("alt+,", () => cycleSelection(store, -1), "Previous region", "Regions"),
    // The stream owns task navigation; in task mode the host page (data manager) does.
    ...(mode === "stream"
      ? [
          bind("ctrl+space", () => {
            if (!canSkip(state)) return false;
            actions.skip();
          }, "Skip task", "Annotation", { always: true }),
          bind("shift+down", () => actions.next(), "Next task", "Navigation"),
          bind("shift+up", () => actions.previous(), "Previous task", "Navigation"),
        ]
      : []),
  ];
  return () => offKeys.forEach((fn) => fn());
}
