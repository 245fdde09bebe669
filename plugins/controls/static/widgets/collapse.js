// @ts-check
/**
 * <Collapse accordion bordered> with <Panel value="Title" open>: collapsible sections. Each
 * panel's children are rendered once (ctx.renderChildren) and hidden while closed, so controls
 * inside keep their results; hotkeys of hidden controls are muted by the runtime. With
 * `accordion` (the default) opening one panel closes the others.
 */
import { html, render, nothing } from "lit";
import { ensureStyles, uid } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderCollapse({ el, model, ctx }) {
  ensureStyles();
  const accordion = model.attrs?.accordion !== false;
  const panels = (model.children || []).filter((child) => child.tag === "Panel");
  const ids = panels.map(() => uid("llc-panel"));
  /** @type {boolean[]} */
  const openState = panels.map((panel) => panel.attrs?.open === true || panel.attrs?.open === "true");
  if (accordion) {
    const first = openState.indexOf(true);
    openState.fill(false);
    if (first >= 0) openState[first] = true;
  }

  /** @param {number} index */
  function toggle(index) {
    const next = !openState[index];
    if (accordion) openState.fill(false);
    openState[index] = next;
    draw();
  }

  /** @param {KeyboardEvent} event @param {number} index */
  function onKey(event, index) {
    const buttons = /** @type {HTMLElement[]} */ ([...el.querySelectorAll(":scope > .llc-collapse > .llc-panel > h3 > .llc-panel-toggle")]);
    const go = (/** @type {number} */ i) => buttons[(i + buttons.length) % buttons.length]?.focus();
    if (event.key === "ArrowDown") go(index + 1);
    else if (event.key === "ArrowUp") go(index - 1);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(buttons.length - 1);
    else return;
    event.preventDefault();
  }

  function draw() {
    render(
      html`<div class="llc-collapse ${model.attrs?.bordered ? "is-bordered" : ""}">
        ${panels.map((panel, index) => {
          const title = String(ctx.resolve(panel.attrs?.value ?? "") || `Section ${index + 1}`);
          return html`<section class="llc-panel ${openState[index] ? "is-open" : ""}">
            <h3 class="llc-panel-heading">
              <button type="button" class="llc-panel-toggle" aria-expanded=${openState[index] ? "true" : "false"} aria-controls=${ids[index]}
                @click=${() => toggle(index)} @keydown=${(/** @type {KeyboardEvent} */ e) => onKey(e, index)}>
                <span class="llc-panel-caret" aria-hidden="true">${openState[index] ? "▾" : "▸"}</span>${title}
              </button>
            </h3>
          </section>`;
        })}
      </div>`,
      el,
    );
    // Bodies are real elements created once (their widgets must not be re-mounted on redraw).
    const sections = el.querySelectorAll(":scope > .llc-collapse > .llc-panel");
    sections.forEach((section, index) => {
      const body = bodies[index];
      if (body.parentElement !== section) section.append(body);
      body.hidden = !openState[index];
    });
  }

  const bodies = panels.map((panel, index) => {
    const body = document.createElement("div");
    body.className = "llc-panel-body";
    body.id = ids[index];
    body.setAttribute("role", "region");
    return body;
  });
  draw();
  // The runtime releases these children together with this widget (renderChildren is owned).
  panels.forEach((panel, index) => ctx.renderChildren(bodies[index], panel.children || []));
  return () => {
    bodies.forEach((body) => body.remove());
    render(nothing, el);
  };
}
