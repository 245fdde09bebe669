// @ts-check
/**
 * Schematic SVG thumbnails for template cards: the data on the left (a picture, lines of text, a
 * waveform…), regions drawn in the template's own label colours, and its side controls on the
 * right. No images are fetched; theme colours come from CSS classes (.th-*).
 */
import { svg } from "lit";
import { templateKind } from "./template-kind.js";

/** Drawn thumbnails by catalogue, then by config. @type {WeakMap<object, Map<string, import("lit").SVGTemplateResult>>} */
const caches = new WeakMap();

/** @param {string} config @param {import("../catalogue.js").TagCatalogue} tags what each tag shows or draws */
export function thumbnail(config, tags) {
  let cache = caches.get(tags);
  if (!cache) caches.set(tags, (cache = new Map()));
  let hit = cache.get(config);
  if (!hit) {
    hit = draw(templateKind(config, tags));
    cache.set(config, hit);
  }
  return hit;
}

/** @param {string} color @param {number} [alpha] */
const fill = (color, alpha = 0.35) => `fill:${color};fill-opacity:${alpha};stroke:${color};stroke-width:1.6`;

/** @param {import("./template-kind.js").TemplateKind} kind */
function draw(kind) {
  const c = (/** @type {number} */ i) => kind.colors[i % kind.colors.length];
  const wide = kind.side.length ? 112 : 152;
  return svg`<svg class="thumb" viewBox="0 0 160 100" role="img" aria-hidden="true" focusable="false">
    <rect class="th-bg" x="0" y="0" width="160" height="100" rx="6"></rect>
    ${data(kind, wide, c)}
    ${kind.side.slice(0, 3).map((side, i) => sideControl(side, 120, 10 + i * 28, c))}
  </svg>`;
}

/**
 * @param {import("./template-kind.js").TemplateKind} kind @param {number} w
 * @param {(i: number) => string} c
 */
function data(kind, w, c) {
  const x = 8;
  const y = 8;
  const h = 84;
  switch (kind.data) {
    case "image":
    case "pdf":
      return svg`
        <rect class="th-panel" x=${x} y=${y} width=${w - 8} height=${h} rx="3"></rect>
        ${kind.data === "pdf" || kind.count > 1
          ? svg`<rect class="th-panel2" x=${x + 6} y=${y + 6} width=${w - 20} height=${h - 12} rx="2"></rect>${lines(x + 14, y + 14, w - 36, 5)}`
          : svg`<path class="th-faint" d="M${x} ${y + h} L${x + 30} ${y + 44} L${x + 50} ${y + 64} L${x + 72} ${y + 36} L${x + w - 8} ${y + h} Z"></path>
                <circle class="th-faint" cx=${x + w - 28} cy=${y + 18} r="7"></circle>`}
        ${imageRegion(kind.region, x, y, w - 8, h, c)}`;
    case "video":
      return svg`
        <rect class="th-panel" x=${x} y=${y} width=${w - 8} height=${h - 20} rx="3"></rect>
        <path class="th-ink" d="M${x + (w - 8) / 2 - 7} ${y + 22} l16 10 -16 10 z"></path>
        ${kind.region === "track" || kind.region === "rect" ? svg`<rect style=${fill(c(0), 0.2)} x=${x + 14} y=${y + 14} width="26" height="26" rx="1"></rect>` : null}
        <rect class="th-faint" x=${x} y=${y + h - 12} width=${w - 8} height="8" rx="2"></rect>
        <rect style=${fill(c(0), 0.8)} x=${x + 12} y=${y + h - 12} width="22" height="8" rx="2"></rect>
        <rect style=${fill(c(1), 0.8)} x=${x + 50} y=${y + h - 12} width="14" height="8" rx="2"></rect>`;
    case "audio":
      return svg`${wave(x, y + h / 2, w - 8, kind.region === "span", c)}`;
    case "timeseries":
      return svg`
        <path class="th-line" d="M${x} 62 L20 40 L30 55 L40 30 L52 58 L62 44 L74 70 L86 36 L96 52 L${x + w - 8} 40"></path>
        ${kind.region === "span" ? svg`<rect style=${fill(c(0), 0.22)} x="34" y=${y} width="24" height=${h} stroke-width="0"></rect>
          <rect style=${fill(c(1), 0.22)} x="80" y=${y} width="14" height=${h}></rect>` : null}
        <line class="th-faint-line" x1=${x} y1=${y + h} x2=${x + w - 8} y2=${y + h}></line>`;
    case "dialogue":
      return svg`
        <rect class="th-panel" x=${x} y=${y + 2} width=${w * 0.62} height="20" rx="8"></rect>
        <rect class="th-accent" x=${x + w * 0.3} y=${y + 30} width=${w * 0.62} height="20" rx="8"></rect>
        <rect class="th-panel" x=${x} y=${y + 58} width=${w * 0.55} height="20" rx="8"></rect>
        ${kind.region === "span" ? svg`<rect style=${fill(c(0), 0.55)} x=${x + 8} y=${y + 9} width="26" height="6" rx="2"></rect>` : null}`;
    case "table":
      return svg`${[0, 1, 2, 3].map((row) => svg`
        <rect class=${row ? "th-panel" : "th-panel2"} x=${x} y=${y + row * 21} width=${(w - 8) * 0.4} height="18" rx="2"></rect>
        <rect class="th-panel" x=${x + (w - 8) * 0.42} y=${y + row * 21} width=${(w - 8) * 0.58} height="18" rx="2"></rect>`)}`;
    case "list":
      return svg`${[0, 1, 2, 3].map((row) => svg`
        <rect class="th-panel" x=${x} y=${y + row * 21} width=${w - 8} height="17" rx="3"></rect>
        <rect class="th-ink" x=${x + 5} y=${y + row * 21 + 6} width="6" height="5" rx="1"></rect>
        <rect class="th-faint" x=${x + 16} y=${y + row * 21 + 6} width=${(w - 30) * (0.9 - row * 0.15)} height="5" rx="2"></rect>`)}`;
    case "text":
    case "html":
      return svg`
        ${kind.data === "html" ? svg`<text class="th-code" x=${x} y=${y + 9}>&lt;/&gt;</text>` : null}
        ${lines(x, y + (kind.data === "html" ? 16 : 4), w - 8, kind.data === "html" ? 6 : 7)}
        ${kind.region === "span"
          ? svg`<rect style=${fill(c(0), 0.45)} x=${x + 14} y=${y + (kind.data === "html" ? 14 : 2)} width="26" height="10" rx="2"></rect>
                <rect style=${fill(c(1), 0.45)} x=${x + 44} y=${y + (kind.data === "html" ? 26 : 24)} width="30" height="10" rx="2"></rect>
                <rect style=${fill(c(2), 0.45)} x=${x + 4} y=${y + (kind.data === "html" ? 50 : 46)} width="22" height="10" rx="2"></rect>`
          : null}`;
    default:
      return svg`<rect class="th-panel" x=${x} y=${y} width=${w - 8} height=${h} rx="3" stroke-dasharray="4 3"></rect>`;
  }
}

