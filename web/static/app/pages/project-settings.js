// @ts-check
/**
 * Project settings (/projects/:id/settings/:section): a left nav and one form per section —
 * General, Labeling interface, Instructions, Annotation, the sections plugins add (ML backends,
 * cloud storage ...: drawn by the plugin's own module, see plugin-panels.js), Danger zone. Each form keeps a draft,
 * saves only what changed, marks unsaved edits and asks before leaving (P12). Server refusals
 * (e.g. a config that would orphan labels in annotations) are shown in full inside the form.
 */
import { html, nothing, render } from "lit";
import { api, errorText } from "../api.js";
import { navigate } from "../router.js";
import { deleteProject, duplicateProject } from "../projects/actions.js";
import { COLOR_NAMES, PROJECT_COLORS, markUnsaved } from "../projects/common.js";
import { loadElement } from "../projects/embeds.js";
import { migrateLabels } from "../labeling-setup/label-changes.js";
import { mountPanel, settingsPanels } from "../projects/plugin-panels.js";
import { SAMPLING, SKIP_QUEUE, changedFields, pick, validate } from "../projects/settings-forms.js";
import { mountStorageSettings } from "../projects/storage-settings.js";
import { mountMembersSettings } from "../projects/members-settings.js";
import { mountReviewSettings } from "../projects/review-settings.js";
import { plugins, setBreadcrumb, setTopActions } from "../state.js";
import { confirmAction, icon, toast, useStyles } from "../ui.js";

const SECTIONS = /** @type {const} */ ([
  ["general", "General", "settings"],
  ["labeling", "Labeling interface", "tag"],
  ["instructions", "Instructions", "info"],
  ["annotation", "Annotation", "check"],
  ["storage", "Cloud storage", "cloud"],
  ["members", "Members", "user"],
  ["review", "Review", "check"],
  ["danger", "Danger zone", "warning"],
]);

