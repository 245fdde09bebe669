// @ts-check
/**
 * The labeling screen around the interface: task loading (label stream or one task), annotation
 * tabs (annotations, predictions, a new one), submit / update / skip / delete, local-first drafts
 * with a visible status, lead time, required checks, the global hotkeys, the outliner, the
 * instructions panel, settings and the shortcuts dialog.
 */
import { html, render, nothing } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { icon, toast, openDialog, confirmAction } from "../app/ui.js";
import { errorText } from "../app/api.js";
import { newId } from "./store.js";
import { LeadTimer } from "./leadtime.js";
import { DraftSync, LocalDrafts, draftKey, pickDraft } from "./drafts.js";
import { missingRequired } from "./required.js";
import { mountOutliner } from "./outliner.js";
import { saveSettings, SETTING_LABELS } from "./settings.js";
import { formatCombo } from "./keymap.js";
import { sanitizeHtml } from "./sanitize.js";

/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./keymap.js").Keymap} Keymap */
/** @typedef {import("./drafts.js").SyncStatus} SyncStatus */

/**
 * @typedef {{key: string, kind: "annotation", annotation: any} | {key: string, kind: "prediction", prediction: any} | {key: "new", kind: "new", parentPrediction: number|null, parentAnnotation: number|null, seed: ResultItem[]|null}} Entry
 */

/** The signed-in user, fetched once per page (the data manager opens many tasks). @type {Promise<any>|null} */
let whoami = null;

