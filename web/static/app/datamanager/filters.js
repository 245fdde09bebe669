// @ts-check
/**
 * The Filters popover: one conjunction (and/or) for the list, one row per filter with field,
 * operator and a value input that fits the column type and operator (text, number, date,
 * ranges, yes/no, annotator picker). Edits show at once and are auto-saved into the tab; the
 * rows reload after a short pause in typing. Copy / Paste move a tab's filters between tabs (or
 * projects, or Label Studio) as Label Studio's filter JSON; pasted JSON is checked against this
 * project's columns first and applied only when every item is valid.
 */
import { html, nothing } from "lit";
import { icon, openDialog, toast } from "../ui.js";
import * as m from "./model.js";
import { userName } from "./cells.js";

/** @typedef {import("./store.js").DMStore} DMStore */

const TYPING_DELAY = 300;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let typingTimer;

/** @param {DMStore} store @param {m.Filters} filters @param {boolean} [typing] */
function commit(store, filters, typing = false) {
  store.editView({ filters });
  clearTimeout(typingTimer);
  if (typing) typingTimer = setTimeout(() => store.requery(), TYPING_DELAY);
  else store.requery();
}

/** The last paste's problem, shown in the popover of the tab it was pasted into. */
const pasteError = { viewId: /** @type {number|null} */ (null), message: "" };

/** @param {DMStore} store @param {string} message */
function setPasteError(store, message) {
  pasteError.viewId = message ? store.viewId : null;
  pasteError.message = message;
  store.onChange();
}

/** @param {number} n */
const filtersWord = (n) => `${n} ${n === 1 ? "filter" : "filters"}`;

/** Put the tab's filters on the clipboard; where the browser refuses, show them to copy by hand. @param {DMStore} store */
async function copyFilters(store) {
  const json = m.filtersJson(store.data.filters);
  const count = store.data.filters?.items?.length || 0;
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no Clipboard API");
    await navigator.clipboard.writeText(json);
    toast(`Copied ${filtersWord(count)} to the clipboard`, { kind: "success" });
  } catch {
    await openDialog((close) => html`<div class="modal-body dm-clip">
      <h2>Copy filters</h2>
      <p class="modal-text">The browser does not let this page use the clipboard. Copy the JSON below (Ctrl+C / ⌘C).</p>
      <textarea class="dm-clip-text" readonly rows="10" aria-label="Filter JSON" .value=${json} autofocus
        @focus=${(/** @type {any} */ e) => e.target.select()}></textarea>
      <footer class="modal-actions"><button class="btn btn-primary" @click=${() => close()}>Done</button></footer>
    </div>`, { label: "Copy filters" });
  }
}

/** The clipboard's text, or null where the Clipboard API is missing or denied. */
async function readClipboard() {
  if (!navigator.clipboard?.readText) return null;
  try {
    return await navigator.clipboard.readText();
  } catch {
    return null;
  }
}

/**
 * Check pasted JSON and apply it to the current tab (replacing its filters), or say what is wrong
 * and change nothing. @param {DMStore} store @param {string} text @returns {string} the problem, "" when applied
 */
function applyPasted(store, text) {
  const result = m.parseFilters(text, store.columns);
  if (!result.ok) return result.error;
  pasteError.viewId = null;
  pasteError.message = "";
  commit(store, result.filters);
  toast(`Pasted ${filtersWord(result.filters.items.length)} into “${store.view?.data?.title || "this tab"}”`, { kind: "success" });
  return "";
}

