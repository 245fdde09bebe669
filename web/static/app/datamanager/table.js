// @ts-check
/**
 * The virtual task table: fixed row height, only the rows in view (plus a few) in the DOM,
 * pages requested from the store around the viewport as it scrolls. Header: select-all
 * (the server's selectedItems model), sort by click, drag to reorder, drag an edge to resize.
 * Keyboard: ↑/↓ (PageUp/PageDown, Home/End) move the focused row, Enter opens it, Space selects.
 *
 * `VirtualTable` shows the current tab as this list or as the card grid (grid.js), following the
 * tab's `data.type` ("list" | "grid", Label Studio's toggle); both page through the same store.
 */
import { html, render, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { guard } from "lit/directives/guard.js";
import { icon, isTyping } from "../ui.js";
import * as m from "./model.js";
import { PAGE_SIZE } from "./store.js";
import { cell, defaultWidth, selectAllControl } from "./cells.js";
import { GridView } from "./grid.js";
import { VirtualView } from "./virtual-view.js";

/** @typedef {import("./model.js").Column} Column */
/** @typedef {import("./store.js").DMStore} DMStore */
/**
 * @typedef {{
 *   onOpen: (task: any, index: number) => void,
 *   onSort: (field: string) => void,
 *   onResize: (columnId: string, width: number) => void,
 *   onReorder: (columnId: string, beforeId: string) => void,
 *   onSelection: (selection: m.Selection) => void,
 * }} TableHandlers
 */

const CHECK_WIDTH = 40;
const ANCHOR_EVERY = 2000; // rows; keeps row offsets small (float precision) yet rarely changing

/** The list: one task per row. */
export class ListView extends VirtualView {
  /** @param {HTMLElement} host @param {DMStore} store @param {TableHandlers} handlers */
  constructor(host, store, handlers) {
    super(host, store, handlers);
    this.rowHeight = 36;
    /** @type {Column[]} */
    this.columns = [];
    /** @type {Record<string, number>} */
    this.widths = {};
    this.users = new Map(store.users.map((u) => [u.id, u]));
    render(html`<div class="dm-scroller" tabindex="0" role="grid" aria-label="Tasks" aria-multiselectable="true"
        @scroll=${() => this.schedule()} @keydown=${(/** @type {KeyboardEvent} */ e) => this.onKey(e)}
        @focus=${() => this.schedule()}><div class="dm-head-host"></div><div class="dm-body"><div class="dm-rows"></div></div></div>`, host);
    this.scroller = /** @type {HTMLElement} */ (host.querySelector(".dm-scroller"));
    this.headHost = /** @type {HTMLElement} */ (host.querySelector(".dm-head-host"));
    this.body = /** @type {HTMLElement} */ (host.querySelector(".dm-body"));
    this.rowsEl = /** @type {HTMLElement} */ (host.querySelector(".dm-rows"));
    this.observe(this.scroller);
  }

  /** @param {{columns: Column[], widths: Record<string, number>, rowHeight: number, activeTaskId: number|null}} o */
  configure(o) {
    if (o.rowHeight !== this.rowHeight) {
      // Keep the same first row in view across a density change.
      const first = Math.floor(this.scroller.scrollTop / this.rowHeight);
      this.rowHeight = o.rowHeight;
      this.scroller.scrollTop = first * o.rowHeight;
    }
    this.columns = o.columns;
    this.widths = o.widths;
    this.activeTaskId = o.activeTaskId;
    this.users = new Map(this.store.users.map((u) => [u.id, u]));
    this.renderHead();
    this.schedule();
  }

  /** @param {Column} column */
  width(column) {
    return this.widths[m.viewColumnId(column)] || defaultWidth(column, this.store.tags);
  }

  get template() {
    return `${CHECK_WIDTH}px ${this.columns.map((c) => `${this.width(c)}px`).join(" ")}`;
  }

  get contentWidth() {
    return CHECK_WIDTH + this.columns.reduce((sum, c) => sum + this.width(c), 0);
  }

  frame() {
    this.renderRows();
  }

  renderHead() {
    const ordering = this.store.data.ordering?.[0] || "";
    render(html`<div class="dm-head" role="row" aria-rowindex="1" style="grid-template-columns:${this.template};width:${this.contentWidth}px">
      <div class="dm-th dm-check" role="columnheader">${selectAllControl(this.store, this.handlers.onSelection)}</div>
      ${this.columns.map((column) => {
        const field = m.fieldId(column);
        const id = m.viewColumnId(column);
        const sort = ordering === `tasks:${field}` ? "ascending" : ordering === `-tasks:${field}` ? "descending" : "none";
        return html`<div class="dm-th" role="columnheader" aria-sort=${sort} draggable="true" data-col=${id}
            @dragstart=${(/** @type {DragEvent} */ e) => { e.dataTransfer?.setData("text/x-ll-column", id); }}
            @dragover=${(/** @type {DragEvent} */ e) => { if (e.dataTransfer?.types.includes("text/x-ll-column")) { e.preventDefault(); /** @type {HTMLElement} */ (e.currentTarget).classList.add("drop"); } }}
            @dragleave=${(/** @type {DragEvent} */ e) => /** @type {HTMLElement} */ (e.currentTarget).classList.remove("drop")}
            @drop=${(/** @type {DragEvent} */ e) => {
              e.preventDefault();
              /** @type {HTMLElement} */ (e.currentTarget).classList.remove("drop");
              const moved = e.dataTransfer?.getData("text/x-ll-column");
              if (moved && moved !== id) this.handlers.onReorder(moved, id);
            }}>
          <button class="dm-sort" title=${column.help || (column.parent === "data" ? `Task data field “${column.title}”` : m.columnTitle(column))} @click=${() => this.handlers.onSort(field)}
            aria-label="${m.columnLabel(column)}: sort ${sort === "ascending" ? "descending" : sort === "descending" ? "off" : "ascending"}">
            ${column.parent === "data" ? html`<span class="dm-th-group" aria-hidden="true">data</span>` : nothing}<span class="dm-th-title">${m.columnTitle(column)}</span>
            ${sort === "ascending" ? icon("up", 12) : sort === "descending" ? icon("down", 12) : nothing}
          </button>
          <span class="dm-resize" role="separator" aria-orientation="vertical" aria-label="Resize ${m.columnLabel(column)}"
            @pointerdown=${(/** @type {PointerEvent} */ e) => this.startResize(e, column)} @click=${(/** @type {Event} */ e) => e.stopPropagation()}></span>
        </div>`;
      })}
    </div>`, this.headHost);
  }

  /** @param {PointerEvent} event @param {Column} column */
  startResize(event, column) {
    event.preventDefault();
    event.stopPropagation();
    const id = m.viewColumnId(column);
    const startX = event.clientX;
    const startWidth = this.width(column);
    const handle = /** @type {HTMLElement} */ (event.target);
    handle.setPointerCapture(event.pointerId);
    /** @param {PointerEvent} e */
    const move = (e) => {
      this.widths = { ...this.widths, [id]: Math.max(50, Math.round(startWidth + e.clientX - startX)) };
      this.renderHead();
      this.renderRows();
    };
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      this.handlers.onResize(id, this.widths[id] || startWidth);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  }

  renderRows() {
    const started = performance.now();
    this.paint();
    // bench/ui_dm_bench.py sets window.__dmRenderTimes = [] to collect the cost of each render.
    const times = /** @type {any} */ (window).__dmRenderTimes;
    if (Array.isArray(times) && times.length < 5000) times.push(performance.now() - started);
  }

  paint() {
    const total = this.total;
    const headHeight = this.headHost.offsetHeight;
    const viewport = Math.max(0, this.scroller.clientHeight - headHeight);
    const { height, scale } = m.spacerOf(total, this.rowHeight, viewport);
    this.body.style.height = `${height}px`;
    this.body.style.width = `${this.contentWidth}px`;
    const win = m.windowOf({ scrollTop: this.scroller.scrollTop, viewport, rowHeight: this.rowHeight, total, pageSize: PAGE_SIZE, scale });
    // Rows sit at fixed offsets from an anchor row that changes rarely; only the layer moves.
    // Without scaling the layer never moves at all, and rows that stay in view are not touched
    // (they are keyed by index), so a scroll frame only builds the rows entering the viewport.
    const anchor = Math.floor(win.start / ANCHOR_EVERY) * ANCHOR_EVERY;
    const layerTop = this.scroller.scrollTop - (win.first + win.offset - anchor) * this.rowHeight;
    this.rowsEl.style.transform = `translateY(${layerTop}px)`;
    this.scroller.setAttribute("aria-rowcount", String(total + 1));
    this.firstIndex = win.first;
    this.store.request(win.pages);
    const sel = this.store.selection;
    const template = this.template;
    const width = this.contentWidth;
    const rowHeight = this.rowHeight;
    /** @type {number[]} */
    const indices = [];
    for (let index = win.start; index < win.end; index++) indices.push(index);
    const rows = repeat(indices, (index) => index, (index) => {
      const task = this.store.row(index);
      const style = `grid-template-columns:${template};width:${width}px;height:${rowHeight}px;top:${(index - anchor) * rowHeight}px`;
      if (!task) {
        return html`<div class="dm-row loading" role="row" aria-rowindex=${index + 2} id="dm-row-${index}" style=${style} aria-busy="true">
          <div class="dm-td dm-check" role="gridcell"></div>${this.columns.map(() => html`<div class="dm-td" role="gridcell"><span class="skeleton"></span></div>`)}</div>`;
      }
      const selected = m.isSelected(sel, task.id);
      const focused = index === this.focusIndex;
      const active = task.id === this.activeTaskId;
      // A row whose task and state did not change is not rebuilt or diffed at all while scrolling.
      return guard([task, selected, focused, active, style, this.columns, this.users], () => html`<div class="dm-row ${focused ? "focused" : ""} ${active ? "active" : ""}" role="row"
          aria-rowindex=${index + 2} aria-selected=${selected ? "true" : "false"} id="dm-row-${index}" data-task=${task.id} style=${style}
          @click=${(/** @type {MouseEvent} */ e) => this.onRowClick(e, task, index)}>
        <div class="dm-td dm-check" role="gridcell"><input type="checkbox" aria-label="Select task ${task.id}" .checked=${selected} tabindex="-1"></div>
        ${this.columns.map((column) => html`<div class="dm-td" role="gridcell">${cell(column, task, this.users, this.store.tags)}</div>`)}
      </div>`);
    });
    render(rows, this.rowsEl);
    if (document.activeElement === this.scroller && this.store.row(this.focusIndex)) {
      this.scroller.setAttribute("aria-activedescendant", `dm-row-${this.focusIndex}`);
    }
  }

  /** @param {MouseEvent} event @param {any} task @param {number} index */
  onRowClick(event, task, index) {
    this.focusIndex = index;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest(".dm-check")) {
      this.handlers.onSelection(m.toggle(this.store.selection, task.id));
      return;
    }
    this.handlers.onOpen(task, index);
  }

  /** Scroll so a row is in view. @param {number} index */
  reveal(index) {
    const headHeight = this.headHost.offsetHeight;
    const viewport = this.scroller.clientHeight - headHeight;
    const { scale } = m.spacerOf(this.total, this.rowHeight, viewport);
    const top = (index * this.rowHeight) / scale;
    const current = this.scroller.scrollTop;
    if (top < current) this.scroller.scrollTop = top;
    else if (top + this.rowHeight > current + viewport) this.scroller.scrollTop = top + this.rowHeight - viewport;
    this.schedule();
  }

  /** Scroll so a row is the first in view (switching from the grid). @param {number} index */
  scrollToIndex(index) {
    this.paint(); // the spacer gets its height first, else the scroll position is clamped
    const viewport = this.scroller.clientHeight - this.headHost.offsetHeight;
    const { scale } = m.spacerOf(this.total, this.rowHeight, viewport);
    this.scroller.scrollTop = (index * this.rowHeight) / scale;
    this.schedule();
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (isTyping(event) || event.target !== this.scroller || event.shiftKey || event.altKey || event.metaKey || event.ctrlKey) return;
    const page = Math.max(1, Math.floor((this.scroller.clientHeight - this.headHost.offsetHeight) / this.rowHeight) - 1);
    /** @type {Record<string, number>} */
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) this.focusRow(this.focusIndex + moves[event.key]);
    else if (event.key === "Home") this.focusRow(0);
    else if (event.key === "End") this.focusRow(this.total - 1);
    else if (!this.actOnFocused(event.key)) return;
    event.preventDefault();
  }
}

