// @ts-check
/**
 * Import: `<ll-import-panel>` queues files, pasted JSON/CSV/TSV and URL lists client-side
 * (nothing is sent until `commit(projectId)`, so the create-project wizard can embed it with
 * `.projectId=${null}`), then uploads them in one multipart request with upload progress and
 * shows the server's row errors or the result. `openImportDialog(projectId)` wraps it in a modal.
 */
import { html, render, LitElement, nothing } from "lit";
import { ApiError, api, errorText } from "../api.js";
import { icon, openDialog, useStyles, formatNumber } from "../ui.js";
import { plugins } from "../state.js";
import { detectPasted, formatBytes, fallbackFormats, acceptList, errorLines, columnsOf } from "./import-model.js";

/** @typedef {{kind: "file", file: File, columns?: string[]} | {kind: "text", name: string, text: string, label: string}} QueueItem */

const PEEK_BYTES = 256 * 1024; // enough of a file to read its header / first tasks

/** Read the CSRF cookie the API expects on writes (as api.js does). */
function csrf() {
  const hit = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return hit ? decodeURIComponent(hit.slice("csrftoken=".length)) : "";
}

/**
 * POST a multipart form with upload progress (fetch cannot report it).
 * @param {string} url @param {FormData} form @param {(fraction: number) => void} onProgress
 * @returns {Promise<any>}
 */
function upload(url, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: xhr.responseText || xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the server could not be reached."));
    xhr.send(form);
  });
}

export class ImportPanel extends LitElement {
  static properties = {
    projectId: { type: Number },
    queue: { state: true },
    pasted: { state: true },
    url: { state: true },
    progress: { state: true },
    busy: { state: true },
    error: { state: true },
    result: { state: true },
    formats: { state: true },
    dragging: { state: true },
  };

  constructor() {
    super();
    /** @type {number|null} */
    this.projectId = null;
    /** @type {QueueItem[]} */
    this.queue = [];
    this.pasted = "";
    this.url = "";
    /** @type {number|null} */
    this.progress = null;
    this.busy = false;
    /** @type {unknown} */
    this.error = null;
    /** @type {any} */
    this.result = null;
    /** @type {{task_formats: string[], data_types: {name: string, extensions: string[]}[]}} */
    this.formats = fallbackFormats({});
    // One source for the wizard and the dialog: the catalogue's data types (the server's).
    this.dragging = false;
  }

  createRenderRoot() {
    useStyles("/static/core/app/dialogs/dialogs.css");
    return this; // light DOM: the app's styles and tests reach inside
  }

  connectedCallback() {
    super.connectedCallback();
    plugins().then((catalogue) => {
      this.formats = fallbackFormats(catalogue?.tags || {});
    }, () => {});
  }

  /** How many things are queued (the wizard enables its button on it). */
  get count() {
    return this.queue.length;
  }

  /**
   * The data columns the queued items would create (CSV headers, JSON keys), before importing:
   * the create-project wizard suggests a labeling setup from them.
   * @returns {string[]}
   */
  get dataColumns() {
    const all = this.queue.flatMap((q) => (q.kind === "file" ? q.columns || [] : columnsOf(q.name, q.text)));
    return [...new Set(all)];
  }

  /** @param {QueueItem[]} queue */
  setQueue(queue) {
    this.queue = queue;
    this.result = null;
    this.error = null;
    const detail = { count: queue.length, dataColumns: this.dataColumns };
    this.dispatchEvent(new CustomEvent("change", { detail, bubbles: true }));
    this.dispatchEvent(new CustomEvent("items-change", { detail, bubbles: true }));
  }

  /** @param {FileList|File[]|null|undefined} files */
  addFiles(files) {
    if (!files?.length) return;
    const added = Array.from(files).map((file) => /** @type {QueueItem} */ ({ kind: "file", file }));
    this.setQueue([...this.queue, ...added]);
    for (const item of added) {
      if (item.kind !== "file" || !/\.(csv|tsv|json|jsonl)$/i.test(item.file.name)) continue;
      item.file.slice(0, PEEK_BYTES).text().then((text) => {
        item.columns = columnsOf(item.file.name, text);
        if (this.queue.includes(item)) this.setQueue([...this.queue]);
      }, () => {});
    }
  }

  addPasted() {
    const found = detectPasted(this.pasted);
    if (!found) {
      this.error = new Error("Paste JSON tasks, CSV/TSV with a header row, or one URL per line.");
      return;
    }
    this.setQueue([...this.queue, { kind: "text", name: found.name, text: this.pasted, label: found.label }]);
    this.pasted = "";
  }

