// @ts-check
/**
 * Projects list (/projects): cards or a dense list, server-side title search and ordering,
 * pages of 30 (state in the URL: ?q=&sort=&view=&page=). A skeleton shows at once (P2);
 * counters come with the page, so nothing is counted per card.
 */
import { html, render, svg } from "lit";
import { api, errorText } from "../api.js";
import { navigate, setQuery } from "../router.js";
import { deleteProject, duplicateProject } from "../projects/actions.js";
import { noColor, shortDate } from "../projects/common.js";
import { setBreadcrumb, setTopActions } from "../state.js";
import { canNow } from "../teams.js";
import { formatNumber, icon, isTyping, toast, useStyles } from "../ui.js";

const PAGE_SIZE = 30;
/** Predictions' mark (a sparkle, as in Label Studio); the star stays the pin. */
const sparkle = html`<svg class="icon" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">${svg`<path d="M12 3l2.2 6.8L21 12l-6.8 2.2L12 21l-2.2-6.8L3 12l6.8-2.2z"></path>`}</svg>`;
const SORTS = /** @type {const} */ ([
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["title", "Title A–Z"],
  ["-title", "Title Z–A"],
  ["-updated_at", "Recently updated"],
]);

/** @typedef {{id: number, title: string, description: string, color: string, created_at: string, updated_at: string, pinned_at: string|null,
 *   task_number: number, finished_task_number: number, total_annotations_number: number, skipped_annotations_number: number,
 *   total_predictions_number: number, created_by: {first_name: string, last_name: string, email: string}|null}} Project */

