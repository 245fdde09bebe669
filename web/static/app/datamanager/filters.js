// @ts-check
/**
 * The Filters popover: one conjunction (and/or) for the list, one row per filter with field,
 * operator and a value input that fits the column type and operator (text, number, date,
 * ranges, yes/no, annotator picker). Edits show at once and are auto-saved into the tab; the
 * rows reload after a short pause in typing.
 */
import { html, nothing } from "lit";
import { icon } from "../ui.js";
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
          ${columns.map((c) => html`<option value=${m.fieldId(c)} ?selected=${c === column}>${c.parent === "data" ? `data · ${c.title}` : c.title}</option>`)}
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
    </div>
  </div>`;
}
