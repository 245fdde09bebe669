// @ts-check
/**
 * The template gallery: categories on the left, search, cards with schematic thumbnails.
 * Stateless: the host owns the state and passes callbacks. Arrow keys move between cards in
 * the grid (up/down by visual row), Enter opens one; `/` focuses the search.
 */
import { html } from "lit";
import { icon } from "../ui.js";
import { fitsData, orderedGroups, searchTemplates } from "./gallery-model.js";
import { thumbnail } from "./thumbnail.js";

/** @typedef {import("./gallery-model.js").Template} Template */

/**
 * @param {{
 *   templates: Template[]|null, groups: string[], error: string, category: string, query: string, dataColumns: string[], dataTypes?: string[],
 *   tags: import("../catalogue.js").TagCatalogue,
 *   onCategory: (c: string) => void, onQuery: (q: string) => void, onChoose: (t: Template) => void,
 *   onCustom: () => void, onRetry: () => void, onBack?: (() => void)|null,
 * }} props
 */
export function renderGallery(props) {
  const { templates, error, category, query } = props;
  const groups = orderedGroups(props.groups);
  const found = templates ? searchTemplates(templates, query) : [];
  const fits = new Set(found.filter((t) => fitsData(t, props.dataColumns, props.dataTypes || [])));
  const shown = query ? found : category === "all" ? found : category === "fits" ? [...fits] : found.filter((t) => t.group === category);
  const sections = query || category !== "all"
    ? [{ group: query ? `${shown.length} ${shown.length === 1 ? "template" : "templates"} matching “${query}”` : category === "fits" ? "Fits your data" : category, items: shown }]
    : groups.map((group) => ({ group, items: shown.filter((t) => t.group === group) })).filter((s) => s.items.length);
  return html`
    <div class="ls-gallery">
      <nav class="ls-cats" aria-label="Template categories" @keydown=${arrowList}>
        <button type="button" class="ls-cat" aria-current=${!query && category === "all" ? "true" : "false"} @click=${() => props.onCategory("all")}>
          All templates <span class="muted">${templates?.length ?? ""}</span>
        </button>
        ${fits.size && !query
          ? html`<button type="button" class="ls-cat" aria-current=${category === "fits" ? "true" : "false"} @click=${() => props.onCategory("fits")}>
              Fits your data <span class="muted">${fits.size}</span></button>`
          : null}
        ${groups.map((group) => html`
          <button type="button" class="ls-cat" aria-current=${!query && category === group ? "true" : "false"} @click=${() => props.onCategory(group)}>
            ${group} <span class="muted">${templates?.filter((t) => t.group === group).length ?? ""}</span>
          </button>`)}
        <hr>
        <button type="button" class="ls-cat ls-custom" @click=${props.onCustom}>${icon("plus")} Custom template</button>
        ${props.onBack ? html`<button type="button" class="ls-cat" @click=${props.onBack}>${icon("chevron")} Back to the editor</button>` : null}
      </nav>
      <div class="ls-gallery-main">
        <div class="ls-search">
          ${icon("search")}
          <input type="search" placeholder="Search templates (press /)" aria-label="Search templates" .value=${query}
            @input=${(/** @type {InputEvent} */ e) => props.onQuery(/** @type {HTMLInputElement} */ (e.target).value)}
            @keydown=${(/** @type {KeyboardEvent} */ e) => searchKeys(e, shown, props.onChoose)}>
        </div>
        ${error
          ? html`<div class="form-error" role="alert">Could not load the templates: ${error} <button class="btn btn-sm" @click=${props.onRetry}>Retry</button></div>`
          : !templates
            ? html`<div class="ls-cards">${[1, 2, 3, 4, 5, 6].map(() => html`<div class="ls-card-skel skeleton"></div>`)}</div>`
            : !shown.length
              ? html`<div class="empty-state">No template matches “${query}”. <button class="btn btn-sm" @click=${props.onCustom}>Start from an empty config</button></div>`
              : sections.map((section) => html`
                  <section class="ls-section" aria-label=${section.group}>
                    <h3>${section.group}</h3>
                    <div class="ls-cards" role="list" @keydown=${arrowGrid}>
                      ${section.items.map((t) => html`
                        <div role="listitem">
                          <button type="button" class="ls-card" data-template=${t.name} @click=${() => props.onChoose(t)}
                            aria-label="${t.title}: ${t.description}">
                            ${thumbnail(t.config, props.tags)}
                            <span class="ls-card-title">${t.title}</span>
                            ${fits.has(t) ? html`<span class="badge badge-success ls-fits">${icon("check", 12)} Fits your data</span>` : null}
                            <span class="ls-card-desc">${t.description}</span>
                          </button>
                        </div>`)}
                    </div>
                  </section>`)}
      </div>
    </div>`;
}

/** Enter opens the first match; ArrowDown moves into the cards. @param {KeyboardEvent} event @param {Template[]} shown @param {(t: Template) => void} choose */
function searchKeys(event, shown, choose) {
  if (event.key === "Enter" && shown.length) {
    event.preventDefault();
    choose(shown[0]);
  } else if (event.key === "ArrowDown") {
    event.preventDefault();
    const root = /** @type {HTMLElement} */ (event.target).closest(".ls-gallery-main");
    /** @type {HTMLElement|null|undefined} */ (root?.querySelector(".ls-card"))?.focus();
  }
}

/** Up/Down between the category buttons. @param {KeyboardEvent} event */
function arrowList(event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const items = /** @type {HTMLElement[]} */ ([...(/** @type {HTMLElement} */ (event.currentTarget)).querySelectorAll("button")]);
  const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const next = items[Math.max(0, Math.min(items.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))];
  event.preventDefault();
  next?.focus();
}

/**
 * Arrow keys across every card of the gallery: left/right in reading order, up/down to the
 * card in the row above/below closest in x. Home/End jump to the ends.
 * @param {KeyboardEvent} event
 */
function arrowGrid(event) {
  if (!["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
  const root = /** @type {HTMLElement} */ (event.currentTarget).closest(".ls-gallery-main");
  const cards = /** @type {HTMLElement[]} */ ([...(root?.querySelectorAll(".ls-card") || [])]);
  const current = /** @type {HTMLElement} */ (document.activeElement);
  const at = cards.indexOf(current);
  if (at < 0) return;
  event.preventDefault();
  /** @type {HTMLElement|undefined} */
  let next;
  if (event.key === "ArrowLeft") next = cards[at - 1];
  else if (event.key === "ArrowRight") next = cards[at + 1];
  else if (event.key === "Home") next = cards[0];
  else if (event.key === "End") next = cards[cards.length - 1];
  else {
    const here = current.getBoundingClientRect();
    const down = event.key === "ArrowDown";
    const rows = cards
      .map((card) => ({ card, box: card.getBoundingClientRect() }))
      .filter(({ box }) => (down ? box.top > here.top + 4 : box.top < here.top - 4));
    if (rows.length) {
      const rowTop = down ? Math.min(...rows.map((r) => r.box.top)) : Math.max(...rows.map((r) => r.box.top));
      const row = rows.filter((r) => Math.abs(r.box.top - rowTop) < 4);
      row.sort((a, b) => Math.abs(a.box.left - here.left) - Math.abs(b.box.left - here.left));
      next = row[0]?.card;
    }
  }
  next?.focus();
  next?.scrollIntoView({ block: "nearest" });
}
