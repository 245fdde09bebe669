// @ts-check
/**
 * Brush masks as plain bytes (one per image pixel, 0 or 255), DOM-free: painting and erasing
 * are exact (no anti-aliasing), so a stroke gives the same mask in every browser and the RLE
 * stored is reproducible.
 */

/**
 * Set every pixel within `radius` of (cx, cy) to `value`; returns the touched box or null.
 * @param {Uint8Array} mask @param {number} width @param {number} height
 * @param {number} cx @param {number} cy @param {number} radius @param {number} value
 */
export function stamp(mask, width, height, cx, cy, radius, value) {
  const r = Math.max(0.5, radius);
  const x0 = Math.max(0, Math.floor(cx - r)), x1 = Math.min(width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r)), y1 = Math.min(height - 1, Math.ceil(cy + r));
  if (x0 > x1 || y0 > y1) return null;
  const r2 = r * r;
  for (let y = y0; y <= y1; y++) {
    // Pixel centres are at +0.5.
    const dy = y + 0.5 - cy;
    const row = y * width;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      if (dx * dx + dy * dy <= r2) mask[row + x] = value;
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * Paint a stroke segment: stamps every half radius from (ax, ay) to (bx, by).
 * @param {Uint8Array} mask @param {number} width @param {number} height
 * @param {number} ax @param {number} ay @param {number} bx @param {number} by @param {number} radius @param {number} value
 */
export function line(mask, width, height, ax, ay, bx, by, radius, value) {
  const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / Math.max(0.5, radius / 2)));
  let box = null;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const b = stamp(mask, width, height, ax + (bx - ax) * t, ay + (by - ay) * t, radius, value);
    if (b) box = box ? { x0: Math.min(box.x0, b.x0), y0: Math.min(box.y0, b.y0), x1: Math.max(box.x1, b.x1), y1: Math.max(box.y1, b.y1) } : b;
  }
  return box;
}

/** Number of set pixels. @param {Uint8Array} mask */
export function area(mask) {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}

/**
 * RGBA pixels for drawing a mask in a colour (alpha = mask * opacity).
 * @param {Uint8Array} mask @param {[number, number, number]} rgb @param {number} opacity 0-1
 */
export function tint(mask, rgb, opacity) {
  const out = new Uint8ClampedArray(mask.length * 4);
  const a = Math.round(255 * opacity);
  for (let i = 0, j = 0; i < mask.length; i++, j += 4) {
    if (!mask[i]) continue;
    out[j] = rgb[0]; out[j + 1] = rgb[1]; out[j + 2] = rgb[2]; out[j + 3] = a;
  }
  return out;
}
