// @ts-check
/**
 * Label Studio's brush masks: the thi.ng `rle-pack` bit stream (see plugins/image/rle.py, which
 * produces the same bytes). A mask is the image as RGBA bytes (height * width * 4); the alpha
 * channel is the mask. Pure module: no DOM, runs under node --test.
 */

export const RLE_SIZES = /** @type {const} */ ([3, 4, 8, 16]);

/** Big-endian bit writer growing its buffer as needed. */
class BitWriter {
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
    this.pos = 0; // in bits
  }
  /** @param {number} value @param {number} n bits (<= 32) */
  write(value, n) {
    const need = (this.pos + n + 7) >> 3;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    for (let b = n - 1; b >= 0; b--) {
      // Division, not >>>, so 32-bit values stay exact.
      const bit = Math.floor(value / 2 ** b) & 1;
      if (bit) this.buf[this.pos >> 3] |= 0x80 >> (this.pos & 7);
      this.pos++;
    }
  }
  bytes() {
    return this.buf.slice(0, (this.pos + 7) >> 3);
  }
}

/** Big-endian bit reader. */
class BitReader {
  /** @param {ArrayLike<number>} data */
  constructor(data) {
    this.data = data;
    this.pos = 0;
    this.limit = data.length * 8;
  }
  /** @param {number} n */
  read(n) {
    if (this.pos + n > this.limit) throw new RangeError("the run-length data ends early");
    let value = 0;
    for (let i = 0; i < n; i++) {
      const p = this.pos++;
      value = value * 2 + ((this.data[p >> 3] >> (7 - (p & 7))) & 1);
    }
    return value;
  }
}

/**
 * The flat values of an rle-pack stream (8-bit words).
 * @param {ArrayLike<number>} rle
 * @returns {Uint8Array}
 */
export function decode(rle) {
  const input = new BitReader(rle);
  const num = input.read(32);
  const word = input.read(5) + 1;
  if (word !== 8) throw new RangeError(`brush masks use 8-bit words, not ${word}`);
  const sizes = [0, 0, 0, 0].map(() => input.read(4) + 1);
  const out = new Uint8Array(num);
  for (let i = 0; i < num; ) {
    const repeated = input.read(1);
    const j = i + 1 + input.read(sizes[input.read(2)]);
    if (j > num) throw new RangeError("a run goes past the declared length");
    if (repeated) {
      out.fill(input.read(8), i, j);
      i = j;
    } else {
      for (; i < j; i++) out[i] = input.read(8);
    }
  }
  return out;
}

/**
 * rle-pack bytes of `src` (8-bit words, run sizes 3/4/8/16), record for record as thi.ng's
 * encoder (what Label Studio's editor stores), except that a final single value left after a
 * 65,536-long run is written instead of dropped.
 * @param {ArrayLike<number>} src
 * @returns {number[]}
 */
export function encode(src) {
  const num = src.length;
  const out = new BitWriter(Math.max(64, num >> 4));
  out.write(num, 32);
  out.write(7, 5);
  for (const size of RLE_SIZES) out.write(size - 1, 4);
  const [l0, l1, l2, l3] = RLE_SIZES.map((x) => 2 ** x);
  /** @param {number} n */
  const field = (n) => {
    const t = n < l0 ? 0 : n < l1 ? 1 : n < l2 ? 2 : 3;
    out.write(t, 2);
    out.write(n, RLE_SIZES[t]);
  };
  /** @type {number[]} */
  const chunk = [];
  const writeChunk = () => {
    out.write(0, 1);
    field(chunk.length - 1);
    for (const v of chunk) out.write(v, 8);
    chunk.length = 0;
  };
  /** @param {number} v @param {number} copies */
  const writeRun = (v, copies) => {
    out.write(1, 1);
    field(copies - 1);
    out.write(v, 8);
  };
  if (!num) return Array.from(out.bytes());
  let val = src[0];
  let n = 0; // extra copies of val seen
  for (let i = 1; i < num; i++) {
    const x = src[i];
    if (x !== val) {
      if (n > 0) writeRun(val, n + 1);
      else {
        chunk.push(val);
        if (chunk.length === l3) writeChunk();
      }
      val = x;
      n = 0;
    } else {
      if (chunk.length) writeChunk();
      if (++n === l3) {
        writeRun(val, l3);
        n = 0; // the current copy starts the next run
      }
    }
  }
  if (chunk.length) {
    chunk.push(val);
    writeChunk();
  } else {
    writeRun(val, n + 1);
  }
  return Array.from(out.bytes());
}

/**
 * The alpha mask (height * width bytes) of a brush result.
 * @param {ArrayLike<number>} rle @param {number} width @param {number} height
 */
export function maskFromRle(rle, width, height) {
  const rgba = decode(rle);
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`mask holds ${rgba.length} values, but a ${width}x${height} image needs ${width * height * 4}`);
  }
  const mask = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < mask.length; i++, j += 4) mask[i] = rgba[j];
  return mask;
}

/**
 * Brush RLE of an alpha mask: every RGBA channel set to the mask value, as Label Studio's
 * converter (`mask2rle`) writes it.
 * @param {ArrayLike<number>} mask @param {number} width @param {number} height
 */
export function rleFromMask(mask, width, height) {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width * height}`);
  const rgba = new Uint8Array(mask.length * 4);
  for (let i = 0, j = 0; i < mask.length; i++, j += 4) {
    const v = mask[i];
    rgba[j] = v; rgba[j + 1] = v; rgba[j + 2] = v; rgba[j + 3] = v;
  }
  return encode(rgba);
}