/** @type {import("../router.js").PageRender} */
export default function projectSettingsPage(el, route) {
  useStyles("/static/core/app/projects/projects.css");
  const id = Number(route.params.id);
  const section = route.params.section || "general";
  const coreSection = SECTIONS.some(([key]) => key === section);
  let sectionLabel = coreSection ? /** @type {string} */ (SECTIONS.find(([key]) => key === section)?.[1]) : "";
  /** @type {import("../projects/plugin-panels.js").SettingsPanel[]} */
  let panels = [];
  /** @type {import("../projects/plugin-panels.js").SettingsPanel|undefined} */
  let panel;
  let panelDirty = false;
  let panelMounted = false;
  /** @type {() => void} */
  let panelCleanup = () => {};

  /** @type {Record<string, any>|null} */
  let project = null;
  let loadError = "";
  /** @type {Record<string, any>} */
  let saved = {};
  /** @type {Record<string, any>} */
  let draft = {};
  /** @type {Record<string, string>} */
  let fieldErrors = {};
  /** @type {{detail: string, items: string[]}|null} */
  let serverError = null;
  let saving = false;
  let configValid = true;
  /** @type {boolean|null} */
  let hasSetup = null;
  /** @type {string[]} */
  let dataColumns = [];
  /** @type {any} */
  let sampleTask = null;
  /** @type {import("../labeling-setup/config-model.js").Rename[]} labels renamed in the visual editor since the last save */
  let labelRenames = [];

  const dirty = () => panelDirty || Object.keys(changedFields(draft, saved)).length > 0;

  function crumbs() {
    setBreadcrumb([
      { label: "Projects", href: "/projects" },
      { label: project?.title || `Project ${id}`, href: `/projects/${id}/data` },
      { label: "Settings", href: `/projects/${id}/settings` },
      { label: sectionLabel },
    ]);
  }
  crumbs();
  setTopActions(html`<a class="btn" href="/projects/${id}/data">${icon("grid")} Data manager</a><a class="btn" href="/projects/${id}/label">${icon("play")} Label</a>`);

  async function loadPanels() {
    try {
      panels = settingsPanels(await plugins());
    } catch {
      panels = [];
    }
    if (!coreSection) {
      panel = panels.find((p) => p.name === section);
      if (!panel) {
        navigate(`/projects/${id}/settings/general`, { replace: true });
        return;
      }
      sectionLabel = panel.title;
      crumbs();
    }
    draw();
  }

  async function load() {
    try {
      project = await api.get(`/api/projects/${id}`);
      saved = pick(section, /** @type {Record<string, any>} */ (project));
      draft = { ...saved };
      crumbs();
    } catch (error) {
      loadError = errorText(error);
    }
    draw();
    if (section === "labeling" && project) loadLabelingContext();
  }

  async function loadLabelingContext() {
    hasSetup = await loadElement("ll-labeling-setup");
    draw();
    try {
      const [summary, tasks] = await Promise.all([
        api.get(`/api/projects/${id}/summary`),
        api.get("/api/tasks/", { project: id, page_size: 1 }),
      ]);
      dataColumns = Object.keys(summary.all_data_columns || {});
      sampleTask = tasks.tasks?.[0] || null;
      draw();
    } catch {
      // The editor works without columns or a sample; it generates sample data itself.
    }
  }

  /** @param {string} key @param {any} value */
  function set(key, value) {
    draft = { ...draft, [key]: value };
    delete fieldErrors[key];
    serverError = null;
    markUnsaved(dirty() ? `Your changes to ${sectionLabel} are not saved.` : null);
    draw();
  }

  function revert() {
    draft = { ...saved };
    // The editor only resets when told (its .config binding did not change).
    const setup = /** @type {any} */ (el.querySelector("ll-labeling-setup"));
    if (setup) setup.config = saved.label_config ?? "";
    fieldErrors = {};
    serverError = null;
    markUnsaved(null);
    draw();
  }

  /** @param {Event} [event] */
  async function save(event) {
    event?.preventDefault();
    fieldErrors = validate(draft);
    if (Object.keys(fieldErrors).length) {
      draw();
      /** @type {HTMLElement|null} */ (el.querySelector("[aria-invalid=true]"))?.focus();
      return;
    }
    const setup = /** @type {any} */ (el.querySelector("ll-labeling-setup"));
    if (section === "labeling" && setup && typeof setup.validate === "function" && draft.label_config !== saved.label_config) {
      configValid = await setup.validate();
    }
    if (section === "labeling" && !configValid) {
      serverError = { detail: "The configuration has errors; fix them before saving.", items: [] };
      draw();
      return;
    }
    const changes = changedFields(draft, saved);
    if (!Object.keys(changes).length) return;
    saving = true;
    serverError = null;
    draw();
    try {
      // Labels that results use and the new config drops: a previewed migration (P7).
      if (section === "labeling" && typeof changes.label_config === "string") {
        const migration = await migrateLabels({ projectId: id, before: saved.label_config ?? "", after: changes.label_config, renames: labelRenames });
        if (migration.status === "cancelled") {
          saving = false;
          serverError = { detail: "Not saved: existing results use labels this configuration changes. Save again to say what they became.", items: [] };
          draw();
          return;
        }
        if (migration.status === "applied") {
          delete changes.label_config;
          project = migration.project;
          labelRenames = [];
          if (!Object.keys(changes).length) changes.label_config = project.label_config;
        }
      }
      project = await api.patch(`/api/projects/${id}`, changes);
      saved = pick(section, /** @type {Record<string, any>} */ (project));
      draft = { ...saved };
      markUnsaved(null);
      crumbs();
      toast(`${sectionLabel} saved`, { kind: "success" });
    } catch (error) {
      const fields = /** @type {any} */ (error)?.validationErrors || {};
      for (const [key, messages] of Object.entries(fields)) if (key in draft && key !== "label_config") fieldErrors[key] = [messages].flat().join(" ");
      const items = section === "labeling" ? [fields.label_config || []].flat().map(String) : [];
      serverError = { detail: errorText(error), items };
    }
    saving = false;
    draw();
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    // Ctrl/Cmd+S saves the open form instead of saving the web page.
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && section !== "danger") {
      event.preventDefault();
      if (dirty()) save();
    }
  }
  document.addEventListener("keydown", onKey);
  // The instructions preview is a separate document: redraw it when the theme changes.
  const themeWatch = new MutationObserver(() => section === "instructions" && draw());
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

  /** @param {string} key */
  const err = (key) => (fieldErrors[key] ? html`<span class="error" id="err-${key}" role="alert">${fieldErrors[key]}</span>` : null);

  function footer() {
    return html`<footer class="settings-footer">
      <button class="btn btn-primary" type="submit" ?disabled=${!dirty() || saving}>${saving ? "Saving…" : "Save"}</button>
      <button class="btn" type="button" ?disabled=${!dirty() || saving} @click=${revert}>Revert</button>
      <span class="state" aria-live="polite">${dirty() ? html`<span class="badge badge-accent">Unsaved changes</span>` : "All changes saved"}</span>
    </footer>`;
  }

  function serverErrorBox() {
    if (!serverError) return null;
    return html`<div class="form-error server-error" role="alert"><strong>${serverError.detail}</strong>
      ${serverError.items.length > 1 ? html`<ul>${serverError.items.map((item) => html`<li>${item}</li>`)}</ul>` : null}</div>`;
  }

  function general() {
    const color = String(draft.color || "#FFFFFF").toUpperCase();
    return html`<form class="settings-form" novalidate @submit=${save}>
      ${serverErrorBox()}
      <div class="field"><label for="set-title">Project name</label>
        <input id="set-title" type="text" maxlength="200" .value=${draft.title ?? ""} aria-invalid=${fieldErrors.title ? "true" : "false"} aria-describedby="err-title"
          @input=${(/** @type {Event} */ e) => set("title", /** @type {HTMLInputElement} */ (e.target).value)}>${err("title")}</div>
      <div class="field"><label for="set-description">Description</label>
        <textarea id="set-description" rows="4" .value=${draft.description ?? ""} @input=${(/** @type {Event} */ e) => set("description", /** @type {HTMLTextAreaElement} */ (e.target).value)}></textarea></div>
      <fieldset class="field swatches-field" style="border:0;padding:0;margin:0 0 16px">
        <legend class="field-label" style="margin-bottom:6px">Colour</legend>
        <div class="swatches">${PROJECT_COLORS.map((c) => html`<label class="swatch" title=${COLOR_NAMES[c]}>
          <input type="radio" name="color" .value=${c} .checked=${color === c} aria-label=${COLOR_NAMES[c]} @change=${() => set("color", c)}>
          <span style="background:${c}">${color === c ? icon("check", 14) : null}</span></label>`)}
          ${PROJECT_COLORS.includes(color) ? null : html`<span class="badge">Custom: ${color}</span>`}
        </div>
      </fieldset>
      <fieldset class="radio-cards">
        <legend class="field-label" style="margin-bottom:6px">Task sampling</legend>
        ${SAMPLING.map(([value, label, hint]) => html`<label class="radio-card"><input type="radio" name="sampling" .value=${value} .checked=${draft.sampling === value} @change=${() => set("sampling", value)}>
          <div><strong>${label}</strong><span>${hint}</span></div></label>`)}
      </fieldset>
      ${footer()}
    </form>`;
  }

  function labeling() {
    return html`<form class="settings-labeling" @submit=${save}>
      ${serverErrorBox()}
      ${hasSetup === null
        ? html`<div class="skeleton" style="height:360px"></div>`
        : hasSetup
          ? html`<ll-labeling-setup .config=${saved.label_config ?? ""} .dataColumns=${dataColumns} .sampleTask=${sampleTask}
              @config-change=${(/** @type {CustomEvent} */ e) => { configValid = e.detail?.valid !== false; labelRenames = e.detail?.renames || labelRenames; if (typeof e.detail?.config === "string" && e.detail.config !== draft.label_config) set("label_config", e.detail.config); else draw(); }}></ll-labeling-setup>`
          : html`<div class="field"><label for="set-config">Labeling configuration (XML)</label>
              <p class="hint">The visual editor is not available here yet; edit the XML directly.</p>
              <textarea id="set-config" rows="18" spellcheck="false" style="font-family:var(--mono);font-size:12.5px;width:100%" .value=${draft.label_config ?? ""}
                @input=${(/** @type {Event} */ e) => set("label_config", /** @type {HTMLTextAreaElement} */ (e.target).value)}></textarea></div>`}
      ${footer()}
    </form>`;
  }

  function instructions() {
    return html`<form class="settings-form wide" @submit=${save}>
      ${serverErrorBox()}
      <div class="instructions-grid">
        <div><label class="field-label" for="set-instructions">Instructions for annotators (HTML allowed)</label>
          <textarea id="set-instructions" .value=${draft.expert_instruction ?? ""} placeholder="<p>Label every person, even partly hidden ones…</p>"
            @input=${(/** @type {Event} */ e) => set("expert_instruction", /** @type {HTMLTextAreaElement} */ (e.target).value)}></textarea></div>
        <div><span class="field-label" id="preview-label">Preview</span>
          ${draft.expert_instruction
            ? html`<iframe class="instructions-frame" title="Instructions preview" sandbox="" .srcdoc=${previewDoc(draft.expert_instruction)}></iframe>`
            : html`<div class="instructions-preview muted" aria-labelledby="preview-label">Nothing to show yet.</div>`}</div>
      </div>
      <div class="toggle-list" style="margin-top:16px">
        <label class="check"><input type="checkbox" .checked=${Boolean(draft.show_instruction)} @change=${(/** @type {Event} */ e) => set("show_instruction", /** @type {HTMLInputElement} */ (e.target).checked)}>
          <span>Show the instructions before labeling<small>Annotators see them when they start; they can always open them from the labeling screen.</small></span></label>
      </div>
      ${footer()}
    </form>`;
  }

  /** @param {string} key @param {string} label @param {string} hint */
  function toggle(key, label, hint) {
    return html`<label class="check"><input type="checkbox" .checked=${Boolean(draft[key])} @change=${(/** @type {Event} */ e) => set(key, /** @type {HTMLInputElement} */ (e.target).checked)}>
      <span>${label}<small>${hint}</small></span></label>`;
  }

  function annotation() {
    /** @param {string} key @param {Event} e */
    const num = (key, e) => {
      const raw = /** @type {HTMLInputElement} */ (e.target).value;
      set(key, raw === "" ? NaN : Number(raw));
    };
    return html`<form class="settings-form" novalidate @submit=${save}>
      ${serverErrorBox()}
      <h3>Overlap</h3>
      <div class="field-row" style="display:grid;grid-template-columns:1fr 1fr;gap:12px">
        <div class="field number-field"><label for="set-max">Annotations per task</label>
          <input id="set-max" type="number" min="1" step="1" .value=${String(Number.isNaN(draft.maximum_annotations) ? "" : draft.maximum_annotations ?? 1)}
            aria-invalid=${fieldErrors.maximum_annotations ? "true" : "false"} aria-describedby="err-maximum_annotations hint-max" @input=${(/** @type {Event} */ e) => num("maximum_annotations", e)}>
          <span class="hint" id="hint-max">A task is done when it has this many annotations.</span>${err("maximum_annotations")}</div>
        <div class="field number-field"><label for="set-overlap">Share of tasks with overlap (%)</label>
          <input id="set-overlap" type="number" min="0" max="100" step="1" .value=${String(Number.isNaN(draft.overlap_cohort_percentage) ? "" : draft.overlap_cohort_percentage ?? 100)}
            aria-invalid=${fieldErrors.overlap_cohort_percentage ? "true" : "false"} aria-describedby="err-overlap_cohort_percentage hint-overlap" @input=${(/** @type {Event} */ e) => num("overlap_cohort_percentage", e)}>
          <span class="hint" id="hint-overlap">The other tasks need one annotation.</span>${err("overlap_cohort_percentage")}</div>
      </div>
      <div class="toggle-list">
        ${toggle("show_overlap_first", "Serve overlapping tasks first", "Annotators get the tasks that need several annotations before the others.")}
        ${toggle("show_ground_truth_first", "Serve ground-truth tasks first", "Tasks with a ground-truth annotation come first in the stream.")}
      </div>
      <h3>Skipping</h3>
      <div class="toggle-list">
        ${toggle("show_skip_button", "Allow skipping tasks", "Annotators see a Skip button.")}
      </div>
      <div class="field"><label for="set-skip-queue">Skipped tasks</label>
        <select id="set-skip-queue" .value=${draft.skip_queue} @change=${(/** @type {Event} */ e) => set("skip_queue", /** @type {HTMLSelectElement} */ (e.target).value)}>
          ${SKIP_QUEUE.map(([value, label]) => html`<option value=${value} ?selected=${draft.skip_queue === value}>${label}</option>`)}
        </select></div>
      <h3>Labeling</h3>
      <div class="toggle-list">
        ${toggle("enable_empty_annotation", "Allow empty annotations", "Submit is possible without any result.")}
        ${toggle("show_annotation_history", "Show annotation history", "Annotators see the versions of an annotation.")}
        ${toggle("show_collab_predictions", "Use predictions to pre-label tasks", "Predictions appear as a starting point for the annotation.")}
        ${toggle("reveal_preannotations_interactively", "Reveal pre-annotations interactively", "Pre-annotated regions appear one by one as the annotator reviews them.")}
      </div>
      ${footer()}
    </form>`;
  }

  async function dropTabs() {
    const ok = await confirmAction({
      title: "Drop all tabs?",
      message: "Every data-manager tab of this project (its filters, ordering and columns) is deleted for everybody. Tasks and annotations are not touched.",
      confirm: "Drop all tabs",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.post(`/api/dm/views/reset?project=${id}`, { project: id });
      toast("All tabs dropped", { kind: "success" });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  async function remove() {
    if (project && (await deleteProject(/** @type {any} */ (project), { typeName: true }))) navigate("/projects", { replace: true });
  }

  async function duplicate() {
    const copy = project && (await duplicateProject(/** @type {any} */ (project)));
    if (copy) navigate(`/projects/${copy.id}/settings/general`);
  }

  function danger() {
    return html`<div>
      <div class="danger-row"><div><strong>Duplicate project</strong><p>Copy the settings, and optionally the tasks, into a new project.</p></div>
        <button class="btn" type="button" @click=${duplicate}>${icon("copy")} Duplicate…</button></div>
      <div class="danger-row"><div><strong>Drop all tabs</strong><p>Delete the data-manager tabs, e.g. when a broken filter keeps the data manager from loading.</p></div>
        <button class="btn" type="button" @click=${dropTabs}>Drop all tabs</button></div>
      <div class="danger-row"><div><strong>Delete project</strong><p>Deletes the project, its tasks, annotations, predictions and exports. This cannot be undone.</p></div>
        <button class="btn btn-danger" type="button" @click=${remove}>${icon("trash")} Delete project…</button></div>
    </div>`;
  }

  /** Mount the plugin's panel once its container is on the page. */
  async function mountPluginPanel() {
    const host = /** @type {HTMLElement|null} */ (el.querySelector(".plugin-panel"));
    if (!host || !panel || !project || panelMounted) return;
    panelMounted = true;
    panelCleanup = await mountPanel(host, panel, project, {
      setDirty(value) {
        panelDirty = Boolean(value);
        markUnsaved(panelDirty ? `Your changes to ${sectionLabel} are not saved.` : null);
        draw();
      },
      async reloadProject() {
        project = await api.get(`/api/projects/${id}`);
        return /** @type {Record<string, any>} */ (project);
      },
    });
  }

  function content() {
    if (loadError) return html`<div class="error-box" role="alert">${loadError}</div>`;
    if (!coreSection) {
      if (!project || !panel) return html`<div class="card"><div class="skeleton" style="height:22px;width:40%"></div><div class="skeleton" style="height:180px;margin-top:16px"></div></div>`;
      return html`<section class="card" aria-labelledby="section-h"><h2 id="section-h">${sectionLabel}</h2>
        <div class="plugin-panel" data-plugin=${panel.plugin}></div></section>`;
    }
    if (!project) return html`<div class="card"><div class="skeleton" style="height:22px;width:40%"></div><div class="skeleton" style="height:180px;margin-top:16px"></div></div>`;
    const storage = () => html`<div class="storage-host"></div>`;
    const members = () => html`<div class="members-host"></div>`;
    const review = () => html`<div class="review-settings-host"></div>`;
    const body = { general, labeling, instructions, annotation, storage, members, review, danger }[section]?.();
    // The labeling setup brings its own "Labeling interface" heading.
    const ownHeading = section === "labeling" && hasSetup;
    return html`<section class="card ${section === "danger" ? "danger-card" : ""}" aria-labelledby=${ownHeading ? nothing : "section-h"} aria-label=${ownHeading ? sectionLabel : nothing}>
      ${ownHeading ? null : html`<h2 id="section-h">${sectionLabel}</h2>`}
      ${body}
    </section>`;
  }

  function draw() {
    render(
      html`<div class="settings-layout">
        <nav class="settings-nav" aria-label="Settings sections">
          ${navItems().map(([key, label, iconName]) => html`<a href="/projects/${id}/settings/${key}" class=${key === "danger" ? "nav-danger" : ""}
            aria-current=${key === section ? "page" : "false"}>${icon(iconName)} ${label}${key === section && dirty() ? html`<span class="dirty-dot" title="Unsaved changes"></span>` : null}</a>`)}
        </nav>
        <div class="settings-section">${content()}</div>
      </div>`,
      el,
    );
    if (!coreSection) mountPluginPanel();
    const storageHost = section === "storage" && project ? /** @type {HTMLElement|null} */ (el.querySelector(".storage-host")) : null;
    if (storageHost && !storageHost.hasChildNodes()) panelCleanup = mountStorageSettings(storageHost, id);
    const membersHost = section === "members" && project ? /** @type {HTMLElement|null} */ (el.querySelector(".members-host")) : null;
    if (membersHost && !membersHost.hasChildNodes()) panelCleanup = mountMembersSettings(membersHost, id);
    const reviewHost = section === "review" && project ? /** @type {HTMLElement|null} */ (el.querySelector(".review-settings-host")) : null;
    if (reviewHost && !reviewHost.hasChildNodes()) panelCleanup = mountReviewSettings(reviewHost, id);
  }

  /** Core's sections with the plugins' before the danger zone. @returns {[string, string, string][]} */
  function navItems() {
    const core = SECTIONS.map(([key, label, iconName]) => /** @type {[string, string, string]} */ ([key, label, iconName]));
    const added = panels.map((p) => /** @type {[string, string, string]} */ ([p.name, p.title, p.icon || "settings"]));
    return [...core.slice(0, -1), ...added, ...core.slice(-1)];
  }

  draw();
  load();
  loadPanels();
  return () => {
    panelCleanup();
    document.removeEventListener("keydown", onKey);
    themeWatch.disconnect();
    markUnsaved(null);
  };
}

/** The instructions inside a script-free, sandboxed document that follows the app's theme colours. @param {string} body */
function previewDoc(body) {
  const styles = getComputedStyle(document.documentElement);
  const text = styles.getPropertyValue("--text").trim() || "#1b1d24";
  const bg = styles.getPropertyValue("--surface-2").trim() || "#f1f2f5";
  const link = styles.getPropertyValue("--accent").trim() || "#4f46e5";
  return `<!doctype html><meta charset="utf-8"><style>html{color-scheme:${styles.colorScheme || "light"}}body{font:14px/1.5 system-ui,sans-serif;color:${text};background:${bg};margin:12px}a{color:${link}}img{max-width:100%}h1,h2,h3{margin:.2em 0 .5em}</style>${body}`;
}
