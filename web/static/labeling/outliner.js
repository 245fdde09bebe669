// @ts-check
/**
 * The outliner: regions grouped by label (select / hide / lock / delete from the list; windowed,
 * so 2,000 regions cost the same as 20) and the relations list. Follows the store by itself.
 */
import { html, render, nothing } from "lit";
import { icon } from "../app/ui.js";
import { groupRows, regionColor, regionSummary, windowRows, regionLabels } from "./regionview.js";

/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").TagNode} TagNode */

const ROW = 32;

/**
 * @param {HTMLElement} el
 * @param {{store: AnnotationStore, byName: (name: string) => TagNode|undefined, readOnly: () => boolean}} options
 */
export function mountOutliner(el, options) {
  const { store } = options;
  let scrollTop = 0;
  let viewport = 400;
  /** @type {ReturnType<typeof groupRows>} */
  let rows = [];
  let version = -1;
  /** @type {HTMLElement|null} */
  let scroller = null;
  let frame = 0;

  const indexOf = () => new Map(store.regions().map((r, i) => [r.id, i + 1]));

  function rebuild() {
    rows = groupRows(store.regions());
  }

  /** Keep the selected row in view (alt+. cycling, selection on the canvas). */
  function reveal() {
    const id = store.selectedId;
    if (!id || !scroller) return;
    const i = rows.findIndex((r) => r.kind === "region" && r.region.id === id);
    if (i < 0) return;
    const top = i * ROW;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW - scroller.clientHeight;
    scrollTop = scroller.scrollTop;
  }

  /** The rows' visible height: never more than the window shows, so an unconstrained list
   * (stylesheet still loading, a layout without a fixed height) still renders only a window. */
  function measure() {
    const height = scroller ? scroller.clientHeight || viewport : viewport;
    return Math.min(height, window.innerHeight || height);
  }

  function draw() {
    viewport = measure();
    const readOnly = options.readOnly();
    const regions = store.regions();
    const relations = store.relations();
    const { start, end, before, after } = windowRows(rows.length, ROW, scrollTop, viewport);
    const selected = store.selectedId;
    const numbers = relations.length ? indexOf() : new Map();
    const current = selected ? store.region(selected) : undefined;
    const currentIndex = current ? regions.indexOf(current) + 1 : 0;
    render(
      html`${current
          ? html`<section class="ll-region-info" aria-label="Selected region">
              <div class="ll-region-info-head">
                <span class="ll-region-index" style=${`--chip:${regionColor(current, options.byName)}`}>${currentIndex}</span>
                <strong>${regionLabels(current).join(", ") || "No label"}</strong>
                <code class="muted" title="Region id">${current.id}</code>
                <button type="button" class="btn-icon" aria-label="Unselect region" title="Unselect (U)" @click=${() => store.select(null)}>${icon("x", 14)}</button>
              </div>
              <div class="ll-region-info-text">${regionSummary(current)}</div>
              <div class="ll-region-info-actions">
                <button type="button" class="btn btn-sm" @click=${() => store.setHidden(current.id, !current.hidden)}>${icon(current.hidden ? "eye-off" : "eye", 14)} ${current.hidden ? "Show" : "Hide"}</button>
                <button type="button" class="btn btn-sm" @click=${() => store.setLocked(current.id, !current.locked)}>${icon(current.locked ? "lock" : "unlock", 14)} ${current.locked ? "Unlock" : "Lock"}</button>
                <button type="button" class="btn btn-sm" ?disabled=${readOnly || current.locked} @click=${() => store.deleteRegion(current.id)}>${icon("trash", 14)} Delete</button>
              </div>
              <p class="muted ll-region-info-hint">Label keys now relabel this region · Alt+R relates it to another</p>
            </section>`
          : nothing}
        <section class="ll-outliner" aria-label="Regions">
          <header class="ll-side-head">
            <h2>Regions <span class="badge">${regions.length}</span></h2>
            ${regions.length
              ? html`<button type="button" class="btn-icon" title="Hide or show all regions (Ctrl+H)" aria-label="Hide or show all regions"
                  @click=${() => {
                    const anyVisible = regions.some((r) => !r.hidden);
                    regions.forEach((r) => store.setHidden(r.id, anyVisible));
                  }}>${icon(regions.some((r) => !r.hidden) ? "eye" : "eye-off")}</button>`
              : nothing}
          </header>
          ${regions.length
            ? html`<div class="ll-outliner-scroll" role="listbox" aria-label="Regions by label" tabindex="-1"
                @scroll=${(/** @type {Event} */ e) => {
                  scrollTop = /** @type {HTMLElement} */ (e.currentTarget).scrollTop;
                  cancelAnimationFrame(frame);
                  frame = requestAnimationFrame(draw);
                }}>
                <div style=${`height:${before}px`}></div>
                ${rows.slice(start, end).map((row) =>
                  row.kind === "group"
                    ? html`<div class="ll-outliner-group" role="presentation">${row.label} <span class="muted">${row.count}</span></div>`
                    : html`<div class="ll-outliner-row ${row.region.id === selected ? "is-selected" : ""} ${row.region.hidden ? "is-hidden" : ""}"
                        role="option" aria-selected=${row.region.id === selected ? "true" : "false"} tabindex="0"
                        data-region=${row.region.id}
                        @click=${() => store.select(row.region.id === selected ? null : row.region.id)}
                        @keydown=${(/** @type {KeyboardEvent} */ e) => {
                          if ((e.key === "Enter" || e.key === " ") && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
                            e.preventDefault();
                            store.select(row.region.id === selected ? null : row.region.id);
                          }
                        }}>
                        <span class="ll-region-index" style=${`--chip:${regionColor(row.region, options.byName)}`}>${row.index}</span>
                        <span class="ll-region-label">${regionLabels(row.region).join(", ") || row.label}</span>
                        <span class="ll-region-text" title=${regionSummary(row.region)}>${regionSummary(row.region)}</span>
                        <span class="ll-row-actions">
                          <button type="button" class="btn-icon" aria-label=${`${row.region.hidden ? "Show" : "Hide"} region ${row.index}`} title="Hide / show (Alt+H)"
                            @click=${(/** @type {Event} */ e) => (e.stopPropagation(), store.setHidden(row.region.id, !row.region.hidden))}>${icon(row.region.hidden ? "eye-off" : "eye", 14)}</button>
                          <button type="button" class="btn-icon" aria-label=${`${row.region.locked ? "Unlock" : "Lock"} region ${row.index}`} title="Lock / unlock (Alt+L)"
                            @click=${(/** @type {Event} */ e) => (e.stopPropagation(), store.setLocked(row.region.id, !row.region.locked))}>${icon(row.region.locked ? "lock" : "unlock", 14)}</button>
                          <button type="button" class="btn-icon" aria-label=${`Delete region ${row.index}`} title="Delete (Backspace)"
                            ?disabled=${readOnly || row.region.locked}
                            @click=${(/** @type {Event} */ e) => (e.stopPropagation(), store.deleteRegion(row.region.id))}>${icon("trash", 14)}</button>
                        </span>
                      </div>`,
                )}
                <div style=${`height:${after}px`}></div>
              </div>`
            : html`<p class="ll-side-empty">No regions yet. Pick a label, then mark the data.</p>`}
        </section>
        <section class="ll-relations" aria-label="Relations">
          <header class="ll-side-head"><h2>Relations <span class="badge">${relations.length}</span></h2></header>
          ${relations.length
            ? html`<ul class="ll-relation-list">
                ${relations.map(
                  (rel) => html`<li>
                    <button type="button" class="ll-linklike" @click=${() => store.select(rel.from_id || null)}>#${numbers.get(rel.from_id) ?? "?"}</button>
                    <span aria-label=${rel.direction === "bi" ? "both ways" : rel.direction === "left" ? "from right to left" : "to"}>${rel.direction === "bi" ? "↔" : rel.direction === "left" ? "←" : "→"}</span>
                    <button type="button" class="ll-linklike" @click=${() => store.select(rel.to_id || null)}>#${numbers.get(rel.to_id) ?? "?"}</button>
                    <span class="ll-relation-labels">${(rel.labels || []).join(", ")}</span>
                    <button type="button" class="btn-icon" aria-label="Change direction" title="Change direction" ?disabled=${readOnly}
                      @click=${() => store.addRelation(/** @type {string} */ (rel.from_id), /** @type {string} */ (rel.to_id), { direction: rel.direction === "right" ? "left" : rel.direction === "left" ? "bi" : "right" })}>${icon("refresh", 14)}</button>
                    <button type="button" class="btn-icon" aria-label="Delete relation" title="Delete relation" ?disabled=${readOnly}
                      @click=${() => store.removeRelation(/** @type {string} */ (rel.from_id), /** @type {string} */ (rel.to_id))}>${icon("trash", 14)}</button>
                  </li>`,
                )}
              </ul>`
            : html`<p class="ll-side-empty">Select a region and press Alt+R, then select another to relate them.</p>`}
        </section>`,
      el,
    );
    const next = /** @type {HTMLElement|null} */ (el.querySelector(".ll-outliner-scroll"));
    if (next !== scroller) {
      if (scroller) resize.unobserve(scroller);
      if (next) resize.observe(next);
      scroller = next;
    }
    if (scroller && Math.abs(scroller.scrollTop - scrollTop) > 1) scroller.scrollTop = scrollTop;
  }

  function refresh() {
    const v = /** @type {any} */ (store).version;
    if (v !== version) {
      version = v;
      rebuild();
    }
    draw();
  }

  // The list's own box and the panel's: either can change the visible height.
  const resize = new ResizeObserver(() => {
    if (measure() !== viewport) draw();
  });
  resize.observe(el);
  refresh();
  let revealPending = false;
  // One draw per frame however many edits arrive (a drag, an undo burst): the store stays fast.
  const off = store.subscribe((change) => {
    if (change.kind === "arm") return;
    if (change.kind === "select") revealPending = true;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      refresh();
      if (revealPending) {
        revealPending = false;
        reveal();
        draw();
      }
    });
  });
  return {
    refresh,
    destroy() {
      off();
      resize.disconnect();
      cancelAnimationFrame(frame);
      render(nothing, el);
    },
  };
}
