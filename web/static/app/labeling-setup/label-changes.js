// @ts-check
/**
 * The label-changes dialog of the labeling setup's save flow (P7: config changes are
 * migrations, not walls). When a new config drops labels that results use (renamed in the
 * visual editor, or gone from the XML), it lists each change with the annotations, predictions
 * and drafts it touches and a few items before and after, lets the user say what each vanished
 * label became (renamed to a new label, merged into an existing one, removed from results), and
 * on confirm applies the changes with the new config in one transaction
 * (`POST /api/projects/{id}/label-changes/apply`); big projects run it as a job whose progress
 * is shown here.
 *
 *     const outcome = await migrateLabels({ projectId, before, after, renames });
 *     // {status: "plain"}: nothing in use changes, save the config as usual
 *     // {status: "applied", project}: saved; {status: "cancelled"}
 */
import { html, nothing, render } from "lit";
import { api, errorText } from "../api.js";
import { plugins } from "../state.js";
import { icon, openDialog } from "../ui.js";
import {
  allDecided, countsText, inUse, itemLabels, itemWhere, kindOf, labelsByControl, needsMigration, toChanges,
  usageByLabel, usageOf, vanishedLabels,
} from "./label-changes-model.js";

/** @typedef {import("./label-changes-model.js").Candidate} Candidate */
/** @typedef {import("./label-changes-model.js").Usage} Usage */
/** @typedef {import("./label-changes-model.js").Example} Example */
/** @typedef {{status: "plain"} | {status: "cancelled"} | {status: "applied", project: Record<string, any>}} Outcome */

const JOB_POLL_MS = 500;

const STYLES = `
.lc-dialog .modal-body { max-height: min(80vh, 760px); overflow: auto; }
.lc-intro { color: var(--text-2); margin: 0 0 var(--space-4); }
.lc-list { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-3); }
.lc-change { border: 1px solid var(--border); border-radius: var(--radius); padding: var(--space-3) var(--space-4); background: var(--surface); }
.lc-change.lc-undecided { border-color: var(--warning); }
.lc-head { display: flex; flex-wrap: wrap; align-items: center; gap: var(--space-2) var(--space-3); }
.lc-control { font-size: 12px; color: var(--text-3); font-family: var(--mono); }
.lc-label { font-weight: 600; padding: 2px 8px; border-radius: 999px; background: var(--surface-3); color: var(--text); }
.lc-label.lc-new { background: var(--accent-soft); color: var(--text); }
.lc-label.lc-gone { text-decoration: line-through; background: var(--danger-soft); }
.lc-head select { min-width: 220px; }
.lc-counts { margin-left: auto; color: var(--text-2); font-size: 13px; white-space: nowrap; }
.lc-examples { margin: var(--space-2) 0 0; padding: 0; list-style: none; font-size: 13px; color: var(--text-2); display: grid; gap: 2px; }
.lc-examples li { display: flex; gap: var(--space-2); align-items: baseline; flex-wrap: wrap; }
.lc-examples .lc-where { color: var(--text-3); }
.lc-examples code { font-family: var(--mono); font-size: 12px; color: var(--text); }
.lc-problems { border: 1px solid var(--danger); background: var(--danger-soft); color: var(--text); border-radius: var(--radius); padding: var(--space-3) var(--space-4); margin-top: var(--space-4); }
.lc-problems ul { margin: var(--space-1) 0 0; padding-left: 20px; }
.lc-summary { color: var(--text-2); margin-right: auto; align-self: center; font-size: 13px; }
.lc-progress { margin-top: var(--space-4); }
.lc-progress progress { width: 100%; height: 10px; }
.lc-note { font-size: 12px; color: var(--text-3); margin: var(--space-3) 0 0; }
`;

function useDialogStyles() {
  if (document.getElementById("lc-styles")) return;
  const style = document.createElement("style");
  style.id = "lc-styles";
  style.textContent = STYLES;
  document.head.append(style);
}

