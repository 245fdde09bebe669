// @ts-check
/**
 * The canvas: draws the labeling interface for the open tab, keeping the canvas aria-busy until
 * every widget is in place (and its hotkeys registered), so assistive tech and tests know when
 * the task can be worked on; or the "All done" screen when the stream is empty.
 */
import { html, render, nothing } from "lit";

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {{ok: boolean, issues?: any[]}} RenderOutcome */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state
 * @param {HTMLElement} ctx.host
 * @param {(target: HTMLElement, config: string, task: any, readOnly: boolean) => Promise<RenderOutcome>} ctx.renderInterface
 * @param {() => string} ctx.config
 * @param {() => void} ctx.unmountView
 * @param {() => void} ctx.updateSide   the side panel follows the regions the interface shows
 */
export function createCanvas({ state, host, renderInterface, config, unmountView, updateSide }) {
  let rendering = 0;

  /** Draw the interface of the open tab. @returns {Promise<RenderOutcome>} */
  async function draw() {
    host.setAttribute("aria-busy", String(Boolean(++rendering)));
    try {
      return await renderInterface(host, config(), state.task, state.readOnly);
    } finally {
      host.setAttribute("aria-busy", String(Boolean(--rendering)));
    }
  }

  /** Draw again (settings changed), when a tab is open. @returns {Promise<RenderOutcome>} */
  async function rerender() {
    if (!state.task || !state.entry) return { ok: true };
    const out = await draw();
    updateSide();
    return out;
  }

  function showExhausted() {
    unmountView();
    render(
      html`<div class="empty-state ll-done">
        <h2>All done</h2>
        <p>There are no more tasks for you to label in this project.</p>
        ${state.project ? html`<a class="btn" href=${`/projects/${state.project.id}/data`}>Back to the data</a>` : nothing}
      </div>`,
      host,
    );
  }

  return {
    draw,
    rerender,
    showExhausted,
    /** Loading is over (even when it failed): nothing is pending on the canvas any more. */
    settle: () => host.setAttribute("aria-busy", "false"),
  };
}

/** @typedef {ReturnType<typeof createCanvas>} SessionCanvas */
