// @ts-check
/**
 * The view tabs and the toolbar: Actions (enabled by a selection), Columns (show/hide, drag to
 * reorder), Filters, Order by, Label, Import, Export, Refresh, the row height (list) and the
 * List | Grid toggle.
 */
import { html, nothing } from "lit";
import { icon, formatNumber } from "../ui.js";
import * as m from "./model.js";
import { filtersPopover } from "./filters.js";
import { canNow } from "../teams.js";

/** @typedef {import("./store.js").DMStore} DMStore */
/** @typedef {import("./store.js").View} View */
/**
 * @typedef {{
 *   onAction: (action: any) => void, onLabel: () => void, onImport: () => void, onExport: () => void,
 *   onRefresh: () => void, onRenameStart: (view: View) => void, renaming: number|null,
 *   onRenameEnd: (view: View, title: string|null) => void, onTabMenu: (view: View, what: "rename"|"duplicate"|"delete") => void,
 *   onNewTab: () => void,
 * }} ToolbarHandlers
 */

/** @param {Event} e close the <details> menu the event came from */
export function closeMenu(e) {
  /** @type {HTMLElement} */ (e.target).closest("details")?.removeAttribute("open");
}

/** @param {DMStore} store */
function saveBadge(store) {
  const state = store.saveState;
  if (state === "saving") return html`<span class="dm-saved" role="status">Saving…</span>`;
  if (state === "error") return html`<span class="dm-saved error" role="status" title=${store.saveError}>${icon("warning", 13)} Not saved
    <button class="btn btn-sm" @click=${() => store.view && store.save(store.view)}>Retry</button></span>`;
  if (state === "saved") return html`<span class="dm-saved ok" role="status">${icon("check", 13)} Saved to tab</span>`;
  return html`<span class="dm-saved" role="status"></span>`;
}

/** @param {DMStore} store @param {ToolbarHandlers} h */
export function tabs(store, h) {
  return html`<div class="dm-tabs">
    <div class="dm-tablist" role="tablist" aria-label="Views">
      ${store.views.map((view) => {
        const title = view.data?.title || `Tab ${view.id}`;
        const selected = view.id === store.viewId;
        if (h.renaming === view.id) {
          return html`<input class="dm-tab-rename" aria-label="Tab name" .value=${title} autofocus
            @keydown=${(/** @type {KeyboardEvent} */ e) => {
              if (e.key === "Enter") h.onRenameEnd(view, /** @type {HTMLInputElement} */ (e.target).value);
              if (e.key === "Escape") { e.stopPropagation(); h.onRenameEnd(view, null); }
            }}
            @blur=${(/** @type {FocusEvent} */ e) => h.onRenameEnd(view, /** @type {HTMLInputElement} */ (e.target).value)}>`;
        }
        return html`<div class="dm-tab ${selected ? "selected" : ""}" draggable="true"
            @dragstart=${(/** @type {DragEvent} */ e) => e.dataTransfer?.setData("text/x-ll-view", String(view.id))}
            @dragover=${(/** @type {DragEvent} */ e) => { if (e.dataTransfer?.types.includes("text/x-ll-view")) e.preventDefault(); }}
            @drop=${(/** @type {DragEvent} */ e) => {
              e.preventDefault();
              const moved = Number(e.dataTransfer?.getData("text/x-ll-view"));
              if (!moved || moved === view.id) return;
              const ids = m.moveBefore(store.views.map((v) => String(v.id)), String(moved), String(view.id)).map(Number);
              store.orderViews(ids);
            }}>
          <button role="tab" aria-selected=${selected ? "true" : "false"} @click=${() => store.selectView(view.id)}
            @dblclick=${() => h.onRenameStart(view)}>${title}</button>
          <details class="dm-menu dm-tab-menu">
            <summary class="btn-icon" aria-label="Tab ${title} options">${icon("more", 14)}</summary>
            <div class="menu-list" style="left:0;right:auto">
              <button @click=${(/** @type {Event} */ e) => (closeMenu(e), h.onTabMenu(view, "rename"))}>Rename</button>
              <button @click=${(/** @type {Event} */ e) => (closeMenu(e), h.onTabMenu(view, "duplicate"))}>${icon("copy", 14)} Duplicate</button>
              <button class="danger" @click=${(/** @type {Event} */ e) => (closeMenu(e), h.onTabMenu(view, "delete"))}>${icon("trash", 14)} Delete</button>
            </div>
          </details>
        </div>`;
      })}
      <button class="btn-icon" aria-label="New tab" title="New tab" @click=${h.onNewTab}>${icon("plus")}</button>
    </div>
    ${saveBadge(store)}
  </div>`;
}