  addUrl() {
    const url = this.url.trim();
    if (!/^(https?|s3|gs|azure-blob):\/\//i.test(url)) {
      this.error = new Error("Enter a URL starting with http://, https://, s3:// or gs://.");
      return;
    }
    // One task per URL: the server maps a .txt line to the config's first data key.
    const existing = this.queue.find((q) => q.kind === "text" && q.name === "urls.txt");
    if (existing && existing.kind === "text") {
      this.setQueue(this.queue.map((q) => (q === existing ? { ...existing, text: `${existing.text}\n${url}`, label: `${existing.text.split("\n").length + 1} URLs` } : q)));
    } else {
      this.setQueue([...this.queue, { kind: "text", name: "urls.txt", text: url, label: "1 URL" }]);
    }
    this.url = "";
  }

  /**
   * Run the import into `projectId` (the wizard calls this after creating the project).
   * @param {number} [projectId] @returns {Promise<any>} the server's result (null when nothing is queued)
   */
  async commit(projectId = this.projectId ?? undefined) {
    if (!projectId) throw new Error("No project to import into.");
    if (this.pasted.trim() && detectPasted(this.pasted)) this.addPasted();
    if (!this.queue.length) return null;
    const form = new FormData();
    for (const item of this.queue) {
      if (item.kind === "file") form.append("file", item.file, item.file.name);
      else form.append("file", new Blob([item.text], { type: "text/plain" }), item.name);
    }
    this.busy = true;
    this.progress = 0;
    this.error = null;
    try {
      const result = await upload(`/api/projects/${projectId}/import`, form, (f) => (this.progress = f));
      this.result = result;
      this.queue = [];
      this.dispatchEvent(new CustomEvent("imported", { detail: result, bubbles: true }));
      return result;
    } catch (error) {
      this.error = error;
      throw error;
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  render() {
    const accept = acceptList(this.formats);
    return html`<div class="ip">
      <label class="ip-drop ${this.dragging ? "dragging" : ""}"
        @dragover=${(/** @type {DragEvent} */ e) => { e.preventDefault(); this.dragging = true; }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${(/** @type {DragEvent} */ e) => { e.preventDefault(); this.dragging = false; this.addFiles(e.dataTransfer?.files); }}>
        ${icon("upload", 22)}
        <span><strong>Drop files here</strong> or <span class="ip-link">choose files</span></span>
        <input type="file" multiple class="sr-only" aria-label="Choose files to import" accept=${accept.join(",")}
          @change=${(/** @type {any} */ e) => { this.addFiles(e.target.files); e.target.value = ""; }}>
        <span class="ip-formats">
          <span><strong>Tasks</strong> ${this.formats.task_formats.join(" ")}</span>
          ${this.formats.data_types.map((d) => html`<span><strong>${d.name}</strong> ${d.extensions.join(" ")}</span>`)}
        </span>
      </label>
      <div class="ip-row">
        <label class="sr-only" for="ip-url">Dataset URL</label>
        <input id="ip-url" type="url" placeholder="https://example.com/image.jpg" .value=${this.url}
          @input=${(/** @type {any} */ e) => (this.url = e.target.value)}
          @keydown=${(/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") { e.preventDefault(); this.addUrl(); } }}>
        <button class="btn" type="button" @click=${() => this.addUrl()} ?disabled=${!this.url.trim()}>Add URL</button>
      </div>
      <div class="field ip-paste">
        <label for="ip-paste">Or paste tasks</label>
        <textarea id="ip-paste" rows="4" spellcheck="false" placeholder='[{"text": "..."}]  ·  CSV/TSV with a header row  ·  one URL per line'
          .value=${this.pasted} @input=${(/** @type {any} */ e) => (this.pasted = e.target.value)}></textarea>
        <div class="ip-paste-actions">
          <span class="hint">${this.pasted.trim() ? detectPasted(this.pasted)?.label || "Not recognised yet" : ""}</span>
          <button class="btn btn-sm" type="button" ?disabled=${!this.pasted.trim()} @click=${() => this.addPasted()}>Add pasted data</button>
        </div>
      </div>
      ${this.queue.length ? html`<ul class="ip-queue" aria-label="To import">
        ${this.queue.map((item, i) => html`<li>
          ${icon(item.kind === "file" ? "copy" : "list", 14)}
          <span class="ip-name">${item.kind === "file" ? item.file.name : item.name}</span>
          <span class="muted">${item.kind === "file" ? formatBytes(item.file.size) : item.label}</span>
          <button class="btn-icon" type="button" aria-label="Remove ${item.kind === "file" ? item.file.name : item.name}" ?disabled=${this.busy}
            @click=${() => this.setQueue(this.queue.filter((_, j) => j !== i))}>${icon("x", 14)}</button>
        </li>`)}
      </ul>` : nothing}
      ${this.progress !== null ? html`<div class="ip-progress">
        <div class="progress" role="progressbar" aria-label="Upload" aria-valuenow=${Math.round(this.progress * 100)} aria-valuemin="0" aria-valuemax="100">
          <span style="width:${Math.round(this.progress * 100)}%"></span></div>
        <span class="muted">${this.progress < 1 ? `Uploading… ${Math.round(this.progress * 100)}%` : "Importing…"}</span></div>` : nothing}
      ${this.error ? this.renderError() : nothing}
      ${this.result ? html`<div class="ip-result" role="status">${icon("check", 16)}
        <span><strong>${formatNumber(this.result.task_count)} ${this.result.task_count === 1 ? "task" : "tasks"} imported</strong>
        ${this.result.annotation_count ? html` · ${formatNumber(this.result.annotation_count)} annotations` : nothing}
        ${this.result.prediction_count ? html` · ${formatNumber(this.result.prediction_count)} predictions` : nothing}
        ${this.result.data_columns?.length ? html`<br><span class="muted">Columns found: ${this.result.data_columns.join(", ")}</span>` : nothing}</span></div>` : nothing}
    </div>`;
  }

  renderError() {
    const lines = errorLines(this.error);
    return html`<div class="form-error ip-errors" role="alert">
      <strong>${this.error instanceof ApiError ? "The import was refused; nothing was imported." : errorText(this.error)}</strong>
      ${this.error instanceof ApiError ? html`<ul>${lines.map((l) => html`<li>${l.where ? html`<code>${l.where}</code> ` : nothing}${l.message}</li>`)}</ul>` : nothing}
    </div>`;
  }
}
if (!customElements.get("ll-import-panel")) customElements.define("ll-import-panel", ImportPanel);

/**
 * The Import modal. Resolves with the server's result, or undefined if nothing was imported.
 * @param {number} projectId @returns {Promise<any>}
 */
export function openImportDialog(projectId) {
  useStyles("/static/core/app/dialogs/dialogs.css");
  /** @type {any} */
  let imported;
  return openDialog((close) => {
    /** @param {Event} e */
    const run = async (e) => {
      const dialog = /** @type {HTMLElement} */ (e.target).closest("dialog");
      const panel = /** @type {ImportPanel} */ (dialog?.querySelector("ll-import-panel"));
      const footer = /** @type {HTMLElement} */ (dialog?.querySelector(".modal-actions"));
      try {
        const result = await panel.commit(projectId);
        if (!result) return;
        imported = result;
        footer.replaceChildren(); // rendered once by openDialog: swap Cancel/Import for Done
        render(html`<button class="btn btn-primary" type="button" @click=${() => close(imported)}>Done</button>`, footer);
        /** @type {HTMLElement|null} */ (footer.querySelector("button"))?.focus();
      } catch {
        /* the panel shows the error */
      }
    };
    /** Import is enabled once something is queued; until then the footer says why. @param {Event} e */
    const onQueue = (e) => {
      if (!(e.target instanceof ImportPanel)) return; // inputs' own change events bubble here too
      const count = /** @type {CustomEvent} */ (e).detail?.count || 0;
      const dialog = /** @type {HTMLElement} */ (e.currentTarget);
      const button = /** @type {HTMLButtonElement|null} */ (dialog.querySelector(".ip-import"));
      const reason = /** @type {HTMLElement|null} */ (dialog.querySelector(".ip-import-reason"));
      if (button) button.disabled = count === 0;
      if (reason) reason.hidden = count > 0;
    };
    return html`<div class="modal-body" @change=${onQueue}>
      <h2>Import data</h2>
      <ll-import-panel .projectId=${projectId}></ll-import-panel>
      <p class="muted ip-storage-hint">${icon("cloud", 14)} Files in an S3 or GCS bucket or a server folder? Connect it in
        <a href="/projects/${projectId}/settings/storage" @click=${() => close(imported)}>Settings › Cloud storage</a>: tasks are created without copying the files.</p>
      <footer class="modal-actions">
        <span class="muted ip-import-reason" id="ip-import-reason">Add files, a URL or pasted data to import.</span>
        <button class="btn" type="button" @click=${() => close(imported)}>Cancel</button>
        <button class="btn btn-primary ip-import" type="button" disabled aria-describedby="ip-import-reason" @click=${run}>${icon("upload", 14)} Import</button>
      </footer>
    </div>`;
  }, { label: "Import data", wide: true, className: "import-dialog" }).then((value) => value ?? imported);
}
