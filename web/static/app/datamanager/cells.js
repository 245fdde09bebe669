// @ts-check
/**
 * Table cells: counters with icons, dates, annotators, and task data rendered by the object
 * tag's plugin widget (`preview({el, value, ctx})`, imported lazily from `GET /api/plugins`),
 * falling back to a clipped string or `{…}` JSON.
 */
import { html, nothing } from "lit";
import { icon } from "../ui.js";
import { plugins } from "../state.js";
import { previewOf } from "../catalogue.js";
import * as m from "./model.js";

/** @typedef {import("./model.js").Column} Column */
/** @typedef {import("./store.js").DMStore} DMStore */
/** @typedef {import("../catalogue.js").TagCatalogue} TagCatalogue */
/** @typedef {{value: any, type: string, preview: string, taskId: number}} PreviewCell  a data value, its data type and how that type is previewed */

/** @type {Map<string, Promise<((o: {el: HTMLElement, value: any, ctx: any}) => any) | null>>} */
const previewers = new Map();

/** The data type's preview function, or null (no plugin module, or it exports none). @param {string} type */
export function previewer(type) {
  let found = previewers.get(type);
  if (!found) {
    found = plugins()
      .then((catalogue) => {
        const module = catalogue?.tags?.[type]?.module;
        return module ? import(module) : null;
      })
      .then((mod) => (mod && typeof mod.preview === "function" ? mod.preview : null))
      .catch(() => null);
    previewers.set(type, found);
  }
  return found;
}

/** One line of text for any value: strings as they are, objects as compact JSON. @param {any} value */
export function plainText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * `<ll-dm-preview>`: a data cell. Its children are never managed by lit, so a plugin's preview
 * may draw into it freely; rows are recycled while scrolling, so it redraws only when its value
 * or type changed.
 */
class DMPreview extends HTMLElement {
  constructor() {
    super();
    /** @type {any} */
    this._value = undefined;
    this._type = "";
    this._preview = "";
    this._key = "";
    /** @type {any} */
    this._cleanup = null;
  }

  /** @param {PreviewCell} cell */
  set cell(cell) {
    const key = `${cell.type}\u0000${cell.taskId}\u0000${typeof cell.value === "string" ? cell.value : JSON.stringify(cell.value)}`;
    if (key === this._key) return;
    this._key = key;
    this._value = cell.value;
    this._type = cell.type;
    this._preview = cell.preview;
    this.draw(cell.taskId);
  }

  /** @param {number} taskId */
  draw(taskId) {
    if (typeof this._cleanup === "function") this._cleanup();
    this._cleanup = null;
    const key = this._key;
    const value = this._value;
    this.fallback(value);
    if (value === null || value === undefined || value === "") return;
    previewer(this._type).then((preview) => {
      if (!preview || key !== this._key) return;
      this.replaceChildren();
      try {
        this._cleanup = preview({ el: this, value, ctx: { taskId, compact: true } });
      } catch {
        this.fallback(value); // a broken preview must not break the table
      }
    });
  }

  /** @param {any} value */
  fallback(value) {
    if (value !== null && typeof value === "object") {
      this.textContent = "{…}";
      this.title = JSON.stringify(value).slice(0, 2000);
      return;
    }
    const text = plainText(value);
    if (this._preview === "image" && /^(https?:|\/|data:image)/.test(text)) {
      const img = document.createElement("img");
      img.loading = "lazy";
      img.alt = "";
      img.src = text;
      img.className = "dm-thumb";
      this.replaceChildren(img);
      this.title = text;
      return;
    }
    this.textContent = text.length > 400 ? text.slice(0, 400) + "…" : text;
    this.title = text.slice(0, 2000);
  }
}
if (!customElements.get("ll-dm-preview")) customElements.define("ll-dm-preview", DMPreview);

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** @param {string|null|undefined} iso */
export function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : DATE.format(date);
}

/** @param {any} user */
function initials(user) {
  if (!user) return "?";
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || user.email || "?";
  return name.split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((/** @type {string} */ s) => s[0].toUpperCase()).join("");
}

/** @param {any} user */
export function userName(user) {
  if (!user) return "";
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email || user.username || `User ${user.id}`;
}

const COUNTERS = /** @type {Record<string, {icon: string, label: string}>} */ ({
  total_annotations: { icon: "check", label: "annotations" },
  cancelled_annotations: { icon: "x", label: "cancelled" },
  total_predictions: { icon: "star", label: "predictions" },
});

/**
 * What `<ll-dm-preview>` draws for a data column of a task.
 * @param {Column} column @param {any} task @param {TagCatalogue} tags @returns {PreviewCell}
 */
export function previewCell(column, task, tags) {
  return { value: task.data?.[column.id], type: column.type, preview: previewOf(tags, column.type), taskId: task.id };
}

/**
 * One cell's content.
 * @param {Column} column @param {any} task @param {Map<number, any>} users @param {TagCatalogue} tags
 */
