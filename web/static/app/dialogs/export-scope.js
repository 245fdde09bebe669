// @ts-check
/** Which tasks an export covers, as a download URL or a snapshot body (DOM-free, unit-tested). */

/** @typedef {{viewId?: number|null, selection?: {all: boolean, included?: number[], excluded?: number[]}, filtered?: number, hasFilters?: boolean}} ExportScope */

export const MAX_IDS_IN_URL = 2000;

/**
 * The easy-export URL for a format and scope (a plain link: the browser streams the download).
 * @param {number} projectId @param {string} format @param {string} scope @param {ExportScope} context
 */
export function exportUrl(projectId, format, scope, context) {
  const params = new URLSearchParams({ exportType: format });
  if (scope !== "annotated") params.set("download_all_tasks", "true");
  if (scope === "view" && context.viewId) params.set("view", String(context.viewId));
  if (scope === "selection") {
    const sel = context.selection;
    if (sel?.all) {
      // "All but excluded": the tab's tasks without the unticked ones.
      if (context.viewId) params.set("view", String(context.viewId));
      for (const id of sel.excluded || []) params.append("exclude_ids", String(id));
    } else {
      for (const id of sel?.included || []) params.append("ids", String(id));
    }
  }
  return `/api/projects/${projectId}/export?${params}`;
}

/**
 * How many tasks a selection holds, and how many ids it must list.
 * @param {ExportScope} context
 * @returns {{count: number, listed: number}}
 */
export function selectionSize(context) {
  const sel = context.selection;
  if (!sel) return { count: 0, listed: 0 };
  if (sel.all) {
    const excluded = sel.excluded?.length || 0;
    return { count: Math.max(0, (context.filtered ?? 0) - excluded), listed: excluded };
  }
  const included = sel.included?.length || 0;
  return { count: included, listed: included };
}

/**
 * The snapshot body's `task_filter_options` for the same scope as the download.
 * @param {string} scope @param {ExportScope} context
 * @returns {Record<string, any>}
 */
export function snapshotTaskOptions(scope, context) {
  /** @type {Record<string, any>} */
  const task = {};
  if (scope === "annotated") task.only_with_annotations = true;
  if (scope === "view" && context.viewId) task.view = context.viewId;
  if (scope === "selection") {
    const sel = context.selection;
    if (sel?.all) {
      if (context.viewId) task.view = context.viewId;
      task.exclude_ids = sel.excluded || [];
    } else {
      task.ids = sel?.included || [];
    }
  }
  return task;
}
