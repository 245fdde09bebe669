// @ts-check
/**
 * The alert above the canvas: a load error, or why the annotation cannot be submitted yet
 * (dismissable).
 */
import { html, render, nothing } from "lit";
import { icon } from "../../app/ui.js";

/** @typedef {import("./state.js").SessionState} SessionState */

/** @param {{state: SessionState, host: HTMLElement}} ctx  state: reads loadError, reads and clears blockers */
export function createBlockers({ state, host }) {
  function draw() {
    render(
      state.loadError
        ? html`<div class="error-box">${state.loadError}</div>`
        : state.blockers.length
          ? html`<div class="ll-blocker">${icon("warning", 16)}<div>${state.blockers.map((b) => html`<div>${b}</div>`)}</div>
              <button type="button" class="btn-icon" aria-label="Dismiss" @click=${() => ((state.blockers = []), draw())}>${icon("x")}</button></div>`
          : nothing,
      host,
    );
  }
  return { draw };
}
