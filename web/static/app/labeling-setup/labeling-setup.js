// @ts-check
/**
 * `<ll-labeling-setup>`: choose a template, edit the labeling config in Code or Visual mode with
 * the server's validation shown at the lines, and see it live in the preview.
 *
 * Interface (used by the create wizard and the project settings page):
 * - `.config` (string): the XML. Empty starts at the template gallery. Setting it from outside
 *   resets the editor (no event is fired for that).
 * - `.sampleTask` (object|null): task data to preview with (e.g. the project's first task's
 *   `data`; a whole task object `{id, data, ...}` works too).
 * - `.dataColumns` (string[]): data keys found in imported data (for "Configure data").
 * - `.sampleMedia` (string): the URL of an uploaded media file, previewed in the config's data
 *   field when it has just one (each uploaded file becomes a task with one field).
 * - `.dataTypes` (string[]): the data types of uploaded media files (the catalogue's data types
 *   accepting their extensions), so "Fits your data" finds templates for uploaded images too.
 * - Event `config-change` (bubbles, composed) on every edit: `detail: {config, valid, pending,
 *   renames}`. Right after an edit `pending` is true and `valid` false; ~300 ms later, once the
 *   server has checked it, the event fires again with the verdict. `renames` lists the labels
 *   renamed in the Visual editor since `.config` was set (`[{from_name, from, to}]`, chains
 *   collapsed), so a project page can offer to migrate existing results (P7).
 * - `.valid`, `.pending` (read-only) and `await el.validate()` (checks now, resolves to valid).
 */
import { LitElement, html } from "lit";
import { ApiError, api, errorText } from "../api.js";
import { plugins } from "../state.js";
import { confirmAction, icon, isTyping, useStyles } from "../ui.js";
import { addRename, describeConfig } from "./config-model.js";
import { renderGallery } from "./gallery.js";
import { renderIssues } from "./issues-panel.js";
import { Preview } from "./preview.js";
import { parseSampleJson, renderSampleEditor } from "./sample-editor.js";
import { nameHints } from "./suggest.js";
import { renderVisual } from "./visual-editor.js";
import { applyEdits } from "./xml-source.js";
import "./code-editor.js";

/** @typedef {import("./gallery.js").Template} Template */
/** @typedef {import("./suggest.js").ConfigIssue} ConfigIssue */
/** @typedef {import("./config-model.js").Rename} Rename */

const DEBOUNCE_MS = 300;
const EMPTY_CONFIG = "<View>\n  \n</View>\n";
const MODE_KEY = "labelloom.labeling-setup.mode";

/** @type {Promise<{templates: Template[], groups: string[]}>|null} */
let templatesPromise = null;
function loadTemplates() {
  templatesPromise ??= api.get("/api/templates").catch((error) => {
    templatesPromise = null;
    throw error;
  });
  return templatesPromise;
}

export class LabelingSetup extends LitElement {
  static properties = {
    sampleTask: { attribute: false },
    dataColumns: { attribute: false },
    dataTypes: { attribute: false },
    sampleMedia: { attribute: false },
  };

