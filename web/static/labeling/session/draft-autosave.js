// @ts-check
/**
 * Edits to the open tab mark it changed and go into its draft. A burst of edits costs one
 * serialisation (150 ms); every way of leaving (tab switch, task change, pagehide, hidden tab)
 * calls `saveNow` first, so nothing is lost.
 */

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("./state.js").Redraw} Redraw */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("../leadtime.js").LeadTimer} LeadTimer */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state   writes changed and blockers on edits; saves into state.sync
 * @param {AnnotationStore} ctx.store
 * @param {LeadTimer} ctx.timer
 * @param {Redraw} ctx.redraw
 */
export function createDraftAutosave({ state, store, timer, redraw }) {
  let pending = false;
  /** @type {any} */
  let saveTimer = 0;

  function queue() {
    pending = true;
    if (!saveTimer) saveTimer = setTimeout(saveNow, 150);
  }

  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    if (!pending) return;
    pending = false;
    // Items are immutable: the array itself is a consistent snapshot, no copy needed.
    if (state.sync && !state.readOnly) state.sync.save({ result: store.items, lead_time: timer.seconds() });
  }

  /** Leave the open tab's draft: saved here, sent to the server, closed. */
  async function close() {
    saveNow();
    await state.sync?.flush().catch(() => {});
    state.sync?.close();
    state.sync = null;
  }

  const offStore = store.subscribe((change) => {
    if (change.kind === "edit" || change.kind === "undo" || change.kind === "redo") {
      if (!state.readOnly && state.sync) {
        state.changed = true;
        state.blockers = [];
        timer.activity();
        queue();
        redraw.blockers();
      }
      redraw.bottom();
    }
  });

  return {
    saveNow,
    close,
    /** Edits not yet in the local draft, or a draft the server has not got yet. */
    hasUnsynced: () => pending || Boolean(state.sync?.dirty),
    destroy() {
      saveNow();
      clearTimeout(saveTimer);
      offStore();
    },
  };
}

/** @typedef {ReturnType<typeof createDraftAutosave>} DraftAutosave */
