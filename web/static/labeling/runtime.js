// @ts-check
/**
 * The labeling runtime's entry point: `mountLabeling(el, options)`.
 *
 * - preview: renders a config against a task (or the config's sample task), no saving; `update()`
 *   re-renders fast and keeps the last good render when the new config is invalid.
 * - task / stream: the full labeling screen (annotation tabs, submit/update/skip, drafts,
 *   outliner, hotkeys), built by session.js on top of the same core.
 */
import { createStore } from "./store.js";
import { Keymap, assignHotkeys } from "./keymap.js";
import { renderInterface } from "./interface.js";
import { widgetCatalogue } from "./widgets.js";
import { ensureLabelingStyles } from "./sdk.js";
import { loadSettings } from "./settings.js";

/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */

/**
 * @typedef {object} LabelingApi   the app's api client shape (web/static/app/api.js)
 * @property {(path: string, query?: Record<string, any>, opts?: any) => Promise<any>} get
 * @property {(path: string, json?: any) => Promise<any>} post
 * @property {(path: string, json: any) => Promise<any>} patch
 * @property {(path: string, json?: any) => Promise<any>} delete
 */

/**
 * @typedef {object} MountOptions
 * @property {LabelingApi} api
 * @property {Record<string, any>} [project]   the project (label_config, show_skip_button, expert_instruction ...)
 * @property {"stream"|"task"|"preview"} mode
 * @property {number} [taskId]                task mode: the task to open
 * @property {{view?: number, tasks?: number[]}} [streamScope]  stream: only a data-manager tab's tasks / chosen tasks
 * @property {{id?: number, data: Record<string, any>, [key: string]: any}} [task]  preview: the task to render (default: the config's sample task)
 * @property {string} [labelConfig]           defaults to project.label_config
 * @property {(task: Record<string, any>|null) => void} [onTaskChange]  after a task is shown (null: stream exhausted)
 * @property {(annotation: Record<string, any>, task: Record<string, any>) => void} [onSubmitted]
 * @property {(issues: any[]) => void} [onConfigIssues]  preview: the config is invalid (last good render kept)
 * @property {boolean} [readOnly]
 */

/**
 * @typedef {object} LabelingHandle
 * @property {() => void} destroy
 * @property {AnnotationStore} store
 * @property {Keymap} keymap
 * @property {LabelingSettings} settings
 * @property {(changes: {labelConfig?: string, task?: {id?: number, data: Record<string, any>}}) => Promise<{ok: boolean, issues?: any[]}>} update
 * @property {Promise<void>} ready              the first render finished (widgets loaded or failed)
 * @property {() => TagNode|null} tree
 * @property {Record<string, any>} [session]     task/stream modes: the task flow (submit, skip, next ...)
 */

/** @type {Promise<any>|null} */
let pluginsPromise = null;

/** `GET /api/plugins`, once per page (the widget catalogue does not change while labeling). @param {LabelingApi} api */
function pluginsOnce(api) {
  if (!pluginsPromise) pluginsPromise = api.get("/api/plugins").catch((error) => ((pluginsPromise = null), Promise.reject(error)));
  return pluginsPromise;
}

/** Keys the runtime itself uses as single keys: auto-assigned label hotkeys skip them. */
export const RESERVED_SINGLE_KEYS = ["u", "h", "r", "v", "p", "k", "o", "b", "e", "w", "m", "j"];

/**
 * Fetch the render tree for a config and task data. Configs without a Repeater do not depend on
 * the data, so their tree is cached by config text alone.
 * @param {LabelingApi} api
 */
export function treeLoader(api) {
  /** @type {Map<string, Promise<any>>} */
  const cache = new Map();
  /** @param {string} config @param {Record<string, any>|undefined} data */
  return (config, data) => {
    const key = /<Repeater\b/i.test(config) ? config + "\u0000" + JSON.stringify(data || {}) : config;
    let hit = cache.get(key);
    if (!hit) {
      hit = api.post("/api/labeling/tree", { label_config: config, data: data || undefined });
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
      if (cache.size > 20) cache.delete(/** @type {string} */ (cache.keys().next().value));
    }
    return hit.then((out) => ({ ...out, tree: structuredClone(out.tree) }));
  };
}

/**
 * What happens right after a region is created, for every object widget alike: select it
 * (setting "select after create") and disarm its label unless "keep label selected".
 * @param {AnnotationStore} store @param {LabelingSettings} settings
 */
export function afterCreate(store, settings) {
  let known = new Set(store.regions().map((r) => r.id));
  return store.subscribe((change) => {
    if (change.kind === "load" || change.kind === "undo" || change.kind === "redo") {
      known = new Set(store.regions().map((r) => r.id));
      return;
    }
    if (change.kind !== "edit") return;
    const created = (change.ids || []).filter((id) => !known.has(id) && store.region(id));
    created.forEach((id) => known.add(id));
    // Bulk creations (a prediction copied, a paste) are not "the region I just drew".
    if (created.length !== 1) return;
    const region = /** @type {import("./types.js").Region} */ (store.region(created[0]));
    if (!settings.keepLabelSelected) for (const name of region.to_name.split(",")) store.arm(name.trim(), null);
    if (settings.selectAfterCreate) store.select(region.id);
  });
}

