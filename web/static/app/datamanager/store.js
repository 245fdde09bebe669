// @ts-check
/**
 * The data manager's state and its conversation with the server: columns, views (tabs) with
 * auto-save, the current query, a bounded cache of task pages around the viewport, totals and
 * the selection. Pages are fetched on demand and far-away ones dropped: the browser never holds
 * a big project's rows (P2).
 */
import { api, errorText } from "../api.js";
import { plugins } from "../state.js";
import * as m from "./model.js";

export const PAGE_SIZE = 100;
const KEEP_PAGES = 10;
const SAVE_DELAY = 600;
const FETCH_DELAY = 60;

/** @typedef {{id: number, project: number, order: number, data: m.ViewData}} View */
/** @typedef {"idle"|"saving"|"saved"|"error"} SaveState */

export class DMStore {
  /** @param {number} projectId @param {() => void} onChange */
  constructor(projectId, onChange) {
    this.projectId = projectId;
    this.onChange = onChange;
    /** @type {any} */
    this.project = null;
    /** @type {m.Column[]} */
    this.columns = [];
    /** @type {import("../catalogue.js").TagCatalogue} what each data type is (data columns' `type` is their object tag) */
    this.tags = {};
    /** @type {View[]} */
    this.views = [];
    /** @type {number|null} */
    this.viewId = null;
    /** @type {Map<number, any[]>} page number -> task rows */
    this.pages = new Map();
    /** @type {Map<number, AbortController>} */
    this.inflight = new Map();
    /** @type {Map<number, {next: string|null, previous: string|null}>} page number -> keyset cursors around it */
    this.cursors = new Map();
    this.total = 0;
    this.totals = { total: 0, total_annotations: 0, total_predictions: 0, total_exact: true };
    this.counted = -1; // the generation (query) whose totals were counted exactly
    this.loaded = false; // the first page of the current query has arrived
    this.generation = 0;
    /** @type {m.Selection} */
    this.selection = m.noSelection();
    /** @type {SaveState} */
    this.saveState = "idle";
    this.saveError = "";
    /** @type {string|null} */
    this.loadError = null;
    /** @type {any[]} */
    this.users = [];
    /** @type {any[]} */
    this.actions = [];
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.saveTimer = undefined;
    /** @type {number[]} */
    this.wanted = [];
    this.lastQuery = "";
    this.editCount = 0;
    this.ready = false; // load() finished: the page may render
    /** @type {Promise<void>|null} */
    this.saveChain = null;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.requestTimer = undefined;
  }

  get view() {
    return this.views.find((v) => v.id === this.viewId) || null;
  }

  /** @returns {m.ViewData} */
  get data() {
    return this.view?.data || {};
  }

  /** The query the server gets: complete filters and the ordering of the current tab. */
  get query() {
    return { filters: m.activeFilters(this.data.filters), ordering: this.data.ordering || [] };
  }

  /**
   * Everything the page needs. The first page of tasks is requested as soon as the tab is
   * known, in parallel with the columns and the rest (time to first rows, P2).
   */
  async load() {
    const others = Promise.all([
      api.get(`/api/projects/${this.projectId}`),
      api.get("/api/dm/columns/", { project: this.projectId }),
      api.get("/api/dm/actions/", { project: this.projectId }).catch(() => []),
      api.get("/api/users/").catch(() => []),
      plugins().then((catalogue) => catalogue?.tags || {}, () => ({})),
    ]);
    others.catch(() => {}); // awaited below; a failure there must not be "unhandled" meanwhile
    this.views = await api.get("/api/dm/views/", { project: this.projectId });
    if (!this.views.length) {
      // Label Studio opens with one "Default" tab; create it so filters have somewhere to live.
      this.views = [await api.post("/api/dm/views/", { project: this.projectId, data: { title: "Default" } })];
    }
    const remembered = Number(sessionStorage.getItem(`labelloom.dm.view.${this.projectId}`));
    this.viewId = this.views.some((v) => v.id === remembered) ? remembered : this.views[0].id;
    this.lastQuery = JSON.stringify(this.query);
    this.want([1]);
    const [project, columns, actions, users, tags] = await others;
    this.tags = tags;
    this.project = project;
    this.columns = columns.columns;
    this.actions = actions;
    this.users = users;
    this.total = project.task_number ?? 0;
    this.ready = true;
  }

  async refreshProject() {
    this.project = await api.get(`/api/projects/${this.projectId}`);
    this.total = this.project.task_number ?? 0;
    this.onChange();
  }

  async refreshColumns() {
    this.columns = (await api.get("/api/dm/columns/", { project: this.projectId })).columns;
    this.onChange();
  }

