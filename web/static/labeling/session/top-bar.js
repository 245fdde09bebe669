// @ts-check
/**
 * The top strip: which task (and where in the stream), the annotation tabs with their draft
 * badges, and the tools (use a prediction, instructions, shortcuts, settings).
 */
import { html, render, nothing } from "lit";
import { icon } from "../../app/ui.js";
import { draftKey } from "../drafts.js";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("./entries.js").Entry} Entry */
/** @typedef {import("../drafts.js").LocalDrafts} LocalDrafts */
/** @typedef {import("./stream-history.js").StreamHistory} StreamHistory */
/** @typedef {import("./settings-panel.js").SettingsPanel} SettingsPanel */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state
 * @param {HTMLElement} ctx.host
 * @param {"stream"|"task"|"preview"} ctx.mode
 * @param {StreamHistory} ctx.history
 * @param {LocalDrafts} ctx.local                  for the tabs' "draft" badges
 * @param {SettingsPanel} ctx.settingsPanel
 * @param {object} ctx.actions
 * @param {(entry: Entry) => unknown} ctx.actions.openEntry
 * @param {(from: Entry|null) => unknown} ctx.actions.newAnnotation
 * @param {() => void} ctx.actions.toggleInstructions
 * @param {() => void} ctx.actions.showShortcuts
 */
export function createTopBar({ state, host, mode, history, local, settingsPanel, actions }) {
  /** Whether a tab has a draft here or on the server. @param {any} annotation */
  const hasDraft = (annotation) =>
    local.get(draftKey(state.project?.id, state.task?.id, annotation.id)) || (state.task?.drafts || []).some((/** @type {any} */ d) => d.annotation === annotation.id);

  /** @param {Entry} e */
  function tab(e) {
    const project = state.project;
    return html`<button type="button" role="tab" class="ll-tab ${e === state.entry ? "is-active" : ""}" aria-selected=${e === state.entry ? "true" : "false"}
      @click=${() => actions.openEntry(e)}>
      ${e.kind === "prediction"
        ? html`${icon("star", 14)}<span>Prediction${e.prediction.model_version ? ` · ${e.prediction.model_version}` : ""}</span>${typeof e.prediction.score === "number" ? html`<span class="muted">${(e.prediction.score * 100).toFixed(1)}%</span>` : nothing}`
        : e.kind === "annotation"
          ? html`${icon("user", 14)}<span>#${e.annotation.id}${e.annotation.completed_by === project?.__me ? " · you" : ""}</span>${hasDraft(e.annotation) ? html`<span class="badge">draft</span>` : nothing}`
          : html`${icon("plus", 14)}<span>New annotation</span>`}
    </button>`;
  }

  /**
   * Where this task is among the tasks opened in this session (the stream's history, what
   * "previous" walks back through) — not the project's size. Said only once there is a history.
   * @param {{ids: number[], pos: number}} stream
   */
  function sessionPosition(stream) {
    if (stream.ids.length < 2 || stream.pos < 0) return nothing;
    const text = stream.pos === stream.ids.length - 1
      ? `${stream.ids.length} tasks opened this session`
      : `Task ${stream.pos + 1} of ${stream.ids.length} opened this session`;
    return html`<span class="muted ll-session-pos" title="Previous (Shift+↑) walks back through the tasks you opened in this session">${text}</span>`;
  }

  function draw() {
    const { task, entries, entry, project } = state;
    const stream = history.read();
    const done = state.exhausted && !task;
    render(
      html`<div class="ll-taskinfo">
          ${task ? html`<span class="ll-task-id">Task #${task.id}</span>` : done ? html`<span class="ll-task-id">No tasks left</span>` : nothing}
          ${task && mode === "stream" ? sessionPosition(stream) : nothing}
          ${task?.queue ? html`<span class="badge">${task.queue}</span>` : nothing}
        </div>
        ${done ? html`<div class="ll-tabs"></div>` : html`<div class="ll-tabs" role="tablist" aria-label="Annotations">
          ${entries.map(tab)}
          ${entries.some((e) => e.kind === "new")
            ? nothing
            : html`<button type="button" class="btn-icon" aria-label="New empty annotation" title="New empty annotation" ?disabled=${!task} @click=${() => actions.newAnnotation(null)}>${icon("plus")}</button>`}
        </div>`}
        <div class="ll-top-actions">
          ${entry?.kind === "prediction" ? html`<button type="button" class="btn btn-sm" @click=${() => actions.newAnnotation(entry)}>${icon("copy", 14)} Use as annotation</button>` : nothing}
          ${project?.expert_instruction
            ? html`<button type="button" class="btn btn-sm btn-ghost" aria-expanded=${state.showInstructions ? "true" : "false"} @click=${() => actions.toggleInstructions()}>${icon("info", 14)} Instructions</button>`
            : nothing}
          <button type="button" class="btn-icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Shift+?)" @click=${() => actions.showShortcuts()}>${icon("keyboard")}</button>
          <div class="ll-popover-anchor">
            <button type="button" class="btn-icon" aria-label="Labeling settings" title="Labeling settings" aria-expanded=${state.showSettings ? "true" : "false"}
              @click=${() => settingsPanel.toggle()}>${icon("settings")}</button>
            ${state.showSettings ? settingsPanel.template() : nothing}
          </div>
        </div>`,
      host,
    );
  }

  return { draw };
}
