import { test } from "node:test";
import assert from "node:assert/strict";
import { readParagraphs, paragraphValue, paragraphRanges } from "../lib/paragraphs.js";

const texts = ["Hi, Bob 😀.", "", "Hello, Alice! How are you?"];

test("reading the task value", () => {
  assert.deepEqual(readParagraphs([{ author: "A", text: "x" }, { author: null, text: 3 }], "author", "text"), [{ name: "A", text: "x" }, { name: "", text: "3" }]);
  assert.throws(() => readParagraphs("nope", "author", "text"), /expects a list of objects/);
});

test("a selection within one paragraph", () => {
  assert.deepEqual(paragraphValue(texts, { index: 0, offset: 4 }, { index: 0, offset: 7 }), { start: "0", end: "0", startOffset: 4, endOffset: 7, text: "Bob" });
});

test("a selection between paragraphs, code-point offsets, whitespace trimmed", () => {
  const value = paragraphValue(texts, { index: 0, offset: 8 }, { index: 2, offset: 6 });
  assert.deepEqual(value, { start: "0", end: "2", startOffset: 8, endOffset: 6, text: "😀.\n\nHello," });
  // reversed selection, leading space trimmed
  assert.deepEqual(paragraphValue(texts, { index: 2, offset: 13 }, { index: 2, offset: 6 }), { start: "2", end: "2", startOffset: 7, endOffset: 13, text: "Alice!" });
  assert.equal(paragraphValue(texts, { index: 0, offset: 3 }, { index: 0, offset: 4 }), null);
});

test("ranges for highlighting a stored span", () => {
  assert.deepEqual(paragraphRanges(texts, { start: "0", end: "2", startOffset: 8, endOffset: 6 }), [
    { index: 0, from: 8, to: 11 }, { index: 2, from: 0, to: 6 },
  ]);
  assert.deepEqual(paragraphRanges(texts, { start: "9", end: "9", startOffset: 0, endOffset: 1 }), []);
});

import { phraseTimes, phraseAt, playheadTime, followMessage } from "../lib/paragraphs.js";

test("phrase times: end, duration, up to the next start, untimed", () => {
  const times = phraseTimes([
    { text: "a", start: 0, end: 1.5 },
    { text: "b", start: "1.5", duration: 1 },
    { text: "c", start: 3 },
    { text: "d" },
    { text: "e", start: 4.5 },
  ]);
  assert.deepEqual(times, [{ start: 0, end: 1.5 }, { start: 1.5, end: 2.5 }, { start: 3, end: 4.5 }, null, { start: 4.5, end: Infinity }]);
  assert.deepEqual(phraseTimes("nope"), []);
});

test("the phrase at a time: [start, end), gaps, overlaps", () => {
  const times = [{ start: 0, end: 1 }, { start: 1, end: 2 }, null, { start: 3, end: 5 }, { start: 4, end: 4.5 }];
  assert.equal(phraseAt(times, 0), 0);
  assert.equal(phraseAt(times, 0.99), 0);
  assert.equal(phraseAt(times, 1), 1); // end excluded
  assert.equal(phraseAt(times, 2.5), -1); // a gap
  assert.equal(phraseAt(times, 4.2), 4); // the later-starting of two overlapping
  assert.equal(phraseAt(times, 4.7), 3);
  assert.equal(phraseAt(times, 9), -1);
  assert.equal(phraseAt([], 1), -1);
});

test("the playhead runs at the speed while playing, stands still otherwise", () => {
  let head = { time: 0, at: 0, playing: false, speed: 1 };
  assert.equal(playheadTime(head, 5000), 0);
  head = followMessage(head, { type: "play", time: 2 }, 1000);
  assert.equal(playheadTime(head, 1000), 2);
  assert.equal(playheadTime(head, 2500), 3.5);
  head = followMessage(head, { type: "speed", speed: 2 }, 2000); // at 3 s
  assert.equal(head.time, 3);
  assert.equal(playheadTime(head, 3000), 5);
  head = followMessage(head, { type: "seek", time: 1 }, 3000); // still playing
  assert.equal(playheadTime(head, 3500), 2);
  head = followMessage(head, { type: "pause" }, 4000); // no time: where it was
  assert.equal(head.time, 3);
  assert.equal(playheadTime(head, 9000), 3);
  assert.equal(head.playing, false);
  assert.equal(playheadTime({ time: 1, at: 5, playing: true, speed: 1 }, 0), 1); // never backwards
});
