// @ts-check
/**
 * The labeling view's review side: the open annotation's review state (a rejection shows the
 * reviewer's comment), its history (every version; choosing one shows it read-only until "Back
 * to current") and the task's comments (add, resolve/unresolve; comments by others since the
 * last visit are marked unread, and are read once shown).
 */
import { html, render, nothing } from "lit";
import { errorText } from "../app/api.js";
import { timeAgo, toast, useStyles } from "../app/ui.js";

/** @typedef {import("./session/state.js").SessionState} SessionState */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */

const ACTION_LABELS = /** @type {Record<string, string>} */ ({
  submitted: "Submitted",
  updated: "Updated",
  skipped: "Skipped",
  imported: "Imported",
  prediction: "From prediction",
  accepted: "Accepted",
  rejected: "Rejected",
  fixed_and_accepted: "Fixed and accepted",
  deleted_review: "Review deleted",
});

/** The label of a history action. @param {string} action */
export function actionLabel(action) {
  return ACTION_LABELS[action] || action;
}

/**
 * Comments by others newer than the last one read are unread.
 * @param {{id: number, created_by: any}[]} comments @param {number} lastRead @param {number|undefined} me
 */
export function unreadIds(comments, lastRead, me) {
  return new Set(comments.filter((c) => c.id > lastRead && (typeof c.created_by === "object" ? c.created_by?.id : c.created_by) !== me).map((c) => c.id));
}

/**
 * @param {object} ctx
 * @param {import("./runtime.js").LabelingApi} ctx.api
 * @param {SessionState} ctx.state
 * @param {HTMLElement} ctx.root     the screen's root (.ll-app)
 * @param {AnnotationStore} ctx.store
 * @param {() => Promise<any>} ctx.redrawCanvas  re-render the interface from the store
 */