/**
 * Ask the user about label changes between two configs and apply them with the new one.
 * @param {{projectId: number, before: string, after: string, renames?: import("./config-model.js").Rename[]}} options
 * @returns {Promise<Outcome>}
 */
export async function migrateLabels({ projectId, before, after, renames = [] }) {
  const tags = (await plugins())?.tags || {};
  const oldLabels = labelsByControl(before, tags);
  const newLabels = labelsByControl(after, tags);
  if (!oldLabels || !newLabels) return { status: "plain" };
  /** @type {Candidate[]} */
  const candidates = vanishedLabels(oldLabels, newLabels, renames);
  if (!candidates.length) return { status: "plain" };
  const base = `/api/projects/${projectId}/label-changes`;
  /** @param {Candidate[]} list */
  const preview = (list) => api.post(`${base}/preview`, { label_config: after, changes: toChanges(list, { countUndecided: true }) });
  let answer = await preview(candidates);
  let usage = usageByLabel(answer.changes);
  if (!needsMigration(candidates, usage)) return { status: "plain" };
  const shown = inUse(candidates, usage);

  useDialogStyles();
  let busy = false;
  let stale = false;
  let error = "";
  /** @type {{progress: number, message: string}|null} */
  let job = null;
  /** @type {(value?: Outcome) => void} */
  let close = () => {};
  /** @type {HTMLElement|null} */
  let host = null;
  let sequence = 0;

  async function refresh() {
    const mine = ++sequence;
    stale = true;
    draw();
    try {
      const next = await preview(candidates);
      if (mine !== sequence) return;
      answer = next;
      usage = usageByLabel(answer.changes);
      error = "";
    } catch (e) {
      if (mine === sequence) error = errorText(e);
    }
    if (mine === sequence) {
      stale = false;
      draw();
    }
  }

  /** @param {Candidate} c @param {string} value */
  function decide(c, value) {
    c.decision = value;
    refresh();
  }

  async function confirm() {
    busy = true;
    error = "";
    draw();
    try {
      const outcome = await api.post(`${base}/apply`, { label_config: after, changes: toChanges(candidates) });
      if (outcome.applied) {
        close({ status: "applied", project: outcome.project });
        return;
      }
      job = { progress: 0, message: "Queued" };
      draw();
      const done = await follow(outcome.job.id);
      if (done.status !== "complete") throw new Error(done.error || "The label changes failed; nothing was changed.");
      close({ status: "applied", project: await api.get(`/api/projects/${projectId}`) });
    } catch (e) {
      error = errorText(e);
      busy = false;
      job = null;
      draw();
    }
  }

  /** @param {number} jobId @returns {Promise<any>} */
  async function follow(jobId) {
    for (;;) {
      const state = await api.get(`/api/jobs/${jobId}`);
      if (["complete", "failed", "aborted"].includes(state.status)) return state;
      job = { progress: state.progress || 0, message: state.message || "Working" };
      draw();
      await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    }
  }

  /** @param {Example} e @param {Candidate} c */
  function example(e, c) {
    const where = itemWhere(e.before);
    return html`<li><span>Task ${e.task} · ${e.source}</span>${where ? html`<span class="lc-where">${where}</span>` : nothing}
      <code>${itemLabels(e.before)}</code> <span aria-label="becomes">→</span>
      ${!c.decision ? html`<em>to be decided</em>` : e.after ? html`<code>${itemLabels(e.after)}</code>` : html`<em>item deleted</em>`}</li>`;
  }

  /** @param {Candidate} c */
  function row(c) {
    const u = usageOf(usage, c);
    const id = `lc-${c.from_name}-${c.from}`.replace(/[^\w-]/g, "_");
    return html`<li class="lc-change ${c.decision ? "" : "lc-undecided"}">
      <div class="lc-head">
        <span class="lc-control" title="Control">${c.from_name}</span>
        <span class="lc-label lc-gone">${c.from}</span>
        <select id=${id} aria-label="What ${c.from} of ${c.from_name} became" ?disabled=${busy}
          @change=${(/** @type {Event} */ e) => decide(c, /** @type {HTMLSelectElement} */ (e.target).value)}>
          <option value="" ?selected=${!c.decision} disabled>Choose what it became…</option>
          ${c.renames.length ? html`<optgroup label="Renamed to">${c.renames.map((l) => html`<option value=${l} ?selected=${c.decision === l}>Renamed to ${l}</option>`)}</optgroup>` : nothing}
          ${c.merges.length ? html`<optgroup label="Merged into">${c.merges.map((l) => html`<option value=${l} ?selected=${c.decision === l}>Merged into ${l}</option>`)}</optgroup>` : nothing}
          <option value="remove" ?selected=${c.decision === "remove"}>Removed from results</option>
        </select>
        <span class="lc-counts">${countsText(u)}</span>
      </div>
      ${u?.examples?.length ? html`<ul class="lc-examples" aria-label="Examples of ${c.from}">${u.examples.map((e) => example(e, c))}</ul>` : nothing}
    </li>`;
  }

  function summary() {
    const totals = answer.totals || { annotations: 0, predictions: 0, drafts: 0 };
    return countsText({ ...totals, from_name: "", examples: [] });
  }

  function body() {
    const ready = allDecided(candidates, usage) && answer.valid && !stale && !busy;
    const removing = shown.filter((c) => kindOf(c) === "remove");
    return html`<div class="modal-body">
      <h2 id="lc-title">Existing results use labels this config changes</h2>
      <p class="lc-intro">Say what each label became. Saving rewrites the results that use it, together with the new configuration: all of it or nothing.</p>
      <ul class="lc-list">${shown.map(row)}</ul>
      ${answer.problems?.length && allDecided(candidates, usage) && !stale
        ? html`<div class="lc-problems" role="alert"><strong>The new configuration would still not fit existing annotations:</strong>
            <ul>${answer.problems.map((/** @type {string} */ p) => html`<li>${p}</li>`)}</ul></div>`
        : nothing}
      ${error ? html`<div class="lc-problems" role="alert">${error}</div>` : nothing}
      ${job ? html`<div class="lc-progress" role="status" aria-live="polite">
          <progress max="1" .value=${job.progress} aria-label="Label changes progress"></progress>
          <div class="lc-note">${job.message} · ${Math.round(job.progress * 100)}%</div></div>` : nothing}
      ${removing.length ? html`<p class="lc-note">${icon("warning", 12)} Removing a label deletes it from its results; a region left without labels is deleted with its per-region answers.</p>` : nothing}
      <footer class="modal-actions">
        <span class="lc-summary" aria-live="polite">${stale ? "Counting…" : `Touches ${summary()}`}${answer.background ? " · runs in the background" : ""}</span>
        <button type="button" class="btn" ?disabled=${busy} @click=${() => close({ status: "cancelled" })}>Cancel</button>
        <button type="button" class="btn btn-primary" ?disabled=${!ready} @click=${confirm}>${busy ? "Applying…" : "Apply and save"}</button>
      </footer>
    </div>`;
  }

  function draw() {
    if (host) render(body(), host);
  }

  const result = openDialog((done) => {
    close = done;
    return html`<div class="lc-host"></div>`;
  }, { label: "Label changes", wide: true, className: "lc-dialog" });
  host = /** @type {HTMLElement|null} */ (document.querySelector("dialog.lc-dialog .lc-host"));
  // Escape does not walk away from changes being applied: the outcome is shown when they end.
  host?.closest("dialog")?.addEventListener("cancel", (event) => {
    if (busy) event.preventDefault();
  });
  draw();
  /** @type {HTMLElement|null} */ (host?.querySelector("select"))?.focus();
  const outcome = await result;
  return outcome ?? { status: "cancelled" };
}

