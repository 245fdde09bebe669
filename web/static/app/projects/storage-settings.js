// @ts-check
/**
 * Project settings › Cloud storage: the project's source storages (tasks come from them) and
 * target storages (annotations go to them). Add/edit dialogs are generated from each storage
 * type's fields (`GET /api/storages/types`: titles, descriptions, secrets as password inputs
 * showing that a value is stored); Check connection; Sync with live progress (polled while a
 * sync runs); last-sync figures; problems in words, with the files they concern.
 */
import { html, nothing, render } from "lit";
import { api, errorText } from "../api.js";
import { confirmAction, icon, openDialog, timeAgo, toast, useStyles } from "../ui.js";
import { ACTIVE, COMMON, initialValues, locationOf, problemsOf, statusOf, storageBody, syncSummary } from "./storage-model.js";

/** @typedef {import("./storage-model.js").StorageType} StorageType */
/** @typedef {"import"|"export"} Role */

const BASE = { import: "/api/storages", export: "/api/storages/export" };
const POLL_MS = 1000;

/**
 * Draw the section into `el`; returns its cleanup.
 * @param {HTMLElement} el @param {number} projectId
 */
export function mountStorageSettings(el, projectId) {
  useStyles("/static/core/app/projects/storage-settings.css");
  /** @type {StorageType[]} */
  let types = [];
  /** @type {{import: Record<string, any>[], export: Record<string, any>[]}} */
  let storages = { import: [], export: [] };
  let loaded = false;
  let loadError = "";
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  let alive = true;

  async function load() {
    try {
      const [kinds, sources, targets] = await Promise.all([
        types.length ? types : api.get("/api/storages/types"),
        api.get("/api/storages/", { project: projectId }),
        api.get("/api/storages/export", { project: projectId }),
      ]);
      types = kinds;
      storages = { import: sources, export: targets };
      loadError = "";
    } catch (error) {
      loadError = errorText(error);
    }
    loaded = true;
    draw();
    schedule();
  }

  /** Poll while a sync runs, so progress and the outcome appear by themselves. */
  function schedule() {
    clearTimeout(timer);
    const running = [...storages.import, ...storages.export].some((s) => ACTIVE.has(s.status));
    if (running && alive) timer = setTimeout(load, POLL_MS);
  }

  /** @param {Role} role @param {Record<string, any>} storage */
  async function sync(role, storage) {
    try {
      const updated = await api.post(`${BASE[role]}/${storage.type}/${storage.id}/sync`);
      replace(role, updated);
      toast(role === "import" ? "Sync started: new files become tasks." : "Writing every annotation to the storage…");
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {Role} role @param {Record<string, any>} storage */
  async function stop(role, storage) {
    try {
      replace(role, await api.post(`${BASE[role]}/${storage.type}/${storage.id}/cancel`));
      toast("The sync stops after the files it is reading now; what it imported stays.");
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {Role} role @param {Record<string, any>} storage */
  async function remove(role, storage) {
    const ok = await confirmAction({
      title: "Remove this storage?",
      message: role === "import"
        ? "The connection is removed. Tasks already imported from it stay in the project; nothing in the storage is deleted."
        : "The connection is removed. Annotations already written stay in the storage.",
      confirm: "Remove storage",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.delete(`${BASE[role]}/${storage.type}/${storage.id}`);
      storages = { ...storages, [role]: storages[role].filter((s) => s.id !== storage.id) };
      draw();
      toast("Storage removed", { kind: "success" });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {Role} role @param {Record<string, any>} storage */
  function replace(role, storage) {
    storages = { ...storages, [role]: storages[role].map((s) => (s.id === storage.id ? storage : s)) };
    draw();
    schedule();
  }

  /** @param {Role} role @param {Record<string, any>|null} storage */
  async function edit(role, storage) {
    const saved = await storageDialog({ role, types, projectId, storage });
    if (!saved) return;
    if (storage) replace(role, saved);
    else {
      storages = { ...storages, [role]: [...storages[role], saved] };
      draw();
      if (role === "import") toast("Storage added. Press Sync to import its files.", { kind: "success" });
      else toast("Storage added: new annotations are written to it.", { kind: "success" });
    }
  }

  /** @param {Role} role @param {Record<string, any>} storage */
  function card(role, storage) {
    const status = statusOf(storage);
    const problems = problemsOf(storage);
    const running = ACTIVE.has(storage.status);
    const summary = syncSummary(storage, role);
    const kind = types.find((t) => t.name === storage.type);
    return html`<li class="storage-card" data-storage=${storage.id}>
      <div class="storage-main">
        <div class="storage-title">
          <strong>${storage.title || kind?.title || storage.type}</strong>
          <span class="badge storage-kind">${kind?.title || storage.type}</span>
          <span class="badge ${status.kind ? `badge-${status.kind}` : ""} storage-status" role="status">${running ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${status.text}</span>
        </div>
        <code class="storage-location">${locationOf(storage)}</code>
        <div class="storage-figures">
          ${summary ? html`<span class="storage-summary">${summary}</span>` : nothing}
          ${storage.last_sync && !running ? html`<span class="muted">Last synced ${timeAgo(storage.last_sync)}</span>` : nothing}
        </div>
        ${problems.summary ? html`<div class="storage-problems" role="alert">
          <strong>${problems.summary}</strong>
          ${problems.items.length ? html`<details><summary>Show ${problems.items.length === 1 ? "the problem" : `${problems.items.length} problems`}</summary>
            <ul>${problems.items.map((item) => html`<li>${item}</li>`)}</ul>
            ${problems.more ? html`<p class="muted">…and ${problems.more} more.</p>` : nothing}</details>` : nothing}
        </div>` : nothing}
      </div>
      <div class="storage-actions">
        ${running
          ? html`<button class="btn" type="button" @click=${() => stop(role, storage)}>Stop</button>`
          : html`<button class="btn btn-primary" type="button" @click=${() => sync(role, storage)}>${icon("refresh")} Sync</button>`}
        <button class="btn" type="button" @click=${() => edit(role, storage)}>Edit</button>
        <button class="btn-icon" type="button" aria-label="Remove storage ${storage.title || storage.id}" @click=${() => remove(role, storage)}>${icon("trash")}</button>
      </div>
    </li>`;
  }

  /** @param {Role} role @param {string} heading @param {string} hint */
  function block(role, heading, hint) {
    const items = storages[role];
    return html`<section class="storage-block" aria-labelledby="storage-${role}-h">
      <header class="storage-block-head">
        <div><h3 id="storage-${role}-h">${heading}</h3><p class="hint">${hint}</p></div>
        <button class="btn" type="button" ?disabled=${!types.length} @click=${() => edit(role, null)}>${icon("plus")} Add ${role === "import" ? "source" : "target"} storage</button>
      </header>
      ${items.length
        ? html`<ul class="storage-list">${items.map((s) => card(role, s))}</ul>`
        : html`<p class="storage-empty muted">${role === "import"
            ? "No source storage yet. Add a bucket or a server folder to import its files as tasks, without copying them."
            : "No target storage yet. Add one to save every submitted annotation there automatically."}</p>`}
    </section>`;
  }

  function draw() {
    if (!alive) return;
    if (!loaded) {
      render(html`<div class="skeleton" style="height:140px"></div>`, el);
      return;
    }
    render(html`<div class="storage-settings">
      ${loadError ? html`<div class="form-error" role="alert">${loadError}</div>` : nothing}
      ${loaded && !types.length && !loadError ? html`<p class="form-error">No storage type is available: the storage plugins are not installed or are disabled.</p>` : nothing}
      ${block("import", "Source storage", "Tasks are imported from these buckets and folders. Media stays where it is and streams into the labeling view.")}
      ${block("export", "Target storage", "Every submitted or updated annotation is written here as a JSON file.")}
    </div>`, el);
  }

  draw();
  load();
  return () => {
    alive = false;
    clearTimeout(timer);
    render(nothing, el);
  };
}

/**
 * The add/edit dialog; resolves to the saved storage (or undefined when cancelled).
 * @param {{role: Role, types: StorageType[], projectId: number, storage: Record<string, any>|null}} options
 * @returns {Promise<Record<string, any>|undefined>}
 */
function storageDialog({ role, types, projectId, storage }) {
  let kind = /** @type {StorageType} */ (storage ? types.find((t) => t.name === storage.type) : types[0]);
  let values = initialValues(kind, role, storage);
  /** @type {Record<string, string>} */
  let fieldErrors = {};
  let formError = "";
  /** @type {{ok: boolean, text: string}|null} */
  let check = null;
  let busy = false;
  /** @type {HTMLElement|null} */
  let root = null;

  return openDialog((close) => {
    const redraw = () => root && render(view(), root);

    /** @param {string} name @param {any} value */
    function set(name, value) {
      values = { ...values, [name]: value };
      delete fieldErrors[name];
      check = null;
      redraw();
    }

    /** @param {any} error */
    function showError(error) {
      fieldErrors = {};
      const fields = error?.validationErrors || {};
      for (const [name, messages] of Object.entries(fields)) fieldErrors[name] = [messages].flat().join(" ");
      formError = errorText(error);
    }

    async function checkConnection() {
      busy = true;
      check = null;
      formError = "";
      redraw();
      try {
        const body = storageBody(kind, values, role, projectId, Boolean(storage));
        await api.post(`${BASE[role]}/${kind.name}/validate`, storage ? { ...body, id: storage.id } : body);
        check = { ok: true, text: "Connection works: the storage can be listed." };
      } catch (error) {
        check = { ok: false, text: errorText(error) };
        showError(error);
        formError = "";
      }
      busy = false;
      redraw();
      root?.querySelector(".storage-check-result")?.scrollIntoView({ block: "nearest" });
    }

    /** @param {Event} event */
    async function save(event) {
      event.preventDefault();
      busy = true;
      formError = "";
      redraw();
      try {
        const body = storageBody(kind, values, role, projectId, Boolean(storage));
        const saved = storage
          ? await api.patch(`${BASE[role]}/${kind.name}/${storage.id}`, body)
          : await api.post(`${BASE[role]}/${kind.name}`, body);
        close(saved);
        return;
      } catch (error) {
        showError(error);
      }
      busy = false;
      redraw();
      /** @type {HTMLElement|null|undefined} */ (root?.querySelector("[aria-invalid=true]"))?.focus();
    }

    /** @param {import("./storage-model.js").StorageField} field */
    function input(field) {
      const id = `storage-field-${field.name}`;
      const invalid = fieldErrors[field.name] ? "true" : "false";
      const stored = field.secret && storage && storage[field.name] === "__stored__";
      const describe = `${id}-hint ${id}-err`;
      let control;
      if (field.type === "boolean") {
        return html`<label class="check storage-check"><input id=${id} type="checkbox" .checked=${Boolean(values[field.name])}
          @change=${(/** @type {Event} */ e) => set(field.name, /** @type {HTMLInputElement} */ (e.target).checked)}>
          <span>${field.title}${field.description ? html`<small>${field.description}</small>` : nothing}</span></label>`;
      }
      if (field.options) {
        control = html`<select id=${id} .value=${String(values[field.name] ?? "")} aria-invalid=${invalid} aria-describedby=${describe}
          @change=${(/** @type {Event} */ e) => set(field.name, /** @type {HTMLSelectElement} */ (e.target).value)}>
          ${field.options.map((c) => html`<option value=${String(c)} ?selected=${String(values[field.name]) === String(c)}>${String(c)}</option>`)}</select>`;
      } else if (field.type === "string" && /json|credentials/i.test(field.name)) {
        control = html`<textarea id=${id} rows="4" spellcheck="false" class="mono" .value=${values[field.name] ?? ""} aria-invalid=${invalid} aria-describedby=${describe}
          placeholder=${stored ? "Stored — leave empty to keep it" : ""}
          @input=${(/** @type {Event} */ e) => set(field.name, /** @type {HTMLTextAreaElement} */ (e.target).value)}></textarea>`;
      } else {
        const type = field.secret ? "password" : field.type === "integer" || field.type === "number" ? "number" : "text";
        control = html`<input id=${id} type=${type} autocomplete=${field.secret ? "new-password" : "off"} .value=${String(values[field.name] ?? "")}
          aria-invalid=${invalid} aria-describedby=${describe} ?required=${field.required}
          placeholder=${stored ? "Stored — leave empty to keep it" : ""}
          @input=${(/** @type {Event} */ e) => set(field.name, /** @type {HTMLInputElement} */ (e.target).value)}>`;
      }
      return html`<div class="field"><label for=${id}>${field.title}${field.required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}
          ${stored ? html`<span class="badge badge-success">${icon("lock", 12)} stored</span>` : nothing}</label>
        ${control}
        ${field.description ? html`<span class="hint" id="${id}-hint">${field.description}</span>` : nothing}
        ${fieldErrors[field.name] ? html`<span class="error" id="${id}-err" role="alert">${fieldErrors[field.name]}</span>` : nothing}</div>`;
    }

    /** @param {[string, string, string, string]} common */
    function commonInput([name, title, type, description]) {
      if (name === "presign_ttl" && !values.presign) return nothing;
      // Pre-signed URLs exist only for kinds that serve their own scheme (buckets), not server folders.
      if ((name === "presign" || name === "presign_ttl") && !kind.schemes?.length) return nothing;
      return input({ name, title, description, type: type === "bool" ? "boolean" : type === "number" ? "integer" : "string", default: null, required: false, secret: false, options: null });
    }

    function view() {
      return html`<form class="modal-body storage-dialog" novalidate @submit=${save}>
        <h2>${storage ? "Edit storage" : role === "import" ? "Add source storage" : "Add target storage"}</h2>
        ${formError ? html`<div class="form-error" role="alert">${formError}</div>` : nothing}
        ${storage ? nothing : html`<div class="field"><label for="storage-kind">Storage type</label>
          <select id="storage-kind" @change=${(/** @type {Event} */ e) => {
            kind = /** @type {StorageType} */ (types.find((t) => t.name === /** @type {HTMLSelectElement} */ (e.target).value));
            values = { ...initialValues(kind, role, null), title: values.title };
            fieldErrors = {};
            check = null;
            redraw();
          }}>${types.map((t) => html`<option value=${t.name} ?selected=${t.name === kind.name}>${t.title}</option>`)}</select></div>`}
        ${input({ name: "title", title: "Name", description: "How this storage is called in the list.", type: "string", default: "", required: false, secret: false, options: null })}
        <fieldset class="storage-fields"><legend>Connection</legend>${kind.fields.map(input)}</fieldset>
        <fieldset class="storage-fields"><legend>${role === "import" ? "Import" : "Export"} options</legend>${COMMON[role].map((c) => commonInput(/** @type {any} */ (c)))}</fieldset>
        ${check ? html`<div class="storage-check-result ${check.ok ? "ok" : "bad"}" role="status">${icon(check.ok ? "check" : "warning")} ${check.text}</div>` : nothing}
        <footer class="modal-actions">
          <button type="button" class="btn storage-check-button" ?disabled=${busy} @click=${checkConnection}>Check connection</button>
          <span class="spacer"></span>
          <button type="button" class="btn" @click=${() => close()}>Cancel</button>
          <button type="submit" class="btn btn-primary" ?disabled=${busy}>${busy ? "Working…" : storage ? "Save" : "Add storage"}</button>
        </footer>
      </form>`;
    }

    queueMicrotask(() => {
      root = document.querySelector("dialog.storage-modal");
      redraw();
    });
    return view();
  }, { label: storage ? "Edit storage" : "Add storage", className: "storage-modal" });
}
