// @ts-check
/**
 * Finishing a tab: submit (a new annotation, or a prediction as one), update (an annotation),
 * skip and delete, with the required-controls check first. A failed save keeps the draft.
 */
import { toast, confirmAction } from "../../app/ui.js";
import { errorText } from "../../app/api.js";
import { missingRequired } from "../required.js";
import { canSkip } from "./state.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("./state.js").Redraw} Redraw */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("../types.js").TagNode} TagNode */
/** @typedef {import("../leadtime.js").LeadTimer} LeadTimer */
/** @typedef {import("./draft-autosave.js").DraftAutosave} DraftAutosave */
/** @typedef {import("./tabs.js").Tabs} Tabs */
/** @typedef {import("./task-navigation.js").TaskNavigation} TaskNavigation */

/**
 * @param {object} ctx
 * @param {import("../runtime.js").LabelingApi} ctx.api
 * @param {SessionState} ctx.state
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {AnnotationStore} ctx.store
 * @param {() => TagNode|null} ctx.tree
 * @param {LeadTimer} ctx.timer
 * @param {DraftAutosave} ctx.autosave
 * @param {Tabs} ctx.tabs
 * @param {TaskNavigation} ctx.navigation
 * @param {Redraw} ctx.redraw
 * @param {(annotation: Record<string, any>, task: Record<string, any>) => void} [ctx.onSubmitted]
 */
export function createSubmit({ api, state, mode, store, tree, timer, autosave, tabs, navigation, redraw, onSubmitted }) {
  /** Required controls left empty block the submit (and select the first region concerned). */
  function checkRequired() {
    const root = tree();
    if (!root) return true;
    const missing = missingRequired(root, store);
    if (!missing.length) return true;
    state.blockers = missing.map((m) => m.message);
    const withRegion = missing.find((m) => m.regionId);
    if (withRegion?.regionId) store.select(withRegion.regionId);
    redraw.blockers();
    toast(missing[0].message, { kind: "error", timeout: 5000 });
    return false;
  }

  async function submit() {
    if (state.busy || !state.task || !state.entry) return;
    if (state.entry.kind === "prediction") {
      // Submitting a prediction tab submits a copy of it as the user's annotation.
      const from = state.entry;
      await tabs.newAnnotation(from);
    }
    if (!checkRequired()) return;
    const project = state.project;
    const result = store.toResults();
    if (!result.length && project && project.enable_empty_annotation === false) {
      state.blockers = ["This project does not accept empty annotations: label something or skip the task."];
      redraw.blockers();
      return;
    }
    state.busy = true;
    redraw.bottom();
    autosave.saveNow(); // the draft is what a failed submit falls back to
    const lead_time = timer.seconds();
    const current = state.entry;
    try {
      let saved;
      if (current.kind === "annotation") {
        saved = await api.patch(`/api/annotations/${current.annotation.id}/`, { result, lead_time });
        const draft = (state.task.drafts || []).find((/** @type {any} */ d) => d.annotation === current.annotation.id);
        const draftId = state.sync?.serverDraftId || draft?.id;
        state.sync?.discard();
        if (draftId) await api.delete(`/api/drafts/${draftId}/`).catch(() => {});
        toast("Annotation updated", { kind: "success" });
      } else {
        const draftId = state.sync?.serverDraftId || (state.task.drafts || []).find((/** @type {any} */ d) => !d.annotation)?.id || null;
        saved = await api.post(`/api/tasks/${state.task.id}/annotations/`, {
          result,
          lead_time,
          draft_id: draftId,
          parent_prediction: current.kind === "new" ? current.parentPrediction : null,
          parent_annotation: current.kind === "new" ? current.parentAnnotation : null,
          unique_id: state.uniqueId,
        });
        state.sync?.discard();
        toast("Annotation submitted", { kind: "success" });
      }
      state.sync = null;
      state.changed = false;
      onSubmitted?.(saved, state.task);
      state.busy = false;
      // The stream moves on after submit and update alike (P10); a single task stays, showing the result.
      if (mode === "stream") await navigation.next();
      else await navigation.reload(saved?.id);
    } catch (error) {
      toast(`Not saved: ${errorText(error)} — your work is kept on this device.`, { kind: "error" });
    } finally {
      state.busy = false;
      redraw.all();
    }
  }

  async function skip() {
    if (state.busy || !state.task || !canSkip(state)) return;
    state.busy = true;
    redraw.bottom();
    try {
      const draftId = state.sync?.serverDraftId || null;
      await api.post(`/api/tasks/${state.task.id}/annotations/`, { result: store.toResults(), was_cancelled: true, lead_time: timer.seconds(), draft_id: draftId, unique_id: state.uniqueId });
      state.sync?.discard();
      state.sync = null;
      state.changed = false;
      state.busy = false;
      await navigation.next();
    } catch (error) {
      toast(`Skip failed: ${errorText(error)}`, { kind: "error" });
    } finally {
      state.busy = false;
      redraw.all();
    }
  }

  async function deleteAnnotation() {
    const entry = state.entry;
    if (!entry || entry.kind !== "annotation" || state.busy) return;
    const id = entry.annotation.id;
    const ok = await confirmAction({ title: `Delete annotation #${id}?`, message: "Its results are removed for good.", confirm: "Delete", danger: true });
    if (!ok) return;
    state.busy = true;
    try {
      await api.delete(`/api/annotations/${id}/`);
      state.sync?.discard();
      state.sync = null;
      toast(`Annotation #${id} deleted`, { kind: "success" });
      state.busy = false;
      await navigation.reload(null);
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    } finally {
      state.busy = false;
      redraw.all();
    }
  }

  return { submit, skip, deleteAnnotation };
}
