// @ts-check
/**
 * The labeling screen around the interface, as a composition root: it builds the shared state
 * and wires the parts under session/ (one job each), then loads the first task.
 *
 *   state.js            the one state object the parts share, and the redraw hooks
 *   layout.js           the static skeleton (top, blockers, canvas, side, bottom)
 *   canvas.js           the interface in the canvas, or "All done"
 *   entries.js / tabs.js  the annotation tabs of a task; opening one, starting a new one
 *   task-navigation.js  loading a task, the stream's next / previous
 *   submit.js           submit / update / skip / delete, with the required check
 *   draft-autosave.js   edits into the open tab's draft; page-lifecycle.js: leaving the page
 *   top-bar.js, bottom-bar.js, blockers.js, side-panel.js, instructions.js, settings-panel.js
 *   hotkeys.js, relation-mode.js, shortcuts-dialog.js, stream-history.js, current-user.js
 */
import { render, nothing } from "lit";
import { errorText } from "../app/api.js";
import { newId } from "./store.js";
import { LeadTimer } from "./leadtime.js";
import { LocalDrafts } from "./drafts.js";
import { mountOutliner } from "./outliner.js";
import { createSessionState } from "./session/state.js";
import { mountLayout } from "./session/layout.js";
import { streamHistory } from "./session/stream-history.js";
import { markCurrentUser } from "./session/current-user.js";
import { createSidePanel } from "./session/side-panel.js";
import { createReviewPanels } from "./review-panels.js";
import { createCanvas } from "./session/canvas.js";
import { createDraftAutosave } from "./session/draft-autosave.js";
import { createRelationMode } from "./session/relation-mode.js";
import { createTabs } from "./session/tabs.js";
import { createTaskNavigation } from "./session/task-navigation.js";
import { createSubmit } from "./session/submit.js";
import { createInstructions } from "./session/instructions.js";
import { createSettingsPanel } from "./session/settings-panel.js";
import { openShortcutsDialog } from "./session/shortcuts-dialog.js";
import { createTopBar } from "./session/top-bar.js";
import { createBottomBar } from "./session/bottom-bar.js";
import { createBlockers } from "./session/blockers.js";
import { watchPage } from "./session/page-lifecycle.js";
import { bindSessionHotkeys } from "./session/hotkeys.js";
import { createMlAssist } from "./ml-assist.js";

/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./keymap.js").Keymap} Keymap */
/** @typedef {import("./session/entries.js").Entry} Entry */
/** @typedef {import("./session/state.js").Redraw} Redraw */

