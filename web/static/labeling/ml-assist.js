// @ts-check
/**
 * Machine-learning help in the labeling screen (issue 22), one strip above the canvas:
 *
 * - Predictions on opening a task: a task shown without predictions asks
 *   `POST /api/ml/tasks/{id}/predictions` *after* it is on screen; what comes back seeds the
 *   untouched new annotation, and a slow or dead model only shows a notice — never a wait.
 * - Auto-annotation (smart tools): with the toggle on, a region drawn with a control marked
 *   `smart="true"` is sent as Label Studio's context (`{"result": [...]}`) to
 *   `/api/ml/{id}/interactive-annotating`; the answer's regions are added as editable
 *   suggestions, accepted with Enter or rejected with Escape (or the strip's buttons).
 */
import { html, nothing, render } from "lit";
import { errorText } from "../app/api.js";

/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").TagNode} TagNode */

/** @param {TagNode|null} tree @param {string} name @returns {TagNode|undefined} */
function findControl(tree, name) {
  if (!tree) return undefined;
  if (tree.attrs?.name === name) return tree;
  for (const child of tree.children || []) {
    const hit = findControl(child, name);
    if (hit) return hit;
  }
  return undefined;
}

/** @param {TagNode|undefined} control */
export function isSmart(control) {
  const smart = control?.attrs?.smart;
  return smart === true || smart === "true" || control?.attrs?.smartOnly === true || control?.attrs?.smartOnly === "true";
}

/** Geometry/position of a result item, labels left out (to drop a suggestion that repeats the prompt). @param {any} item */
export function placeKey(item) {
  const { labels, choices, rectanglelabels, keypointlabels, polygonlabels, brushlabels, ellipselabels, hypertextlabels, paragraphlabels, timeserieslabels, ...rest } = item?.value || {};
  return `${item?.to_name}|${JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]))}`;
}

/** @param {string|number|undefined} projectId */
const toggleKey = (projectId) => `ll-auto-annotation:${projectId}`;

/**
 * @param {object} ctx
 * @param {import("./runtime.js").LabelingApi} ctx.api
 * @param {{project: any, task: any, entry: any, readOnly: boolean, changed?: boolean}} ctx.state
 * @param {AnnotationStore} ctx.store
 * @param {import("./keymap.js").Keymap} ctx.keymap
 * @param {() => TagNode|null} ctx.tree
 * @param {HTMLElement} ctx.before    the strip is inserted before this element (the canvas)
 * @param {{openTask: () => Promise<void>}} ctx.tabs
 */