/** @param {number} x @param {number} y @param {number} w @param {number} count */
function lines(x, y, w, count) {
  const widths = [1, 0.86, 0.94, 0.7, 0.9, 0.8, 0.6];
  return Array.from({ length: count }, (_, i) => svg`<rect class="th-faint" x=${x} y=${y + 2 + i * 11} width=${w * widths[i % widths.length]} height="6" rx="3"></rect>`);
}

/**
 * @param {number} x @param {number} mid @param {number} w @param {boolean} segments
 * @param {(i: number) => string} c
 */
function wave(x, mid, w, segments, c) {
  const bars = [];
  for (let i = 0; i < w; i += 4) {
    const height = 6 + Math.abs(Math.sin(i * 0.21) * 22 + Math.sin(i * 0.07) * 10);
    bars.push(svg`<rect class="th-ink-soft" x=${x + i} y=${mid - height / 2} width="2.2" height=${height} rx="1"></rect>`);
  }
  return svg`
    ${segments ? svg`<rect style=${fill(c(0), 0.22)} x=${x + 10} y="14" width=${w * 0.28} height="72" rx="2"></rect>
      <rect style=${fill(c(1), 0.22)} x=${x + w * 0.52} y="14" width=${w * 0.3} height="72" rx="2"></rect>` : null}
    ${bars}`;
}

/**
 * @param {import("./template-kind.js").RegionKind} region
 * @param {number} x @param {number} y @param {number} w @param {number} h
 * @param {(i: number) => string} c
 */
