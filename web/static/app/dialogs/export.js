// @ts-check
/**
 * Export: the formats the server offers for this project (title, description, tags), which
 * tasks (all, annotated only, the current tab's filters, the selection), a direct download
 * (streamed by the server) and snapshots for big projects — created in the background, listed
 * with their status, converted, downloaded and deleted (P3).
 */
import { html, LitElement, nothing } from "lit";
import { api, errorText } from "../api.js";
import { icon, openDialog, useStyles, confirmAction, timeAgo, formatNumber } from "../ui.js";
import { MAX_IDS_IN_URL, exportUrl, selectionSize, snapshotTaskOptions } from "./export-scope.js";

/** @typedef {import("./export-scope.js").ExportScope} ExportScope */

class ExportPanel extends LitElement {
  static properties = {
    projectId: { type: Number },
    context: { attribute: false },
    formats: { state: true },
    format: { state: true },
    scope: { state: true },
    snapshots: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.projectId = 0;
    /** @type {ExportScope} */
    this.context = {};
    /** @type {any[]|null} */
    this.formats = null;
    this.format = "JSON";
    this.scope = "all";
    /** @type {any[]|null} */
    this.snapshots = null;
    this.error = "";
    this.busy = false;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.poll = undefined;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    const sel = this.context.selection;
    if (sel && (sel.all || (sel.included?.length || 0) > 0)) this.scope = "selection";
    else if (this.context.hasFilters) this.scope = "view";
    api.get(`/api/projects/${this.projectId}/export/formats`).then(
      (formats) => (this.formats = formats),
      (error) => (this.error = errorText(error)),
    );
    this.loadSnapshots();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.poll);
  }

  async loadSnapshots() {
    try {
      this.snapshots = await api.get(`/api/projects/${this.projectId}/exports/`);
    } catch (error) {
      this.error = errorText(error);
      return;
    }
    // While a snapshot or a conversion runs in the background, look again shortly.
    const running = (this.snapshots || []).some((s) => ["created", "in_progress"].includes(s.status) ||
      (s.converted_formats || []).some((/** @type {any} */ f) => ["created", "in_progress"].includes(f.status)));
    clearTimeout(this.poll);
    if (running && this.isConnected) this.poll = setTimeout(() => this.loadSnapshots(), 1000);
  }

  get selectionCount() {
    return selectionSize(this.context).count;
  }

  /** The chosen format as people read it ("YOLO with Images"), its name until the list is in. */
  get formatTitle() {
    return this.formats?.find((/** @type {any} */ f) => f.name === this.format)?.title ?? this.format;
  }

  /** A selection listing too many ids for a link can only be exported as a snapshot. */
  get linkTooLong() {
    return this.scope === "selection" && selectionSize(this.context).listed > MAX_IDS_IN_URL;
  }

  /** Snapshot body: the same task scope as the download. */
  snapshotOptions() {
    const task = snapshotTaskOptions(this.scope, this.context);
    return { title: `Snapshot ${new Date().toLocaleString()}`, task_filter_options: task };
  }

  async createSnapshot() {
    this.busy = true;
    try {
      await api.post(`/api/projects/${this.projectId}/exports/`, this.snapshotOptions());
      await this.loadSnapshots();
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  /** @param {any} snapshot */
  async convert(snapshot) {
    try {
      await api.post(`/api/projects/${this.projectId}/exports/${snapshot.id}/convert`, { export_type: this.format });
      await this.loadSnapshots();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** @param {any} snapshot */
  async removeSnapshot(snapshot) {
    const ok = await confirmAction({ title: "Delete snapshot?", message: `“${snapshot.title}” and its converted files are deleted.`, confirm: "Delete", danger: true });
    if (!ok) return;
    try {
      await api.delete(`/api/projects/${this.projectId}/exports/${snapshot.id}`);
      await this.loadSnapshots();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** @param {string} status */
  statusBadge(status) {
    const kind = status === "completed" ? "badge-success" : status === "failed" ? "badge-danger" : "badge-accent";
    return html`<span class="badge ${kind}">${status === "in_progress" || status === "created" ? "running" : status}</span>`;
  }

  /** @param {any} s */
  snapshotRow(s) {
    const base = `/api/projects/${this.projectId}/exports/${s.id}/download`;
    const converted = (s.converted_formats || []).filter((/** @type {any} */ f) => f.export_type !== "JSON");
    const hasFormat = this.format === "JSON" || converted.some((/** @type {any} */ f) => f.export_type === this.format && f.status !== "failed");
    return html`<li class="ex-snap">
      <div class="ex-snap-main">
        <strong>${s.title || `Snapshot ${s.id}`}</strong>
        <span class="muted">${timeAgo(s.created_at)}${s.counters?.task_number !== undefined ? ` · ${formatNumber(s.counters.task_number)} tasks` : ""}</span>
      </div>
      ${this.statusBadge(s.status)}
      ${s.status === "completed" ? html`<a class="btn btn-sm" href="${base}?exportType=JSON" download>${icon("download", 13)} JSON</a>
        ${converted.map((/** @type {any} */ f) => f.status === "completed"
          ? html`<a class="btn btn-sm" href="${base}?exportType=${encodeURIComponent(f.export_type)}" download>${icon("download", 13)} ${f.export_type}</a>`
          : html`<span class="badge" title=${f.traceback || ""}>${f.export_type}: ${f.status === "failed" ? "failed" : "converting…"}</span>`)}
        ${hasFormat ? nothing : html`<button class="btn btn-sm" @click=${() => this.convert(s)}>Convert to ${this.formatTitle}</button>`}` : nothing}
      <button class="btn-icon" aria-label="Delete snapshot ${s.title || s.id}" @click=${() => this.removeSnapshot(s)}>${icon("trash", 14)}</button>
    </li>`;
  }

  render() {
    const sel = this.selectionCount;
    const scopes = [
      { id: "all", label: "All tasks" },
      { id: "annotated", label: "Only tasks with annotations" },
      ...(this.context.viewId && this.context.hasFilters ? [{ id: "view", label: `Tasks in the current tab (${formatNumber(this.context.filtered)})` }] : []),
      ...(this.context.selection && (this.context.selection.all || sel) ? [{ id: "selection", label: `Selected tasks (${formatNumber(sel)})` }] : []),
    ];
    return html`<div class="ex">
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      <fieldset class="ex-formats">
        <legend>Format</legend>
        ${this.formats === null ? html`<span class="skeleton"></span><span class="skeleton"></span>` : this.formats.map((f) => html`
          <label class="ex-format ${this.format === f.name ? "selected" : ""}">
            <input type="radio" name="ex-format" value=${f.name} .checked=${this.format === f.name} @change=${() => (this.format = f.name)}>
            <span><strong>${f.title}</strong>${(f.tags || []).map((/** @type {string} */ t) => html` <span class="badge">${t}</span>`)}
              <span class="ex-desc">${f.description}</span></span>
          </label>`)}
      </fieldset>
      <fieldset class="ex-scope">
        <legend>Tasks</legend>
        ${scopes.map((s) => html`<label class="check"><input type="radio" name="ex-scope" value=${s.id} .checked=${this.scope === s.id}
          @change=${() => (this.scope = s.id)}> ${s.label}</label>`)}
      </fieldset>
      <div class="ex-actions">
        ${this.linkTooLong
          ? html`<button class="btn btn-primary" disabled>${icon("download", 14)} Export ${this.formatTitle}</button>
            <span class="muted">This selection lists too many tasks for a download link: create a snapshot below.</span>`
          : html`<a class="btn btn-primary" href=${exportUrl(this.projectId, this.format, this.scope, this.context)} download
              @click=${() => this.dispatchEvent(new CustomEvent("downloaded", { bubbles: true }))}>${icon("download", 14)} Export ${this.formatTitle}</a>
            <span class="muted">Downloads now, streamed as it is written.</span>`}
      </div>
      <section class="ex-snaps" aria-label="Snapshots">
        <div class="ex-snaps-head"><h3>Snapshots</h3>
          <button class="btn btn-sm" ?disabled=${this.busy} @click=${() => this.createSnapshot()}>${icon("plus", 13)} Create snapshot</button></div>
        <p class="muted ex-hint">For big projects: the snapshot is built in the background; download it (or convert it) when it is ready.</p>
        ${this.snapshots === null ? html`<span class="skeleton"></span>` : this.snapshots.length
          ? html`<ul class="ex-snap-list">${this.snapshots.map((s) => this.snapshotRow(s))}</ul>`
          : html`<p class="muted">No snapshots yet.</p>`}
      </section>
    </div>`;
  }
}
if (!customElements.get("ll-export-panel")) customElements.define("ll-export-panel", ExportPanel);

/**
 * The Export modal.
 * @param {number} projectId @param {ExportScope} [context] @returns {Promise<void>}
 */
export async function openExportDialog(projectId, context = {}) {
  useStyles("/static/core/app/dialogs/dialogs.css");
  await openDialog((close) => html`<div class="modal-body">
      <h2>Export data</h2>
      <ll-export-panel .projectId=${projectId} .context=${context}></ll-export-panel>
      <footer class="modal-actions"><button class="btn" type="button" @click=${() => close()}>Close</button></footer>
    </div>`, { label: "Export data", wide: true, className: "export-dialog" });
}
