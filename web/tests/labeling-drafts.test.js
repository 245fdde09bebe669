// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { DraftSync, LocalDrafts, draftKey, pickDraft } from "../static/labeling/drafts.js";
import { LeadTimer } from "../static/labeling/leadtime.js";

class MemoryStorage {
  constructor() {
    /** @type {Map<string, string>} */
    this.map = new Map();
  }
  /** @param {string} k */ getItem(k) { return this.map.get(k) ?? null; }
  /** @param {string} k @param {string} v */ setItem(k, v) { this.map.set(k, v); }
  /** @param {string} k */ removeItem(k) { this.map.delete(k); }
}

function fakeTimers() {
  /** @type {{fn: () => void, at: number}[]} */
  const queue = [];
  return {
    queue,
    timers: /** @type {any} */ ({
      setTimeout: (/** @type {() => void} */ fn, /** @type {number} */ ms) => (queue.push({ fn, at: ms }), queue.length),
      clearTimeout: (/** @type {number} */ id) => { if (queue[id - 1]) queue[id - 1].fn = () => {}; },
    }),
    async runAll() {
      while (queue.length) await queue.shift()?.fn();
    },
  };
}

const ITEM = { id: "abcdefghij", from_name: "c", to_name: "t", type: "choices", value: { choices: ["A"] } };

test("save writes locally at once, posts a new draft after the debounce, then patches it", async () => {
  const storage = new MemoryStorage();
  const local = new LocalDrafts(/** @type {any} */ (storage));
  /** @type {any[]} */
  const calls = [];
  const api = {
    post: async (/** @type {string} */ path, /** @type {any} */ json) => (calls.push(["POST", path, json]), { id: 7 }),
    patch: async (/** @type {string} */ path, /** @type {any} */ json) => (calls.push(["PATCH", path, json]), { id: 7 }),
  };
  const t = fakeTimers();
  /** @type {string[]} */
  const states = [];
  const sync = new DraftSync({ api, taskId: 3, annotationId: null, key: draftKey(1, 3, null), local, timers: t.timers, onStatus: (s) => states.push(s.state) });
  sync.save({ result: [ITEM], lead_time: 1.5 });
  assert.equal(local.get("labelloom.draft.1.3.new")?.result.length, 1, "kept locally before any request");
  assert.equal(calls.length, 0);
  assert.equal(sync.dirty, true);
  await t.runAll();
  assert.deepEqual(calls, [["POST", "/api/tasks/3/drafts/", { result: [ITEM], lead_time: 1.5 }]]);
  assert.equal(local.get("labelloom.draft.1.3.new")?.synced, true);
  sync.save({ result: [], lead_time: 2 });
  sync.save({ result: [ITEM], lead_time: 3 });
  await t.runAll();
  assert.deepEqual(calls.slice(1), [["PATCH", "/api/drafts/7/", { result: [ITEM], lead_time: 3 }]], "debounced: one write with the newest state");
  assert.equal(sync.dirty, false);
  assert.deepEqual(states.slice(-2), ["saving", "saved"]);
});

test("a draft of an existing annotation goes to the annotation's draft route", async () => {
  /** @type {string[]} */
  const paths = [];
  const api = { post: async (/** @type {string} */ p) => (paths.push(p), { id: 1 }), patch: async () => ({}) };
  const t = fakeTimers();
  const sync = new DraftSync({ api, taskId: 3, annotationId: 11, key: "k", local: new LocalDrafts(null), timers: t.timers });
  sync.save({ result: [], lead_time: 0 });
  await t.runAll();
  assert.deepEqual(paths, ["/api/tasks/3/annotations/11/drafts/"]);
});

test("offline: the status says so, the change stays queued and is retried with backoff", async () => {
  let online = false;
  /** @type {number} */
  let posts = 0;
  const api = {
    post: async () => {
      posts++;
      if (!online) throw new Error("Failed to fetch");
      return { id: 9 };
    },
    patch: async () => ({}),
  };
  const t = fakeTimers();
  /** @type {any[]} */
  const statuses = [];
  const sync = new DraftSync({ api, taskId: 1, annotationId: null, key: "k", local: new LocalDrafts(/** @type {any} */ (new MemoryStorage())), timers: t.timers, onStatus: (s) => statuses.push(s) });
  sync.save({ result: [ITEM], lead_time: 1 });
  await t.queue.shift()?.fn();
  assert.equal(statuses.at(-1).state, "offline");
  assert.equal(t.queue[0].at, 2000, "first retry after 2 s");
  assert.equal(sync.dirty, true);
  online = true;
  await t.runAll();
  assert.equal(posts, 2);
  assert.equal(statuses.at(-1).state, "saved");
  assert.equal(sync.dirty, false);
});

test("discard forgets the local copy; pickDraft prefers the newer unsynced local copy", () => {
  const storage = new MemoryStorage();
  const local = new LocalDrafts(/** @type {any} */ (storage));
  const sync = new DraftSync({ api: /** @type {any} */ ({}), taskId: 1, annotationId: null, key: "k", local, timers: fakeTimers().timers });
  sync.save({ result: [ITEM], lead_time: 1 });
  sync.discard();
  assert.equal(local.get("k"), null);

  const server = { result: [], updated_at: "2026-01-01T10:00:00Z" };
  assert.equal(pickDraft({ result: [], lead_time: 0, savedAt: Date.parse("2026-01-01T10:00:05Z"), synced: false }, server), "local");
  assert.equal(pickDraft({ result: [], lead_time: 0, savedAt: Date.parse("2026-01-01T09:59:00Z"), synced: false }, server), "server");
  assert.equal(pickDraft({ result: [], lead_time: 0, savedAt: Date.parse("2026-01-01T10:00:05Z"), synced: true }, server), "server");
  assert.equal(pickDraft(null, null), null);
  assert.equal(pickDraft({ result: [], lead_time: 0, savedAt: 1, synced: true }, null), "local");
});

test("a storage that refuses (quota) reports localOnly instead of pretending", () => {
  const storage = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); }, removeItem: () => {} };
  /** @type {any[]} */
  const statuses = [];
  const sync = new DraftSync({ api: /** @type {any} */ ({}), taskId: 1, annotationId: null, key: "k", local: new LocalDrafts(/** @type {any} */ (storage)), timers: fakeTimers().timers, onStatus: (s) => statuses.push(s) });
  sync.save({ result: [], lead_time: 0 });
  assert.equal(statuses[0].localOnly, true);
});

test("lead time counts visible, active time only, on top of the base", () => {
  let now = 0;
  const timer = new LeadTimer({ now: () => now, idleAfter: 60, base: 10 });
  now = 30_000;
  assert.equal(timer.seconds(), 40);
  now = 200_000; // idle after 60 s of no activity
  assert.equal(timer.seconds(), 70);
  timer.activity();
  now = 205_000;
  timer.setVisible(false);
  now = 500_000; // hidden tab
  timer.setVisible(true);
  now = 502_000;
  assert.equal(timer.seconds(), 77);
  timer.reset(0);
  now = 503_500;
  assert.equal(timer.seconds(), 1.5);
});