/**
 * Whether a key event comes from a text field (single-key hotkeys ignore those).
 * @param {KeyboardEvent} event
 */
function typingIn(event) {
  const target = /** @type {HTMLElement|null} */ (event.composedPath?.()[0] || event.target);
  if (!target || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  // A focused checkbox or radio (a choice just clicked) must not swallow the next label key.
  return target instanceof HTMLInputElement && !NOT_TEXT_INPUTS.has(target.type);
}

const NOT_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/**
 * Mount the labeling runtime.
 * @param {HTMLElement} el @param {MountOptions} options
 * @returns {Promise<LabelingHandle>}
 */
export async function mountLabeling(el, options) {
  ensureLabelingStyles();
  const { api } = options;
  const store = createStore();
  const keymap = new Keymap();
  // Widget hotkeys live in the "labeling" scope; dialogs of the runtime push modal scopes over it.
  keymap.pushScope("labeling");
  const settings = loadSettings();
  const loadTree = treeLoader(api);
  const catalogue = widgetCatalogue(await pluginsOnce(api));
  const offAfterCreate = afterCreate(store, settings);

  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    // A native modal dialog outside the runtime (confirmations, the app's dialogs) owns the keys.
    const modal = document.querySelector("dialog[open]");
    if (modal && !modal.classList.contains("ll-dialog")) return;
    const hit = keymap.handle(event, { typing: typingIn(event) });
    if (hit) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
  document.addEventListener("keydown", onKey);

  /** @type {{destroy: () => void, ready: Promise<void>}|null} */
  let view = null;
  /** @type {TagNode|null} */
  let currentTree = null;
  let config = options.labelConfig ?? options.project?.label_config ?? "";
  let task = options.task || null;
  let generation = 0;

  /**
   * Render `config` for `task` into `target` (preview, or the session's canvas). Keeps the
   * previous render when the config is invalid.
   * @param {HTMLElement} target
   * @param {{config: string, task: {id?: number, data: Record<string, any>}|null, readOnly?: boolean}} what
   * @returns {Promise<{ok: boolean, issues?: any[], task?: any}>}
   */
  async function renderInto(target, what) {
    const mine = ++generation;
    let out;
    try {
      out = await loadTree(what.config, what.task?.data);
    } catch (error) {
      const body = /** @type {any} */ (error)?.body || {};
      const issues = body.config_issues || [{ message: /** @type {any} */ (error)?.message || String(error), line: null }];
      options.onConfigIssues?.(issues);
      return { ok: false, issues };
    }
    // No task given (the config editor): show the config's sample task (`sample_task` is its data).
    // A Repeater expands per data, so its tree is fetched again for the sample.
    if (!what.task && /<Repeater\b/i.test(what.config) && out.sample_task) {
      try {
        out = await loadTree(what.config, out.sample_task);
      } catch {
        // keep the unexpanded tree
      }
    }
    if (mine !== generation) return { ok: true };
    const shown = what.task || { id: undefined, data: out.sample_task || {} };
    const tree = assignHotkeys(out.tree, RESERVED_SINGLE_KEYS);
    view?.destroy();
    currentTree = tree;
    view = renderInterface(target, {
      tree,
      task: { id: shown.id, data: shown.data || {} },
      store,
      keymap,
      settings,
      catalogue,
      readOnly: Boolean(what.readOnly || options.readOnly),
    });
    await view.ready;
    return { ok: true, task: shown };
  }

  /** @type {LabelingHandle} */
  const handle = {
    store,
    keymap,
    settings,
    ready: Promise.resolve(),
    tree: () => currentTree,
    async update(changes) {
      if (changes.labelConfig !== undefined) config = changes.labelConfig;
      if (changes.task !== undefined) task = changes.task;
      // Task and stream modes re-render the current annotation's interface in place.
      if (session) return /** @type {any} */ (session).rerender();
      const result = await renderInto(el, { config, task });
      if (result.ok) handle.ready = Promise.resolve();
      return { ok: result.ok, issues: result.issues };
    },
    destroy() {
      document.removeEventListener("keydown", onKey);
      offAfterCreate();
      view?.destroy();
      view = null;
      session?.destroy();
    },
  };

  /** @type {{destroy: () => void}|null} */
  let session = null;
  if (options.mode === "preview") {
    el.classList.add("ll-preview");
    handle.ready = renderInto(el, { config, task }).then(() => undefined);
    await handle.ready;
    return handle;
  }

  const { mountSession } = await import("./session.js");
  const flow = await mountSession(el, {
    ...options,
    store,
    keymap,
    settings,
    /** @param {HTMLElement} target @param {string} cfg @param {any} shownTask @param {boolean} readOnly */
    render: (target, cfg, shownTask, readOnly) => renderInto(target, { config: cfg, task: shownTask, readOnly }),
    tree: () => currentTree,
    getConfig: () => config,
    /** Re-render the current task (settings changed). */
    unmountView: () => {
      view?.destroy();
      view = null;
    },
  });
  session = flow;
  handle.session = flow;
  handle.ready = flow.ready;
  await flow.ready;
  return handle;
}
