// @ts-check
/**
 * The screen's static skeleton, built once: top strip, blockers, canvas, side panel, bottom bar.
 * Each part then redraws only its own host, so the interface and the outliner keep their DOM
 * across re-renders. Also loads the screen's stylesheet wherever the runtime is mounted.
 */
import { html, render } from "lit";
import { useStyles } from "../../app/ui.js";

/**
 * @typedef {object} SessionLayout
 * @property {HTMLElement} root       the screen's own root (the host element keeps its page's layout)
 * @property {HTMLElement} top
 * @property {HTMLElement} blockers
 * @property {HTMLElement} canvas
 * @property {HTMLElement} instructions
 * @property {HTMLElement} outliner
 * @property {HTMLElement} bottom
 */

/** Replace the host's content with the screen's skeleton. @param {HTMLElement} el @returns {SessionLayout} */
export function mountLayout(el) {
  // The screen's stylesheet, wherever the runtime is mounted (label page, data manager).
  useStyles(new URL("../session.css", import.meta.url).pathname);
  const root = document.createElement("div");
  root.className = "ll-app";
  el.replaceChildren(root);
  render(
    html`<div class="ll-top" role="region" aria-label="Task and annotations"></div>
      <div class="ll-body">
        <main class="ll-main">
          <div class="ll-blockers" role="alert" aria-live="assertive"></div>
          <div class="ll-canvas" aria-busy="true"></div>
        </main>
        <aside class="ll-side" aria-label="Regions and relations">
          <div class="ll-instructions-host"></div>
          <div class="ll-outliner-host"></div>
        </aside>
      </div>
      <footer class="ll-bottom" aria-label="Annotation actions"></footer>`,
    root,
  );
  const part = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  return {
    root,
    top: part(".ll-top"),
    blockers: part(".ll-blockers"),
    canvas: part(".ll-canvas"),
    instructions: part(".ll-instructions-host"),
    outliner: part(".ll-outliner-host"),
    bottom: part(".ll-bottom"),
  };
}
