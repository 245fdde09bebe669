// @ts-check
/**
 * Label colours and text escaping shared by the runtime and widgets. DOM-free (node-tested).
 */

/** @typedef {import("./types.js").TagNode} TagNode */

/** Label Studio's default `Label background`; the server fills it in when the config has none. */
export const DEFAULT_LABEL_BACKGROUND = "#36B37E";

/**
 * Colours given, in config order, to labels that kept the default background, so labels stay
 * distinguishable. Mid-tone hues readable with dark text on a 15 % tint in both themes and as
 * solid chips with white or black text (readableTextColor picks which).
 */
export const PALETTE = [
  "#36B37E", "#2F80ED", "#EB5757", "#9B51E0", "#F2994A", "#00A3BF",
  "#D4A100", "#E84393", "#5E60CE", "#6FAF2E", "#13A89E", "#B5651D",
];

/** @param {string} color @returns {[number, number, number]|null} */
export function parseHex(color) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(String(color || "").trim());
  if (!m) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.split("").map((c) => c + c).join("");
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

/**
 * A colour with transparency. Hex colours become rgba(); CSS colour names and other syntaxes
 * fall back to color-mix so `background="red"` in a config still works.
 * @param {string} color @param {number} alpha 0..1
 */
export function hexToRgba(color, alpha) {
  const rgb = parseHex(color);
  const a = Math.max(0, Math.min(1, alpha));
  if (rgb) return `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${a})`;
  return `color-mix(in srgb, ${color} ${Math.round(a * 100)}%, transparent)`;
}

/** WCAG relative luminance of a hex colour (null for non-hex). @param {string} color */
export function luminance(color) {
  const rgb = parseHex(color);
  if (!rgb) return null;
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever contrasts more with the background. @param {string} background */
export function readableTextColor(background) {
  const l = luminance(background);
  if (l === null) return "#fff";
  const withWhite = 1.05 / (l + 0.05);
  const withBlack = (l + 0.05) / 0.05;
  return withBlack >= withWhite ? "#111" : "#fff";
}

/**
 * The colour of one label of a control: its explicit `background`, else a palette colour by the
 * label's position (labels the server gave the default background count as unset).
 * Non-label values (e.g. Choices) get a palette colour by position too.
 * @param {TagNode|undefined|null} control @param {string} value
 */
export function labelColor(control, value) {
  const items = (control?.children || []).filter((c) => c.traits?.includes("label"));
  const index = items.findIndex((c) => c.attrs?.value === value || c.attrs?.alias === value);
  const item = index >= 0 ? items[index] : null;
  const explicit = item?.attrs?.background;
  if (explicit && String(explicit).toUpperCase() !== DEFAULT_LABEL_BACKGROUND) return String(explicit);
  if (index >= 0) return PALETTE[index % PALETTE.length];
  return PALETTE[hashString(value) % PALETTE.length];
}

/** Stable small hash (for colours of labels not in the config, e.g. dynamic labels). @param {string} text */
export function hashString(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

const ESCAPES = /** @type {Record<string, string>} */ ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" });

/** Escape text for HTML (widgets that build markup strings). @param {unknown} text */
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
