// @ts-check
/** The image plugin's stylesheet and toolbar icons (inline SVG, drawn with currentColor). */
import { svg } from "lit";
import { ensureStylesheet } from "@labelloom/sdk";

/** Load image.css once per page. */
export function ensureImageStyles() {
  ensureStylesheet(new URL("../image.css", import.meta.url));
}

const PATHS = /** @type {Record<string, string>} */ ({
  select: "M5 3l13 7-6 1.5L9.5 18z",
  pan: "M12 3v18M3 12h18M12 3l-3 3M12 3l3 3M12 21l-3-3M12 21l3-3M3 12l3-3M3 12l3 3M21 12l-3-3M21 12l-3 3",
  rect: "M4 6h16v12H4z",
  polygon: "M5 18L8 5l11 4-3 10z",
  keypoint: "M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0M12 3v4M12 17v4M3 12h4M17 12h4",
  ellipse: "M12 12m-9 0a9 6 0 1 0 18 0a9 6 0 1 0-18 0",
  brush: "M14 4l6 6-8 8H6v-6zM4 20h5",
  eraser: "M8 20h12M5 15l9-9 5 5-7 7H8z",
  "zoom-in": "M10.5 10.5m-6.5 0a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0M15.5 15.5L21 21M10.5 7.5v6M7.5 10.5h6",
  "zoom-out": "M10.5 10.5m-6.5 0a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0M15.5 15.5L21 21M7.5 10.5h6",
  fit: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  one: "M5 8l2.5-2V18M12 10v.5M12 14v.5M16.5 8L19 6V18",
  "rotate-left": "M4 8a8 8 0 1 1-1 6M4 3v5h5",
  "rotate-right": "M20 8a8 8 0 1 0 1 6M20 3v5h-5",
});

/** @param {string} name */
export function toolIcon(name) {
  return svg`<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d=${PATHS[name] || ""}></path></svg>`;
}
