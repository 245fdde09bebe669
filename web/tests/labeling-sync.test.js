// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSyncHub } from "../static/labeling/sync.js";

test("sync: members of a group hear each other, never themselves, and groups stay apart", () => {
  const hub = createSyncHub();
  const audio = hub.channel("clip", "audio");
  const plot = hub.channel("clip", "plot");
  const other = hub.channel("elsewhere", "video");
  /** @type {any[]} */ const heard = [];
  audio.subscribe((m) => heard.push(["audio", m]));
  const offPlot = plot.subscribe((m) => heard.push(["plot", m]));
  other.subscribe((m) => heard.push(["video", m]));
  audio.publish({ type: "seek", time: 1.5 });
  assert.deepEqual(heard, [["plot", { type: "seek", time: 1.5, source: "audio" }]]);
  offPlot();
  audio.publish({ type: "play", time: 2 });
  plot.publish({ type: "range", time: 1, end: 3 });
  assert.deepEqual(heard.slice(1), [["audio", { type: "range", time: 1, end: 3, source: "plot" }]]);
});

test("sync: a failing listener does not stop the others", () => {
  const hub = createSyncHub();
  const seen = [];
  hub.channel("g", "a").subscribe(() => { throw new Error("boom"); });
  hub.channel("g", "b").subscribe((m) => seen.push(m.type));
  const original = console.error;
  console.error = () => {};
  try { hub.channel("g", "c").publish({ type: "pause", time: 0 }); } finally { console.error = original; }
  assert.deepEqual(seen, ["pause"]);
});
