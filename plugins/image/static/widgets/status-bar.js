// @ts-check
/**
 * The status line under the stage: image paging (multi-image tasks), the current tool's hint
 * or a warning or the load error, brush size, brightness / contrast sliders, zoom and image
 * size. Renders from the props given; the controls call back.
 */
import { html, render, nothing } from "lit";
import { TOOLS } from "./tools.js";

/** @typedef {import("./image-state.js").ImageState} ImageState */

/**
 * @typedef {object} StatusProps
 * @property {ImageState} state
 * @property {number} pages number of images (paging shows when `multi`)
 * @property {boolean} multi
 * @property {number} zoom
 * @property {boolean} brightnessControl show the brightness slider
 * @property {boolean} contrastControl show the contrast slider
 * @property {(page: number) => void} goPage
 * @property {(percent: number) => void} setBrightness
 * @property {(percent: number) => void} setContrast
 */

/** @param {HTMLElement} target @param {StatusProps} props */
export function renderStatus(target, { state, pages, multi, zoom, brightnessControl, contrastControl, goPage, setBrightness, setContrast }) {
  const hint = state.hint || (state.error ? "" : TOOLS[state.tool].hint);
  render(html`
    ${multi ? html`<span class="li-pages">
      <button type="button" class="btn btn-icon li-page" aria-label="Previous image (Ctrl ←)" title="Previous image (Ctrl ←)" ?disabled=${state.page === 0} @click=${() => goPage(state.page - 1)}>‹</button>
      <span aria-live="polite">Image ${state.page + 1} of ${pages}</span>
      <button type="button" class="btn btn-icon li-page" aria-label="Next image (Ctrl →)" title="Next image (Ctrl →)" ?disabled=${state.page >= pages - 1} @click=${() => goPage(state.page + 1)}>›</button>
    </span>` : nothing}
    ${state.error ? html`<span class="li-error" role="alert">${state.error}</span>` : html`<span class="li-hint ${state.hint ? "is-warning" : ""}" aria-live="polite">${hint}</span>`}
    <span class="li-meta">
      ${state.tool === "brush" || state.tool === "eraser" ? html`<span title="[ and ] change the size">Size ${state.brushSize}px</span>` : nothing}
      ${brightnessControl ? html`<label class="li-slider">Brightness <input type="range" min="20" max="250" .value=${String(state.brightness)} aria-label="Brightness"
        @input=${(/** @type {any} */ e) => setBrightness(Number(e.target.value))}></label>` : nothing}
      ${contrastControl ? html`<label class="li-slider">Contrast <input type="range" min="20" max="250" .value=${String(state.contrast)} aria-label="Contrast"
        @input=${(/** @type {any} */ e) => setContrast(Number(e.target.value))}></label>` : nothing}
      ${state.loaded ? html`<span class="li-zoom" title="Zoom">${Math.round(zoom * 100)}%</span><span class="muted">${state.width}×${state.height}</span>` : nothing}
    </span>`, target);
}