/** @param {DMStore} store */
function columnsMenu(store) {
  const columns = m.filterableColumns(store.columns);
  const data = store.data;
  const visible = new Set(m.visibleColumns(store.columns, data).map(m.viewColumnId));
  const ordered = m.orderColumns(columns, data.columnOrder);
  const order = ordered.map(m.viewColumnId);
  return html`<div class="dm-popover dm-columns" role="group" aria-label="Columns">
    <p class="muted dm-pop-hint">Drag to reorder; drag a header's edge to resize.</p>
    ${ordered.map((column) => {
      const id = m.viewColumnId(column);
      return html`<label class="check dm-col-item" draggable="true"
          @dragstart=${(/** @type {DragEvent} */ e) => e.dataTransfer?.setData("text/x-ll-colmenu", id)}
          @dragover=${(/** @type {DragEvent} */ e) => { if (e.dataTransfer?.types.includes("text/x-ll-colmenu")) e.preventDefault(); }}
          @drop=${(/** @type {DragEvent} */ e) => {
            e.preventDefault();
            const moved = e.dataTransfer?.getData("text/x-ll-colmenu");
            if (moved && moved !== id) store.updateView({ columnOrder: m.moveBefore(order, moved, id) });
          }}>
        <span class="dm-grip" aria-hidden="true">⋮⋮</span>
        <input type="checkbox" .checked=${visible.has(id)}
          @change=${(/** @type {any} */ e) => store.updateView({ hiddenColumns: m.setHidden(store.columns, data, column, e.target.checked) })}>
        ${column.parent === "data" ? html`<span class="badge">data</span>` : nothing} ${m.columnTitle(column)}
      </label>`;
    })}
  </div>`;
}

/** @param {DMStore} store */
function orderBy(store) {
  const columns = m.filterableColumns(store.columns);
  const current = store.data.ordering?.[0] || "";
  const field = current.replace(/^-?tasks:/, "");
  const descending = current.startsWith("-");
  return html`<div class="btn-group dm-order">
    <label class="sr-only" for="dm-order">Order by</label>
    <select id="dm-order" class="btn" @change=${(/** @type {any} */ e) =>
      store.updateView({ ordering: e.target.value ? [`${descending ? "-" : ""}tasks:${e.target.value}`] : [] })}>
      <option value="" ?selected=${!field}>Order: default</option>
      ${columns.map((c) => html`<option value=${m.fieldId(c)} ?selected=${m.fieldId(c) === field}>Order: ${c.parent === "data" ? `data.${c.title}` : m.columnTitle(c)}</option>`)}
    </select>
    <button class="btn" ?disabled=${!field} aria-label=${descending ? "Descending (click for ascending)" : "Ascending (click for descending)"}
      title=${descending ? "Descending" : "Ascending"} @click=${() => store.updateView({ ordering: [`${descending ? "" : "-"}tasks:${field}`] })}>
      ${icon(descending ? "down" : "up", 14)}</button>
  </div>`;
}

/**
 * List | Grid (Label Studio's toggle), saved in the tab as `data.type`.
 * @param {DMStore} store
 */
function layoutToggle(store) {
  const grid = store.data.type === "grid";
  /** @param {"list"|"grid"} type */
  const set = (type) => {
    if ((type === "grid") !== grid) store.updateView({ type });
  };
  return html`<div class="btn-group dm-layout" role="group" aria-label="Layout">
    <button class="btn ${grid ? "" : "on"}" aria-pressed=${grid ? "false" : "true"} title="Show tasks as a list" @click=${() => set("list")}>${icon("list", 14)} List</button>
    <button class="btn ${grid ? "on" : ""}" aria-pressed=${grid ? "true" : "false"} title="Show tasks as a grid of cards" @click=${() => set("grid")}>${icon("grid", 14)} Grid</button>
  </div>`;
}

/** @param {any} action */
export const isDestructive = (action) => /delete|remove/i.test(action.id) || /destructive/i.test(action.dialog?.title || "");

const DENSITY_LABELS = /** @type {Record<string, string>} */ ({ compact: "Rows: 1 line", comfortable: "Rows: 3 lines", tall: "Rows: 6 lines" });