/** Paste from the clipboard; without one, from a text box. @param {DMStore} store */
async function pasteFilters(store) {
  setPasteError(store, "");
  const text = await readClipboard();
  if (text !== null) {
    const problem = applyPasted(store, text);
    if (problem) setPasteError(store, problem);
    return;
  }
  await openDialog((close) => html`<form class="modal-body dm-clip" @submit=${(/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      const form = /** @type {HTMLFormElement} */ (e.currentTarget);
      const area = /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea"));
      const out = /** @type {HTMLElement} */ (form.querySelector(".form-error"));
      const problem = applyPasted(store, area.value);
      out.textContent = problem;
      out.hidden = !problem;
      area.setAttribute("aria-invalid", problem ? "true" : "false");
      if (problem) area.focus();
      else close();
    }}>
    <h2>Paste filters</h2>
    <p class="modal-text">The clipboard is not available to this page. Paste the filter JSON here (Label Studio's
      <code>{"conjunction": …, "items": […]}</code>); it replaces this tab's filters.</p>
    <p class="form-error" role="alert" hidden></p>
    <textarea class="dm-clip-text" rows="10" aria-label="Filter JSON" autofocus spellcheck="false"
      placeholder='{"conjunction": "and", "items": [{"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": 10}]}'></textarea>
    <footer class="modal-actions">
      <button type="button" class="btn" @click=${() => close()}>Cancel</button>
      <button type="submit" class="btn btn-primary">Apply filters</button>
    </footer>
  </form>`, { label: "Paste filters" });
}

