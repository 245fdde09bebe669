// @ts-check
/**
 * /projects/:id/review — the review stream: the next task with an annotation waiting for this
 * reviewer, shown in the labeling view. Accept (Ctrl+Enter), reject with a comment
 * (Ctrl+Shift+Enter) or edit the annotation and "Fix + accept" (the edited result becomes a new
 * version of the annotation). Then the next task, until the queue is empty.
 */
import { html, render, nothing } from "lit";
import { api, errorText, ApiError } from "../api.js";
import { setBreadcrumb, setTopActions } from "../state.js";
import { icon, openDialog, toast, useStyles } from "../ui.js";

/** Whether the reviewer changed the annotation: its result differs from what was stored. @param {any[]} before @param {any[]} after */
export function resultChanged(before, after) {
  const strip = (/** @type {any[]} */ items) => JSON.stringify((items || []).map(({ id, from_name, to_name, type, value }) => ({ id, from_name, to_name, type, value })));
  return strip(before) !== strip(after);
}

/** @type {import("../router.js").PageRender} */
export default async function page(el, route) {
  useStyles("/static/core/labeling/labeling.css");
  useStyles(new URL("./review.css", import.meta.url).pathname);
  const projectId = Number(route.params.id);
  el.classList.add("ll-page-host");
  render(html`<div class="rv-page"><div class="rv-bar" role="toolbar" aria-label="Review actions"></div><div class="rv-body ll-page"></div></div>`, el);
  const bar = /** @type {HTMLElement} */ (el.querySelector(".rv-bar"));
  const body = /** @type {HTMLElement} */ (el.querySelector(".rv-body"));

  let project;
  try {
    project = await api.get(`/api/projects/${projectId}/`);
  } catch (error) {
    render(html`<section class="error-box" role="alert"><h2>Cannot open this project</h2><p>${errorText(error)}</p></section>`, el);
    return () => el.classList.remove("ll-page-host");
  }
  setBreadcrumb([
    { label: "Projects", href: "/projects" },
    { label: project.title || `Project ${project.id}`, href: `/projects/${project.id}/data` },
    { label: "Review" },
  ]);
  setTopActions(html`<a class="btn" href="/projects/${project.id}/data">${icon("grid", 14)} Data manager</a>
    <a class="btn" href="/projects/${project.id}/label">Label</a>`);

  const { mountLabeling } = await import("../../labeling/runtime.js");
  /** @type {any} */ let handle = null;
  /** @type {any} */ let task = null;
  let busy = false;
  let destroyed = false;

  /** The annotation open in the labeling view (the reviewer may switch tabs). */
  function openAnnotation() {
    const entry = handle?.session?.entry;
    if (entry?.kind === "annotation") return entry.annotation;
    const first = task?.review_annotations?.[0];
    return (task?.annotations || []).find((/** @type {any} */ a) => a.id === first) || null;
  }

  function changed() {
    const annotation = openAnnotation();
    return Boolean(annotation && handle && resultChanged(annotation.result, handle.store.toResults()));
  }

  function drawBar() {
    if (destroyed) return;
    const annotation = openAnnotation();
    const fixing = changed();
    render(
      task
        ? html`<span class="rv-where">Task <strong>${task.id}</strong>${annotation ? html` · annotation ${annotation.id} by user ${annotation.completed_by}` : nothing}
            <span class="muted">· ${task.review_remaining} to review</span></span>
          <span class="rv-actions">
            <button class="btn btn-danger" ?disabled=${busy || !annotation} @click=${reject} title="Reject with a comment (Ctrl+Shift+Enter)">${icon("x", 14)} Reject</button>
            <button class="btn btn-primary" ?disabled=${busy || !annotation} @click=${accept} data-testid="accept"
              title="${fixing ? "Save your edit as a new version and accept" : "Accept"} (Ctrl+Enter)">${icon("check", 14)} ${fixing ? "Fix + accept" : "Accept"}</button>
          </span>`
        : nothing,
      bar,
    );
  }

  async function load() {
    handle?.destroy();
    handle = null;
    task = null;
    drawBar();
    try {
      task = await api.get(`/api/projects/${projectId}/review/next`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        render(html`<section class="empty-state rv-done" data-testid="review-done"><h2>All reviewed</h2>
          <p>No annotations are waiting for your review in this project.</p>
          <p><a class="btn" href="/projects/${projectId}/data">Back to the data manager</a></p></section>`, body);
        return;
      }
      render(html`<section class="error-box" role="alert"><h2>The review stream failed</h2><p>${errorText(error)}</p></section>`, body);
      return;
    }
    body.replaceChildren();
    handle = await mountLabeling(body, { api, project, mode: "task", taskId: task.id });
    handle.store.subscribe?.(() => drawBar());
    drawBar();
  }

  /** @param {Record<string, any>} payload @param {string} done */
  async function send(payload, done) {
    const annotation = openAnnotation();
    if (!annotation || busy) return;
    busy = true;
    drawBar();
    try {
      await api.post("/api/annotation-reviews/", { annotation: annotation.id, ...payload });
      toast(done);
      busy = false;
      await load();
    } catch (error) {
      busy = false;
      drawBar();
      toast(errorText(error), { kind: "error" });
    }
  }

  function accept() {
    if (changed()) return send({ accepted: true, result: handle.store.toResults() }, "Fixed and accepted");
    return send({ accepted: true }, "Accepted");
  }

  async function reject() {
    /** @type {string|undefined} */
    const comment = await openDialog(
      (close) => html`<form class="modal-body" @submit=${(/** @type {any} */ e) => {
          e.preventDefault();
          const text = e.target.elements.comment.value.trim();
          if (text) close(text);
        }}>
        <h2>Reject annotation</h2>
        <label class="field"><span>Comment for the annotator</span>
          <textarea name="comment" required rows="4" autofocus placeholder="What should be fixed?"></textarea></label>
        <footer class="modal-actions">
          <button type="button" class="btn" @click=${() => close()}>Cancel</button>
          <button type="submit" class="btn btn-danger">Reject</button>
        </footer>
      </form>`,
      { label: "Reject annotation" },
    );
    if (comment) await send({ accepted: false, comment }, "Rejected: the annotator will see your comment");
  }

  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.key !== "Enter" || document.querySelector("dialog[open]")) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.shiftKey) reject();
    else accept();
  };
  document.addEventListener("keydown", onKey, true);
  await load();
  return () => {
    destroyed = true;
    document.removeEventListener("keydown", onKey, true);
    handle?.destroy();
    el.classList.remove("ll-page-host");
  };
}
