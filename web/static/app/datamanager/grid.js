// @ts-check
/**
 * The card grid (the tab's `data.type` is "grid"): one card per task with its id, a selection
 * checkbox, its counters and the previews of its data (the object tags' plugin previews, as in
 * the table's cells). Cards sit in rows; as many columns as the width allows for the card size
 * (small / medium / large, saved in the tab as `gridSize`). Virtualized by card row: only the
 * rows in view (plus a couple) are in the DOM, pages come from the same store as the list's.
 * Keyboard: arrows move the focused card, PageUp/PageDown/Home/End, Enter opens, Space selects.
 */
import { html, render, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { guard } from "lit/directives/guard.js";
import { icon, isTyping, formatNumber } from "../ui.js";
import * as m from "./model.js";
import { PAGE_SIZE } from "./store.js";
import { previewCell, selectAllControl, unreadMarker } from "./cells.js";
import { hasTrait } from "../catalogue.js";
import { VirtualView } from "./virtual-view.js";

/** @typedef {import("./model.js").Column} Column */
/** @typedef {import("./store.js").DMStore} DMStore */
/** @typedef {import("./table.js").TableHandlers} TableHandlers */

const ANCHOR_EVERY = 500; // card rows; keeps offsets small yet rarely changing (as the table's rows)
const MAX_PREVIEWS = 3;
const SIZES = /** @type {const} */ (["small", "medium", "large"]);

export class GridView extends VirtualView {
  /** @param {HTMLElement} host @param {DMStore} store @param {TableHandlers} handlers */
  constructor(host, store, handlers) {
    super(host, store, handlers);
    /** @type {Column[]} the data columns a card previews */
    this.dataColumns = [];
    this.columns = 0; // cards per row at the last paint
    this.rowHeight = 0;
    /** @type {m.CardSize} */
    this.size = m.cardSize(store.data.gridSize);
    render(html`<div class="dm-grid">
      <div class="dm-grid-bar"></div>
      <div class="dm-scroller dm-grid-scroller" tabindex="0" role="grid" aria-label="Tasks" aria-multiselectable="true"
        @scroll=${() => this.schedule()} @keydown=${(/** @type {KeyboardEvent} */ e) => this.onKey(e)}
        @focus=${() => this.schedule()}><div class="dm-body"><div class="dm-card-rows"></div></div></div>
    </div>`, host);
    this.bar = /** @type {HTMLElement} */ (host.querySelector(".dm-grid-bar"));
    this.scroller = /** @type {HTMLElement} */ (host.querySelector(".dm-grid-scroller"));
    this.body = /** @type {HTMLElement} */ (host.querySelector(".dm-body"));
    this.rowsEl = /** @type {HTMLElement} */ (host.querySelector(".dm-card-rows"));
    this.observe(this.scroller);
  }

  /** @param {import("./table.js").TableOptions} o */
  configure(o) {
    let data = o.columns.filter((c) => c.parent === "data");
    // Every data column hidden: a card still shows something of its task.
    if (!data.length) data = m.filterableColumns(this.store.columns).filter((c) => c.parent === "data").slice(0, 1);
    // Data types seen rather than read (the catalogue's "visual" trait) get the card's main area.
    const visual = (/** @type {Column} */ c) => hasTrait(this.store.tags, c.type, "visual");
    data = [...data.filter(visual), ...data.filter((c) => !visual(c))].slice(0, MAX_PREVIEWS);
    if (data.map((c) => c.id).join() !== this.dataColumns.map((c) => c.id).join()) this.dataColumns = data;
    this.activeTaskId = o.activeTaskId;
    this.size = m.cardSize(this.store.data.gridSize);
    this.renderBar();
    this.schedule();
  }

  renderBar() {
    const total = this.store.totals.total;
    const selected = m.selectedCount(this.store.selection, total);
    render(html`<span class="dm-check">${selectAllControl(this.store, this.handlers.onSelection)}</span>
      <span class="dm-grid-count">${selected ? `${formatNumber(selected)} of ${formatNumber(total)} selected` : `${m.totalText(total, this.store.totals.total_exact)} ${total === 1 ? "task" : "tasks"}`}</span>
      <span class="dm-spacer"></span>
      <span class="dm-grid-size" role="group" aria-label="Card size">
        <span class="muted" aria-hidden="true">Size</span>
        ${SIZES.map((size) => html`<button class="btn btn-sm ${size === this.size ? "on" : ""}" aria-pressed=${size === this.size ? "true" : "false"}
          aria-label="${size} cards" title="${size[0].toUpperCase()}${size.slice(1)} cards"
          @click=${() => this.store.updateView({ gridSize: size })}>${size[0].toUpperCase()}</button>`)}
      </span>`, this.bar);
  }

  frame() {
    this.paint();
  }

  /** The layout for the current width and card size. */
  layout() {
    const size = m.CARD_SIZES[this.size];
    const columns = m.gridColumns(this.scroller.clientWidth, size.minWidth);
    const rowHeight = size.height + m.GRID_GAP;
    const viewport = this.scroller.clientHeight;
    const rows = Math.ceil(this.total / columns);
    const { height, scale } = m.spacerOf(rows, rowHeight, Math.max(1, viewport - 2 * m.GRID_PAD));
    return { columns, rowHeight, cardHeight: size.height, viewport, rows, height, scale };
  }

  paint() {
    const started = performance.now();
    const total = this.total;
    const { columns, rowHeight, cardHeight, viewport, height, scale } = this.layout();
    this.body.style.height = `${height + 2 * m.GRID_PAD}px`;
    if (this.columns && (columns !== this.columns || rowHeight !== this.rowHeight)) {
      // A new width or card size re-flows the cards: keep the same first task in view.
      this.scroller.scrollTop = (Math.floor(this.firstIndex / columns) * rowHeight) / scale;
    }
    this.columns = columns;
    this.rowHeight = rowHeight;
    const scrollTop = this.scroller.scrollTop;
    const win = m.gridWindowOf({ scrollTop, viewport, rowHeight, columns, total, pageSize: PAGE_SIZE, scale });
    this.firstIndex = Math.min(win.firstRow * columns, Math.max(0, total - 1));
    const anchor = Math.floor(win.startRow / ANCHOR_EVERY) * ANCHOR_EVERY;
    const layerTop = scrollTop + m.GRID_PAD - (win.firstRow + win.offset - anchor) * rowHeight;
    this.rowsEl.style.transform = `translateY(${layerTop}px)`;
    this.scroller.setAttribute("aria-rowcount", String(win.rows));
    this.scroller.setAttribute("aria-colcount", String(columns));
    this.store.request(win.pages);
    const sel = this.store.selection;
    const template = `repeat(${columns}, minmax(0, 1fr))`;
    /** @type {number[]} */
    const rowIndices = [];
    for (let r = win.startRow; r < win.endRow; r++) rowIndices.push(r);
    const rows = repeat(rowIndices, (r) => r, (r) => {
      /** @type {unknown[]} */
      const cards = [];
      for (let index = r * columns; index < Math.min(total, (r + 1) * columns); index++) cards.push(this.card(index, sel));
      return html`<div class="dm-card-row" role="row" aria-rowindex=${r + 1}
        style="grid-template-columns:${template};height:${cardHeight}px;top:${(r - anchor) * rowHeight}px">${cards}</div>`;
    });
    render(rows, this.rowsEl);
    if (document.activeElement === this.scroller && this.store.row(this.focusIndex)) {
      this.scroller.setAttribute("aria-activedescendant", `dm-card-${this.focusIndex}`);
    }
    // bench/ui_dm_bench.py sets window.__dmRenderTimes = [] to collect the cost of each render.
    const times = /** @type {any} */ (window).__dmRenderTimes;
    if (Array.isArray(times) && times.length < 5000) times.push(performance.now() - started);
  }

  /** @param {number} index @param {m.Selection} sel */
  card(index, sel) {
    const task = this.store.row(index);
    if (!task) {
      return html`<div class="dm-card loading" role="gridcell" aria-busy="true" id="dm-card-${index}">
        <div class="dm-card-head"><span class="skeleton" style="width:40%"></span></div>
        <div class="dm-card-media"><span class="skeleton"></span></div></div>`;
    }
    const selected = m.isSelected(sel, task.id);
    const focused = index === this.focusIndex;
    const active = task.id === this.activeTaskId;
    const data = this.dataColumns;
    // A card whose task and state did not change is not rebuilt or diffed while scrolling.
    return guard([task, selected, focused, active, data], () => html`<div class="dm-card ${focused ? "focused" : ""} ${active ? "active" : ""}"
        role="gridcell" aria-selected=${selected ? "true" : "false"} id="dm-card-${index}" data-task=${task.id}
        @click=${(/** @type {MouseEvent} */ e) => this.onCardClick(e, task, index)}>
      <div class="dm-card-head">
        <span class="dm-check"><input type="checkbox" aria-label="Select task ${task.id}" .checked=${selected} tabindex="-1"></span>
        <span class="dm-card-id">#${task.id}</span>
        <span class="dm-card-counts">
          ${task.total_annotations ? html`<span class="dm-count" title="${task.total_annotations} annotations">${icon("check", 12)}<span>${task.total_annotations}</span></span>` : nothing}
          ${task.total_predictions ? html`<span class="dm-count" title="${task.total_predictions} predictions">${icon("star", 12)}<span>${task.total_predictions}</span></span>` : nothing}
          ${unreadMarker(task.unread_comments)}
        </span>
      </div>
      <div class="dm-card-media">
        ${data.map((column, i) => html`<ll-dm-preview class="dm-data dm-card-preview ${i ? "more" : hasTrait(this.store.tags, column.type, "visual") ? "visual" : "text"}"
          data-key=${column.title} .cell=${previewCell(column, task, this.store.tags)}></ll-dm-preview>`)}
      </div>
    </div>`);
  }

  /** @param {MouseEvent} event @param {any} task @param {number} index */
  onCardClick(event, task, index) {
    this.focusIndex = index;
    if (/** @type {HTMLElement} */ (event.target).closest(".dm-check")) {
      this.handlers.onSelection(m.toggle(this.store.selection, task.id));
      return;
    }
    this.handlers.onOpen(task, index);
  }

  /** Scroll so a task's card is the first row in view (switching from the list). @param {number} index */
  scrollToIndex(index) {
    this.paint(); // the spacer gets its height first, else the scroll position is clamped
    const { scale } = this.layout();
    this.scroller.scrollTop = (Math.floor(index / this.columns) * this.rowHeight) / scale;
    this.schedule();
  }

  /** Scroll so a card is fully in view. @param {number} index */
  reveal(index) {
    const { columns, rowHeight, cardHeight, viewport, scale } = this.layout();
    const row = Math.floor(index / columns);
    const pad = m.GRID_PAD;
    const y = pad + row * rowHeight - this.scroller.scrollTop * scale; // where its top is in the viewport
    if (y < pad) this.scroller.scrollTop = Math.max(0, (row * rowHeight) / scale);
    else if (y + cardHeight > viewport - pad) this.scroller.scrollTop = Math.max(0, (row * rowHeight - (viewport - 2 * pad - cardHeight)) / scale);
    this.schedule();
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (isTyping(event) || event.target !== this.scroller || event.shiftKey || event.altKey || event.metaKey || event.ctrlKey) return;
    const { columns, rowHeight, viewport } = this.layout();
    const pageRows = Math.max(1, Math.floor(viewport / rowHeight));
    const next = m.gridMove(this.focusIndex, event.key, columns, this.total, pageRows);
    if (next !== null) this.focusRow(next);
    else if (!this.actOnFocused(event.key)) return;
    event.preventDefault();
  }
}