/** `<input type=datetime-local>` value <-> ISO (UTC) for the server. @param {string} local */
const toIso = (local) => (local ? new Date(local).toISOString() : "");
/** @param {string|null|undefined} iso */
function toLocal(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * @param {DMStore} store @param {m.FilterItem} item @param {m.Column} column
 * @param {(value: any, typing?: boolean) => void} set @param {number} index
 */
function valueField(store, item, column, set, index) {
  const input = m.valueInput(column, item.operator);
  const label = `Filter ${index + 1} value`;
  const v = item.value;
  switch (input) {
    case "none":
      return html`<span class="dm-filter-value"></span>`;
    case "boolean":
      return html`<select class="dm-filter-value" aria-label=${label} @change=${(/** @type {any} */ e) => set(e.target.value === "true")}>
        <option value="true" ?selected=${v !== false}>${item.operator === "empty" ? "yes" : "true"}</option>
        <option value="false" ?selected=${v === false}>${item.operator === "empty" ? "no" : "false"}</option></select>`;
    case "user":
      return html`<select class="dm-filter-value" aria-label=${label} @change=${(/** @type {any} */ e) => set(e.target.value ? Number(e.target.value) : "")}>
        <option value="">Choose a user…</option>
        ${store.users.map((u) => html`<option value=${u.id} ?selected=${Number(v) === u.id}>${userName(u)}</option>`)}</select>`;
    case "number":
      return html`<input class="dm-filter-value" type="number" step="any" aria-label=${label} .value=${v ?? ""}
        @input=${(/** @type {any} */ e) => set(e.target.value === "" ? "" : Number(e.target.value), true)}>`;
    case "date":
      return html`<input class="dm-filter-value" type="datetime-local" aria-label=${label} .value=${toLocal(v)}
        @change=${(/** @type {any} */ e) => set(toIso(e.target.value))}>`;
    case "range-number":
    case "range-date": {
      const range = v && typeof v === "object" ? v : { min: null, max: null };
      const date = input === "range-date";
      /** @param {"min"|"max"} end @param {any} e */
      const change = (end, e) => {
        const raw = e.target.value;
        set({ ...range, [end]: raw === "" ? null : date ? toIso(raw) : Number(raw) }, !date);
      };
      return html`<span class="dm-filter-value dm-range">
        <input type=${date ? "datetime-local" : "number"} step="any" aria-label="${label}: from" placeholder="from"
          .value=${date ? toLocal(range.min) : range.min ?? ""} @input=${(/** @type {any} */ e) => change("min", e)}>
        <span class="muted">and</span>
        <input type=${date ? "datetime-local" : "number"} step="any" aria-label="${label}: to" placeholder="to"
          .value=${date ? toLocal(range.max) : range.max ?? ""} @input=${(/** @type {any} */ e) => change("max", e)}></span>`;
    }
    default:
      return html`<input class="dm-filter-value" type="search" aria-label=${label} placeholder="value" .value=${v ?? ""}
        @input=${(/** @type {any} */ e) => set(e.target.value, true)}>`;
  }
}

/** "Annotated by includes <user>" reads better than "contains". @param {m.Column} column @param {string} op */
function operatorLabel(column, op) {
  if (m.USER_COLUMNS.has(column.id) && (op === "contains" || op === "not_contains")) return op === "contains" ? "includes" : "does not include";
  return m.OPERATORS[op].label;
}

/** @param {DMStore} store */
export function filtersPopover(store) {
  const columns = m.filterableColumns(store.columns);
  /** @type {m.Filters} */
  const filters = store.data.filters || { conjunction: "and", items: [] };
  const items = filters.items || [];
  /** @param {m.FilterItem[]} next @param {boolean} [typing] */
  const setItems = (next, typing) => commit(store, { conjunction: filters.conjunction || "and", items: next }, typing);
  return html`<div class="dm-popover dm-filters" role="group" aria-label="Filters">
    ${items.length ? nothing : html`<p class="muted dm-pop-empty">No filters: every task is shown.</p>`}
    ${items.map((item, index) => {
      const column = m.columnOf(item, columns);
      /** @param {any} value @param {boolean} [typing] */
      const set = (value, typing) => setItems(items.map((it, i) => (i === index ? { ...it, value } : it)), typing);
      return html`<div class="dm-filter-row">
        <span class="dm-conj">${index === 0 ? "Where" : index === 1
          ? html`<select aria-label="Conjunction" @change=${(/** @type {any} */ e) => commit(store, { conjunction: e.target.value, items })}>
              <option value="and" ?selected=${filters.conjunction !== "or"}>and</option><option value="or" ?selected=${filters.conjunction === "or"}>or</option></select>`
          : html`<span class="muted">${filters.conjunction === "or" ? "or" : "and"}</span>`}</span>
        <select aria-label="Filter ${index + 1} field" @change=${(/** @type {any} */ e) => {
          const next = columns.find((c) => m.fieldId(c) === e.target.value);
          if (next) setItems(items.map((it, i) => (i === index ? m.newFilter(next) : it)));
        }}>
          ${column ? nothing : html`<option selected>${item.filter.replace("filter:tasks:", "")} (unknown)</option>`}
          ${columns.map((c) => html`<option value=${m.fieldId(c)} ?selected=${c === column}>${c.parent === "data" ? `data · ${c.title}` : m.columnTitle(c)}</option>`)}
        </select>
        ${column ? html`<select aria-label="Filter ${index + 1} operator" @change=${(/** @type {any} */ e) => {
            const operator = e.target.value;
            const kind = m.valueInput(column, operator);
            const keep = kind === m.valueInput(column, item.operator);
            setItems(items.map((it, i) => (i === index ? { ...it, operator, value: keep ? it.value : m.defaultValue(kind) } : it)));
          }}>${m.operatorsFor(column).map((op) => html`<option value=${op} ?selected=${op === item.operator}>${operatorLabel(column, op)}</option>`)}</select>
          ${valueField(store, item, column, set, index)}` : html`<span></span><span></span>`}
        <button class="btn-icon" aria-label="Remove filter ${index + 1}" @click=${() => setItems(items.filter((_, i) => i !== index))}>${icon("x", 14)}</button>
      </div>`;
    })}
    <div class="dm-pop-actions">
      <button class="btn btn-sm" @click=${() => {
        const first = columns.find((c) => c.parent === "data") || columns[0];
        if (first) store.editView({ filters: { conjunction: filters.conjunction || "and", items: [...items, m.newFilter(first)] } });
      }}>${icon("plus", 14)} Add filter</button>
      ${items.length ? html`<button class="btn btn-sm btn-ghost" @click=${() => setItems([])}>Clear all</button>` : nothing}
      <span class="dm-spacer"></span>
      <button class="btn btn-sm btn-ghost" ?disabled=${!items.length} title="Copy this tab's filters as JSON" @click=${() => copyFilters(store)}>
        ${icon("copy", 14)} Copy filters</button>
      <button class="btn btn-sm btn-ghost" title="Replace this tab's filters with filter JSON from the clipboard" @click=${() => pasteFilters(store)}>
        ${icon("download", 14)} Paste filters</button>
    </div>
    ${pasteError.message && pasteError.viewId === store.viewId ? html`<p class="form-error dm-paste-error" role="alert">
      ${icon("warning", 14)} <span>Nothing was pasted. ${pasteError.message}</span>
      <button class="btn-icon" aria-label="Dismiss" @click=${() => setPasteError(store, "")}>${icon("x", 14)}</button></p>` : nothing}
  </div>`;
}