/** The screen's stylesheet, wherever the runtime is mounted (label page, data manager). */
function ensureSessionStyles() {
  const href = new URL("./session.css", import.meta.url).pathname;
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

/** "12 s ago" — short, for the save status. @param {number} ms */
function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

/** Prediction results as editable annotation results (Label Studio marks them origin "prediction"). @param {any[]} result */
function fromPrediction(result) {
  return (result || []).map((item) => (item.type === "relation" ? item : { ...item, origin: item.origin || "prediction" }));
}

/**
 * @param {HTMLElement} el
 * @param {object} o
 * @param {import("./runtime.js").LabelingApi} o.api
 * @param {Record<string, any>} [o.project]
 * @param {"stream"|"task"|"preview"} o.mode
 * @param {number} [o.taskId]
 * @param {{view?: number, tasks?: number[]}} [o.streamScope]
 * @param {string} [o.labelConfig]
 * @param {AnnotationStore} o.store
 * @param {Keymap} o.keymap
 * @param {LabelingSettings} o.settings
 * @param {(target: HTMLElement, config: string, task: any, readOnly: boolean) => Promise<{ok: boolean, issues?: any[]}>} o.render
 * @param {() => TagNode|null} o.tree
 * @param {() => string} [o.getConfig]  the config to render (the runtime's, which update() may change)
 * @param {() => void} o.unmountView
 * @param {(task: Record<string, any>|null) => void} [o.onTaskChange]
 * @param {(annotation: Record<string, any>, task: Record<string, any>) => void} [o.onSubmitted]
 */
export async function mountSession(el, o) {
  const { api, store, keymap, settings } = o;
  ensureSessionStyles();
  const local = new LocalDrafts();
  let project = o.project || null;
  /** @type {any} */
  let task = null;
  /** @type {Entry[]} */
  let entries = [];
  /** @type {Entry|null} */
  let entry = null;
  let readOnly = false;
  let busy = false;
  let loading = true;
  let exhausted = false;
  /** @type {string|null} */
  let loadError = null;
  /** @type {string[]} */
  let blockers = [];
  /** @type {DraftSync|null} */
  let sync = null;
  /** @type {SyncStatus} */
  let syncStatus = { state: "idle", savedAt: null };
  let changed = false; // edits since this entry was opened (or last submitted)
  let showInstructions = false;
  let showSettings = false;
  /** @type {string|null} */
  let relationFrom = null;
  let uniqueId = newId(16);
  const timer = new LeadTimer();
  let destroyed = false;

  // ---- label-stream history (this browser session), for "previous task"
  const historyKey = () => `labelloom.stream.${project?.id}`;
  /** @returns {{ids: number[], pos: number}} */
  const readHistory = () => {
    try {
      const h = JSON.parse(sessionStorage.getItem(historyKey()) || "null");
      if (h && Array.isArray(h.ids)) return h;
    } catch {
      // corrupted: start a new history
    }
    return { ids: [], pos: -1 };
  };
  /** @param {{ids: number[], pos: number}} h */
  const writeHistory = (h) => sessionStorage.setItem(historyKey(), JSON.stringify({ ids: h.ids.slice(-200), pos: Math.min(h.pos, 199) }));

  // ---- layout (static parts keep their DOM so the interface and outliner survive re-renders)
  // Our own root: the host element keeps whatever layout its page gives it.
  const root = document.createElement("div");
  root.className = "ll-app";
  el.replaceChildren(root);
  render(
    html`<div class="ll-top" role="region" aria-label="Task and annotations"></div>
      <div class="ll-body">
        <main class="ll-main">
          <div class="ll-blockers" role="alert" aria-live="assertive"></div>
          <div class="ll-canvas" aria-busy="true"></div>
        </main>
        <aside class="ll-side" aria-label="Regions and relations">
          <div class="ll-instructions-host"></div>
          <div class="ll-outliner-host"></div>
        </aside>
      </div>
      <footer class="ll-bottom" aria-label="Annotation actions"></footer>`,
    root,
  );
  const top = /** @type {HTMLElement} */ (root.querySelector(".ll-top"));
  const blockersEl = /** @type {HTMLElement} */ (root.querySelector(".ll-blockers"));
  const canvas = /** @type {HTMLElement} */ (root.querySelector(".ll-canvas"));
  const instructionsHost = /** @type {HTMLElement} */ (root.querySelector(".ll-instructions-host"));
  const bottom = /** @type {HTMLElement} */ (root.querySelector(".ll-bottom"));
  const outliner = mountOutliner(/** @type {HTMLElement} */ (root.querySelector(".ll-outliner-host")), {
    store,
    byName: (name) => findByName(o.tree(), name),
    readOnly: () => readOnly,
  });

  /** @param {TagNode|null} tree @param {string} name @returns {TagNode|undefined} */
  function findByName(tree, name) {
    if (!tree) return undefined;
    if (tree.attrs?.name === name) return tree;
    for (const child of tree.children || []) {
      const hit = findByName(child, name);
      if (hit) return hit;
    }
    return undefined;
  }

  const config = () => o.getConfig?.() || o.labelConfig || project?.label_config || "";
  const isNew = () => entry?.kind === "new";
  const canSkip = () => project?.show_skip_button !== false && task?.allow_skip !== false && entry?.kind !== "annotation";
  const hasUnsynced = () => pendingSave || Boolean(sync?.dirty);

  // ---- drawing
  function drawTop() {
    const stream = readHistory();
    render(
      html`<div class="ll-taskinfo">
          ${task ? html`<span class="ll-task-id">Task #${task.id}</span>` : nothing}
          ${o.mode === "stream" && stream.ids.length ? html`<span class="muted" title="Position in the tasks you opened in this session">${stream.pos + 1} of ${stream.ids.length} this session</span>` : nothing}
          ${task?.queue ? html`<span class="badge">${task.queue}</span>` : nothing}
        </div>
        <div class="ll-tabs" role="tablist" aria-label="Annotations">
          ${entries.map(
            (e) => html`<button type="button" role="tab" class="ll-tab ${e === entry ? "is-active" : ""}" aria-selected=${e === entry ? "true" : "false"}
              @click=${() => openEntry(e)}>
              ${e.kind === "prediction"
                ? html`${icon("star", 14)}<span>Prediction${e.prediction.model_version ? ` · ${e.prediction.model_version}` : ""}</span>${typeof e.prediction.score === "number" ? html`<span class="muted">${(e.prediction.score * 100).toFixed(1)}%</span>` : nothing}`
                : e.kind === "annotation"
                  ? html`${icon("user", 14)}<span>#${e.annotation.id}${e.annotation.completed_by === project?.__me ? " · you" : ""}</span>${local.get(draftKey(project?.id, task?.id, e.annotation.id)) || (task?.drafts || []).some((/** @type {any} */ d) => d.annotation === e.annotation.id) ? html`<span class="badge">draft</span>` : nothing}`
                  : html`${icon("plus", 14)}<span>New annotation</span>`}
            </button>`,
          )}
          ${entries.some((e) => e.kind === "new")
            ? nothing
            : html`<button type="button" class="btn-icon" aria-label="New empty annotation" title="New empty annotation" ?disabled=${!task} @click=${() => newAnnotation(null)}>${icon("plus")}</button>`}
        </div>
        <div class="ll-top-actions">
          ${entry?.kind === "prediction" ? html`<button type="button" class="btn btn-sm" @click=${() => newAnnotation(entry)}>${icon("copy", 14)} Use as annotation</button>` : nothing}
          ${project?.expert_instruction
            ? html`<button type="button" class="btn btn-sm btn-ghost" aria-expanded=${showInstructions ? "true" : "false"} @click=${() => ((showInstructions = !showInstructions), drawInstructions(), drawTop())}>${icon("info", 14)} Instructions</button>`
            : nothing}
          <button type="button" class="btn-icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Shift+?)" @click=${() => shortcutsDialog()}>${icon("keyboard")}</button>
          <div class="ll-popover-anchor">
            <button type="button" class="btn-icon" aria-label="Labeling settings" title="Labeling settings" aria-expanded=${showSettings ? "true" : "false"}
              @click=${() => {
                showSettings = !showSettings;
                drawTop();
                if (showSettings) /** @type {HTMLElement|null} */ (root.querySelector(".ll-popover input"))?.focus();
              }}>${icon("settings")}</button>
            ${showSettings ? settingsPopover() : nothing}
          </div>
        </div>`,
      top,
    );
  }

  function settingsPopover() {
    return html`<div class="ll-popover" role="dialog" aria-label="Labeling settings"
      @keydown=${(/** @type {KeyboardEvent} */ e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          showSettings = false;
          drawTop();
        }
      }}>
      <h3>Labeling settings</h3>
      ${SETTING_LABELS.map(
        ([key, label, hint]) => html`<label class="check ll-setting">
          <input type="checkbox" .checked=${Boolean(settings[key])}
            @change=${(/** @type {Event} */ e) => {
              settings[key] = /** @type {HTMLInputElement} */ (e.target).checked;
              saveSettings(settings);
              if (key !== "keepLabelSelected" && key !== "selectAfterCreate") rerender();
              drawTop();
            }} />
          <span><span>${label}</span><small class="muted">${hint}</small></span>
        </label>`,
      )}
    </div>`;
  }

  /** Controls that only classify the whole task: with nothing else, there are no regions to list. */
  const CLASSIFYING = new Set(["Choices", "TextArea", "Rating", "Number", "DateTime", "Taxonomy", "Pairwise", "Ranker"]);
  /** @param {TagNode|null} node @returns {boolean} */
  const makesRegions = (node) => Boolean(node && ((node.kind === "control" && !CLASSIFYING.has(node.tag)) || (node.children || []).some(makesRegions)));

  /** The side panel holds the outliner (configs with regions) and the instructions; hide what is empty. */
  function updateSide() {
    const regional = makesRegions(o.tree()) || store.regions().length > 0;
    root.classList.toggle("ll-no-regions", !regional);
    root.classList.toggle("ll-no-side", !regional && !showInstructions);
  }

  function drawInstructions() {
    updateSide();
    render(
      showInstructions && project?.expert_instruction
        ? html`<section class="ll-instructions" aria-label="Instructions">
            <header class="ll-side-head"><h2>Instructions</h2>
              <button type="button" class="btn-icon" aria-label="Close instructions" @click=${() => ((showInstructions = false), drawInstructions(), drawTop())}>${icon("x")}</button>
            </header>
            <div class="ll-instructions-body">${unsafeHTML(sanitizeHtml(String(project.expert_instruction)))}</div>
          </section>`
        : nothing,
      instructionsHost,
    );
  }

  function statusText() {
    if (readOnly) return { text: "Read-only prediction — “Use as annotation” to edit", kind: "muted" };
    const s = syncStatus;
    if (s.state === "offline") return { text: `Offline — changes kept on this device${s.error ? "" : ""}`, kind: "warning", title: s.error };
    if (s.state === "saving") return { text: "Saving draft…", kind: "muted" };
    if (s.state === "pending") return { text: s.localOnly ? "Unsaved changes" : "Changes kept on this device", kind: "muted" };
    if (s.state === "saved" && s.savedAt) return { text: `Draft saved · ${ago(Date.now() - s.savedAt)}`, kind: "success" };
    return { text: changed ? "" : "No changes", kind: "muted" };
  }

  function drawBottom() {
    const stream = readHistory();
    const status = statusText();
    const submitLabel = entry?.kind === "annotation" ? "Update" : "Submit";
    render(
      html`<div class="ll-bottom-left">
          ${o.mode === "stream"
            ? html`<button type="button" class="btn-icon ll-prev" aria-label="Previous task" title="Previous task (Shift+↑)" ?disabled=${busy || stream.pos <= 0} @click=${() => previous()}>${icon("chevron", 16)}</button>
                <button type="button" class="btn-icon" aria-label="Next task" title="Next task (Shift+↓)" ?disabled=${busy || exhausted} @click=${() => next()}>${icon("chevron", 16)}</button>`
            : nothing}
          <button type="button" class="btn-icon" aria-label="Undo" title="Undo (Ctrl+Z)" ?disabled=${readOnly || !store.canUndo} @click=${() => store.undo()}>${icon("undo")}</button>
          <button type="button" class="btn-icon" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" ?disabled=${readOnly || !store.canRedo} @click=${() => store.redo()}>${icon("redo")}</button>
          ${relationFrom ? html`<span class="badge badge-accent" role="status">Relation: select the target region · Esc cancels</span>` : nothing}
          <span class="ll-status ll-status-${status.kind}" role="status" aria-live="polite" title=${status.title || ""} data-state=${syncStatus.state}>${status.text}</span>
        </div>
        <div class="ll-bottom-right">
          ${entry?.kind === "annotation"
            ? html`<button type="button" class="btn btn-ghost" ?disabled=${busy} @click=${() => deleteAnnotation()}>${icon("trash", 14)} Delete annotation</button>`
            : nothing}
          ${canSkip() && o.mode === "stream" ? html`<button type="button" class="btn" ?disabled=${busy || !task} title="Skip (Ctrl+Space)" @click=${() => skip()}>Skip</button>` : nothing}
          <button type="button" class="btn btn-primary" ?disabled=${busy || !task || !entry} title=${`${submitLabel} (Ctrl+Enter)`} @click=${() => submit()}>
            ${icon("check", 14)} ${entry?.kind === "prediction" ? "Submit as annotation" : submitLabel}
          </button>
        </div>`,
      bottom,
    );
  }

  function drawBlockers() {
    render(
      loadError
        ? html`<div class="error-box">${loadError}</div>`
        : blockers.length
          ? html`<div class="ll-blocker">${icon("warning", 16)}<div>${blockers.map((b) => html`<div>${b}</div>`)}</div>
              <button type="button" class="btn-icon" aria-label="Dismiss" @click=${() => ((blockers = []), drawBlockers())}>${icon("x")}</button></div>`
          : nothing,
      blockersEl,
    );
  }

  function drawAll() {
    if (destroyed) return;
    drawTop();
    drawBottom();
    drawBlockers();
  }

  function drawExhausted() {
    o.unmountView();
    render(
      html`<div class="empty-state ll-done">
        <h2>All done</h2>
        <p>There are no more tasks for you to label in this project.</p>
        ${project ? html`<a class="btn" href=${`/projects/${project.id}/data`}>Back to the data</a>` : nothing}
      </div>`,
      canvas,
    );
  }

  // ---- entries
  /** @param {any} t */
  function buildEntries(t) {
    /** @type {Entry[]} */
    const list = [];
    for (const p of t.predictions || []) list.push({ key: `p:${p.id}`, kind: "prediction", prediction: p });
    for (const a of t.annotations || []) if (!a.was_cancelled) list.push({ key: `a:${a.id}`, kind: "annotation", annotation: a });
    return list;
  }

  /** Pick what to show first: the user's new-annotation draft, else (stream) a new annotation seeded from the first prediction, else the first annotation. */
  function initialEntry() {
    const me = project?.__me;
    const serverNewDraft = (task.drafts || []).find((/** @type {any} */ d) => !d.annotation);
    const localNew = local.get(draftKey(project?.id, task.id, null));
    if (serverNewDraft || (localNew && !localNew.synced) || o.mode === "stream") {
      const firstPrediction = (task.predictions || [])[0];
      const mine = entries.find((e) => e.kind === "annotation" && (me === undefined || e.annotation.completed_by === me));
      if (o.mode === "stream" && mine && !serverNewDraft && !(localNew && !localNew.synced)) return mine; // back in history: show what I did
      return addNewEntry(firstPrediction && project?.show_collab_predictions !== false ? firstPrediction : null, null);
    }
    const firstAnnotation = entries.find((e) => e.kind === "annotation");
    if (firstAnnotation) return firstAnnotation;
    const firstPrediction = (task.predictions || [])[0];
    return addNewEntry(firstPrediction && project?.show_collab_predictions !== false ? firstPrediction : null, null);
  }

  /** @param {any} prediction @param {any} annotation */
  function addNewEntry(prediction, annotation) {
    entries = entries.filter((e) => e.kind !== "new");
    /** @type {Entry} */
    const e = {
      key: "new",
      kind: "new",
      parentPrediction: prediction?.id ?? null,
      parentAnnotation: annotation?.id ?? null,
      seed: prediction ? fromPrediction(prediction.result) : annotation ? structuredClone(annotation.result) : null,
    };
    entries.push(e);
    return e;
  }

  /** New annotation: empty, or a copy of a prediction / annotation tab. @param {Entry|null} from */
  async function newAnnotation(from) {
    if (!task) return;
    const prior = entries.find((e) => e.kind === "new");
    if (prior && (changed || local.get(draftKey(project?.id, task.id, null)))) {
      const ok = await confirmAction({ title: "Replace the new annotation?", message: "Your unsubmitted new annotation (and its draft) will be replaced.", confirm: "Replace", danger: true });
      if (!ok) return;
    }
    local.remove(draftKey(project?.id, task.id, null));
    const serverDraft = (task.drafts || []).find((/** @type {any} */ d) => !d.annotation);
    if (serverDraft) {
      api.delete(`/api/drafts/${serverDraft.id}/`).catch(() => {});
      task.drafts = task.drafts.filter((/** @type {any} */ d) => d !== serverDraft);
    }
    const e = addNewEntry(from?.kind === "prediction" ? from.prediction : null, from?.kind === "annotation" ? from.annotation : null);
    await openEntry(e, { fresh: true });
  }

  /**
   * Show one tab: results into the store (a newer draft wins), the interface re-rendered.
   * @param {Entry} e @param {{fresh?: boolean}} [opts]
   */
  async function openEntry(e, opts = {}) {
    if (entry === e && !opts.fresh) return;
    saveNow();
    await sync?.flush().catch(() => {});
    sync?.close();
    sync = null;
    entry = e;
    relationFrom = null;
    blockers = [];
    changed = false;
    uniqueId = newId(16);
    readOnly = e.kind === "prediction";
    store.readOnly = false; // load() below must be allowed; set again after it
    /** @type {ResultItem[]} */
    let results = [];
    let base = 0;
    if (e.kind === "prediction") {
      results = fromPrediction(e.prediction.result);
    } else {
      const annotationId = e.kind === "annotation" ? e.annotation.id : null;
      const key = draftKey(project?.id, task.id, annotationId);
      const serverDraft = (task.drafts || []).find((/** @type {any} */ d) => (d.annotation ?? null) === annotationId) || null;
      const localDraft = opts.fresh ? null : local.get(key);
      const pick = opts.fresh ? null : pickDraft(localDraft, serverDraft);
      if (e.kind === "annotation") {
        results = e.annotation.result || [];
        base = e.annotation.lead_time || 0;
      } else if (e.seed) results = e.seed;
      if (pick === "local" && localDraft) {
        results = localDraft.result;
        base = localDraft.lead_time || base;
      } else if (pick === "server" && serverDraft) {
        results = serverDraft.result || [];
        base = serverDraft.lead_time || base;
      }
      sync = new DraftSync({
        api,
        taskId: task.id,
        annotationId,
        serverDraftId: serverDraft?.id ?? localDraft?.serverDraftId ?? null,
        key,
        local,
        onStatus: (status) => {
          syncStatus = status;
          drawBottom();
        },
      });
      syncStatus = pick === "local" && localDraft && !localDraft.synced
        ? { state: "pending", savedAt: null }
        : pick ? { state: "saved", savedAt: Date.parse(serverDraft?.updated_at || "") || localDraft?.savedAt || null } : { state: "idle", savedAt: null };
      // A restored local copy the server has not seen yet goes up now.
      if (pick === "local" && localDraft && !localDraft.synced) sync.save({ result: localDraft.result, lead_time: localDraft.lead_time || 0 });
    }
    timer.reset(base);
    store.load(results);
    store.readOnly = readOnly;
    drawAll();
    const out = await renderCanvas();
    updateSide();
    if (!out.ok) {
      loadError = `The labeling config has problems: ${(out.issues || []).map((i) => `${i.line ? `line ${i.line}: ` : ""}${i.message}`).join("; ")}`;
    }
    drawAll();
  }

  // ---- tasks
  /** @param {any} t @param {{pushHistory?: boolean}} [opts] */
  async function showTask(t, opts = {}) {
    saveNow();
    await sync?.flush().catch(() => {});
    sync?.close();
    sync = null;
    task = t;
    exhausted = false;
    loadError = null;
    if (o.mode === "stream" && opts.pushHistory) {
      const h = readHistory();
      const ids = h.ids.slice(0, h.pos + 1).filter((id) => id !== t.id);
      ids.push(t.id);
      writeHistory({ ids, pos: ids.length - 1 });
    }
    entries = buildEntries(t);
    entry = null;
    await openEntry(initialEntry());
    o.onTaskChange?.(t);
  }

  /** @param {number} id */
  async function loadTask(id) {
    return api.get(`/api/tasks/${id}/`);
  }

  async function next() {
    if (busy) return;
    if (!(await leaveEntryOk())) return;
    const h = readHistory();
    busy = true;
    drawBottom();
    try {
      if (h.pos >= 0 && h.pos < h.ids.length - 1) {
        const id = h.ids[h.pos + 1];
        writeHistory({ ids: h.ids, pos: h.pos + 1 });
        await showTask(await loadTask(id));
        return;
      }
      let t;
      try {
        const scope = o.streamScope || {};
        t = await api.get(`/api/projects/${project?.id}/next/`, { view: scope.view, tasks: scope.tasks?.join(",") });
      } catch (error) {
        if (/** @type {any} */ (error)?.status === 404) {
          exhausted = true;
          task = null;
          entries = [];
          entry = null;
          store.load([]);
          drawExhausted();
          o.onTaskChange?.(null);
          return;
        }
        throw error;
      }
      await showTask(t, { pushHistory: true });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    } finally {
      busy = false;
      drawAll();
    }
  }

  async function previous() {
    if (busy) return;
    const h = readHistory();
    if (h.pos <= 0) return;
    if (!(await leaveEntryOk())) return;
    busy = true;
    drawBottom();
    try {
      writeHistory({ ids: h.ids, pos: h.pos - 1 });
      await showTask(await loadTask(h.ids[h.pos - 1]));
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    } finally {
      busy = false;
      drawAll();
    }
  }

  /** Leaving a task keeps the draft (local + server), so only a failed sync needs a word. */
  async function leaveEntryOk() {
    saveNow();
    if (!sync || !changed) return true;
    await sync.flush().catch(() => {});
    return true;
  }

  // ---- submit / update / skip / delete
  function checkRequired() {
    const tree = o.tree();
    if (!tree) return true;
    const missing = missingRequired(tree, store);
    if (!missing.length) return true;
    blockers = missing.map((m) => m.message);
    const withRegion = missing.find((m) => m.regionId);
    if (withRegion?.regionId) store.select(withRegion.regionId);
    drawBlockers();
    toast(missing[0].message, { kind: "error", timeout: 5000 });
    return false;
  }

  async function submit() {
    if (busy || !task || !entry) return;
    if (entry.kind === "prediction") {
      // Submitting a prediction tab submits a copy of it as the user's annotation.
      const from = entry;
      await newAnnotation(from);
    }
    if (!checkRequired()) return;
    const result = store.toResults();
    if (!result.length && project && project.enable_empty_annotation === false) {
      blockers = ["This project does not accept empty annotations: label something or skip the task."];
      drawBlockers();
      return;
    }
    busy = true;
    drawBottom();
    saveNow(); // the draft is what a failed submit falls back to
    const lead_time = timer.seconds();
    const current = entry;
    try {
      let saved;
      if (current.kind === "annotation") {
        saved = await api.patch(`/api/annotations/${current.annotation.id}/`, { result, lead_time });
        const draft = (task.drafts || []).find((/** @type {any} */ d) => d.annotation === current.annotation.id);
        const draftId = sync?.serverDraftId || draft?.id;
        sync?.discard();
        if (draftId) await api.delete(`/api/drafts/${draftId}/`).catch(() => {});
        toast("Annotation updated", { kind: "success" });
      } else {
        const draftId = sync?.serverDraftId || (task.drafts || []).find((/** @type {any} */ d) => !d.annotation)?.id || null;
        saved = await api.post(`/api/tasks/${task.id}/annotations/`, {
          result,
          lead_time,
          draft_id: draftId,
          parent_prediction: current.kind === "new" ? current.parentPrediction : null,
          parent_annotation: current.kind === "new" ? current.parentAnnotation : null,
          unique_id: uniqueId,
        });
        sync?.discard();
        toast("Annotation submitted", { kind: "success" });
      }
      sync = null;
      changed = false;
      o.onSubmitted?.(saved, task);
      busy = false;
      // The stream moves on after submit and update alike (P10); a single task stays, showing the result.
      if (o.mode === "stream") await next();
      else await reloadTask(saved?.id);
    } catch (error) {
      toast(`Not saved: ${errorText(error)} — your work is kept on this device.`, { kind: "error" });
    } finally {
      busy = false;
      drawAll();
    }
  }

  async function skip() {
    if (busy || !task || !canSkip()) return;
    busy = true;
    drawBottom();
    try {
      const draftId = sync?.serverDraftId || null;
      await api.post(`/api/tasks/${task.id}/annotations/`, { result: store.toResults(), was_cancelled: true, lead_time: timer.seconds(), draft_id: draftId, unique_id: uniqueId });
      sync?.discard();
      sync = null;
      changed = false;
      busy = false;
      await next();
    } catch (error) {
      toast(`Skip failed: ${errorText(error)}`, { kind: "error" });
    } finally {
      busy = false;
      drawAll();
    }
  }

  async function deleteAnnotation() {
    if (!entry || entry.kind !== "annotation" || busy) return;
    const id = entry.annotation.id;
    const ok = await confirmAction({ title: `Delete annotation #${id}?`, message: "Its results are removed for good.", confirm: "Delete", danger: true });
    if (!ok) return;
    busy = true;
    try {
      await api.delete(`/api/annotations/${id}/`);
      sync?.discard();
      sync = null;
      toast(`Annotation #${id} deleted`, { kind: "success" });
      busy = false;
      await reloadTask(null);
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    } finally {
      busy = false;
      drawAll();
    }
  }

  /** Re-fetch the task (after update/delete) and show the given annotation. @param {number|null|undefined} annotationId */
  async function reloadTask(annotationId) {
    const t = await loadTask(task.id);
    task = t;
    entries = buildEntries(t);
    entry = null;
    const target = entries.find((e) => e.kind === "annotation" && e.annotation.id === annotationId);
    await openEntry(target || initialEntry());
  }

  let rendering = 0;
  /**
   * Draw the interface into the canvas. The canvas is aria-busy until every widget is in place
   * (and its hotkeys registered), so assistive tech and tests know when the task can be worked on.
   */
  async function renderCanvas() {
    canvas.setAttribute("aria-busy", String(Boolean(++rendering)));
    try {
      return await o.render(canvas, config(), task, readOnly);
    } finally {
      canvas.setAttribute("aria-busy", String(Boolean(--rendering)));
    }
  }

  /** @returns {Promise<{ok: boolean, issues?: any[]}>} */
  async function rerender() {
    if (!task || !entry) return { ok: true };
    const out = await renderCanvas();
    updateSide();
    return out;
  }

  // ---- drafts: a burst of edits costs one serialisation (150 ms); every way of leaving
  // (tab switch, task change, pagehide, hidden tab) writes synchronously first, so nothing is lost.
  let pendingSave = false;
  /** @type {any} */
  let saveTimer = 0;
  function queueSave() {
    pendingSave = true;
    if (!saveTimer) saveTimer = setTimeout(saveNow, 150);
  }
  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    if (!pendingSave) return;
    pendingSave = false;
    // Items are immutable: the array itself is a consistent snapshot, no copy needed.
    if (sync && !readOnly) sync.save({ result: store.items, lead_time: timer.seconds() });
  }

  // ---- store changes: dirty, drafts, lead time, relation mode
  const offStore = store.subscribe((change) => {
    if (change.kind === "edit" || change.kind === "undo" || change.kind === "redo") {
      if (!readOnly && sync) {
        changed = true;
        blockers = [];
        timer.activity();
        queueSave();
        drawBlockers();
      }
      drawBottom();
    }
    if (change.kind === "select" && relationFrom) {
      const target = store.selectedId;
      if (target && target !== relationFrom) {
        const from = relationFrom;
        relationFrom = null;
        store.addRelation(from, target);
        drawBottom();
      }
    }
  });

  // ---- activity for lead time
  const onActivity = () => timer.activity();
  const onVisibility = () => {
    timer.setVisible(document.visibilityState === "visible");
    if (document.visibilityState === "hidden") saveNow();
  };
  const onPageHide = () => saveNow();
  // The settings popover closes on a click outside it, like a menu.
  const onOutside = (/** @type {PointerEvent} */ event) => {
    if (!showSettings) return;
    const anchor = root.querySelector(".ll-popover-anchor");
    if (anchor && !event.composedPath().includes(anchor)) {
      showSettings = false;
      drawTop();
    }
  };
  document.addEventListener("pointerdown", onOutside);
  window.addEventListener("pagehide", onPageHide);
  document.addEventListener("pointerdown", onActivity, true);
  document.addEventListener("keydown", onActivity, true);
  document.addEventListener("wheel", onActivity, { capture: true, passive: true });
  document.addEventListener("visibilitychange", onVisibility);
  const onBeforeUnload = (/** @type {BeforeUnloadEvent} */ event) => {
    saveNow();
    if (hasUnsynced()) {
      sync?.flush();
      event.preventDefault();
      event.returnValue = "";
    }
  };
  window.addEventListener("beforeunload", onBeforeUnload);
  const onOnline = () => sync?.flush();
  window.addEventListener("online", onOnline);
  const statusTick = setInterval(() => syncStatus.state === "saved" && drawBottom(), 5000);

  // ---- hotkeys (label-studio.md §9.1), one keymap
  const selected = () => (store.selectedId ? store.region(store.selectedId) : undefined);
  const bind = /** @type {(combo: string, fn: () => (void|boolean|Promise<void>), description: string, group: string, extra?: {allowInInputs?: boolean, always?: boolean}) => () => void} */ (
    (combo, fn, description, group, extra = {}) => keymap.add(combo, fn, { description, group, scope: "global", always: extra.always, allowInInputs: extra.allowInInputs, when: extra.always ? undefined : () => settings.hotkeysEnabled })
  );
  const offKeys = [
    bind("ctrl+enter", () => submit(), "Submit or update", "Annotation", { allowInInputs: true, always: true }),
    bind("ctrl+z", () => {
      if (readOnly) return false;
      store.undo();
    }, "Undo", "Annotation", { always: true }),
    bind("ctrl+shift+z, ctrl+y", () => {
      if (readOnly) return false;
      store.redo();
    }, "Redo", "Annotation", { always: true }),
    bind("shift+?", () => shortcutsDialog(), "Keyboard shortcuts", "Navigation", { always: true }),
    bind("backspace, delete", () => {
      const r = selected();
      if (!r || r.locked || readOnly) return false;
      store.deleteRegion(r.id);
    }, "Delete selected region", "Regions"),
    bind("ctrl+backspace", async () => {
      if (readOnly || !store.regions().length) return;
      const ok = await confirmAction({ title: "Delete all regions?", message: `All ${store.regions().length} regions of this annotation are removed (Ctrl+Z brings them back).`, confirm: "Delete all", danger: true });
      if (ok) store.transact(() => store.regions().filter((r) => !r.locked).forEach((r) => store.deleteRegion(r.id)));
    }, "Delete all regions", "Regions"),
    bind("u", () => {
      if (!store.selectedId) return false;
      store.select(null);
    }, "Unselect region", "Regions"),
    bind("escape", () => {
      if (relationFrom) {
        relationFrom = null;
        drawBottom();
      } else if (showSettings) {
        showSettings = false;
        drawTop();
      } else if (store.selectedId) store.select(null);
      else return false; // let the page have it (the data manager closes the task)
    }, "Unselect / cancel", "Regions", { always: true }),
    bind("alt+h", () => {
      const r = selected();
      if (r) store.setHidden(r.id, !r.hidden);
    }, "Hide / show selected region", "Regions"),
    bind("ctrl+h", () => {
      const all = store.regions();
      const anyVisible = all.some((r) => !r.hidden);
      all.forEach((r) => store.setHidden(r.id, anyVisible));
    }, "Hide / show all regions", "Regions"),
    bind("alt+l", () => {
      const r = selected();
      if (r) store.setLocked(r.id, !r.locked);
    }, "Lock / unlock selected region", "Regions"),
    bind("alt+r", () => {
      const r = selected();
      if (!r || readOnly) return;
      relationFrom = r.id;
      store.select(null);
      drawBottom();
    }, "Relation from selected region", "Regions"),
    bind("ctrl+d", () => {
      const r = selected();
      if (!r || readOnly || !store.duplicateRegion) return false;
      const copy = store.duplicateRegion(r.id);
      if (copy) store.select(copy);
    }, "Duplicate selected region", "Regions"),
    bind("alt+.", () => cycle(1), "Next region", "Regions"),
    bind("alt+,", () => cycle(-1), "Previous region", "Regions"),
    // The stream owns task navigation; in task mode the host page (data manager) does.
    ...(o.mode === "stream"
      ? [
          bind("ctrl+space", () => {
            if (!canSkip()) return false;
            skip();
          }, "Skip task", "Annotation", { always: true }),
          bind("shift+down", () => next(), "Next task", "Navigation"),
          bind("shift+up", () => previous(), "Previous task", "Navigation"),
        ]
      : []),
  ];

  /** @param {number} step */
  function cycle(step) {
    const all = store.regions().filter((r) => !r.hidden);
    if (!all.length) return;
    const i = all.findIndex((r) => r.id === store.selectedId);
    const nextIndex = i < 0 ? (step > 0 ? 0 : all.length - 1) : (i + step + all.length) % all.length;
    store.select(all[nextIndex].id);
  }

  function shortcutsDialog() {
    const active = keymap.active();
    /** @type {Map<string, typeof active>} */
    const groups = new Map();
    for (const b of active) {
      const list = groups.get(b.group);
      if (list) list.push(b);
      else groups.set(b.group, [b]);
    }
    openDialog(
      (close) => html`<div class="modal-body ll-shortcuts">
        <h2>Keyboard shortcuts</h2>
        ${settings.hotkeysEnabled ? nothing : html`<p class="muted">Labeling hotkeys are off (Labeling settings): only Ctrl/⌘ shortcuts work.</p>`}
        ${[...groups].map(
          ([group, list]) => html`<h3>${group}</h3>
            <dl class="ll-shortcut-list">
              ${list.map((b) => html`<dt>${b.parsed.map((c, i) => html`${i ? html`<span class="muted"> or </span>` : nothing}${formatCombo(c).map((k) => html`<kbd>${k}</kbd>`)}`)}</dt><dd>${b.description}</dd>`)}
            </dl>`,
        )}
        <footer class="modal-actions"><button type="button" class="btn btn-primary" autofocus @click=${() => close()}>Close</button></footer>
      </div>`,
      { label: "Keyboard shortcuts" },
    );
  }

  // ---- start
  async function start() {
    try {
      if (!project && o.taskId) {
        const t = await loadTask(o.taskId);
        project = await api.get(`/api/projects/${t.project}/`);
      }
      try {
        whoami ||= api.get("/api/current-user/whoami");
        const me = await whoami;
        if (project && me?.id !== undefined) project.__me = me.id;
      } catch {
        whoami = null; // who made an annotation is a nicety on the tabs
      }
      showInstructions = Boolean(project?.show_instruction && project?.expert_instruction);
      drawInstructions();
      if (o.mode === "task" || o.taskId) {
        const t = await loadTask(/** @type {number} */ (o.taskId));
        await showTask(t, { pushHistory: o.mode === "stream" });
      } else {
        await next();
      }
    } catch (error) {
      loadError = errorText(error);
    } finally {
      loading = false;
      canvas.setAttribute("aria-busy", "false");
      drawAll();
    }
  }
  drawAll();
  const ready = start();

  return {
    ready,
    submit,
    skip,
    next,
    previous,
    newAnnotation: () => newAnnotation(null),
    rerender,
    get task() {
      return task;
    },
    get entry() {
      return entry;
    },
    get loading() {
      return loading;
    },
    leadTime: () => timer.seconds(),
    flush: () => (saveNow(), sync?.flush()),
    destroy() {
      destroyed = true;
      saveNow();
      clearTimeout(saveTimer);
      window.removeEventListener("pagehide", onPageHide);
      document.removeEventListener("pointerdown", onOutside);
      sync?.flush().catch(() => {});
      sync?.close();
      offStore();
      offKeys.forEach((fn) => fn());
      outliner.destroy();
      clearInterval(statusTick);
      document.removeEventListener("pointerdown", onActivity, true);
      document.removeEventListener("keydown", onActivity, true);
      document.removeEventListener("wheel", onActivity, true);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("online", onOnline);
      render(nothing, root);
      root.remove();
    },
  };
}
