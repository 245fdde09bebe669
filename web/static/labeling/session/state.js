// @ts-check
/**
 * The session's shared state: one small object every part of the labeling screen reads and
 * writes (which task, which tab, busy, drafts, open panels), so no part hides state another
 * needs in its own closure. Also the redraw hooks the parts call after changing it.
 */

/** @typedef {import("../drafts.js").DraftSync} DraftSync */
/** @typedef {import("../drafts.js").SyncStatus} SyncStatus */
/** @typedef {import("./entries.js").Entry} Entry */

/**
 * @typedef {object} SessionState
 * @property {Record<string, any>|null} project
 * @property {any} task                 the task shown (null before the first and after the last)
 * @property {Entry[]} entries          the annotation tabs of the task
 * @property {Entry|null} entry         the open tab
 * @property {boolean} readOnly         a prediction tab is open
 * @property {boolean} busy             a submit / skip / delete / task change is under way
 * @property {boolean} loading          the first task is not shown yet
 * @property {boolean} exhausted        the stream has no more tasks
 * @property {string|null} loadError
 * @property {string[]} blockers        why the annotation cannot be submitted (required controls ...)
 * @property {DraftSync|null} sync      the open tab's draft (null for predictions)
 * @property {SyncStatus} syncStatus
 * @property {boolean} changed          edits since this tab was opened (or last submitted)
 * @property {boolean} showInstructions
 * @property {boolean} showSettings
 * @property {string|null} relationFrom region a relation is being drawn from (alt+r)
 * @property {string} uniqueId          idempotency key of the next submit / skip
 * @property {boolean} destroyed
 */

/**
 * Redraw the parts of the screen after a state change. `all` does nothing once destroyed.
 * @typedef {object} Redraw
 * @property {() => void} top
 * @property {() => void} bottom
 * @property {() => void} blockers
 * @property {() => void} all
 * @property {() => void} side
 */

/** @param {Record<string, any>|null} project @param {string} uniqueId @returns {SessionState} */
export function createSessionState(project, uniqueId) {
  return {
    project,
    task: null,
    entries: [],
    entry: null,
    readOnly: false,
    busy: false,
    loading: true,
    exhausted: false,
    loadError: null,
    blockers: [],
    sync: null,
    syncStatus: { state: "idle", savedAt: null },
    changed: false,
    showInstructions: false,
    showSettings: false,
    relationFrom: null,
    uniqueId,
    destroyed: false,
  };
}

/** Whether the open task may be skipped: the project and task allow it, and the tab is not a submitted annotation. @param {SessionState} state */
export function canSkip(state) {
  return state.project?.show_skip_button !== false && state.task?.allow_skip !== false && state.entry?.kind !== "annotation";
}