/**
 * Row height: how many lines of each value a row shows (remembered per project in this browser).
 * @param {{density: string, densities: string[], onDensity: (density: string) => void}} o
 */
function densityPicker(o) {
  return html`<div class="dm-density">
    <label class="sr-only" for="dm-density">Row height</label>
    <select id="dm-density" class="btn" title="Row height" @change=${(/** @type {any} */ e) => o.onDensity(e.target.value)}>
      ${o.densities.map((d) => html`<option value=${d} ?selected=${d === o.density}>${DENSITY_LABELS[d] || d}</option>`)}
    </select>
  </div>`;
}

/** @param {DMStore} store @param {ToolbarHandlers} h @param {{density: string, densities: string[], onDensity: (density: string) => void}} o */
export function toolbar(store, h, o) {
  const count = m.selectedCount(store.selection, store.totals.total);
  const filterCount = m.activeFilters(store.data.filters).items.length;
  const grid = store.data.type === "grid";
  return html`<div class="dm-toolbar" role="toolbar" aria-label="Data manager">
    <details class="dm-menu">
      <summary class="btn ${count ? "" : "disabled"}" aria-disabled=${count ? "false" : "true"} @click=${(/** @type {Event} */ e) => { if (!count) e.preventDefault(); }}>
        ${count ? `${formatNumber(count)} ${count === 1 ? "task" : "tasks"}` : "Actions"} ${icon("down", 14)}</summary>
      <div class="menu-list" style="left:0;right:auto">
        ${store.actions.map((action) => html`<button class=${isDestructive(action) ? "danger" : ""}
            @click=${(/** @type {Event} */ e) => (closeMenu(e), h.onAction(action))}>
          ${isDestructive(action) ? icon("trash", 14) : nothing} ${action.title}</button>`)}
      </div>
    </details>
    <details class="dm-menu">
      <summary class="btn">${icon("columns", 14)} Columns</summary>
      ${columnsMenu(store)}
    </details>
    <details class="dm-menu dm-filters-menu">
      <summary class="btn">${icon("filter", 14)} Filters ${filterCount ? html`<span class="badge badge-accent">${filterCount}</span>` : nothing}</summary>
      ${filtersPopover(store)}
    </details>
    ${orderBy(store)}
    <span class="dm-spacer"></span>
    <button class="btn-icon" aria-label="Refresh" title="Refresh" @click=${h.onRefresh}>${icon("refresh")}</button>
    ${grid ? nothing : densityPicker(o)}
    ${layoutToggle(store)}
    ${canNow("tasks.manage") ? html`<button class="btn" @click=${h.onImport}>${icon("upload", 14)} Import</button>` : nothing}
    ${canNow("data.export") ? html`<button class="btn" @click=${h.onExport}>${icon("download", 14)} Export</button>` : nothing}
    <button class="btn btn-primary" @click=${h.onLabel}>${icon("label", 14)} ${count && !store.selection.all ? `Label ${formatNumber(count)} ${count === 1 ? "task" : "tasks"}` : "Label all tasks"}</button>
  </div>`;
}

/** @param {DMStore} store */
export function footer(store) {
  const t = store.totals;
  const estimated = store.loaded && !t.total_exact;
  return html`<footer class="dm-footer" aria-live="polite">
    <span>Tasks: <strong title=${estimated ? "Estimated from a sample of the project's tasks" : ""}>${store.loaded ? m.totalText(t.total, t.total_exact) : formatNumber(store.total)}</strong> / ${formatNumber(store.total)}
      ${estimated ? html`<button class="btn btn-sm dm-count-exact" title="Count the matching tasks exactly"
        @click=${() => store.countExactly().catch(() => {})}>Count</button>` : nothing}</span>
    <span>Annotations: <strong>${m.totalText(t.total_annotations, !estimated || !t.total_annotations)}</strong></span>
    <span>Predictions: <strong>${m.totalText(t.total_predictions, !estimated || !t.total_predictions)}</strong></span>
    ${store.selection.all || m.listed(store.selection).length
      ? html`<span>Selected: <strong>${formatNumber(m.selectedCount(store.selection, t.total))}</strong></span>` : nothing}
    ${store.loadError ? html`<span class="dm-error" role="alert">${icon("warning", 13)} ${store.loadError}</span>` : nothing}
  </footer>`;
}
