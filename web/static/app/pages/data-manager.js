// @ts-check
/**
 * /projects/:id/data — the data manager: view tabs, toolbar, the virtual task table, the task
 * panel beside it (?task=<id>, shareable) and the status footer. The pieces live in
 * ../datamanager/; this module wires them together and owns the page-level keys.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { navigate, setQuery } from "../router.js";
import { setBreadcrumb, setTopActions } from "../state.js";
import { confirmAction, openDialog, toast, useStyles, isTyping, formatNumber, icon } from "../ui.js";
import * as m from "../datamanager/model.js";
import { DMStore } from "../datamanager/store.js";
import { VirtualTable } from "../datamanager/table.js";
import { TaskPanel } from "../datamanager/panel.js";
import { tabs, toolbar, footer, isDestructive } from "../datamanager/toolbar.js";
import { actionForm } from "../datamanager/action-form.js";
import { canNow } from "../teams.js";
import { followJob } from "../projects/job-progress.js";

/** Row heights by density (dm.css sizes the cells to match: 1, 3 or 6 lines from the top). */
const ROW_HEIGHT = /** @type {const} */ ({ compact: 36, comfortable: 72, tall: 126 });
/** @typedef {keyof typeof ROW_HEIGHT} Density */
const DENSITY_KEY = "labelloom.dm.density";

/** The row height chosen for a project, else the last one chosen anywhere. @param {number} projectId @returns {Density} */
function savedDensity(projectId) {
  const value = localStorage.getItem(`${DENSITY_KEY}.${projectId}`) || localStorage.getItem(DENSITY_KEY) || "";
  return value in ROW_HEIGHT ? /** @type {Density} */ (value) : "compact";
}

