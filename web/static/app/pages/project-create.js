// @ts-check
/**
 * Create a project (/projects/new): three steps, visited in any order — Name & description,
 * Data import, Labeling setup. Nothing reaches the server until Save (P5): the import panel
 * queues files client-side, the config lives in memory. Save creates the project, runs the
 * import into it, then opens its data manager. If the import fails, the project exists and the
 * next Save only retries the import (never a second project).
 */
import { html, render } from "lit";
import { ref } from "lit/directives/ref.js";
import { api, errorText } from "../api.js";
import { navigate } from "../router.js";
import { markUnsaved } from "../projects/common.js";
import { columnsOfAll, firstTaskOf, mediaTypesOf } from "../projects/data-columns.js";
import { fallbackFormats } from "../dialogs/import-model.js";
import { loadElement } from "../projects/embeds.js";
import { setBreadcrumb, plugins } from "../state.js";
import { icon, toast, useStyles } from "../ui.js";

const STEPS = /** @type {const} */ ([
  ["name", "Name & description"],
  ["import", "Data import"],
  ["labeling", "Labeling setup"],
]);

/** @type {import("../router.js").PageRender} */
export default function createProjectPage(el, route) {
  useStyles("/static/core/app/projects/projects.css");
  setBreadcrumb([{ label: "Projects", href: "/projects" }, { label: "Create project" }]);

  /** @typedef {"name"|"import"|"labeling"} Step */
  /** @type {Step} */
  let step = /** @type {any} */ (STEPS.some(([key]) => key === route.query.get("step")) ? route.query.get("step") : "name");
  let title = "";
  let description = "";
  /** @type {string|null} null: the user has not set up labeling (the server's default config applies) */
  let config = null;
  let configValid = true;
  let titleError = "";
  let saveError = "";
  let saving = false;
  /** @type {number|null} the project, once created (a failed import is retried into it) */
  let createdId = null;
  /** @type {boolean|null} */
  let hasImport = null;
  /** @type {boolean|null} */
  let hasSetup = null;
  /** @type {any} */
  let importPanel = null;
  const visited = new Set([step]);
  // The labeling setup resets its editor whenever .config changes from outside, so it gets the
  // starting value only; its edits come back through config-change.
  const initialConfig = "";

  const touched = () => Boolean(title.trim() || description.trim() || config !== null || importPanel?.count);
  const refreshUnsaved = () => markUnsaved(touched() && createdId === null ? "The new project is not created yet: its name, data and labeling setup would be lost." : null);

  loadElement("ll-import-panel").then((ok) => ((hasImport = ok), draw()));
  loadElement("ll-labeling-setup").then((ok) => ((hasSetup = ok), draw()));

  /** @param {Step} to */
  function go(to) {
    step = to;
    visited.add(to);
    draw();
    /** @type {HTMLElement|null} */ (el.querySelector(".wizard-body"))?.focus();
  }

  /** @type {string[]} task data keys in the queued import (offered by the labeling setup) */
  let columns = [];
  /** @type {string[]} data types of the queued media files ("Fits your data" for uploaded images) */
  let mediaTypes = [];
  /** @type {Record<string, any>|null} the first queued task's data: the preview shows it, not the template's sample */
  let firstTask = null;
  /** @type {string} the first queued media file (an object URL), for the preview */
  let firstMedia = "";
  /** @type {string[]} object URLs of queued media shown in the preview (revoked when replaced) */
  let objectUrls = [];

  /** Read the queued sources' headers in the browser (nothing is uploaded before Save). */
  async function refreshColumns() {
    const queue = /** @type {any[]} */ (importPanel?.queue || []);
    const sources = await Promise.all(
      queue.map(async (item) => {
        if (item.kind === "text") return { name: item.name, text: item.text };
        const file = /** @type {File} */ (item.file);
        if (!/\.(csv|tsv|jsonl?)$/i.test(file.name)) return { name: file.name, text: "" };
        // A header is enough for CSV/TSV and JSON lines; a JSON array must be read whole (capped).
        const limit = /\.json$/i.test(file.name) ? 8 * 1024 * 1024 : 64 * 1024;
        return { name: file.name, text: file.size <= limit || !/\.json$/i.test(file.name) ? await file.slice(0, limit).text() : "" };
      }),
    );
    columns = columnsOfAll(sources);
    firstTask = null;
    for (const source of sources) {
      firstTask = firstTaskOf(source.name, source.text);
      if (firstTask) break;
    }
    const files = queue.filter((item) => item.kind === "file").map((item) => /** @type {File} */ (item.file));
    const catalogue = await plugins().catch(() => null);
    const formats = fallbackFormats(catalogue?.tags || {});
    mediaTypes = mediaTypesOf(files.map((f) => f.name), catalogue?.tags || {}, formats.task_formats);
    objectUrls.forEach((url) => URL.revokeObjectURL(url));
    objectUrls = [];
    firstMedia = "";
    if (!firstTask && mediaTypes.length) {
      // Uploaded media: each file is a task whose one data field the server names after the
      // config's; the preview shows the first file in that field.
      const media = files.find((f) => mediaTypesOf([f.name], catalogue?.tags || {}, formats.task_formats).length);
      if (media) {
        const url = URL.createObjectURL(media);
        objectUrls.push(url);
        firstMedia = url;
      }
    }
    draw();
  }

  function onQueueChange() {
    refreshUnsaved();
    refreshColumns();
  }

  async function save() {
    saveError = "";
    titleError = "";
    if (!title.trim()) {
      titleError = "Give the project a name.";
      go("name");
      /** @type {HTMLInputElement|null} */ (el.querySelector("#project-title"))?.focus();
      return;
    }
    const setup = /** @type {any} */ (el.querySelector("ll-labeling-setup"));
    // Right after an edit the element is still checking (valid=false, pending): ask it now.
    if (config !== null && setup && typeof setup.validate === "function") configValid = await setup.validate();
    if (config !== null && !configValid) {
      saveError = "The labeling configuration has errors: fix them or pick a template before saving.";
      go("labeling");
      return;
    }
    saving = true;
    draw();
    try {
      if (createdId === null) {
        /** @type {Record<string, any>} */
        const body = { title: title.trim(), description: description.trim() };
        if (config !== null) body.label_config = config;
        const project = await api.post("/api/projects/", body);
        createdId = project.id;
        refreshUnsaved();
      }
      if (importPanel && typeof importPanel.commit === "function") {
        try {
          await importPanel.commit(createdId);
        } catch (error) {
          saving = false;
          saveError = `The project was created, but the import failed: ${errorText(error)} Fix the data and press Save to retry the import, or open the project and import later.`;
          go("import");
          return;
        }
      }
      markUnsaved(null);
      toast(`Created “${title.trim()}”`, { kind: "success" });
      navigate(`/projects/${createdId}/data`);
    } catch (error) {
      saving = false;
      saveError = errorText(error);
      const fields = /** @type {any} */ (error)?.validationErrors;
      if (fields?.label_config) go("labeling");
      else if (fields?.title) ((titleError = fields.title[0]), go("name"));
      else draw();
    }
  }

  function cancel() {
    navigate("/projects");
  }

  /** @param {Event} event */
  function onConfigChange(event) {
    const detail = /** @type {CustomEvent} */ (event).detail || {};
    config = typeof detail.config === "string" ? detail.config : config;
    configValid = detail.valid !== false;
    refreshUnsaved();
    draw();
  }

  function namePane() {
    return html`<div class="wizard-pane narrow">
      <div class="field"><label for="project-title">Project name</label>
        <input id="project-title" type="text" required maxlength="200" .value=${title} aria-invalid=${titleError ? "true" : "false"} aria-describedby="title-error"
          @input=${(/** @type {Event} */ e) => { title = /** @type {HTMLInputElement} */ (e.target).value; titleError = ""; refreshUnsaved(); draw(); }}
          @keydown=${(/** @type {KeyboardEvent} */ e) => e.key === "Enter" && (e.preventDefault(), go("import"))}>
        ${titleError ? html`<span class="error" id="title-error" role="alert">${titleError}</span>` : null}</div>
      <div class="field"><label for="project-description">Description <span class="muted">(optional)</span></label>
        <textarea id="project-description" rows="5" .value=${description} placeholder="What is labeled here, and for what?"
          @input=${(/** @type {Event} */ e) => { description = /** @type {HTMLTextAreaElement} */ (e.target).value; refreshUnsaved(); }}></textarea></div>
      <p class="wizard-note">${icon("info")} <span>Nothing is created until you press <strong>Save</strong>. You can import data and set up labeling now, or later from the project.</span></p>
    </div>`;
  }

  function importPane() {
    if (hasImport === null) return html`<div class="wizard-pane"><div class="skeleton" style="height:240px"></div></div>`;
    if (!hasImport) {
      return html`<div class="wizard-pane narrow"><div class="embed-missing" role="note">
        <h3>Data import is not available here yet</h3>
        <p>Create the project without data and import files from its data manager (<strong>Import</strong> button).</p>
      </div></div>`;
    }
    return html`<div class="wizard-pane">
      <ll-import-panel .projectId=${null} ${ref((node) => { if (node) importPanel = node; })}
        @change=${onQueueChange}></ll-import-panel>
    </div>`;
  }

  function labelingPane() {
    if (hasSetup === null) return html`<div class="wizard-pane"><div class="skeleton" style="height:320px"></div></div>`;
    if (!hasSetup) {
      return html`<div class="wizard-pane narrow"><div class="embed-missing" role="note">
        <h3>The template gallery is not available here yet</h3>
        <p>Paste a labeling configuration (XML) below, or leave it empty to start with an empty interface and set it up later in the project's settings.</p>
        <label class="field-label" for="fallback-config">Labeling configuration</label>
        <textarea id="fallback-config" rows="12" spellcheck="false" .value=${config ?? ""} placeholder="<View>…</View>"
          @input=${(/** @type {Event} */ e) => { const v = /** @type {HTMLTextAreaElement} */ (e.target).value; config = v.trim() ? v : null; configValid = true; refreshUnsaved(); }}></textarea>
      </div></div>`;
    }
    return html`<div class="wizard-pane wide">
      <ll-labeling-setup .config=${initialConfig} .dataColumns=${columns} .dataTypes=${mediaTypes} .sampleTask=${firstTask} .sampleMedia=${firstMedia}
        @config-change=${onConfigChange}></ll-labeling-setup>
    </div>`;
  }

  function draw() {
    const index = STEPS.findIndex(([key]) => key === step);
    render(
      html`<div class="wizard">
        <header class="wizard-head">
          <h1>Create project</h1>
          <ol class="wizard-steps" aria-label="Steps">
            ${STEPS.map(([key, label], i) => html`<li><button type="button" aria-current=${key === step ? "step" : "false"} class=${visited.has(key) && key !== step ? "step-done" : ""}
              @click=${() => go(key)}><span class="step-num" aria-hidden="true">${i + 1}</span>${label}</button></li>`)}
          </ol>
          <div class="wizard-actions">
            <button class="btn" type="button" @click=${cancel}>Cancel</button>
            ${index < STEPS.length - 1 ? html`<button class="btn" type="button" @click=${() => go(STEPS[index + 1][0])}>Next ${icon("chevron")}</button>` : null}
            <button class="btn btn-primary" type="button" ?disabled=${saving} @click=${save} aria-keyshortcuts="Control+S" title="Save (Ctrl+S)">${saving ? "Saving…" : "Save"}</button>
          </div>
        </header>
        ${saveError ? html`<div class="form-error wizard-error" role="alert">${saveError}</div>` : null}
        <div class="wizard-body" tabindex="-1">
          <div ?hidden=${step !== "name"}>${namePane()}</div>
          <div ?hidden=${step !== "import"}>${visited.has("import") ? importPane() : null}</div>
          <div ?hidden=${step !== "labeling"}>${visited.has("labeling") ? labelingPane() : null}</div>
        </div>
      </div>`,
      el,
    );
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    // Ctrl/Cmd+S or Ctrl/Cmd+Enter saves from any step.
    if ((event.ctrlKey || event.metaKey) && (event.key === "Enter" || event.key.toLowerCase() === "s") && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      if (!saving) save();
    }
  }
  document.addEventListener("keydown", onKey);

  draw();
  /** @type {HTMLInputElement|null} */ (el.querySelector("#project-title"))?.focus();
  return () => {
    objectUrls.forEach((url) => URL.revokeObjectURL(url));
    document.removeEventListener("keydown", onKey);
    markUnsaved(null);
  };
}
