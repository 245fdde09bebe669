// @ts-check
/**
 * <Ranker toName="list"> (+ <Bucket name title default>): order the items of a <List>, or sort
 * them into buckets. Drag and drop with the mouse; with the keyboard, focus an item and use
 * Alt+↑/↓ to move it, Alt+←/→ to move it to the neighbouring column, Alt+Home/End for the
 * top/bottom. Stored as Label Studio's `{ranker: {<column>: [ids...]}}` with every column.
 */
import { html, render, nothing } from "lit";
import { currentValue, writeValue } from "../lib/control.js";
import { applyDefaultsOnce } from "../lib/defaults.js";
import * as rk from "../lib/ranker.js";
import { ensureStyles, live, uid } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderRanker({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const name = String(model.attrs?.name ?? "");
  const listName = String(model.attrs?.toName ?? "");
  const list = ctx.byName(listName);
  const items = listItems();
  const byId = new Map(items.map((item) => [item.id, item]));
  const listTitle = String(list?.attrs?.title ? ctx.resolve(list.attrs.title) : "") || listName;
  const order = rk.columnsOf(model, listTitle);
  const helpId = uid("llc-rank-help");
  const liveId = uid("llc-rank-live");
  let announcement = "";
  /** @type {{id: string, column: string, index: number}|null} */
  let drop = null;
  let dragging = "";

  function listItems() {
    return rk.listItems(list ? ctx.resolve(list.attrs?.value) : []);
  }

  const columns = () => rk.placement(model, items.map((i) => i.id), currentValue(store, model, "ranker"), listTitle);

  /** @param {rk.Columns} next @param {string} [moved] */
  function save(next, moved) {
    if (ctx.readOnly) return;
    writeValue(store, model, "ranker", rk.rankerValue(next, order));
    if (moved) {
      const column = order.find((c) => next[c.id].includes(moved));
      const position = column ? next[column.id].indexOf(moved) + 1 : 0;
      announcement = `${byId.get(moved)?.title || moved}: position ${position} of ${column ? next[column.id].length : 0}${order.length > 1 ? ` in ${column?.title || column?.id}` : ""}`;
      queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(`[data-item="${CSS.escape(moved)}"]`))?.focus());
    }
  }

  /** @param {KeyboardEvent} event @param {string} id */
  function onKey(event, id) {
    const moves = /** @type {Record<string, "up"|"down"|"left"|"right"|"top"|"bottom">} */ ({ ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right", Home: "top", End: "bottom" });
    const direction = moves[event.key];
    if (!direction) return;
    event.preventDefault();
    if (event.altKey) {
      save(rk.step(columns(), order, id, direction), id);
      return;
    }
    // Without Alt, arrows just move focus between items.
    const current = columns();
    const columnIndex = order.findIndex((c) => current[c.id].includes(id));
    const column = current[order[columnIndex].id];
    const index = column.indexOf(id);
    let next = "";
    if (direction === "up") next = column[index - 1];
    else if (direction === "down") next = column[index + 1];
    else if (direction === "top") next = column[0];
    else if (direction === "bottom") next = column[column.length - 1];
    else {
      const neighbour = current[order[columnIndex + (direction === "left" ? -1 : 1)]?.id];
      if (neighbour?.length) next = neighbour[Math.min(index, neighbour.length - 1)];
    }
    if (next) /** @type {HTMLElement|null} */ (el.querySelector(`[data-item="${CSS.escape(next)}"]`))?.focus();
  }

  /** Where in a column the pointer is: the index the dragged item would take. @param {DragEvent} event @param {string} column */
  function dropIndex(event, column) {
    const list = /** @type {HTMLElement} */ (event.currentTarget);
    const rows = /** @type {HTMLElement[]} */ ([...list.querySelectorAll("[data-item]")]).filter((row) => row.dataset.item !== dragging);
    let index = rows.length;
    for (let i = 0; i < rows.length; i++) {
      const box = rows[i].getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        index = i;
        break;
      }
    }
    return { id: dragging, column, index };
  }

  function draw() {
    const current = columns();
    render(
      html`<div class="llc-ranker ${order.length > 1 ? "has-buckets" : ""}" data-control=${name}>
        <p id=${helpId} class="sr-only">Alt plus arrow keys move the focused item${order.length > 1 ? "; Alt plus left or right moves it to the next column" : ""}.</p>
        ${order.map((column) => {
          const ids = current[column.id] || [];
          const others = ids.filter((i) => i !== dragging);
          return html`<section class="llc-rank-column htx-ranker-column" aria-label=${column.title || column.id}>
            <h3 class="llc-rank-column-title">${column.title || column.id} <span class="badge">${ids.length}</span></h3>
            <ol class="llc-rank-items ${drop?.column === column.id ? "is-target" : ""}" data-column=${column.id}
              @dragover=${(/** @type {DragEvent} */ e) => {
                if (!dragging || ctx.readOnly) return;
                e.preventDefault();
                const next = dropIndex(e, column.id);
                if (!drop || drop.column !== next.column || drop.index !== next.index) {
                  drop = next;
                  draw();
                }
              }}
              @dragleave=${(/** @type {DragEvent} */ e) => {
                if (e.currentTarget === e.target && drop?.column === column.id) {
                  drop = null;
                  draw();
                }
              }}
              @drop=${(/** @type {DragEvent} */ e) => {
                e.preventDefault();
                const target = dropIndex(e, column.id);
                const id = dragging;
                drop = null;
                dragging = "";
                if (id) save(rk.move(columns(), id, target.column, target.index), id);
                else draw();
              }}>
              ${ids.map((id, index) => {
                const item = byId.get(id);
                return html`${drop?.column === column.id && id !== dragging && drop.index === others.indexOf(id) ? html`<li class="llc-drop-marker" aria-hidden="true"></li>` : nothing}
                  <li class="llc-rank-item htx-ranker-item ${dragging === id ? "is-dragging" : ""}" data-item=${id} tabindex="0"
                    draggable=${ctx.readOnly ? "false" : "true"} aria-roledescription="sortable item" aria-describedby=${helpId}
                    aria-label=${`${index + 1}. ${item?.title || id}`}
                    @keydown=${(/** @type {KeyboardEvent} */ e) => onKey(e, id)}
                    @dragstart=${(/** @type {DragEvent} */ e) => {
                      dragging = id;
                      e.dataTransfer?.setData("text/plain", id);
                      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
                      queueMicrotask(draw);
                    }}
                    @dragend=${() => {
                      dragging = "";
                      drop = null;
                      draw();
                    }}>
                    <span class="llc-rank-handle" aria-hidden="true">⋮⋮</span>
                    <div class="llc-rank-content">
                      <div class="llc-rank-title">${item?.title || id}</div>
                      ${item?.body ? html`<div class="llc-rank-body">${item.body}</div>` : nothing}
                    </div>
                  </li>`;
              })}
              ${drop?.column === column.id && drop.index >= others.length ? html`<li class="llc-drop-marker" aria-hidden="true"></li>` : nothing}
              ${ids.length ? nothing : html`<li class="llc-rank-empty" aria-hidden="true">Drop items here</li>`}
            </ol>
          </section>`;
        })}
        <p id=${liveId} class="sr-only" aria-live="assertive">${announcement}</p>
      </div>`,
      el,
    );
  }

  if (!list) {
    render(html`<p class="llc-error" role="alert">Ranker “${name}”: no List named “${listName}” in this config</p>`, el);
    return () => render(nothing, el);
  }
  // Label Studio sends the initial layout when the annotator submits without moving anything
  // (Ranker.beforeSend); a new annotation gets it up front, so the saved JSON is the same.
  if (!ctx.readOnly && currentValue(store, model, "ranker") === undefined && items.length) {
    applyDefaultsOnce(store, name, () => writeValue(store, model, "ranker", rk.rankerValue(columns(), order)));
  }
  return live(el, ctx, draw);
}
