// @ts-check
/**
 * Project settings › Review: how many accepting reviews an annotation needs, whether a rejected
 * annotation returns to its annotator's stream, whether rejecting needs a comment, and whether
 * reviewers see only tasks assigned to them. Each change is saved at once.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { toast } from "../ui.js";

/**
 * Draw the section into `el`; returns its cleanup.
 * @param {HTMLElement} el @param {number} projectId
 */
export function mountReviewSettings(el, projectId) {
  /** @type {Record<string, any>|null} */
  let settings = null;
  let loadError = "";
  let alive = true;

  /** @param {Record<string, any>} change */
  async function save(change) {
    try {
      settings = await api.patch(`/api/projects/${projectId}/review-settings`, change);
      toast("Review settings saved");
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
    draw();
  }

  /** @param {string} name @param {string} label @param {string} help */
  const toggle = (name, label, help) => html`<label style="display: flex; gap: var(--space-2); align-items: flex-start; margin: var(--space-3) 0">
      <input type="checkbox" style="margin-top: 3px" name=${name} .checked=${Boolean(settings?.[name])} @change=${(/** @type {any} */ e) => save({ [name]: e.target.checked })} />
      <span><strong>${label}</strong><br /><span class="muted">${help}</span></span>
    </label>`;

  function draw() {
    if (!alive) return;
    if (loadError) return render(html`<p class="error-box" role="alert">${loadError}</p>`, el);
    if (!settings) return render(html`<div class="skeleton" style="height: 120px"></div>`, el);
    render(
      html`<p class="muted">Reviewers work through <a href="/projects/${projectId}/review">the review stream</a>:
          accept, reject with a comment, or fix and accept.</p>
        <div class="field" style="display: flex; flex-direction: column; gap: var(--space-1); margin-bottom: var(--space-4)">
          <label for="required-reviews"><strong>Reviews required</strong></label>
          <input id="required-reviews" type="number" min="1" max="20" .value=${String(settings.required_reviews)}
            @change=${(/** @type {any} */ e) => save({ required_reviews: Number(e.target.value) })} style="max-width: 96px" />
          <span class="muted">Accepting reviews an annotation needs before it leaves the review stream.</span>
        </div>
        ${toggle("requeue_rejected_tasks_to_annotator", "Return rejected annotations to their annotator", "The annotator's label stream serves the task again, with the reviewer's comment.")}
        ${toggle("require_comment_on_reject", "Rejecting needs a comment", "Reviewers must tell the annotator what to fix.")}
        ${toggle("review_only_manual_assignments", "Reviewers see only tasks assigned to them", "Otherwise tasks without an assigned reviewer go to every reviewer.")}`,
      el,
    );
  }

  api.get(`/api/projects/${projectId}/review-settings`).then(
    (found) => ((settings = found), draw()),
    (error) => ((loadError = errorText(error)), draw()),
  );
  draw();
  return () => {
    alive = false;
    render(html``, el);
  };
}