/** @typedef {{columns: Column[], widths: Record<string, number>, rowHeight: number, activeTaskId: number|null}} TableOptions */

/**
 * The task view of the data manager: the list or the grid, whichever the tab's `data.type` asks
 * for. Switching keeps the focused task and the first task in view.
 */
export class VirtualTable {
  /** @param {HTMLElement} host @param {DMStore} store @param {TableHandlers} handlers */
  constructor(host, store, handlers) {
    this.host = host;
    this.store = store;
    this.handlers = handlers;
    /** @type {"list"|"grid"} */
    this.mode = store.data.type === "grid" ? "grid" : "list";
    /** @type {ListView|GridView} */
    this.view = this.make(this.mode);
  }

  /** @param {"list"|"grid"} mode */
  make(mode) {
    return mode === "grid" ? new GridView(this.host, this.store, this.handlers) : new ListView(this.host, this.store, this.handlers);
  }

  get scroller() {
    return this.view.scroller;
  }

  get focusIndex() {
    return this.view.focusIndex;
  }

  set focusIndex(index) {
    this.view.focusIndex = index;
  }

  /** @param {number} index */
  focusRow(index) {
    this.view.focusRow(index);
  }

  /** @param {TableOptions} o */
  configure(o) {
    const mode = this.store.data.type === "grid" ? "grid" : "list";
    if (mode !== this.mode) {
      const { focusIndex, firstIndex } = this.view;
      const hadFocus = this.view.scroller.contains(document.activeElement);
      this.view.destroy();
      this.mode = mode;
      this.view = this.make(mode);
      this.view.focusIndex = focusIndex;
      this.view.configure(o);
      this.view.scrollToIndex(firstIndex);
      if (hadFocus) this.view.scroller.focus();
      return;
    }
    this.view.configure(o);
  }

  destroy() {
    this.view.destroy();
  }
}
