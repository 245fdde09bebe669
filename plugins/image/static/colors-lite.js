// @ts-check
/** RGB of any CSS colour (hex parsed directly; names such as "red" resolved by a canvas). */

/** @type {Map<string, [number, number, number]|null>} */
const cache = new Map();
/** @type {CanvasRenderingContext2D|null} */
let probe = null;

/** @param {string} color @returns {[number, number, number]|null} */
export function parseHex(color) {
  const key = String(color || "").trim();
  if (cache.has(key)) return /** @type {any} */ (cache.get(key));
  let out = hex(key);
  if (!out && typeof document !== "undefined") {
    probe ||= document.createElement("canvas").getContext("2d");
    if (probe) {
      probe.fillStyle = "#000000";
      probe.fillStyle = key;
      out = hex(String(probe.fillStyle));
    }
  }
  cache.set(key, out);
  return out;
}

/** @param {string} text @returns {[number, number, number]|null} */
function hex(text) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(text);
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = h.split("").map((c) => c + c).join("");
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}
