// @ts-check
/**
 * Annotation tabs: which tab of a task opens first, opening one (its results into the store, a
 * newer draft winning, the interface re-rendered) and starting a new annotation (empty, or a
 * copy of a prediction or an annotation).
 */
import { confirmAction } from "../../app/ui.js";
import { newId } from "../store.js";
import { DraftSync, draftKey, pickDraft } from "../drafts.js";
import { buildEntries, fromPrediction, newEntry } from "./entries.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("./state.js").Redraw} Redraw */
/** @typedef {import("./entries.js").Entry} Entry */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("../types.js").ResultItem} ResultItem */
/** @typedef {import("../drafts.js").LocalDrafts} LocalDrafts */
/** @typedef {import("../leadtime.js").LeadTimer} LeadTimer */
/** @typedef {import("./draft-autosave.js").DraftAutosave} DraftAutosave */
/** @typedef {import("./canvas.js").SessionCanvas} SessionCanvas */

/**
 * @param {object} ctx
 * @param {import("../runtime.js").LabelingApi} ctx.api
 * @param {SessionState} ctx.state
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {AnnotationStore} ctx.store
 * @param {LocalDrafts} ctx.local
 * @param {LeadTimer} ctx.timer
 * @param {DraftAutosave} ctx.autosave
 * @param {SessionCanvas} ctx.canvas
 * @param {() => void} ctx.updateSide
 * @param {Redraw} ctx.redraw
 */
export function createTabs({ api, state, mode, store, local, timer, autosave, canvas, updateSide, redraw }) {
  /** Replace the new-annotation tab (there is at most one). @param {any} prediction @param {any} annotation */
  function addNewEntry(prediction, annotation) {
    const e = newEntry(prediction, annotation);
    state.entries = [...state.entries.filter((x) => x.kind !== "new"), e];
    return e;
  }

  /** Pick what to show first: the user's new-annotation draft, else (stream) a new annotation seeded from the first prediction, else the first annotation. */
  function initialEntry() {
    const { project, task, entries } = state;
    const me = project?.__me;
    const serverNewDraft = (task.drafts || []).find((/** @type {any} */ d) => !d.annotation);
    const localNew = local.get(draftKey(project?.id, task.id, null));
    const firstPrediction = (task.predictions || [])[0];
    const seed = firstPrediction && project?.show_collab_predictions !== false ? firstPrediction : null;
    if (serverNewDraft || (localNew && !localNew.synced) || mode === "stream") {
      const mine = entries.find((e) => e.kind === "annotation" && (me === undefined || e.annotation.completed_by === me));
      if (mode === "stream" && mine && !serverNewDraft && !(localNew && !localNew.synced)) return mine; // back in history: show what I did
      return addNewEntry(seed, null);
    }
    const firstAnnotation = entries.find((e) => e.kind === "annotation");
    if (firstAnnotation) return firstAnnotation;
    return addNewEntry(seed, null);
  }

  /** The tabs of the task just shown; opens the given annotation, else the first tab. @param {number|null} [annotationId] */
  async function openTask(annotationId = null) {
    state.entries = buildEntries(state.task);
    state.entry = null;
    const target = annotationId == null ? undefined : state.entries.find((e) => e.kind === "annotation" && e.annotation.id === annotationId);
    await openEntry(target || initialEntry());
  }

  /** New annotation: empty, or a copy of a prediction / annotation tab. @param {Entry|null} from */
  async function newAnnotation(from) {
    const { project, task } = state;
    if (!task) return;
    const prior = state.entries.find((e) => e.kind === "new");
    if (prior && (state.changed || local.get(draftKey(project?.id, task.id, null)))) {
      const ok = await confirmAction({ title: "Replace the new annotation?", message: "Your unsubmitted new annotation (and its draft) will be replaced.", confirm: "Replace", danger: true });
      if (!ok) return;
    }
    local.remove(draftKey(project?.id, task.id, null));
    const serverDraft = (task.drafts || []).find((/** @type {any} */ d) => !d.annotation);
    if (serverDraft) {
      api.delete(`/api/drafts/${serverDraft.id}/`).catch(() => {});
      task.drafts = task.drafts.filter((/** @type {any} */ d) => d !== serverDraft);
    }
    const e = addNewEntry(from?.kind === "prediction" ? from.prediction : null, from?.kind === "annotation" ? from.annotation : null);
    await openEntry(e, { fresh: true });
  }

  /**
   * Show one tab: results into the store (a newer draft wins), the interface re-rendered.
   * @param {Entry} e @param {{fresh?: boolean}} [opts]
   */
  async function openEntry(e, opts = {}) {
    if (state.entry === e && !opts.fresh) return;
    await autosave.close();
    state.entry = e;
    state.relationFrom = null;
    state.blockers = [];
    state.changed = false;
    state.uniqueId = newId(16);
    state.readOnly = e.kind === "prediction";
    store.readOnly = false; // load() below must be allowed; set again after it
    /** @type {ResultItem[]} */
    let results = [];
    let base = 0;
    if (e.kind === "prediction") {
      results = fromPrediction(e.prediction.result);
    } else {
      const { project, task } = state;
      const annotationId = e.kind === "annotation" ? e.annotation.id : null;
      const key = draftKey(project?.id, task.id, annotationId);
      const serverDraft = (task.drafts || []).find((/** @type {any} */ d) => (d.annotation ?? null) === annotationId) || null;
      const localDraft = opts.fresh ? null : local.get(key);
      const pick = opts.fresh ? null : pickDraft(localDraft, serverDraft);
      if (e.kind === "annotation") {
        results = e.annotation.result || [];
        base = e.annotation.lead_time || 0;
      } else if (e.seed) results = e.seed;
      if (pick === "local" && localDraft) {
        results = localDraft.result;
        base = localDraft.lead_time || base;
      } else if (pick === "server" && serverDraft) {
        results = serverDraft.result || [];
        base = serverDraft.lead_time || base;
      }
      const sync = new DraftSync({
        api,
        taskId: task.id,
        annotationId,
        serverDraftId: serverDraft?.id ?? localDraft?.serverDraftId ?? null,
        key,
        local,
        onStatus: (status) => {
          state.syncStatus = status;
          redraw.bottom();
        },
      });
      state.sync = sync;
      state.syncStatus = pick === "local" && localDraft && !localDraft.synced
        ? { state: "pending", savedAt: null }
        : pick ? { state: "saved", savedAt: Date.parse(serverDraft?.updated_at || "") || localDraft?.savedAt || null } : { state: "idle", savedAt: null };
      // A restored local copy the server has not seen yet goes up now.
      if (pick === "local" && localDraft && !localDraft.synced) sync.save({ result: localDraft.result, lead_time: localDraft.lead_time || 0 });
    }
    timer.reset(base);
    store.load(results);
    store.readOnly = state.readOnly;
    redraw.all();
    const out = await canvas.draw();
    updateSide();
    if (!out.ok) {
      state.loadError = `The labeling config has problems: ${(out.issues || []).map((i) => `${i.line ? `line ${i.line}: ` : ""}${i.message}`).join("; ")}`;
    }
    redraw.all();
  }

  return { openTask, openEntry, newAnnotation };
}

/** @typedef {ReturnType<typeof createTabs>} Tabs */