/** @param {TagNode|null} tree @param {string} name @returns {TagNode|undefined} */
function findByName(tree, name) {
  if (!tree) return undefined;
  if (tree.attrs?.name === name) return tree;
  for (const child of tree.children || []) {
    const hit = findByName(child, name);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * @param {HTMLElement} el
 * @param {object} o
 * @param {import("./runtime.js").LabelingApi} o.api
 * @param {Record<string, any>} [o.project]
 * @param {"stream"|"task"|"preview"} o.mode
 * @param {number} [o.taskId]
 * @param {{view?: number, tasks?: number[]}} [o.streamScope]
 * @param {string} [o.labelConfig]
 * @param {AnnotationStore} o.store
 * @param {Keymap} o.keymap
 * @param {LabelingSettings} o.settings
 * @param {(target: HTMLElement, config: string, task: any, readOnly: boolean) => Promise<{ok: boolean, issues?: any[]}>} o.render
 * @param {() => TagNode|null} o.tree
 * @param {() => string} [o.getConfig]  the config to render (the runtime's, which update() may change)
 * @param {() => void} o.unmountView
 * @param {(task: Record<string, any>|null) => void} [o.onTaskChange]
 * @param {(annotation: Record<string, any>, task: Record<string, any>) => void} [o.onSubmitted]
 */
export async function mountSession(el, o) {
  const { api, store, keymap, settings, mode } = o;
  const state = createSessionState(o.project || null, newId(16));
  const local = new LocalDrafts();
  const timer = new LeadTimer();
  const history = streamHistory(() => state.project?.id);
  const layout = mountLayout(el);
  const outliner = mountOutliner(layout.outliner, {
    store,
    byName: (name) => findByName(o.tree(), name),
    readOnly: () => state.readOnly,
  });

  /** @type {Redraw} */
  const redraw = {
    top: () => topBar.draw(),
    bottom: () => bottomBar.draw(),
    blockers: () => blockers.draw(),
    side: () => (side.update(), void reviewPanels.update()),
    all() {
      if (state.destroyed) return;
      topBar.draw();
      bottomBar.draw();
      blockers.draw();
    },
  };

  const side = createSidePanel({ root: layout.root, tree: o.tree, store, showInstructions: () => state.showInstructions, done: () => state.exhausted });
  const reviewPanels = createReviewPanels({ api, state, root: layout.root, store, redrawCanvas: () => canvas.draw() });
  const canvas = createCanvas({
    state,
    host: layout.canvas,
    renderInterface: o.render,
    config: () => o.getConfig?.() || o.labelConfig || state.project?.label_config || "",
    unmountView: o.unmountView,
    updateSide: redraw.side,
  });
  const autosave = createDraftAutosave({ state, store, timer, redraw });
  const relation = createRelationMode({ state, store, redrawBottom: redraw.bottom });
  const tabs = createTabs({ api, state, mode, store, local, timer, autosave, canvas, updateSide: redraw.side, redraw });
  // Predictions on opening a task and smart-tool suggestions (issue 22); never blocks a task.
  const ml = createMlAssist({ api, state, store, keymap, tree: o.tree, before: layout.canvas, tabs });
  const onTaskChange = (/** @type {Record<string, any>|null} */ t) => {
    ml.taskShown(t);
    o.onTaskChange?.(t);
  };
  const navigation = createTaskNavigation({ api, state, mode, streamScope: o.streamScope, store, history, autosave, tabs, canvas, redraw, onTaskChange, tree: o.tree });
  const finishing = createSubmit({ api, state, mode, store, tree: o.tree, timer, autosave, tabs, navigation, redraw, onSubmitted: o.onSubmitted });
  const instructions = createInstructions({ state, host: layout.instructions, updateSide: redraw.side, redrawTop: redraw.top });
  const settingsPanel = createSettingsPanel({ state, root: layout.root, settings, rerender: canvas.rerender, redrawTop: redraw.top });
  const showShortcuts = () => openShortcutsDialog(keymap, settings);
  const topBar = createTopBar({
    state,
    host: layout.top,
    mode,
    history,
    local,
    settingsPanel,
    actions: { openEntry: tabs.openEntry, newAnnotation: tabs.newAnnotation, toggleInstructions: instructions.toggle, showShortcuts },
  });
  const bottomBar = createBottomBar({
    state,
    host: layout.bottom,
    mode,
    store,
    history,
    actions: { previous: navigation.previous, next: navigation.next, deleteAnnotation: finishing.deleteAnnotation, skip: finishing.skip, submit: finishing.submit },
  });
  const blockers = createBlockers({ state, host: layout.blockers });
  const stopWatchingPage = watchPage({ state, timer, autosave });
  const unbindHotkeys = bindSessionHotkeys({
    keymap,
    settings,
    store,
    state,
    mode,
    relation,
    actions: { submit: finishing.submit, skip: finishing.skip, next: navigation.next, previous: navigation.previous, showShortcuts, closeSettings: settingsPanel.close },
  });

  ml.bindKeys();

  async function start() {
    try {
      if (!state.project && o.taskId) {
        const t = await navigation.loadTask(o.taskId);
        state.project = await api.get(`/api/projects/${t.project}/`);
      }
      await markCurrentUser(api, state.project);
      state.showInstructions = Boolean(state.project?.show_instruction && state.project?.expert_instruction);
      instructions.draw();
      if (mode === "task" || o.taskId) {
        const t = await navigation.loadTask(/** @type {number} */ (o.taskId));
        await navigation.showTask(t, { pushHistory: mode === "stream" });
      } else {
        await navigation.next();
      }
    } catch (error) {
      state.loadError = errorText(error);
    } finally {
      state.loading = false;
      canvas.settle();
      redraw.all();
    }
  }
  redraw.all();
  const ready = start();

  return {
    ready,
    submit: finishing.submit,
    skip: finishing.skip,
    next: navigation.next,
    previous: navigation.previous,
    newAnnotation: () => tabs.newAnnotation(null),
    rerender: canvas.rerender,
    get task() {
      return state.task;
    },
    get entry() {
      return state.entry;
    },
    /** Reload the review state, history and comments (after a review). */
    refreshReview: () => reviewPanels.refresh(),
    get loading() {
      return state.loading;
    },
    leadTime: () => timer.seconds(),
    flush: () => (autosave.saveNow(), state.sync?.flush()),
    destroy() {
      state.destroyed = true;
      autosave.destroy();
      settingsPanel.destroy();
      state.sync?.flush().catch(() => {});
      state.sync?.close();
      relation.destroy();
      ml.destroy();
      reviewPanels.destroy();
      unbindHotkeys();
      outliner.destroy();
      bottomBar.destroy();
      stopWatchingPage();
      render(nothing, layout.root);
      layout.root.remove();
    },
  };
}
