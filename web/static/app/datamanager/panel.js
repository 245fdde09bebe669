// @ts-check
/**
 * The task panel beside the table: the labeling runtime in "task" mode when it is available
 * (`/static/core/labeling/runtime.js`), else the task's data as formatted JSON.
 */
import { html, render, nothing } from "lit";
import { api, errorText } from "../api.js";
import { icon } from "../ui.js";

const RUNTIME = "/static/core/labeling/runtime.js";

/** @returns {Promise<any|null>} the runtime's mountLabeling, or null while it does not exist yet */
async function loadRuntime() {
  try {
    const mod = await import(RUNTIME);
    return typeof mod.mountLabeling === "function" ? mod.mountLabeling : null;
  } catch {
    return null; // not written yet, or failed to load: the JSON view still lets users read the task
  }
}

export class TaskPanel {
  /**
   * @param {HTMLElement} host
   * @param {{project: any, onClose: () => void, onStep: (delta: number) => void, onSubmitted: (taskId: number) => void}} options
   */
  constructor(host, options) {
    this.host = host;
    this.options = options;
    /** @type {number|null} */
    this.taskId = null;
    /** @type {{destroy(): void}|null} */
    this.mounted = null;
    this.token = 0;
  }

  /** @param {number} taskId */
  async open(taskId) {
    if (taskId === this.taskId) return;
    this.teardown();
    this.taskId = taskId;
    const token = ++this.token;
    render(this.frame(taskId), this.host);
    // A fresh element per task: the runtime owns what it mounts into, lit never touches it.
    const body = document.createElement("div");
    body.className = "dm-panel-slot";
    /** @type {HTMLElement} */ (this.host.querySelector(".dm-panel-body")).replaceChildren(body);
    render(html`<div class="dm-panel-loading"><span class="skeleton" style="width:60%"></span><span class="skeleton"></span><span class="skeleton" style="width:80%"></span></div>`, body);
    const mountLabeling = await loadRuntime();
    if (token !== this.token) return;
    if (mountLabeling) {
      try {
        const target = document.createElement("div");
        target.className = "dm-panel-runtime";
        body.replaceWith(target);
        const mounted = await mountLabeling(target, {
          api, project: this.options.project, mode: "task", taskId,
          onSubmitted: () => this.options.onSubmitted(taskId),
        });
        if (token !== this.token) mounted?.destroy?.();
        else this.mounted = mounted;
        return;
      } catch (error) {
        if (token !== this.token) return;
        /** @type {HTMLElement} */ (this.host.querySelector(".dm-panel-body")).replaceChildren(body);
        render(html`<p class="form-error">The labeling interface failed: ${errorText(error)}</p>`, body);
        return;
      }
    }
    try {
      const task = await api.get(`/api/tasks/${taskId}`);
      if (token !== this.token) return;
      render(html`<p class="muted dm-panel-note">Task data (the labeling interface is not available):</p>
        <pre class="dm-json">${JSON.stringify(task.data, null, 2)}</pre>
        <p class="muted">${task.total_annotations ?? 0} annotations · ${task.total_predictions ?? 0} predictions</p>`, body);
    } catch (error) {
      if (token === this.token) render(html`<p class="form-error">${errorText(error)}</p>`, body);
    }
  }

  /** @param {number} taskId */
  frame(taskId) {
    return html`<div class="dm-panel-head">
        <h2>Task #${taskId}</h2>
        <button class="btn-icon" aria-label="Previous task (Shift+↑)" title="Previous task (Shift+↑)" @click=${() => this.options.onStep(-1)}>${icon("up")}</button>
        <button class="btn-icon" aria-label="Next task (Shift+↓)" title="Next task (Shift+↓)" @click=${() => this.options.onStep(1)}>${icon("down")}</button>
        <button class="btn-icon" aria-label="Close task (Escape)" title="Close (Escape)" @click=${() => this.options.onClose()}>${icon("x")}</button>
      </div>
      <div class="dm-panel-body"></div>`;
  }

  teardown() {
    try {
      this.mounted?.destroy();
    } catch {
      /* a runtime failing to clean up must not block closing */
    }
    this.mounted = null;
  }

  close() {
    this.token++;
    this.teardown();
    this.taskId = null;
    render(nothing, this.host);
  }
}