  // ---- views --------------------------------------------------------------------------------

  /** @param {number} id */
  selectView(id) {
    this.viewId = id;
    sessionStorage.setItem(`labelloom.dm.view.${this.projectId}`, String(id));
    this.selection = m.noSelection();
    this.reset();
  }

  /**
   * Change the current tab's data and save it shortly after (auto-save, P12); a change of
   * filters or ordering reloads the rows.
   * @param {Partial<m.ViewData>} changes
   */
  updateView(changes) {
    this.editView(changes);
    this.requery();
  }

  /** Change the tab's data and save it, without reloading rows yet (typing in a filter). @param {Partial<m.ViewData>} changes */
  editView(changes) {
    const view = this.view;
    if (!view) return;
    view.data = { ...view.data, ...changes };
    this.editCount++;
    this.saveState = "saving";
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(view), SAVE_DELAY);
    this.onChange();
  }

  /** Reload rows if the query the server would get has changed. */
  requery() {
    if (JSON.stringify(this.query) !== this.lastQuery) this.reset();
  }

  /**
   * Save a tab's data. Saves run one after another (a slow one never lands after a newer one),
   * each sending the data as it is when it starts; "Saved" shows only when nothing is pending.
   * @param {View} view
   */
  save(view) {
    this.saveChain = (this.saveChain || Promise.resolve()).then(async () => {
      const pendingBefore = this.editCount;
      try {
        await api.patch(`/api/dm/views/${view.id}`, { project: this.projectId, data: view.data });
        if (this.editCount === pendingBefore && this.saveState === "saving") this.saveState = "saved";
        this.saveError = "";
      } catch (error) {
        this.saveState = "error";
        this.saveError = errorText(error);
      }
      this.onChange();
    });
    return this.saveChain;
  }

  /** Save now (before leaving the page). */
  flush() {
    if (this.saveTimer && this.saveState === "saving" && this.view) {
      clearTimeout(this.saveTimer);
      this.save(this.view);
    }
  }

  /** @param {string} [title] @param {m.ViewData} [data] */
  async createView(title, data) {
    const name = title || `Tab ${this.views.length + 1}`;
    const view = await api.post("/api/dm/views/", { project: this.projectId, data: { ...(data || {}), title: name } });
    this.views = [...this.views, view];
    this.selectView(view.id);
    return view;
  }

  /** @param {View} view @param {string} title */
  async renameView(view, title) {
    view.data = { ...view.data, title };
    this.onChange();
    await api.patch(`/api/dm/views/${view.id}`, { project: this.projectId, data: { title } });
  }

  /** @param {View} view */
  async duplicateView(view) {
    const copy = structuredClone(view.data || {});
    return this.createView(`${view.data?.title || "Tab"} (copy)`, copy);
  }

  /** @param {View} view */
  async deleteView(view) {
    await api.delete(`/api/dm/views/${view.id}`);
    this.views = this.views.filter((v) => v.id !== view.id);
    if (!this.views.length) this.views = [await api.post("/api/dm/views/", { project: this.projectId, data: { title: "Default" } })];
    if (this.viewId === view.id) this.selectView(this.views[0].id);
    else this.onChange();
  }

  /** @param {number[]} ids */
  async orderViews(ids) {
    this.views = ids.map((id) => /** @type {View} */ (this.views.find((v) => v.id === id))).filter(Boolean);
    this.onChange();
    await api.post("/api/dm/views/order", { project: this.projectId, ids });
  }

  // ---- rows ---------------------------------------------------------------------------------

  /** Forget every page (the query changed, or after an action) and fetch what is in view. */
  reset() {
    this.lastQuery = JSON.stringify(this.query);
    this.generation++;
    for (const controller of this.inflight.values()) controller.abort();
    this.inflight.clear();
    this.pages.clear();
    this.cursors.clear();
    this.loaded = false;
    this.loadError = null;
    this.onChange();
    this.want(this.wanted.length ? this.wanted : [1]);
  }

  /** How many rows the table or grid lays out: the filtered total, or a first page's worth until it is known. */
  get rowCount() {
    return this.loaded ? this.totals.total : Math.min(this.total, PAGE_SIZE);
  }

  /** The ids of every loaded row ("select loaded rows"). */
  loadedIds() {
    /** @type {number[]} */
    const ids = [];
    for (const rows of this.pages.values()) for (const row of rows) ids.push(row.id);
    return ids;
  }

  /**
   * What a viewport (the list's rows or the grid's cards) shows: ask for its pages once it
   * settles. Fast wheel scrolling crosses many pages; only those the viewport stops on are fetched.
   * @param {number[]} pages
   */
  request(pages) {
    const wanted = pages.filter((p) => (p - 1) * PAGE_SIZE < Math.max(this.rowCount, 1));
    if (wanted.join() === this.wanted.join() && wanted.every((p) => this.pages.has(p) || this.inflight.has(p))) return;
    clearTimeout(this.requestTimer);
    this.requestTimer = setTimeout(() => this.want(wanted), this.pages.size ? FETCH_DELAY : 0);
  }

  /** Stop a pending request (the viewport went away). */
  cancelRequest() {
    clearTimeout(this.requestTimer);
  }

  /** The row at an index, if its page is loaded. @param {number} index */
  row(index) {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE) + 1);
    return page ? page[index % PAGE_SIZE] : undefined;
  }

  /** The index of a loaded task. @param {number} id */
  indexOf(id) {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i !== -1) return (page - 1) * PAGE_SIZE + i;
    }
    return -1;
  }

  /**
   * The pages the viewport needs: fetch the missing ones, abort those no longer needed,
   * drop far-away pages beyond the cache size.
   * @param {number[]} pages
   */
  want(pages) {
    this.wanted = pages;
    for (const [page, controller] of this.inflight) {
      if (!pages.includes(page)) {
        controller.abort();
        this.inflight.delete(page);
      }
    }
    for (const page of pages) if (!this.pages.has(page) && !this.inflight.has(page)) this.fetchPage(page);
    for (const page of m.pagesToEvict([...this.pages.keys()], pages, KEEP_PAGES)) {
      this.pages.delete(page);
      this.cursors.delete(page);
    }
  }

  /** @param {number} page */
  async fetchPage(page) {
    const generation = this.generation;
    const controller = new AbortController();
    this.inflight.set(page, controller);
    try {
      // Scrolling on from a loaded page goes by keyset (as fast at page 10,000 as at page 2).
      const body = await api.get(
        "/api/tasks/",
        { project: this.projectId, ...m.pageRequest(page, this.cursors), page_size: PAGE_SIZE, query: JSON.stringify(this.query) },
        { signal: controller.signal },
      );
      if (generation !== this.generation) return;
      this.pages.set(page, body.tasks);
      this.cursors.set(page, { next: body.next_cursor ?? null, previous: body.previous_cursor ?? null });
      this.setTotals(body);
      this.loaded = true;
      this.loadError = null;
    } catch (error) {
      if (controller.signal.aborted || generation !== this.generation) return;
      const status = /** @type {any} */ (error).status;
      if (status === 404) {
        // Past the end (tasks were deleted meanwhile, or an estimated total was too high): an
        // empty page; an estimate gives way to the exact count.
        this.pages.set(page, []);
        if (!this.totals.total_exact) this.countExactly();
      } else {
        this.loadError = errorText(error);
      }
      this.loaded = true;
    } finally {
      if (this.inflight.get(page) === controller) this.inflight.delete(page);
    }
    this.onChange();
  }

  /** @param {any} body a page's or a count's answer */
  setTotals(body) {
    // An exact count of this query is not replaced by the estimates later pages bring.
    if (body.total_exact === false && this.totals.total_exact && this.counted === this.generation) return;
    if (body.total_exact !== false) this.counted = this.generation;
    this.totals = {
      total: body.total, total_annotations: body.total_annotations, total_predictions: body.total_predictions,
      total_exact: body.total_exact !== false,
    };
  }

  /** Replace an estimated total by the exact count (the footer's "count" button). */
  async countExactly() {
    const generation = this.generation;
    const body = await api.get("/api/tasks/", {
      project: this.projectId, page: 1, page_size: 1, exact_total: "true", query: JSON.stringify(this.query),
    });
    if (generation !== this.generation) return;
    this.setTotals(body);
    this.onChange();
  }

  /** Re-read one task after it was labeled, in place. @param {number} id */
  async refreshTask(id) {
    const index = this.indexOf(id);
    if (index === -1) return;
    const page = Math.floor(index / PAGE_SIZE) + 1;
    // Re-fetching its page keeps the row's derived fields and the totals right for this query.
    this.pages.delete(page);
    this.cursors.delete(page);
    await this.fetchPage(page);
  }

  // ---- actions -------------------------------------------------------------------------------

  /** @param {string} id @param {Record<string, any>} [extra] */
  async runAction(id, extra = {}) {
    const body = { ...this.query, selectedItems: this.selection, ...extra };
    const result = await api.request("POST", "/api/dm/actions/", { query: { id, project: this.projectId }, json: body });
    this.selection = m.noSelection();
    await this.refreshProject().catch(() => {});
    this.reset();
    return result;
  }
}
