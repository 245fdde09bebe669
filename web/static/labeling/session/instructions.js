// @ts-check
/**
 * The project's instructions panel (sanitised HTML) in the side panel: shown, toggled from the
 * top bar, closed from its own header.
 */
import { html, render, nothing } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { icon } from "../../app/ui.js";
import { sanitizeHtml } from "../sanitize.js";

/** @typedef {import("./state.js").SessionState} SessionState */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state     reads project, reads and writes showInstructions
 * @param {HTMLElement} ctx.host
 * @param {() => void} ctx.updateSide  the side panel's visibility depends on the instructions
 * @param {() => void} ctx.redrawTop   the top bar's toggle shows whether they are open
 */
export function createInstructions({ state, host, updateSide, redrawTop }) {
  function draw() {
    updateSide();
    const project = state.project;
    render(
      state.showInstructions && project?.expert_instruction
        ? html`<section class="ll-instructions" aria-label="Instructions">
            <header class="ll-side-head"><h2>Instructions</h2>
              <button type="button" class="btn-icon" aria-label="Close instructions" @click=${() => show(false)}>${icon("x")}</button>
            </header>
            <div class="ll-instructions-body">${unsafeHTML(sanitizeHtml(String(project.expert_instruction)))}</div>
          </section>`
        : nothing,
      host,
    );
  }

  /** Open or close the panel. @param {boolean} open */
  function show(open) {
    state.showInstructions = open;
    draw();
    redrawTop();
  }

  return { draw, show, toggle: () => show(!state.showInstructions) };
}