export function createReviewPanels({ api, state, root, store, redrawCanvas }) {
  useStyles(new URL("./review-panels.css", import.meta.url).pathname);
  const side = /** @type {HTMLElement} */ (root.querySelector(".ll-side"));
  const host = document.createElement("section");
  host.className = "ll-review-panels";
  host.setAttribute("aria-label", "Review, history and comments");
  side.append(host);

  /** @type {number|null} */ let taskId = null;
  /** @type {number|null} */ let annotationId = null;
  /** @type {any[]} */ let versions = [];
  /** @type {any[]} */ let comments = [];
  /** @type {any} */ let review = null;
  /** @type {number|null} */ let viewing = null;
  /** What the tab showed before a version was opened, put back by "Back to current". @type {{results: any[], readOnly: boolean}|null} */
  let saved = null;
  /** @type {Set<number>} */ let unread = new Set();
  let draftText = "";
  /** What is being fetched: its section shows a placeholder meanwhile, never an empty panel. */
  let loading = { task: false, annotation: false };

  const me = () => /** @type {number|undefined} */ (state.project?.__me);

  async function loadTask() {
    const id = /** @type {number} */ (taskId);
    try {
      comments = await api.get("/api/comments/", { task: id, expand_created_by: true });
      const marks = await api.get(`/api/projects/${state.project?.id}/comments/unread`);
      const count = Number(marks[String(id)] || 0);
      // The newest `count` comments by others are the unread ones.
      const others = comments.filter((c) => (c.created_by?.id ?? c.created_by) !== me());
      unread = new Set(others.slice(others.length - count).map((c) => c.id));
      if (count) api.post(`/api/tasks/${id}/comments/read`).catch(() => {});
    } catch {
      comments = [];
    }
  }

  async function loadAnnotation() {
    versions = [];
    review = null;
    if (annotationId == null) return;
    try {
      const [list, states] = await Promise.all([
        api.get("/api/annotation-history/", { annotation: annotationId }),
        api.get(`/api/projects/${state.project?.id}/review/states`, { task: taskId }),
      ]);
      versions = list;
      review = states.annotations?.[String(annotationId)] || null;
    } catch {
      versions = [];
    }
  }

  /** @param {any} version */
  async function showVersion(version) {
    if (viewing == null) saved = { results: store.toResults(), readOnly: state.readOnly };
    viewing = version.id;
    state.readOnly = true;
    store.readOnly = false;
    store.load(version.result || []);
    store.readOnly = true;
    await redrawCanvas();
    draw();
  }

  async function backToCurrent() {
    viewing = null;
    if (saved) {
      state.readOnly = saved.readOnly;
      store.readOnly = false;
      store.load(saved.results);
      store.readOnly = saved.readOnly;
      saved = null;
      await redrawCanvas();
    }
    draw();
  }

  async function addComment() {
    const text = draftText.trim();
    if (!text || taskId == null) return;
    try {
      const body = annotationId != null ? { annotation: annotationId, text } : { task: taskId, text };
      const selected = store.selectedId;
      const created = await api.post("/api/comments/", selected ? { ...body, region_ref: { region_id: selected } } : body);
      created.created_by = { id: me(), email: "you" };
      comments = [...comments, created];
      draftText = "";
      draw();
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {any} comment */
  async function toggleResolved(comment) {
    try {
      const updated = await api.patch(`/api/comments/${comment.id}/`, { is_resolved: !comment.is_resolved });
      comments = comments.map((c) => (c.id === comment.id ? { ...c, ...updated, created_by: c.created_by } : c));
      draw();
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {any} c */
  const author = (c) => (typeof c.created_by === "object" && c.created_by ? c.created_by.email : `user ${c.created_by ?? "?"}`);

  function draw() {
    if (taskId == null || state.destroyed) {
      render(nothing, host);
      return;
    }
    const unresolved = comments.filter((c) => !c.is_resolved).length;
    render(
      html`${review && review.state !== "pending"
          ? html`<div class="ll-review-state ${review.state}" data-testid="review-state">
              ${review.state === "rejected" ? "Rejected by a reviewer" : review.state === "accepted" ? "Accepted" : `In review (${review.accepted} accepted)`}
              ${review.comment ? html`<blockquote>${review.comment}</blockquote>` : nothing}
            </div>`
          : nothing}
        ${annotationId != null
          ? html`<div class="ll-side-head"><h2>History</h2><span class="muted">${loading.annotation ? nothing : versions.length}</span></div>
              ${viewing != null
                ? html`<div class="ll-version-banner" role="status">Viewing an earlier version (read-only)
                    <button class="btn btn-sm" @click=${backToCurrent}>Back to current</button></div>`
                : nothing}
              ${loading.annotation && !versions.length ? html`<p class="ll-side-loading muted" role="status">Loading history…</p>` : nothing}
              <ol class="ll-history" data-testid="history">
                ${versions.map((v) => html`<li><button aria-current=${viewing === v.id ? "true" : "false"} @click=${() => showVersion(v)}
                    title="Show this version">
                    <span class="act ${v.action}">${actionLabel(v.action)}</span><span class="muted">${timeAgo(v.created_at)}</span>
                    <span class="who">${v.created_by === me() ? "you" : `user ${v.created_by ?? "?"}`}${v.lead_time ? ` · ${Math.round(v.lead_time)} s` : ""}</span>
                  </button></li>`)}
              </ol>`
          : nothing}
        <div class="ll-side-head"><h2>Comments ${unread.size ? html`<span class="ll-unread-badge" data-testid="unread-badge">${unread.size} new</span>` : nothing}</h2>
          <span class="muted">${loading.task ? nothing : `${unresolved} open`}</span></div>
        <ul class="ll-comments" data-testid="comments">
          ${comments.map((c) => html`<li class="ll-comment ${c.is_resolved ? "resolved" : ""} ${unread.has(c.id) ? "unread" : ""}">
              <header><span>${author(c)}${c.region_ref?.region_id ? html` · region` : nothing}</span><span>${timeAgo(c.created_at)}</span></header>
              <p>${c.text}</p>
              <button class="btn btn-sm btn-ghost" @click=${() => toggleResolved(c)}>${c.is_resolved ? "Unresolve" : "Resolve"}</button>
            </li>`)}
          ${comments.length ? nothing : loading.task
            ? html`<li class="ll-side-loading muted" role="status">Loading comments…</li>`
            : html`<li class="muted" style="font-size:13px">No comments yet.</li>`}
        </ul>
        <form class="ll-comment-form" @submit=${(/** @type {Event} */ e) => (e.preventDefault(), addComment())}>
          <label class="sr-only" for="ll-comment-text">Comment</label>
          <textarea id="ll-comment-text" placeholder="Comment on this task${store.selectedId ? " (selected region)" : ""}…"
            .value=${draftText} @input=${(/** @type {any} */ e) => (draftText = e.target.value)}
            @keydown=${(/** @type {KeyboardEvent} */ e) => { e.stopPropagation(); if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) addComment(); }}></textarea>
          <button class="btn btn-sm" type="submit" ?disabled=${!draftText.trim()}>Comment</button>
        </form>`,
      host,
    );
  }

  return {
    /** Follow the shown task and open tab; reload what changed. */
    async update() {
      const task = state.task;
      const entry = state.entry;
      const nextTask = task?.id ?? null;
      const nextAnnotation = entry?.kind === "annotation" ? entry.annotation.id : null;
      root.classList.toggle("ll-has-review", nextTask != null);
      if (nextTask != null) root.classList.remove("ll-no-side");
      if (nextTask === taskId && nextAnnotation === annotationId) return;
      const taskChanged = nextTask !== taskId;
      taskId = nextTask;
      annotationId = nextAnnotation;
      viewing = null;
      saved = null;
      if (taskId == null) return draw();
      // Draw the sections at once (with placeholders), then fill them as their data arrives.
      if (taskChanged) comments = [];
      versions = [];
      review = null;
      loading = { task: taskChanged, annotation: annotationId != null };
      draw();
      const shown = [taskId, annotationId];
      await Promise.all([taskChanged ? loadTask() : Promise.resolve(), loadAnnotation()]);
      if (shown[0] !== taskId || shown[1] !== annotationId) return;  // a newer update draws its own
      loading = { task: false, annotation: false };
      draw();
    },
    /** Reload history and review state (after a submit or review). */
    async refresh() {
      await Promise.all([loadTask(), loadAnnotation()]);
      draw();
    },
    destroy() {
      render(nothing, host);
      host.remove();
    },
  };
}
