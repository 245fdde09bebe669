// @ts-check
/**
 * The Audio widget's chrome: its stylesheet, the toolbar (play, time, zoom, speed, volume) and
 * the status line, drawn with lit; and the waveform colours read from the app's theme.
 */
import { html, svg, nothing } from "lit";
import { ensureStylesheet } from "@labelloom/sdk";
import { SPEEDS, formatTime } from "../lib/timeline.js";

/** Load audio.css once per page. */
export function ensureAudioStyles() {
  ensureStylesheet(new URL("../audio.css", import.meta.url));
}

const PATHS = /** @type {Record<string, string>} */ ({
  play: "M7 4.5v15l12-7.5z",
  pause: "M7 4h3.5v16H7zM13.5 4H17v16h-3.5z",
  back: "M11 6l-6 6 6 6M19 6l-6 6 6 6",
  forward: "M13 6l6 6-6 6M5 6l6 6-6 6",
  "zoom-in": "M10.5 10.5m-6.5 0a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0M15.5 15.5L21 21M10.5 7.5v6M7.5 10.5h6",
  "zoom-out": "M10.5 10.5m-6.5 0a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0M15.5 15.5L21 21M7.5 10.5h6",
  fit: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  volume: "M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a7.5 7.5 0 0 1 0 11",
  mute: "M4 9h4l5-4v14l-5-4H4zM16 9l5 6M21 9l-5 6",
  region: "M4 5v14M20 5v14M8 12l4-3v6z M12 12l4-3v6z",
});

/** @param {string} name */
export function icon(name) {
  const filled = name === "play" || name === "pause";
  return svg`<svg viewBox="0 0 24 24" width="18" height="18" fill=${filled ? "currentColor" : "none"} stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d=${PATHS[name] || ""}></path></svg>`;
}

/**
 * @typedef {object} ToolbarState
 * @property {string} name the Audio tag's name
 * @property {boolean} ready
 * @property {boolean} playing
 * @property {number} time
 * @property {number} duration
 * @property {number} zoom factor (1: the whole clip fits)
 * @property {number} maxZoom
 * @property {number} speed
 * @property {number} volume 0..1
 * @property {boolean} muted
 * @property {boolean} showZoom
 * @property {boolean} showSpeed
 * @property {boolean} showVolume
 * @property {boolean} canPlayRegion
 * @property {string} playHotkey
 */

/**
 * @param {ToolbarState} s
 * @param {{playPause: () => void, skip: (s: number) => void, zoomBy: (d: 1|-1) => void, fit: () => void,
 *   setSpeed: (v: number) => void, setVolume: (v: number) => void, toggleMute: () => void, playRegion: () => void}} on
 */
export function toolbarTemplate(s, on) {
  const speeds = SPEEDS.includes(s.speed) ? SPEEDS : [...SPEEDS, s.speed].sort((a, b) => a - b);
  return html`
    <div class="la-group">
      <button type="button" class="la-btn la-play" ?disabled=${!s.ready} aria-label=${s.playing ? "Pause" : "Play"}
        title=${`${s.playing ? "Pause" : "Play"} (${s.playHotkey})`} @click=${on.playPause}>${icon(s.playing ? "pause" : "play")}</button>
      <button type="button" class="la-btn" ?disabled=${!s.ready} aria-label="Back 1 second" title="Back 1 second (Ctrl+B)" @click=${() => on.skip(-1)}>${icon("back")}</button>
      <button type="button" class="la-btn" ?disabled=${!s.ready} aria-label="Forward 1 second" title="Forward 1 second (Alt+D)" @click=${() => on.skip(1)}>${icon("forward")}</button>
      <span class="la-time" aria-live="off"><span class="la-current">${formatTime(s.time)}</span><span class="la-total"> / ${formatTime(s.duration)}</span></span>
      ${s.canPlayRegion ? html`<button type="button" class="la-btn" aria-label="Play region" title="Play the selected region" @click=${on.playRegion}>${icon("region")}</button>` : nothing}
    </div>
    ${s.showZoom ? html`<div class="la-group">
      <button type="button" class="la-btn" ?disabled=${!s.ready || s.zoom <= 1} aria-label="Zoom out" title="Zoom out (Ctrl+wheel)" @click=${() => on.zoomBy(-1)}>${icon("zoom-out")}</button>
      <span class="la-zoom" title="Zoom">${Math.round(s.zoom * 100)}%</span>
      <button type="button" class="la-btn" ?disabled=${!s.ready || s.zoom >= s.maxZoom} aria-label="Zoom in" title="Zoom in (Ctrl+wheel)" @click=${() => on.zoomBy(1)}>${icon("zoom-in")}</button>
      <button type="button" class="la-btn" ?disabled=${!s.ready || s.zoom === 1} aria-label="Fit" title="Whole clip" @click=${on.fit}>${icon("fit")}</button>
    </div>` : nothing}
    <div class="la-group la-end">
      ${s.showSpeed ? html`<label class="la-field" title="Playback speed">Speed
        <select aria-label="Playback speed" @change=${(/** @type {Event} */ e) => on.setSpeed(Number(/** @type {HTMLSelectElement} */ (e.target).value))}>
          ${speeds.map((v) => html`<option value=${v} ?selected=${v === s.speed}>${v}×</option>`)}
        </select></label>` : nothing}
      ${s.showVolume ? html`<span class="la-field">
        <button type="button" class="la-btn" aria-label=${s.muted ? "Unmute" : "Mute"} title=${s.muted ? "Unmute" : "Mute"} @click=${on.toggleMute}>${icon(s.muted ? "mute" : "volume")}</button>
        <input type="range" min="0" max="1" step="0.05" aria-label="Volume" .value=${String(s.muted ? 0 : s.volume)}
          @input=${(/** @type {Event} */ e) => on.setVolume(Number(/** @type {HTMLInputElement} */ (e.target).value))}></span>` : nothing}
    </div>`;
}

/**
 * @param {{message: string, kind: "" | "busy" | "warning" | "error", regions: number, readOnly: boolean, split: boolean}} s
 */
export function statusTemplate(s) {
  const help = s.readOnly ? "Read only: play, zoom and select segments" : `Pick a label, then drag on the waveform to mark a segment${s.split ? " on a channel" : ""} · click a segment to select it · Ctrl+wheel zooms`;
  return html`
    <span class=${`la-note ${s.kind ? `is-${s.kind}` : ""}`} role=${s.kind === "error" || s.kind === "warning" ? "alert" : nothing}>${s.message || help}</span>
    <span class="la-count">${s.regions} ${s.regions === 1 ? "segment" : "segments"}</span>`;
}

/**
 * Waveform colours from the app's theme (CSS variables of the page).
 * @param {HTMLElement} el
 */
export function themeColors(el) {
  const css = getComputedStyle(el);
  const v = (/** @type {string} */ name, /** @type {string} */ fallback) => css.getPropertyValue(name).trim() || fallback;
  const accent = v("--accent", "#4f6bed");
  return {
    waveColor: v("--text-3", "#8a8f98"),
    progressColor: accent,
    cursorColor: v("--danger", "#e5484d"),
  };
}
