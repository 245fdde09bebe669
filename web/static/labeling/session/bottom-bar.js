// @ts-check
/**
 * The bottom bar: task navigation (stream), undo / redo, relation mode, the draft's save status
 * (kept fresh while it says "saved · 12 s ago") and the annotation actions (delete, skip,
 * submit / update).
 */
import { html, render, nothing } from "lit";
import { icon } from "../../app/ui.js";
import { canSkip } from "./state.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./stream-history.js").StreamHistory} StreamHistory */

/** "12 s ago" — short, for the save status. @param {number} ms */
export function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

/** What the status line says about the open tab's draft. @param {SessionState} state @returns {{text: string, kind: string, title?: string}} */
export function statusText(state) {
  if (state.readOnly) return { text: "Read-only prediction — “Use as annotation” to edit", kind: "muted" };
  const s = state.syncStatus;
  if (s.state === "offline") return { text: `Offline — changes kept on this device${s.error ? "" : ""}`, kind: "warning", title: s.error };
  if (s.state === "saving") return { text: "Saving draft…", kind: "muted" };
  if (s.state === "pending") return { text: s.localOnly ? "Unsaved changes" : "Changes kept on this device", kind: "muted" };
  if (s.state === "saved" && s.savedAt) return { text: `Draft saved · ${ago(Date.now() - s.savedAt)}`, kind: "success" };
  return { text: state.changed ? "" : "No changes", kind: "muted" };
}

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state
 * @param {HTMLElement} ctx.host
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {AnnotationStore} ctx.store
 * @param {StreamHistory} ctx.history
 * @param {object} ctx.actions
 * @param {() => unknown} ctx.actions.previous
 * @param {() => unknown} ctx.actions.next
 * @param {() => unknown} ctx.actions.deleteAnnotation
 * @param {() => unknown} ctx.actions.skip
 * @param {() => unknown} ctx.actions.submit
 */
export function createBottomBar({ state, host, mode, store, history, actions }) {
  function draw() {
    const { entry, busy, readOnly, task } = state;
    const stream = history.read();
    if (state.exhausted && !task) {
      // "All done": only the way back to the tasks of this session applies.
      render(
        html`<div class="ll-bottom-left">
            ${mode === "stream" && stream.pos >= 0
              ? html`<button type="button" class="btn btn-sm ll-back" aria-label="Previous task" title="Previous task (Shift+↑)" ?disabled=${busy} @click=${() => actions.previous()}>${icon("chevron", 14)} Previous task</button>`
              : nothing}
          </div>
          <div class="ll-bottom-right"></div>`,
        host,
      );
      return;
    }
    const status = statusText(state);
    const submitLabel = entry?.kind === "annotation" ? "Update" : "Submit";
    render(
      html`<div class="ll-bottom-left">
          ${mode === "stream"
            ? html`<button type="button" class="btn-icon ll-prev" aria-label="Previous task" title="Previous task (Shift+↑)" ?disabled=${busy || stream.pos <= 0} @click=${() => actions.previous()}>${icon("chevron", 16)}</button>
                <button type="button" class="btn-icon" aria-label="Next task" title="Next task (Shift+↓)" ?disabled=${busy || state.exhausted} @click=${() => actions.next()}>${icon("chevron", 16)}</button>`
            : nothing}
          <button type="button" class="btn-icon" aria-label="Undo" title="Undo (Ctrl+Z)" ?disabled=${readOnly || !store.canUndo} @click=${() => store.undo()}>${icon("undo")}</button>
          <button type="button" class="btn-icon" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" ?disabled=${readOnly || !store.canRedo} @click=${() => store.redo()}>${icon("redo")}</button>
          ${state.relationFrom ? html`<span class="badge badge-accent" role="status">Relation: select the target region · Esc cancels</span>` : nothing}
          <span class="ll-status ll-status-${status.kind}" role="status" aria-live="polite" title=${status.title || ""} data-state=${state.syncStatus.state}>${status.text}</span>
        </div>
        <div class="ll-bottom-right">
          ${entry?.kind === "annotation"
            ? html`<button type="button" class="btn btn-ghost" ?disabled=${busy} @click=${() => actions.deleteAnnotation()}>${icon("trash", 14)} Delete annotation</button>`
            : nothing}
          ${canSkip(state) && mode === "stream" ? html`<button type="button" class="btn" ?disabled=${busy || !task} title="Skip (Ctrl+Space)" @click=${() => actions.skip()}>Skip</button>` : nothing}
          <button type="button" class="btn btn-primary" ?disabled=${busy || !task || !entry} title=${`${submitLabel} (Ctrl+Enter)`} @click=${() => actions.submit()}>
            ${icon("check", 14)} ${entry?.kind === "prediction" ? "Submit as annotation" : submitLabel}
          </button>
        </div>`,
      host,
    );
  }

  // "Draft saved · 12 s ago" ages while nothing else redraws the bar.
  const statusTick = setInterval(() => state.syncStatus.state === "saved" && draw(), 5000);

  return { draw, destroy: () => clearInterval(statusTick) };
}