export function cell(column, task, users, tags) {
  if (column.parent === "data") return html`<ll-dm-preview class="dm-data" .cell=${previewCell(column, task, tags)}></ll-dm-preview>`;
  const value = task[column.id];
  const counter = COUNTERS[column.id];
  if (counter) {
    return html`<span class="dm-count ${value ? "" : "zero"}" title="${value ?? 0} ${counter.label}">${icon(counter.icon, 13)}<span>${value ?? 0}</span></span>`;
  }
  if (m.USER_COLUMNS.has(column.id)) {
    const ids = (Array.isArray(value) ? value : value ? [value] : []).map((v) => (typeof v === "object" ? v.user_id : v));
    return html`<span class="dm-avatars">${ids.slice(0, 4).map((id) => {
      const user = users.get(id);
      return html`<span class="dm-avatar" title=${userName(user) || `User ${id}`}>${initials(user)}</span>`;
    })}${ids.length > 4 ? html`<span class="muted">+${ids.length - 4}</span>` : ""}</span>`;
  }
  if (column.type === m.VALUE_TYPES.datetime) return html`<span class="dm-date">${formatDate(value)}</span>`;
  if (column.type === m.VALUE_TYPES.boolean) return value ? html`<span class="badge badge-success">yes</span>` : html`<span class="muted">no</span>`;
  if (column.id === "review_state") {  // the latest review's verdict (core/review/columns.py)
    if (value === "accepted") return html`<span class="badge badge-success">accepted</span>`;
    if (value === "rejected") return html`<span class="badge badge-danger">rejected</span>`;
    return html`<span class="muted">not reviewed</span>`;
  }
  if (column.id === "unread_comments") return unreadMarker(value);
  // The task's unread comments are marked beside its id, whatever columns are shown.
  if (column.id === "id" && task.unread_comments) return html`<span class="dm-num">${value}</span> ${unreadMarker(task.unread_comments)}`;  // the caller's (core/comments/columns.py)
  if (column.id === "agreement") {  // stored agreement in percent (core/quality)
    return html`<span class="dm-num">${value === null || value === undefined ? "" : `${Number(value).toFixed(1)}%`}</span>`;
  }
  if (column.id === "predictions_score" || column.id === "avg_lead_time") {
    return html`<span class="dm-num">${value === null || value === undefined ? "" : Number(value).toFixed(2)}</span>`;
  }
  if (column.type === m.VALUE_TYPES.number) return html`<span class="dm-num">${value ?? ""}</span>`;
  if (Array.isArray(value)) return html`<span class="dm-text">${value.join(", ")}</span>`;
  return html`<span class="dm-text" title=${plainText(value).slice(0, 500)}>${plainText(value)}</span>`;
}

/** A speech bubble with how many comments by others the caller has not read; nothing when none. @param {any} count */
export function unreadMarker(count) {
  if (!count) return nothing;
  const label = `${count} unread comment${count === 1 ? "" : "s"}`;
  return html`<span class="badge badge-accent dm-unread" title=${label} aria-label=${label} role="img">${icon("comment", 12)}${count}</span>`;
}

/** Default width by column kind (px): pictures get a thumbnail's. @param {Column} column @param {TagCatalogue} tags */
export function defaultWidth(column, tags) {
  if (column.id === "id" || column.id === "inner_id") return 84;
  if (column.parent === "data") return previewOf(tags, column.type) === "image" ? 140 : 300;
  if (column.type === m.VALUE_TYPES.datetime) return 170;
  if (column.type === m.VALUE_TYPES.number || column.type === m.VALUE_TYPES.boolean) return 120;
  return 180;
}

/** @param {Event} e close the <details> menu the event came from */
function closeMenu(e) {
  /** @type {HTMLElement} */ (e.target).closest("details")?.removeAttribute("open");
}

/**
 * The select-all checkbox and its menu (loaded rows / all tasks / clear), shared by the table's
 * header and the grid's bar: the server's selectedItems model either way.
 * @param {DMStore} store @param {(selection: m.Selection) => void} onSelection
 */
export function selectAllControl(store, onSelection) {
  const total = store.totals.total;
  const state = m.selectionState(store.selection, total);
  const loadedIds = store.loadedIds();
  return html`<input type="checkbox" aria-label=${state === "all" ? "Deselect all tasks" : `Select all ${total} tasks`}
      .checked=${state === "all"} .indeterminate=${state === "some"}
      @change=${() => onSelection(state === "all" ? m.noSelection() : { all: true, excluded: [] })}>
    <details class="dm-menu dm-select-menu">
      <summary class="dm-select-more" aria-label="Selection options">${icon("down", 12)}</summary>
      <div class="menu-list" style="left:0;right:auto">
        <button @click=${(/** @type {Event} */ e) => (closeMenu(e), onSelection(m.selectIds(m.noSelection(), loadedIds)))}>Select loaded rows (${loadedIds.length})</button>
        <button @click=${(/** @type {Event} */ e) => (closeMenu(e), onSelection({ all: true, excluded: [] }))}>Select all ${total.toLocaleString()} tasks</button>
        <button @click=${(/** @type {Event} */ e) => (closeMenu(e), onSelection(m.noSelection()))}>Clear selection</button>
      </div>
    </details>`;
}
