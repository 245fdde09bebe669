// @ts-check
/**
 * Which task is shown: loading one, the label stream's next / previous (history in this browser
 * session, then the server's next task, then "All done"), and reloading the task after an
 * update or delete.
 */
import { toast } from "../../app/ui.js";
import { errorText } from "../../app/api.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("./state.js").Redraw} Redraw */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./stream-history.js").StreamHistory} StreamHistory */
/** @typedef {import("./draft-autosave.js").DraftAutosave} DraftAutosave */
/** @typedef {import("./canvas.js").SessionCanvas} SessionCanvas */
/** @typedef {import("./tabs.js").Tabs} Tabs */

/**
 * @param {object} ctx
 * @param {import("../runtime.js").LabelingApi} ctx.api
 * @param {SessionState} ctx.state
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {{view?: number, tasks?: number[]}} [ctx.streamScope]
 * @param {AnnotationStore} ctx.store
 * @param {StreamHistory} ctx.history
 * @param {DraftAutosave} ctx.autosave
 * @param {Tabs} ctx.tabs
 * @param {SessionCanvas} ctx.canvas
 * @param {Redraw} ctx.redraw
 * @param {(task: Record<string, any>|null) => void} [ctx.onTaskChange]
 * @param {() => import("../types.js").TagNode|null} [ctx.tree]  the config's tags (to disarm their labels)
 */
export function createTaskNavigation({ api, state, mode, streamScope, store, history, autosave, tabs, canvas, redraw, onTaskChange, tree }) {
  /**
   * A label armed on one task is never carried into another, whatever "keep label selected"
   * says (that setting is about the regions of one task): a stray armed label invites
   * accidental regions on the next task.
   */
  function disarmAll() {
    /** @type {Set<string>} */
    const names = new Set();
    /** @param {any} node */
    const walk = (node) => {
      if (!node) return;
      for (const key of ["name", "toName"]) {
        for (const name of String(node.attrs?.[key] || "").split(",")) if (name.trim()) names.add(name.trim());
      }
      (node.children || []).forEach(walk);
    };
    walk(tree?.());
    for (const name of names) if (store.armed(name)) store.arm(name, null);
  }

  /** @param {number} id */
  async function loadTask(id) {
    return api.get(`/api/tasks/${id}/`);
  }

  /** @param {any} t @param {{pushHistory?: boolean}} [opts] */
  async function showTask(t, opts = {}) {
    await autosave.close();
    if (state.task?.id !== t.id) disarmAll();
    state.task = t;
    state.exhausted = false;
    state.loadError = null;
    if (mode === "stream" && opts.pushHistory) history.push(t.id);
    await tabs.openTask();
    onTaskChange?.(t);
  }

  /** Re-fetch the task (after update/delete) and show the given annotation. @param {number|null|undefined} annotationId */
  async function reload(annotationId) {
    state.task = await loadTask(state.task.id);
    await tabs.openTask(annotationId);
  }

  /** The stream has no task left for this annotator. */
  function finish() {
    disarmAll();
    state.exhausted = true;
    state.task = null;
    state.entries = [];
    state.entry = null;
    store.load([]);
    canvas.showExhausted();
    redraw.side();
    onTaskChange?.(null);
  }

  /** Leaving a task keeps the draft (local + server), so only a failed sync needs a word. */
  async function leaveEntryOk() {
    autosave.saveNow();
    if (!state.sync || !state.changed) return true;
    await state.sync.flush().catch(() => {});
    return true;
  }

  /** Run a task change with the session busy; a failure is a toast. @param {() => Promise<void>} change */
  async function busyWhile(change) {
    state.busy = true;
    redraw.bottom();
    try {
      await change();
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    } finally {
      state.busy = false;
      redraw.all();
    }
  }

  async function next() {
    if (state.busy) return;
    if (!(await leaveEntryOk())) return;
    const h = history.read();
    await busyWhile(async () => {
      if (h.pos >= 0 && h.pos < h.ids.length - 1) {
        const id = h.ids[h.pos + 1];
        history.write({ ids: h.ids, pos: h.pos + 1 });
        await showTask(await loadTask(id));
        return;
      }
      let t;
      try {
        const scope = streamScope || {};
        t = await api.get(`/api/projects/${state.project?.id}/next/`, { view: scope.view, tasks: scope.tasks?.join(",") });
      } catch (error) {
        if (/** @type {any} */ (error)?.status === 404) {
          finish();
          return;
        }
        throw error;
      }
      await showTask(t, { pushHistory: true });
    });
  }

  async function previous() {
    if (state.busy) return;
    const h = history.read();
    if (h.pos <= 0) return;
    if (!(await leaveEntryOk())) return;
    await busyWhile(async () => {
      history.write({ ids: h.ids, pos: h.pos - 1 });
      await showTask(await loadTask(h.ids[h.pos - 1]));
    });
  }

  return { loadTask, showTask, reload, next, previous };
}

/** @typedef {ReturnType<typeof createTaskNavigation>} TaskNavigation */