function imageRegion(region, x, y, w, h, c) {
  switch (region) {
    case "rect":
    case "track":
      return svg`<rect style=${fill(c(0), 0.18)} x=${x + 10} y=${y + 26} width=${w * 0.34} height=${h * 0.5} rx="1"></rect>
        <rect style=${fill(c(1), 0.18)} x=${x + w * 0.52} y=${y + 10} width=${w * 0.36} height=${h * 0.42} rx="1"></rect>`;
    case "polygon":
      return svg`<path style=${fill(c(0), 0.3)} d="M${x + 12} ${y + 60} L${x + 30} ${y + 22} L${x + 54} ${y + 30} L${x + 50} ${y + 70} Z"></path>
        <path style=${fill(c(1), 0.3)} d="M${x + 62} ${y + 20} L${x + w - 10} ${y + 16} L${x + w - 16} ${y + 52} L${x + 70} ${y + 46} Z"></path>`;
    case "brush":
      return svg`<path style=${fill(c(0), 0.45)} d="M${x + 10} ${y + 60} q14 -30 34 -16 t30 4 q10 20 -16 26 t-48 -14z"></path>
        <path style=${fill(c(1), 0.45)} d="M${x + 60} ${y + 12} q20 -6 28 10 t-10 22 q-24 2 -18 -32z"></path>`;
    case "ellipse":
      return svg`<ellipse style=${fill(c(0), 0.25)} cx=${x + w * 0.3} cy=${y + h * 0.55} rx="18" ry="24"></ellipse>
        <ellipse style=${fill(c(1), 0.25)} cx=${x + w * 0.72} cy=${y + h * 0.35} rx="16" ry="11"></ellipse>`;
    case "points":
      return svg`${[[0.3, 0.35], [0.55, 0.35], [0.42, 0.55], [0.32, 0.72], [0.54, 0.72]].map(([px, py], i) =>
        svg`<circle style=${fill(c(i), 0.95)} cx=${x + w * px} cy=${y + h * py} r="3.5"></circle>`)}`;
    default:
      return null;
  }
}

/**
 * @param {import("./template-kind.js").SideKind} side @param {number} x @param {number} y
 * @param {(i: number) => string} c
 */
function sideControl(side, x, y, c) {
  switch (side) {
    case "choices":
      return svg`${[0, 1, 2].map((i) => svg`
        <circle class=${i ? "th-ring" : ""} style=${i ? "" : fill(c(0), 0.9)} cx=${x + 4} cy=${y + 3 + i * 8} r="3"></circle>
        <rect class="th-faint" x=${x + 10} y=${y + 1 + i * 8} width="20" height="4" rx="2"></rect>`)}`;
    case "textarea":
      return svg`<rect class="th-field" x=${x} y=${y} width="32" height="20" rx="2"></rect>
        <rect class="th-faint" x=${x + 4} y=${y + 5} width="20" height="3" rx="1.5"></rect>
        <rect class="th-faint" x=${x + 4} y=${y + 11} width="14" height="3" rx="1.5"></rect>`;
    case "rating":
      return svg`${[0, 1, 2, 3].map((i) => svg`<path class=${i < 3 ? "th-star" : "th-ring"} d=${star(x + 4 + i * 8, y + 8, 3.8)}></path>`)}`;
    case "taxonomy":
      return svg`<path class="th-tree" d="M${x + 3} ${y - 2} v20 M${x + 3} ${y + 8} h8 M${x + 3} ${y + 18} h8"></path>
        <rect class="th-faint" x=${x + 13} y=${y + 6} width="18" height="4" rx="2"></rect>
        <rect class="th-faint" x=${x + 13} y=${y + 16} width="14" height="4" rx="2"></rect>
        <rect class="th-faint" x=${x} y=${y - 8} width="22" height="4" rx="2"></rect>`;
    case "pairwise":
      return svg`<rect class="th-field" x=${x} y=${y} width="14" height="20" rx="2"></rect>
        <rect style=${fill(c(0), 0.4)} x=${x + 18} y=${y} width="14" height="20" rx="2"></rect>`;
    case "ranker":
      return svg`${[0, 1, 2].map((i) => svg`<rect class="th-field" x=${x} y=${y + i * 7} width=${32 - i * 6} height="5" rx="1.5"></rect>`)}`;
    case "number":
    case "datetime":
      return svg`<rect class="th-field" x=${x} y=${y + 4} width="32" height="12" rx="2"></rect>
        <text class="th-code" x=${x + 4} y=${y + 13}>${side === "number" ? "12" : "05/01"}</text>`;
    case "relations":
      return svg`<path class="th-tree" d="M${x + 2} ${y + 16} q14 -18 28 0" marker-end=""></path>
        <circle style=${fill(c(0), 0.9)} cx=${x + 2} cy=${y + 16} r="2.5"></circle><circle style=${fill(c(1), 0.9)} cx=${x + 30} cy=${y + 16} r="2.5"></circle>`;
    default:
      return null;
  }
}

/** @param {number} cx @param {number} cy @param {number} r */
function star(cx, cy, r) {
  const points = [];
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 ? r * 0.45 : r;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    points.push(`${(cx + radius * Math.cos(angle)).toFixed(1)} ${(cy + radius * Math.sin(angle)).toFixed(1)}`);
  }
  return `M${points.join(" L")} Z`;
}