/** @type {import("../router.js").PageRender} */
export default function projectsPage(el, route) {
  useStyles("/static/core/app/projects/projects.css");
  setBreadcrumb([{ label: "Projects" }]);
  setTopActions(canNow("projects.create") ? html`<a class="btn btn-primary" href="/projects/new">${icon("plus")} Create project</a>` : null);

  let query = route.query.get("q") || "";
  let sort = SORTS.some(([key]) => key === route.query.get("sort")) ? /** @type {string} */ (route.query.get("sort")) : "-created_at";
  let view = route.query.get("view") === "list" ? "list" : "cards";
  let page = Math.max(1, Number(route.query.get("page")) || 1);
  /** @type {Project[]|null} */
  let projects = null;
  /** Pinned projects: shown above the list on its first page (not repeated in it). @type {Project[]} */
  let pinned = [];
  let total = 0;
  let error = "";
  /** @type {AbortController|null} */
  let inflight = null;
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let debounce;

  async function load() {
    inflight?.abort();
    const controller = (inflight = new AbortController());
    error = "";
    const searching = Boolean(query.trim());
    try {
      const signal = controller.signal;
      // While searching, pinned projects are matched like the others; otherwise they sit on top.
      const [out, pins] = await Promise.all([
        api.get("/api/projects/", { page, page_size: PAGE_SIZE, ordering: sort, title: query.trim(), filter: searching ? null : "exclude_pinned" }, { signal }),
        searching ? null : api.get("/api/projects/", { page_size: 100, ordering: "-pinned_at", filter: "pinned_only" }, { signal }),
      ]);
      projects = out.results;
      total = out.count;
      pinned = pins ? pins.results : [];
    } catch (e) {
      if (controller.signal.aborted) return;
      // Past the last page (e.g. after deleting its only project): go back one.
      if (/** @type {any} */ (e)?.status === 404 && page > 1) {
        page -= 1;
        setQuery({ page: page > 1 ? page : null });
        return load();
      }
      error = errorText(e);
      projects = [];
    }
    draw();
  }

  /** @param {Event} event */
  function onSearch(event) {
    query = /** @type {HTMLInputElement} */ (event.target).value;
    page = 1;
    setQuery({ q: query || null, page: null });
    clearTimeout(debounce);
    debounce = setTimeout(load, 200);
  }

  /** @param {number} to */
  function goTo(to) {
    page = to;
    setQuery({ page: page > 1 ? page : null });
    projects = null;
    draw();
    load();
    el.scrollTo?.({ top: 0 });
  }

  /** @param {Project} project @param {string} action */
  async function act(project, action) {
    if (action === "pin") {
      try {
        await api.patch(`/api/projects/${project.id}`, { pinned_at: project.pinned_at ? null : new Date().toISOString() });
        toast(project.pinned_at ? `Unpinned “${project.title}”` : `Pinned “${project.title}” to the top`, { kind: "success" });
      } catch (e) {
        toast(errorText(e), { kind: "error" });
      }
      load();
    } else if (action === "duplicate") {
      const copy = await duplicateProject(project);
      if (copy) load();
    } else if (action === "delete") {
      if (await deleteProject(project)) load();
    }
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    if (event.key === "/" && !isTyping(event) && !document.querySelector("dialog[open]")) {
      event.preventDefault();
      /** @type {HTMLInputElement|null} */ (el.querySelector("#project-search"))?.focus();
    }
  }
  document.addEventListener("keydown", onKey);

  /** @param {Project} p */
  function menu(p) {
    return html`<details class="menu project-menu" @click=${(/** @type {Event} */ e) => e.stopPropagation()}>
      <summary class="btn-icon" aria-label="Actions for ${p.title}" title="Actions">${icon("more", 18)}</summary>
      <div class="menu-list" role="menu" @click=${(/** @type {Event} */ e) => /** @type {HTMLElement} */ (e.currentTarget).parentElement?.removeAttribute("open")}>
        <a role="menuitem" href="/projects/${p.id}/settings">${icon("settings")} Settings</a>
        <a role="menuitem" href="/projects/${p.id}/label">${icon("play")} Label</a>
        <button role="menuitem" @click=${() => act(p, "pin")}>${icon("star")} ${p.pinned_at ? "Unpin" : "Pin to top"}</button>
        <button role="menuitem" @click=${() => act(p, "duplicate")}>${icon("copy")} Duplicate</button>
        <button role="menuitem" class="danger" @click=${() => act(p, "delete")}>${icon("trash")} Delete</button>
      </div>
    </details>`;
  }

  /** @param {Project} p */
  function counters(p) {
    return html`<ul class="counters" aria-label="Counters">
      <li title="Submitted annotations">${icon("check", 14)}<span class="sr-only">Annotations:</span> ${formatNumber(p.total_annotations_number)}</li>
      <li title="Skipped">${icon("redo", 14)}<span class="sr-only">Skipped:</span> ${formatNumber(p.skipped_annotations_number)}</li>
      <li title="Predictions">${sparkle}<span class="sr-only">Predictions:</span> ${formatNumber(p.total_predictions_number)}</li>
    </ul>`;
  }

  /** @param {Project} p */
  function progress(p) {
    const pct = p.task_number ? Math.round((100 * p.finished_task_number) / p.task_number) : 0;
    return html`<div class="project-progress">
      <span class="progress-label"><strong>${formatNumber(p.finished_task_number)}</strong> / ${formatNumber(p.task_number)} tasks done</span>
      <div class="progress" role="progressbar" aria-label="Tasks completed in ${p.title}" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct}><span style="width:${pct}%"></span></div>
    </div>`;
  }

  /** @param {Project} p */
  const creator = (p) => (p.created_by ? [p.created_by.first_name, p.created_by.last_name].filter(Boolean).join(" ") || p.created_by.email : "");

  /** @param {Project} p */
  function card(p) {
    return html`<article class="project-card ${noColor(p.color) ? "" : "has-color"}" style=${noColor(p.color) ? "" : `--project-color:${p.color}`}>
      <header class="project-card-head">
        <h2><a class="project-link" href="/projects/${p.id}/data">${p.title || `Project #${p.id}`}</a>${p.pinned_at ? html` <span class="pin-mark" title="Pinned">${icon("star", 14)}<span class="sr-only">(pinned)</span></span>` : null}</h2>
        ${menu(p)}
      </header>
      ${progress(p)}
      ${counters(p)}
      <p class="project-description">${p.description || html`<span class="muted">No description</span>`}</p>
      <footer class="project-meta"><span title=${new Date(p.created_at).toLocaleString()}>${shortDate(p.created_at)}</span>${creator(p) ? html`<span>· ${creator(p)}</span>` : null}</footer>
    </article>`;
  }

  /** @param {Project} p */
  function row(p) {
    const pct = p.task_number ? Math.round((100 * p.finished_task_number) / p.task_number) : 0;
    return html`<tr>
      <td><span class="color-dot" style=${noColor(p.color) ? "" : `background:${p.color}`} aria-hidden="true"></span><a class="project-link" href="/projects/${p.id}/data">${p.title || `Project #${p.id}`}</a>${p.pinned_at ? html` <span class="pin-mark" title="Pinned">${icon("star", 13)}<span class="sr-only">(pinned)</span></span>` : null}
        ${p.description ? html`<div class="row-description">${p.description}</div>` : null}</td>
      <td class="num">${formatNumber(p.task_number)}</td>
      <td class="num">${formatNumber(p.finished_task_number)}</td>
      <td><div class="progress" role="progressbar" aria-label="Tasks completed in ${p.title}" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct}><span style="width:${pct}%"></span></div></td>
      <td class="num">${formatNumber(p.total_annotations_number)}</td>
      <td class="num">${formatNumber(p.skipped_annotations_number)}</td>
      <td class="num">${formatNumber(p.total_predictions_number)}</td>
      <td>${shortDate(p.created_at)}</td>
      <td class="cell-actions">${menu(p)}</td>
    </tr>`;
  }

  function skeleton() {
    return view === "list"
      ? html`<div class="project-rows-skeleton" aria-hidden="true">${Array.from({ length: 8 }, () => html`<div class="skeleton" style="height:36px"></div>`)}</div>`
      : html`<div class="project-grid" aria-hidden="true">${Array.from({ length: 6 }, () => html`<div class="project-card"><div class="skeleton" style="height:20px;width:60%"></div><div class="skeleton" style="height:30px"></div><div class="skeleton" style="height:36px"></div></div>`)}</div>`;
  }

  function body() {
    if (projects === null) return skeleton();
    if (error) return html`<div class="error-box" role="alert">${error} <button class="btn btn-sm" @click=${load}>Retry</button></div>`;
    const pins = page === 1 ? pinned : [];
    if (!projects.length && !pins.length && !query.trim()) {
      return html`<section class="empty-state projects-empty">
        <div class="empty-icon" aria-hidden="true">${icon("grid", 40)}</div>
        <h2>No projects yet</h2>
        <p>A project holds your data, the labeling interface and the annotations.</p>
        <a class="btn btn-primary" href="/projects/new">${icon("plus")} Create your first project</a>
      </section>`;
    }
    if (!projects.length && query.trim()) {
      return html`<section class="empty-state"><h2>No project matches “${query.trim()}”</h2>
        <button class="btn" @click=${() => { query = ""; setQuery({ q: null }); load(); draw(); }}>Clear search</button></section>`;
    }
    /** @param {Project[]} items @param {string} label */
    const block = (items, label) =>
      view === "list"
        ? html`<div class="panel table-wrap"><table class="table project-table" aria-label=${label}>
            <thead><tr><th scope="col">Project</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Done</th><th scope="col">Progress</th>
              <th scope="col" class="num">Annotations</th><th scope="col" class="num">Skipped</th><th scope="col" class="num">Predictions</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>${items.map(row)}</tbody></table></div>`
        : html`<div class="project-grid" role="list" aria-label=${label}>${items.map((p) => html`<div role="listitem">${card(p)}</div>`)}</div>`;
    return html`${pins.length
        ? html`<section class="pinned-block" aria-labelledby="pinned-h"><h2 class="block-title" id="pinned-h">${icon("star", 14)} Pinned</h2>${block(pins, "Pinned projects")}</section>
            ${projects.length ? html`<h2 class="block-title">All projects</h2>` : null}`
        : null}
      ${projects.length ? block(projects, "Projects") : null}`;
  }

  function pager() {
    if (!projects || total <= PAGE_SIZE) return null;
    const pages = Math.ceil(total / PAGE_SIZE);
    const first = (page - 1) * PAGE_SIZE + 1;
    return html`<nav class="pager" aria-label="Pages">
      <span class="muted">${formatNumber(first)}–${formatNumber(Math.min(total, page * PAGE_SIZE))} of ${formatNumber(total)}</span>
      <button class="btn btn-sm" ?disabled=${page <= 1} @click=${() => goTo(page - 1)}>Previous</button>
      <span>Page ${page} of ${pages}</span>
      <button class="btn btn-sm" ?disabled=${page >= pages} @click=${() => goTo(page + 1)}>Next</button>
    </nav>`;
  }

  function draw() {
    render(
      html`<div class="page projects-page">
        <header class="page-header">
          <h1>Projects ${projects && total + pinned.length ? html`<span class="badge">${formatNumber(query.trim() ? total : total + pinned.length)}</span>` : null}</h1>
        </header>
        <div class="projects-toolbar" role="search" ?hidden=${projects !== null && !projects.length && !pinned.length && !query.trim() && !error}>
          <div class="search-box">${icon("search")}
            <input id="project-search" type="search" placeholder="Search projects by title" aria-label="Search projects by title" aria-keyshortcuts="/" .value=${query} @input=${onSearch}>
            <kbd aria-hidden="true">/</kbd>
          </div>
          <label class="sr-only" for="project-sort">Sort projects</label>
          <select id="project-sort" .value=${sort} @change=${(/** @type {Event} */ e) => { sort = /** @type {HTMLSelectElement} */ (e.target).value; page = 1; setQuery({ sort: sort === "-created_at" ? null : sort, page: null }); load(); }}>
            ${SORTS.map(([key, label]) => html`<option value=${key} ?selected=${key === sort}>${label}</option>`)}
          </select>
          <div class="btn-group" role="group" aria-label="Layout">
            <button class="btn" aria-pressed=${view === "cards" ? "true" : "false"} @click=${() => { view = "cards"; setQuery({ view: null }); draw(); }}>${icon("grid")} Cards</button>
            <button class="btn" aria-pressed=${view === "list" ? "true" : "false"} @click=${() => { view = "list"; setQuery({ view: "list" }); draw(); }}>${icon("list")} List</button>
          </div>
        </div>
        ${body()}
        ${pager()}
      </div>`,
      el,
    );
  }

  // Clicking anywhere on a card opens the project (the title link is the keyboard path).
  /** @param {MouseEvent} event */
  function onCardClick(event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const cardEl = target.closest(".project-card");
    if (!cardEl || target.closest("a, button, summary, details, input")) return;
    const link = /** @type {HTMLAnchorElement|null} */ (cardEl.querySelector(".project-link"));
    if (link && !window.getSelection()?.toString()) navigate(new URL(link.href).pathname);
  }
  el.addEventListener("click", onCardClick);

  draw();
  load();
  return () => {
    inflight?.abort();
    clearTimeout(debounce);
    document.removeEventListener("keydown", onKey);
    el.removeEventListener("click", onCardClick);
  };
}
