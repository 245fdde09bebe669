// @ts-check
/**
 * Drafts, local first (ux.md P4): every edit is written to this browser's storage at once, then
 * synced to the server's draft API (debounced, retried with backoff). A reload restores whichever
 * copy is newer. DOM-free: storage, timers and the clock are injectable for node tests.
 */

/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {{result: ResultItem[], lead_time: number, savedAt: number, serverDraftId?: number|null, synced?: boolean, parent_prediction?: number|null, parent_annotation?: number|null}} LocalDraft */

const PREFIX = "labelloom.draft.";

/** @param {number|string} projectId @param {number|string} taskId @param {number|null|undefined} annotationId */
export function draftKey(projectId, taskId, annotationId) {
  return `${PREFIX}${projectId}.${taskId}.${annotationId ?? "new"}`;
}

/** Browser storage for drafts (localStorage: synchronous, so an edit made just before the tab closes is kept). */
export class LocalDrafts {
  /** @param {Storage|null} [storage] */
  constructor(storage) {
    this.storage = storage === undefined ? globalThis.localStorage ?? null : storage;
  }

  /** @param {string} key @returns {LocalDraft|null} */
  get(key) {
    try {
      const raw = this.storage?.getItem(key);
      const parsed = raw ? JSON.parse(raw) : null;
      return parsed && Array.isArray(parsed.result) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** @param {string} key @param {LocalDraft} draft @returns {boolean} false when the browser refused (quota) */
  set(key, draft) {
    try {
      this.storage?.setItem(key, JSON.stringify(draft));
      return Boolean(this.storage);
    } catch {
      return false;
    }
  }

  /** @param {string} key */
  remove(key) {
    try {
      this.storage?.removeItem(key);
    } catch {
      // nothing to do: a stale local draft is only ever offered when newer than the server's
    }
  }
}

/**
 * Which copy to restore: the local one when it is newer than the server draft (or there is none)
 * and it differs from what the server has.
 * @param {LocalDraft|null} local
 * @param {{result: ResultItem[], updated_at?: string|null, lead_time?: number|null}|null} server
 * @returns {"local"|"server"|null}
 */
export function pickDraft(local, server) {
  if (local && !local.synced) {
    const serverTime = server?.updated_at ? Date.parse(server.updated_at) : 0;
    if (!server || local.savedAt >= serverTime) return "local";
  }
  if (server) return "server";
  return local ? "local" : null;
}

/**
 * @typedef {"idle"|"pending"|"saving"|"saved"|"offline"} SyncState
 * @typedef {{state: SyncState, savedAt: number|null, error?: string, localOnly?: boolean}} SyncStatus
 */

/**
 * Keeps one annotation's draft in sync with the server.
 * `save(payload)` persists locally at once and schedules the server write.
 */
export class DraftSync {
  /**
   * @param {object} options
   * @param {{post: (path: string, json?: any) => Promise<any>, patch: (path: string, json: any) => Promise<any>}} options.api
   * @param {number} options.taskId
   * @param {number|null} options.annotationId  draft of an existing annotation, or null (new)
   * @param {number|null} [options.serverDraftId]
   * @param {string} options.key                 local storage key
   * @param {LocalDrafts} [options.local]
   * @param {number} [options.delay]             debounce before the server write (ms)
   * @param {(status: SyncStatus) => void} [options.onStatus]
   * @param {{setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout}} [options.timers]
   * @param {() => number} [options.now]
   */
  constructor(options) {
    this.api = options.api;
    this.taskId = options.taskId;
    this.annotationId = options.annotationId;
    this.serverDraftId = options.serverDraftId ?? null;
    this.key = options.key;
    this.local = options.local || new LocalDrafts();
    this.delay = options.delay ?? 1500;
    this.onStatus = options.onStatus || (() => {});
    this.timers = options.timers || { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) };
    this.now = options.now || (() => Date.now());
    /** @type {{result: ResultItem[], lead_time: number}|null} */
    this.pending = null;
    /** @type {any} */
    this.timer = null;
    this.failures = 0;
    /** @type {Promise<void>|null} */
    this.inflight = null;
    /** @type {SyncStatus} */
    this.status = { state: "idle", savedAt: null };
    this.closed = false;
  }

  /** @param {Partial<SyncStatus> & {state: SyncState}} status */
  setStatus(status) {
    this.status = { savedAt: this.status.savedAt, ...status };
    this.onStatus(this.status);
  }

  /**
   * Record a change: local copy now, server copy after the debounce.
   * @param {{result: ResultItem[], lead_time: number, parent_prediction?: number|null, parent_annotation?: number|null}} payload
   */
  save(payload) {
    if (this.closed) return;
    const stored = this.local.set(this.key, { ...payload, savedAt: this.now(), serverDraftId: this.serverDraftId, synced: false });
    this.pending = { result: payload.result, lead_time: payload.lead_time };
    this.setStatus({ state: this.status.state === "offline" ? "offline" : "pending", localOnly: !stored });
    this.schedule(this.delay);
  }

  /** @param {number} ms */
  schedule(ms) {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  /** Write the pending change to the server now (also used before leaving and by "online"). */
  async flush() {
    if (this.inflight) {
      await this.inflight;
      if (!this.pending) return;
    }
    const payload = this.pending;
    if (!payload || this.closed) return;
    this.pending = null;
    this.setStatus({ state: "saving" });
    this.inflight = (async () => {
      try {
        const body = { result: payload.result, lead_time: payload.lead_time };
        let draft;
        if (this.serverDraftId) draft = await this.api.patch(`/api/drafts/${this.serverDraftId}/`, body);
        else if (this.annotationId) draft = await this.api.post(`/api/tasks/${this.taskId}/annotations/${this.annotationId}/drafts/`, body);
        else draft = await this.api.post(`/api/tasks/${this.taskId}/drafts/`, body);
        if (draft?.id) this.serverDraftId = draft.id;
        this.failures = 0;
        if (!this.pending) {
          const local = this.local.get(this.key);
          if (local) this.local.set(this.key, { ...local, serverDraftId: this.serverDraftId, synced: true });
        }
        this.setStatus({ state: this.pending ? "pending" : "saved", savedAt: this.now(), error: undefined });
      } catch (error) {
        // Keep the newest payload; retry with backoff (2 s, 4 s ... 30 s).
        if (!this.pending) this.pending = payload;
        this.failures++;
        const status = /** @type {any} */ (error)?.status;
        if (status === 404 && this.serverDraftId) this.serverDraftId = null; // draft deleted elsewhere: create anew
        this.setStatus({ state: "offline", error: /** @type {any} */ (error)?.message || String(error) });
        if (!this.closed) this.schedule(Math.min(30000, 1000 * 2 ** this.failures));
      } finally {
        this.inflight = null;
      }
    })();
    await this.inflight;
  }

  /** Whether there are changes the server has not got yet. */
  get dirty() {
    return Boolean(this.pending || this.inflight || this.status.state === "offline");
  }

  /** Forget the draft (after submit/update): local copy removed, timers stopped. */
  discard() {
    this.closed = true;
    this.pending = null;
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.local.remove(this.key);
  }

  /** Stop syncing (leaving the task); the local copy stays. */
  close() {
    this.closed = true;
    if (this.timer) this.timers.clearTimeout(this.timer);
  }
}