/** @type {import("../router.js").PageRender} */
export default function page(el, route) {
  useStyles("/static/core/app/datamanager/dm.css");
  const projectId = Number(route.params.id);
  let disposed = false;
  /** @type {VirtualTable|null} */
  let table = null;
  /** @type {TaskPanel|null} */
  let panel = null;
  /** @type {number|null} */
  let renaming = null;
  /** @type {number|null} index waiting for its page before the panel steps to it */
  let pendingStep = null;
  /** @type {number|null} a Shift+↑/↓ pressed before the first rows arrived */
  let pendingDelta = null;
  let density = savedDensity(projectId);
  let activeTaskId = route.query.get("task") ? Number(route.query.get("task")) : null;

  const store = new DMStore(projectId, () => update());

  render(html`<section class="dm-page" aria-busy="true"><div class="dm-tabs"><span class="skeleton" style="width:160px"></span></div>
    <div class="dm-toolbar"><span class="skeleton" style="width:60%"></span></div>
    <div class="dm-main"><div class="dm-loading">${[1, 2, 3, 4, 5, 6].map(() => html`<span class="skeleton"></span>`)}</div></div></section>`, el);

  /** @type {import("../datamanager/toolbar.js").ToolbarHandlers} */
  const handlers = {
    get renaming() {
      return renaming;
    },
    onAction: (action) => runAction(action),
    onLabel: () => {
      const sel = store.selection;
      const ids = !sel.all && m.listed(sel).length ? `&tasks=${m.listed(sel).join(",")}` : "";
      navigate(`/projects/${projectId}/label?view=${store.viewId}${ids}`);
    },
    onImport: async () => {
      const { openImportDialog } = await import("../dialogs/import.js");
      const result = await openImportDialog(projectId);
      if (result) {
        await Promise.all([store.refreshColumns(), store.refreshProject()]);
        store.reset();
      }
    },
    onExport: async () => {
      const { openExportDialog } = await import("../dialogs/export.js");
      await openExportDialog(projectId, { viewId: store.viewId, selection: store.selection, filtered: store.totals.total, hasFilters: m.activeFilters(store.data.filters).items.length > 0 });
    },
    onRefresh: async () => {
      await Promise.all([store.refreshColumns(), store.refreshProject()]).catch((error) => toast(errorText(error), { kind: "error" }));
      store.reset();
    },
    onRenameStart: (view) => {
      renaming = view.id;
      update();
    },
    onRenameEnd: (view, title) => {
      if (renaming !== view.id) return;
      renaming = null;
      const name = title?.trim();
      if (name && name !== view.data?.title) store.renameView(view, name).catch((error) => toast(errorText(error), { kind: "error" }));
      else update();
    },
    onTabMenu: async (view, what) => {
      try {
        if (what === "rename") handlers.onRenameStart(view);
        if (what === "duplicate") await store.duplicateView(view);
        if (what === "delete") {
          const ok = await confirmAction({ title: "Delete tab?", message: `The tab “${view.data?.title || view.id}” and its filters are deleted for everyone in this project. Tasks are not affected.`, confirm: "Delete tab", danger: true });
          if (ok) await store.deleteView(view);
        }
      } catch (error) {
        toast(errorText(error), { kind: "error" });
      }
    },
    onNewTab: () => store.createView().catch((error) => toast(errorText(error), { kind: "error" })),
  };

  /** @param {any} action */
  async function runAction(action) {
    const count = m.selectedCount(store.selection, store.totals.total);
    const what = `${formatNumber(count)} ${count === 1 ? "task" : "tasks"}`;
    /** @type {Record<string, any>|undefined} */
    let extra = {};
    let form = action.dialog?.form;
    if (!(Array.isArray(form) && form.length) && action.has_form) {
      // Forms built from the project (the assignment actions' people, model versions).
      try {
        form = await api.get(`/api/dm/actions/${encodeURIComponent(action.id)}/form`, { project: projectId });
      } catch (error) {
        toast(errorText(error), { kind: "error" });
        return;
      }
    }
    if (Array.isArray(form) && form.length) {
      extra = await openDialog((close) => actionForm(action, what, form, close), { label: action.title });
      if (!extra) return;
    } else if (action.dialog || isDestructive(action)) {
      const ok = await confirmAction({
        title: action.dialog?.title && !/destructive/i.test(action.dialog.title) ? action.dialog.title : `${action.title}?`,
        message: html`${action.dialog?.text || ""} <p>This applies to <strong>${what}</strong>.</p>`,
        confirm: `${action.title} (${what})`,
        danger: isDestructive(action),
      });
      if (!ok) return;
    }
    try {
      const result = await store.runAction(action.id, extra);
      toast(result?.detail || `${action.title}: ${formatNumber(result?.processed_items ?? 0)} done`, { kind: "success" });
      // Actions handing their work to a tracked job (Retrieve predictions): show its progress.
      if (result?.job?.id) followJob(result.job, { title: action.title, onDone: () => { store.refreshProject().catch(() => {}); store.reset(); } });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {any} task */
  function openTask(task) {
    activeTaskId = task.id;
    setQuery({ task: task.id });
    update();
    panel?.open(task.id);
  }

  function closeTask() {
    activeTaskId = null;
    pendingStep = null;
    setQuery({ task: null });
    panel?.close();
    update();
    table?.scroller.focus();
  }

  /** @param {number} delta */
  function step(delta) {
    if (!store.loaded) {
      pendingDelta = delta; // the rows are not here yet: step once they are
      return;
    }
    const current = activeTaskId === null ? -1 : store.indexOf(activeTaskId);
    const index = Math.max(0, (current === -1 ? table?.focusIndex ?? 0 : current) + delta);
    if (index >= store.totals.total) return;
    table?.focusRow(index);
    const task = store.row(index);
    if (task) openTask(task);
    else pendingStep = index; // its page is on its way (update() opens it)
  }

  /**
   * Escape closes the panel, after the labeling runtime had its chance (it may use Escape to
   * deselect a region and stop the event): bubble phase.
   * @param {KeyboardEvent} event
   */
  function onKey(event) {
    if (document.querySelector("dialog[open]") || event.defaultPrevented) return;
    const menu = el.querySelector("details.dm-menu[open]");
    if (event.key === "Escape" && menu) {
      // Escape closes the open menu or popover first, and gives focus back to its button.
      menu.removeAttribute("open");
      /** @type {HTMLElement|null} */ (menu.querySelector("summary"))?.focus();
      event.preventDefault();
      return;
    }
    if (event.key === "Escape" && activeTaskId !== null && !isTyping(event)) {
      event.preventDefault();
      closeTask();
    }
  }

  /**
   * Shift+↑/↓ walk the table's tasks: capture phase, so the runtime's own stream bindings of the
   * same keys do not swallow them while it runs in "task" mode beside the table.
   * @param {KeyboardEvent} event
   */
  function onStepKey(event) {
    if (document.querySelector("dialog[open]") || activeTaskId === null || isTyping(event)) return;
    const inPanel = /** @type {HTMLElement|null} */ (event.target instanceof Element ? event.target : null)?.closest(".dm-panel");
    if (event.key === "Escape" && !inPanel && !el.querySelector("details.dm-menu[open]")) {
      // Focus is on the table (or nowhere): Escape is ours. Inside the panel the runtime sees it first.
      event.preventDefault();
      event.stopPropagation();
      closeTask();
      return;
    }
    if (event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      event.stopPropagation();
      step(event.key === "ArrowUp" ? -1 : 1);
    }
  }

  /** Close open menus/popovers when clicking elsewhere. @param {MouseEvent} event */
  function onDocumentClick(event) {
    // The path is fixed when the event starts: a button that removed itself (a filter's ×)
    // still counts as inside its popover.
    const path = event.composedPath();
    for (const details of el.querySelectorAll("details.dm-menu[open]")) {
      if (!path.includes(details)) details.removeAttribute("open");
    }
  }

  function update() {
    if (disposed || !store.ready) return;
    if (pendingDelta !== null && store.loaded) {
      const delta = pendingDelta;
      pendingDelta = null;
      step(delta);
      return;
    }
    if (pendingStep !== null && store.row(pendingStep)) {
      const task = store.row(pendingStep);
      pendingStep = null;
      openTask(task);
      return;
    }
    const data = store.data;
    let columns = m.visibleColumns(store.columns, data);
    /** @type {Record<string, number>} */
    let narrowWidths = {};
    if (activeTaskId !== null) {
      // Beside the panel the table narrows to what identifies a task and shows its progress.
      const firstData = columns.find((c) => c.parent === "data");
      const keep = columns.filter((c) => c === firstData || c.id === "id" || c.id === "total_annotations");
      columns = keep.length ? keep : columns.slice(0, 2);
      if (firstData) narrowWidths = { [m.viewColumnId(firstData)]: Math.min(data.columnsWidth?.[m.viewColumnId(firstData)] || 300, 240) };
    }
    render(html`<section class="dm-page density-${density}">
      ${tabs(store, handlers)}
      ${toolbar(store, handlers, { density, densities: Object.keys(ROW_HEIGHT), onDensity: (/** @type {string} */ value) => {
        if (!(value in ROW_HEIGHT)) return;
        density = /** @type {Density} */ (value);
        localStorage.setItem(`${DENSITY_KEY}.${projectId}`, density);
        localStorage.setItem(DENSITY_KEY, density);
        update();
      } })}
      <div class="dm-main ${activeTaskId !== null ? "with-panel" : ""}">
        <div class="dm-table-host"></div>
        <aside class="dm-panel" aria-label="Task" ?hidden=${activeTaskId === null}></aside>
      </div>
      ${store.loaded && store.totals.total === 0 ? emptyState() : ""}
      ${footer(store)}
    </section>`, el);
    if (!table) {
      table = new VirtualTable(/** @type {HTMLElement} */ (el.querySelector(".dm-table-host")), store, {
        onOpen: (task) => openTask(task),
        onSort: (field) => store.updateView({ ordering: m.cycleOrdering(store.data.ordering, field) }),
        onResize: (id, width) => store.updateView({ columnsWidth: { ...(store.data.columnsWidth || {}), [id]: width } }),
        onReorder: (id, before) => {
          const order = m.orderColumns(m.filterableColumns(store.columns), store.data.columnOrder).map(m.viewColumnId);
          store.updateView({ columnOrder: m.moveBefore(order, id, before) });
        },
        onSelection: (selection) => {
          store.selection = selection;
          update();
        },
      });
      panel = new TaskPanel(/** @type {HTMLElement} */ (el.querySelector(".dm-panel")), {
        project: store.project,
        onClose: closeTask,
        onStep: step,
        onSubmitted: (taskId) => store.refreshTask(taskId),
      });
      if (activeTaskId !== null) panel.open(activeTaskId);
    }
    table.configure({ columns, widths: { ...(data.columnsWidth || {}), ...narrowWidths }, rowHeight: ROW_HEIGHT[density], activeTaskId });
  }

  function emptyState() {
    const filtered = m.activeFilters(store.data.filters).items.length > 0;
    return html`<div class="empty-state dm-empty">
      ${filtered ? html`<p>No tasks match these filters.</p>` : html`<p>This project has no tasks yet.</p>
        <button class="btn btn-primary" @click=${handlers.onImport}>Import data</button>`}
    </div>`;
  }

  store.load().then(
    () => {
      if (disposed) return;
      setBreadcrumb([{ label: "Projects", href: "/projects" }, { label: store.project.title || `Project ${projectId}`, href: `/projects/${projectId}` }, { label: "Data" }]);
      // The way into this project's settings from inside it (as Label Studio's top bar has).
      setTopActions(html`<a class="btn" href="/projects/${projectId}/dashboard">${icon("eye", 14)} Dashboard</a><a class="btn" href="/projects/${projectId}/my-figures">${icon("user", 14)} My figures</a>${canNow("projects.manage") ? html`<a class="btn" href="/projects/${projectId}/settings">${icon("settings", 14)} Settings</a>` : null}`);
      update(); // the first page was requested during load(); the table asks for what it shows
      if (activeTaskId === null) table?.scroller.focus();
    },
    (error) => {
      if (!disposed) render(html`<div class="error-box" role="alert"><strong>The data manager could not load.</strong> ${errorText(error)}</div>`, el);
    },
  );

  window.addEventListener("keydown", onKey);
  window.addEventListener("keydown", onStepKey, true);
  document.addEventListener("click", onDocumentClick);
  const flush = () => store.flush();
  window.addEventListener("beforeunload", flush);
  return () => {
    disposed = true;
    window.removeEventListener("keydown", onKey);
    window.removeEventListener("keydown", onStepKey, true);
    document.removeEventListener("click", onDocumentClick);
    window.removeEventListener("beforeunload", flush);
    store.flush();
    panel?.close();
    table?.destroy();
  };
}

