// @ts-check
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, encode, maskFromRle, rleFromMask } from "../rle.js";

/** @param {number} seed */
function rng(seed) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test("round-trips runs, literals and 65,536-long runs", () => {
  const rand = rng(7);
  const cases = [
    [], [0], [5, 5], [1, 2, 3], new Array(65536).fill(0), new Array(65537).fill(9), new Array(131073).fill(255),
    Array.from({ length: 3000 }, () => (rand() < 0.7 ? 0 : 255)),
    Array.from({ length: 70001 }, (_, i) => (i < 35000 ? 0 : i % 3 ? 255 : 7)),
  ];
  for (const values of cases) {
    const bytes = encode(values);
    assert.deepEqual(Array.from(decode(bytes)), values.map(Number));
  }
});

test("header: 32-bit count, word size 8, run sizes 3/4/8/16", () => {
  const bytes = encode([0, 0, 0, 0]);
  // 4 values; 00111 (8-1); 0010 0011 0111 1111; run flag 1, size 00, length 011, value 00000000
  assert.deepEqual(bytes.slice(0, 4), [0, 0, 0, 4]);
  assert.deepEqual(bytes, [0, 0, 0, 4, 57, 27, 252, 96, 0]);
});

test("a Label Studio converter RLE (mask2rle of a 3x2 mask) decodes to its mask", () => {
  // label_studio_sdk.converter.brush.mask2rle(np.array([[0,255,255],[0,0,255]], np.uint8))
  const rle = [0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 206, 1, 31, 248];
  assert.deepEqual(Array.from(maskFromRle(rle, 3, 2)), [0, 255, 255, 0, 0, 255]);
  assert.deepEqual(Array.from(maskFromRle(rleFromMask([0, 255, 255, 0, 0, 255], 3, 2), 3, 2)), [0, 255, 255, 0, 0, 255]);
});

test("damaged data is refused", () => {
  assert.throws(() => decode([0, 0, 0, 9, 57]), /ends early/);
  assert.throws(() => maskFromRle(encode([0, 0, 0, 0]), 2, 2), /needs 16/);
});