  constructor() {
    super();
    /** @type {Record<string, any>|null} */
    this.sampleTask = null;
    /** @type {string[]} */
    this.dataColumns = [];
    /** @type {string[]} data types of uploaded media files (for "Fits your data") */
    this.dataTypes = [];
    /** @type {string} an uploaded media file's URL: the preview shows it in the config's one data field */
    this.sampleMedia = "";
    this._text = "";
    /** Text as loaded or as the template had it: "dirty" means the user changed something. */
    this._baseline = "";
    /** @type {"gallery"|"editor"} */
    this._view = "gallery";
    /** @type {"visual"|"code"} */
    this._mode = "visual";
    /** @type {Template[]|null} */
    this._templates = null;
    /** @type {string[]} */
    this._groups = [];
    this._templatesError = "";
    /** @type {import("../catalogue.js").TagCatalogue} what each tag does (`GET /api/plugins`); empty until loaded */
    this._tags = {};
    this._category = "all";
    this._query = "";
    /** @type {Template|null} */
    this._template = null;
    /** @type {ConfigIssue[]} */
    this._issues = [];
    /** @type {"idle"|"checking"|"valid"|"invalid"|"error"} */
    this._status = "idle";
    this._statusError = "";
    this._valid = false;
    /** @type {any} last successful tree response */
    this._tree = null;
    this._validText = "";
    /** @type {{text: string, renames: Rename[]}[]} visual-edit undo stack */
    this._history = [];
    /** @type {Rename[]} */
    this._renames = [];
    /** @type {Record<string, string>} */
    this._visualErrors = {};
    this._seq = 0;
    this._timer = 0;
    /** @type {AbortController|null} */
    this._abort = null;
    /** @type {Promise<boolean>|null} */
    this._checking = null;
    /** @type {Preview|null} */
    this._preview = null;
    this._previewNote = "";
    /** @type {Record<string, any>|null} sample data typed by the user (wins over every other source) */
    this._sampleOverride = null;
    this._sampleOpen = false;
    this._sampleError = "";
    /** @type {(() => string)|null} */
    this._focusAfter = null;
    /** @type {ReturnType<typeof describeConfig>|null} */
    this._modelCache = null;
    this._modelText = "";
  }

  createRenderRoot() {
    return this;
  }

  get config() {
    return this._text;
  }

  set config(value) {
    const text = String(value ?? "");
    if (text === this._text) return;
    this._text = text;
    this._baseline = text;
    this._history = [];
    this._renames = [];
    this._template = null;
    this._visualErrors = {};
    if (text.trim()) {
      this._view = "editor";
      const model = describeConfig(text, this._tags);
      this._mode = model.ok && (model.controls.length || model.objects.length) ? preferredMode("visual") : "code";
      this._validateNow(false);
    } else {
      this._view = "gallery";
      this._issues = [];
      this._status = "idle";
    }
    this.requestUpdate();
  }

  /** Whether the server accepted the current text. */
  get valid() {
    return this._valid && this._validText === this._text;
  }

  /** Whether a check of the current text is scheduled or running. */
  get pending() {
    return Boolean(this._timer) || this._status === "checking";
  }

  /** Check the current text now (skipping the debounce). @returns {Promise<boolean>} */
  validate() {
    if (!this.pending && this._validText === this._text && this._status !== "error") return Promise.resolve(this.valid);
    if (!this._timer && this._status === "checking" && this._checking) return this._checking; // already asking about this text
    return this._validateNow();
  }