export function createMlAssist({ api, state, store, keymap, tree, before, tabs }) {
  const strip = document.createElement("div");
  strip.className = "ll-ml";
  before.parentElement?.insertBefore(strip, before);

  /** @type {any[]|null} */ let backends = null;
  /** @type {Promise<any[]>|null} */ let loading = null;
  let autoOn = false;
  let notice = "";
  let asking = false;
  /** Ids of regions added as suggestions and not yet accepted or rejected. @type {string[]} */
  let pending = [];
  let adding = false;
  let known = new Set(store.regions().map((r) => r.id));

  const interactive = () => (backends || []).find((b) => b.is_interactive);

  async function loadBackends() {
    if (!state.project?.id) return [];
    loading ||= api.get("/api/ml/", { project: state.project.id }).then((list) => {
      backends = Array.isArray(list) ? list : [];
      const saved = localStorage.getItem(toggleKey(state.project.id));
      autoOn = interactive() ? saved !== "off" : false;
      draw();
      return backends;
    }).catch(() => (backends = []));
    return loading;
  }

  /** A task is on screen: fetch its predictions in the background when it has none. @param {any} task */
  async function taskShown(task) {
    pending = [];
    notice = "";
    known = new Set(store.regions().map((r) => r.id));
    draw();
    if (!task) return;
    const list = await loadBackends();
    if (!list.length || (task.predictions || []).length) return;
    const shownId = task.id;
    try {
      const answer = await api.post(`/api/ml/tasks/${shownId}/predictions`, {});
      if (state.task?.id !== shownId) return; // the annotator moved on
      if (answer.status === "error") {
        notice = `The model did not answer: ${answer.error}`;
      } else if ((answer.predictions || []).length && !(state.task.predictions || []).length) {
        state.task.predictions = answer.predictions;
        // Seed the new annotation only if the annotator has not started on it.
        if (state.entry?.kind === "new" && !store.items.length && !state.changed) await tabs.openTask();
        else notice = "Predictions arrived: open the prediction tab to see them.";
      }
    } catch (error) {
      if (state.task?.id === shownId) notice = `The model did not answer: ${errorText(error)}`;
    }
    draw();
  }

  /** @param {string} id the region just drawn */
  async function suggest(id) {
    const backend = interactive();
    const region = store.region(id);
    if (!backend || !region || !state.task) return;
    const prompt = region.items.map((item) => structuredClone(item));
    const shownId = state.task.id;
    asking = true;
    notice = "";
    draw();
    try {
      const answer = await api.post(`/api/ml/${backend.id}/interactive-annotating`, { task: shownId, context: { result: prompt } });
      if (state.task?.id !== shownId) return;
      if (answer.errors?.length) {
        notice = `No suggestion: ${answer.errors.join(" ")}`;
        return;
      }
      const taken = new Set(prompt.map(placeKey));
      const results = (answer.data?.result || []).filter((/** @type {any} */ item) => item?.type !== "relation" && !taken.has(placeKey(item)));
      adding = true;
      try {
        for (const item of results) {
          const { id: _ignored, ...spec } = item;
          const newIdOf = store.createRegion({ ...spec, origin: "prediction" });
          known.add(newIdOf);
          pending.push(newIdOf);
        }
      } finally {
        adding = false;
      }
      if (!results.length) notice = "The model had nothing to add.";
    } catch (error) {
      notice = `No suggestion: ${errorText(error)}`;
    } finally {
      asking = false;
      draw();
    }
  }

  function accept() {
    if (!pending.length) return false;
    pending = [];
    draw();
    return true;
  }

  function reject() {
    if (!pending.length) return false;
    const ids = pending;
    pending = [];
    for (const id of ids) store.deleteRegion(id);
    draw();
    return true;
  }

  const offStore = store.subscribe((change) => {
    if (change.kind === "load" || change.kind === "undo" || change.kind === "redo") {
      known = new Set(store.regions().map((r) => r.id));
      pending = pending.filter((id) => store.region(id));
      draw();
      return;
    }
    if (change.kind !== "edit" || adding) return;
    const created = (change.ids || []).filter((id) => !known.has(id) && store.region(id));
    created.forEach((id) => known.add(id));
    pending = pending.filter((id) => store.region(id));
    if (created.length !== 1 || !autoOn || state.readOnly) return;
    const region = store.region(created[0]);
    if (region && region.items.some((item) => isSmart(findControl(tree(), item.from_name)))) suggest(created[0]);
  });

  /** @type {(() => void)[]} */
  let offKeys = [];
  /** Bind Enter / Escape after the session's own keys, so they win while suggestions wait. */
  function bindKeys() {
    offKeys = [
      keymap.add("enter", () => accept(), { description: "Accept the model's suggestions", group: "Regions", scope: "global" }),
      keymap.add("escape", () => reject(), { description: "Reject the model's suggestions", group: "Regions", scope: "global" }),
    ];
  }

  /** @param {boolean} on */
  function setAuto(on) {
    autoOn = on;
    if (state.project?.id) localStorage.setItem(toggleKey(state.project.id), on ? "on" : "off");
    draw();
  }

  function draw() {
    const backend = interactive();
    const show = backend || notice;
    strip.hidden = !show;
    if (!show) return render(nothing, strip);
    render(html`
      ${backend ? html`<label class="check ll-ml-toggle"><input type="checkbox" .checked=${autoOn}
          @change=${(/** @type {Event} */ e) => setAuto(/** @type {HTMLInputElement} */ (e.target).checked)}>
        Auto-annotation</label>
        <span class="muted ll-ml-hint">${autoOn ? `Smart tools ask ${backend.title || "the model"} for suggestions` : "Off: smart tools draw plain regions"}</span>` : nothing}
      ${asking ? html`<span class="ll-ml-busy" role="status">Asking the model…</span>` : nothing}
      ${pending.length ? html`<span class="ll-ml-pending" role="status">${pending.length} suggestion${pending.length === 1 ? "" : "s"}</span>
        <button class="btn btn-sm btn-primary" type="button" @click=${accept}>Accept <kbd>Enter</kbd></button>
        <button class="btn btn-sm" type="button" @click=${reject}>Reject <kbd>Esc</kbd></button>` : nothing}
      ${notice ? html`<span class="ll-ml-notice" role="status">${notice}</span>` : nothing}`, strip);
  }

  draw();
  return {
    taskShown,
    bindKeys,
    accept,
    reject,
    destroy() {
      offStore();
      offKeys.forEach((off) => off());
      render(nothing, strip);
      strip.remove();
    },
  };
}