  connectedCallback() {
    super.connectedCallback();
    useStyles("/static/core/app/labeling-setup/labeling-setup.css");
    this.requestUpdate(); // re-attached: the preview needs its stage again
    this.addEventListener("keydown", this._onKeydown);
    this._fetchTemplates();
    this._fetchTags();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this._onKeydown);
    clearTimeout(this._timer);
    this._abort?.abort();
    this._preview?.destroy();
    this._preview = null;
  }

  async _fetchTemplates() {
    this._templatesError = "";
    try {
      const out = await loadTemplates();
      this._templates = out.templates;
      this._groups = out.groups;
    } catch (error) {
      this._templatesError = errorText(error);
    }
    this.requestUpdate();
  }

  async _fetchTags() {
    try {
      const catalogue = await plugins();
      if (catalogue?.tags && catalogue.tags !== this._tags) {
        this._tags = catalogue.tags;
        this._modelCache = null; // read again: the controls are known now
        this.requestUpdate();
      }
    } catch {
      // no catalogue: the editors show what they can (data tags), the code editor still works
    }
  }

  /** @returns {ReturnType<typeof describeConfig>} */
  get _model() {
    if (this._modelText !== this._text || !this._modelCache) {
      this._modelCache = describeConfig(this._text, this._tags);
      this._modelText = this._text;
    }
    return this._modelCache;
  }

  // ---- changes

  /** @param {string} text @param {"code"|"visual"|"fix"} source */
  _change(text, source) {
    if (text === this._text) return;
    if (source !== "visual") this._history = [];
    this._text = text;
    this._valid = false;
    this._emit(false, true);
    clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this._validateNow(), DEBOUNCE_MS);
    this.requestUpdate();
  }

  /** @param {boolean} valid @param {boolean} pending */
  _emit(valid, pending) {
    const detail = { config: this._text, valid, pending, renames: this._renames.map((r) => ({ ...r })) };
    this.dispatchEvent(new CustomEvent("config-change", { bubbles: true, composed: true, detail }));
  }

  /**
   * Ask the server about the current text now.
   * @param {boolean} [emit] fire config-change with the verdict (not for configs set by the host)
   * @returns {Promise<boolean>}
   */
  _validateNow(emit = true) {
    clearTimeout(this._timer);
    this._timer = 0;
    const text = this._text;
    const seq = ++this._seq;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._status = "checking";
    this.requestUpdate();
    /** @type {Record<string, any>} */
    const body = { label_config: text };
    // Only Repeaters need task data to build the tree; sending big samples on each keystroke is waste.
    if (/<Repeater\b/i.test(text)) body.data = this._sampleData({});
    const run = api.request("POST", "/api/labeling/tree", { json: body, signal: abort.signal }).then(
      (tree) => {
        if (seq !== this._seq) return /** @type {Promise<boolean>} */ (this._checking); // superseded: answer for the newer text
        this._issues = [];
        this._tree = tree;
        this._validText = text;
        this._valid = true;
        this._status = "valid";
        if (emit) this._emit(true, false);
        this._showPreview();
        this.requestUpdate();
        return true;
      },
      (error) => {
        if (seq !== this._seq) return /** @type {Promise<boolean>} */ (this._checking);
        if (error instanceof DOMException && error.name === "AbortError") return this.valid;
        this._valid = false;
        this._validText = text;
        if (error instanceof ApiError && error.status === 400) {
          const issues = /** @type {ConfigIssue[]|undefined} */ (error.body.config_issues);
          this._issues = issues && issues.length ? issues : [{ message: errorText(error), line: null }];
          this._status = "invalid";
        } else {
          this._issues = [];
          this._status = "error";
          this._statusError = errorText(error);
        }
        if (emit) this._emit(false, false);
        this.requestUpdate();
        return false;
      },
    );
    this._checking = run;
    return run;
  }

  /** Task data for the preview: generated samples, then the template's, then the real task's. @param {Record<string, any>} generated */
  _sampleData(generated) {
    if (this._sampleOverride) return this._sampleOverride;
    const data = { ...generated, ...(this._template?.sample_task || {}), ...this._taskData() };
    const keys = Object.keys(generated);
    if (this.sampleMedia && keys.length === 1) data[keys[0]] = this.sampleMedia;
    return data;
  }

  /** `.sampleTask` as task data; a whole task object (`{id, data, ...}`) is accepted too. */
  _taskData() {
    const task = this.sampleTask;
    if (!task || typeof task !== "object") return {};
    const inner = task.data;
    if (inner && typeof inner === "object" && !Array.isArray(inner) && ("id" in task || "annotations" in task)) return inner;
    return task;
  }

  _sampleSource() {
    if (this._sampleOverride) return "your sample data";
    if (Object.keys(this._taskData()).length || this.sampleMedia) return "your data";
    if (this._template) return "the template's sample";
    return "generated sample data";
  }

  _showPreview() {
    if (!this._preview || !this._tree || !this._valid) return;
    const data = this._sampleData(this._tree.sample_task || {});
    this._preview.show({ labelConfig: this._validText, data, tree: this._tree.tree }).then(() => {
      const note = this._preview?.error ? `The labeling runtime could not render this (${this._preview.error}); showing an outline.` : "";
      if (note !== this._previewNote) {
        this._previewNote = note;
        this.requestUpdate();
      }
    });
  }

  /** @param {Map<string, unknown>} changed */
  willUpdate(changed) {
    if ((changed.has("sampleTask") || changed.has("sampleMedia") || changed.has("dataColumns")) && this._valid) queueMicrotask(() => this._showPreview());
  }

  updated() {
    const stage = /** @type {HTMLElement|null} */ (this.querySelector(".ls-preview-stage"));
    if (stage && this._preview?.stage !== stage) {
      this._preview?.destroy();
      this._preview = new Preview(stage);
      this._showPreview();
    } else if (!stage && this._preview) {
      this._preview.destroy();
      this._preview = null;
    }
    if (this._focusAfter) {
      const selector = this._focusAfter();
      this._focusAfter = null;
      const target = /** @type {HTMLElement|null} */ (this.querySelector(selector));
      if (target && !(/** @type {HTMLButtonElement} */ (target).disabled)) target.focus();
      else /** @type {HTMLElement|null} */ (target?.closest(".ls-item")?.querySelector(".ls-name"))?.focus();
    }
  }

  // ---- actions

  /** @param {Template} template */
  async _choose(template) {
    if (!(await this._mayReplace())) return;
    this._template = template;
    this._enterEditor(template.config, preferredMode("visual"));
  }

  async _custom() {
    if (!(await this._mayReplace())) return;
    this._template = null;
    this._enterEditor(EMPTY_CONFIG, "code");
    await this.updateComplete;
    const editor = /** @type {any} */ (this.querySelector("ll-xml-editor"));
    editor?.goToLine(2);
  }

  /** @param {string} text @param {"visual"|"code"} mode */
  _enterEditor(text, mode) {
    this._view = "editor";
    this._mode = mode;
    this._baseline = text;
    this._history = [];
    this._renames = [];
    this._visualErrors = {};
    this._change(text, "fix");
    this._validateNow();
    this.updateComplete.then(() => /** @type {HTMLElement|null} */ (this.querySelector(`#ls-tab-${mode}`))?.focus());
  }

  /** Ask before throwing away edits. */
  async _mayReplace() {
    if (!this._text.trim() || this._text === this._baseline) return true;
    return confirmAction({
      title: "Replace your config?",
      message: "You changed the current labeling config. Picking another template replaces it.",
      confirm: "Replace",
      danger: true,
    });
  }

  _browse() {
    this._view = "gallery";
    this.requestUpdate();
    this.updateComplete.then(() => /** @type {HTMLElement|null} */ (this.querySelector(".ls-search input"))?.focus());
  }

  /** @param {"visual"|"code"} mode */
  _setMode(mode) {
    this._mode = mode;
    try {
      localStorage.setItem(MODE_KEY, mode);
    } catch {
      /* private mode: fine */
    }
    this.requestUpdate();
  }

  /** @param {number|null|undefined} line */
  async _jump(line) {
    if (this._mode !== "code") this._setMode("code");
    await this.updateComplete;
    const editor = /** @type {any} */ (this.querySelector("ll-xml-editor"));
    if (line) editor?.goToLine(line);
    else editor?.focus();
  }

  /** @param {{start: number, end: number, suggestion: string|null}} hint */
  async _applyFix(hint) {
    if (!hint.suggestion) return;
    this._change(applyEdits(this._text, [{ start: hint.start, end: hint.end, insert: hint.suggestion }]), "fix");
  }

  /**
   * Apply a visual edit; errors become a message under the row. Returns whether it applied.
   * @param {string} key @param {(text: string) => string} fn @param {() => string} [focus]
   * @param {Rename} [rename] the edit renames a label
   */
  _visualEdit(key, fn, focus, rename) {
    const before = this._text;
    try {
      const after = fn(before);
      this._visualErrors = {}; // messages describe the text before this edit
      if (after !== before) {
        this._history = [...this._history.slice(-99), { text: before, renames: this._renames }];
        if (rename) this._renames = addRename(this._renames, rename);
        this._change(after, "visual");
      }
      if (focus) this._focusAfter = focus;
      this.requestUpdate();
      return true;
    } catch (error) {
      this._visualErrors = { ...this._visualErrors, [key]: errorText(error) };
      this.requestUpdate();
      return false;
    }
  }

  _undo() {
    const previous = this._history.pop();
    if (previous === undefined) return;
    this._renames = previous.renames;
    this._change(previous.text, "visual");
  }

  /** @param {KeyboardEvent} event */
  _onKeydown = (event) => {
    if (this._view === "gallery" && event.key === "/" && !isTyping(event)) {
      event.preventDefault();
      /** @type {HTMLElement|null} */ (this.querySelector(".ls-search input"))?.focus();
    } else if (this._view === "editor" && this._mode === "visual" && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.shiftKey && !isTyping(event)) {
      event.preventDefault();
      this._undo();
    }
  };

  // ---- rendering

  render() {
    return html`<div class="ls-root">${this._view === "gallery" ? this._renderGallery() : this._renderEditor()}</div>`;
  }

  _renderGallery() {
    return html`
      <header class="ls-head">
        <h2>Choose a template</h2>
        <span class="muted">Pick the closest one; you can change everything afterwards.</span>
      </header>
      ${this._galleryBody()}`;
  }

  _galleryBody() {
    return renderGallery({
      templates: this._templates,
      groups: this._groups,
      error: this._templatesError,
      category: this._category,
      query: this._query,
      dataColumns: this.dataColumns || [],
      dataTypes: this.dataTypes || [],
      tags: this._tags,
      onCategory: (category) => {
        this._category = category;
        this._query = "";
        this.requestUpdate();
      },
      onQuery: (query) => {
        this._query = query;
        this.requestUpdate();
      },
      onChoose: (template) => this._choose(template),
      onCustom: () => this._custom(),
      onRetry: () => this._fetchTemplates(),
      onBack: this._text.trim() ? () => ((this._view = "editor"), this.requestUpdate()) : null,
    });
  }

  _renderEditor() {
    const hints = this._status === "invalid" ? nameHints(this._text) : [];
    const errorLines = this._status === "invalid" ? [...new Set(this._issues.map((i) => i.line || 0).filter(Boolean))] : [];
    // Dim only for a real problem: dimming on every keystroke while a check runs would flicker.
    const stale = this._status === "invalid";
    return html`
      <header class="ls-head">
        <h2>Labeling interface</h2>
        ${this._template ? html`<span class="badge">${this._template.title}</span>` : null}
        <button type="button" class="btn btn-sm" @click=${() => this._browse()}>${icon("grid")} Browse templates</button>
        <span class="ls-grow"></span>
        ${this._mode === "visual"
          ? html`<button type="button" class="btn btn-sm" ?disabled=${!this._history.length} @click=${() => this._undo()} aria-keyshortcuts="Control+Z"
              title="Undo the last visual edit (Ctrl+Z)">${icon("undo")} Undo</button>`
          : null}
        <span class="ls-status-wrap" role="status">${this._renderStatus()}</span>
        <div class="ls-modes" role="tablist" aria-label="Editor mode" @keydown=${this._tabKeys}>
          ${(/** @type {const} */ (["visual", "code"])).map((mode) => html`
            <button type="button" role="tab" id="ls-tab-${mode}" aria-controls="ls-panel-${mode}" aria-selected=${this._mode === mode ? "true" : "false"}
              tabindex=${this._mode === mode ? "0" : "-1"} @click=${() => this._setMode(mode)}>${mode === "visual" ? "Visual" : "Code"}</button>`)}
        </div>
      </header>
      <div class="ls-body">
        <div class="ls-editor-pane">
          <div class="ls-panel" role="tabpanel" id="ls-panel-code" aria-labelledby="ls-tab-code" ?hidden=${this._mode !== "code"}>
            <ll-xml-editor .value=${this._text} .errorLines=${errorLines} described-by="ls-issues xe-help"
              @code-input=${(/** @type {CustomEvent} */ e) => this._change(e.detail.value, "code")}></ll-xml-editor>
          </div>
          <div class="ls-panel ls-panel-visual" role="tabpanel" id="ls-panel-visual" aria-labelledby="ls-tab-visual" ?hidden=${this._mode !== "visual"}>
            ${this._mode === "visual"
              ? renderVisual({
                  model: this._model,
                  tags: this._tags,
                  dataColumns: this.dataColumns || [],
                  errors: this._visualErrors,
                  edit: (key, fn, focus, rename) => this._visualEdit(key, fn, focus, rename),
                  note: (key, message) => ((this._visualErrors = { ...this._visualErrors, [key]: message }), this.requestUpdate()),
                  showCode: (line) => this._jump(line),
                })
              : null}
          </div>
          ${renderIssues({ issues: this._issues, hints, onJump: (line) => this._jump(line), onFix: (hint) => this._applyFix(hint) })}
        </div>
        <section class="ls-preview-pane" aria-label="Preview">
          <div class="ls-preview-head">
            <h3>Preview</h3>
            <span class="muted">with ${this._sampleSource()}</span>
            <span class="ls-grow"></span>
            <button type="button" class="btn btn-sm btn-ghost" aria-expanded=${this._sampleOpen ? "true" : "false"} aria-controls="ls-sample"
              ?disabled=${!this._tree} @click=${() => this._toggleSample()}>${icon("settings")} Sample data</button>
          </div>
          ${this._sampleOpen ? this._renderSampleEditor() : null}
          ${stale && this._tree
            ? html`<p class="ls-stale-note" role="status">${icon("info")} Showing the last valid config. Fix the problems to update the preview.</p>`
            : null}
          ${this._previewNote ? html`<p class="ls-stale-note">${icon("warning")} ${this._previewNote}</p>` : null}
          ${!this._tree && this._status !== "checking" ? html`<p class="muted ls-preview-empty">The preview appears once the config is valid.</p>` : null}
          <div class="ls-preview-stage ${stale ? "is-stale" : ""}" ?inert=${Boolean(stale)}></div>
        </section>
      </div>`;
  }

  _toggleSample() {
    this._sampleOpen = !this._sampleOpen;
    this._sampleError = "";
    this.requestUpdate();
    if (this._sampleOpen) this.updateComplete.then(() => /** @type {HTMLElement|null} */ (this.querySelector("#ls-sample textarea"))?.focus());
  }

  _renderSampleEditor() {
    return renderSampleEditor({
      data: this._sampleData(this._tree?.sample_task || {}),
      error: this._sampleError,
      custom: Boolean(this._sampleOverride),
      apply: (text) => {
        const parsed = parseSampleJson(text);
        this._sampleError = parsed.error;
        if (parsed.value) {
          this._sampleOverride = parsed.value;
          this._sampleOpen = false;
          this._showPreview();
        }
        this.requestUpdate();
      },
      reset: () => {
        this._sampleOverride = null;
        this._sampleOpen = false;
        this._showPreview();
        this.requestUpdate();
      },
      cancel: () => this._toggleSample(),
    });
  }

  _renderStatus() {
    const count = this._issues.length;
    if (this._validText !== this._text && this._status !== "error") return html`<span class="ls-status" aria-hidden="true">Checking…</span>`;
    switch (this._status) {
      case "checking":
        return html`<span class="ls-status" aria-hidden="true">Checking…</span>`;
      case "valid":
        return html`<span class="ls-status ls-ok">${icon("check")} Valid</span>`;
      case "invalid":
        return html`<span class="ls-status ls-bad">${icon("warning")} ${count} ${count === 1 ? "problem" : "problems"}</span>`;
      case "error":
        return html`<span class="ls-status ls-bad" title=${this._statusError}>Not checked: ${this._statusError}
          <button type="button" class="btn btn-sm" @click=${() => this._validateNow()}>Retry</button></span>`;
      default:
        return null;
    }
  }

  /** Left/Right between the mode tabs. @param {KeyboardEvent} event */
  _tabKeys = (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const next = this._mode === "visual" ? "code" : "visual";
    this._setMode(next);
    this.updateComplete.then(() => /** @type {HTMLElement|null} */ (this.querySelector(`#ls-tab-${next}`))?.focus());
  };
}

/** The mode the user last picked, else `fallback`. @param {"visual"|"code"} fallback @returns {"visual"|"code"} */
function preferredMode(fallback) {
  try {
    const saved = localStorage.getItem(MODE_KEY);
    return saved === "code" || saved === "visual" ? saved : fallback;
  } catch {
    return fallback;
  }
}

if (!customElements.get("ll-labeling-setup")) customElements.define("ll-labeling-setup", LabelingSetup);
