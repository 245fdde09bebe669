// @ts-check
/**
 * <List name value="$items" title>: items `{id, title, body}` shown read-only. When a Ranker
 * points at the list, the Ranker draws the items (interactively) and the List draws nothing.
 */
import { html, render, nothing } from "lit";
import { listItems } from "../lib/ranker.js";
import { ensureStyles } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderList({ el, model, ctx }) {
  ensureStyles();
  const name = String(model.attrs?.name ?? "");
  if (ctx.controlsFor(name).some((control) => control.tag === "Ranker")) {
    el.hidden = true;
    return () => {};
  }
  const items = listItems(ctx.resolve(model.attrs?.value));
  const title = model.attrs?.title ? String(ctx.resolve(model.attrs.title)) : "";
  render(
    html`<section class="llc-list" aria-label=${title || name} data-object=${name}>
      ${title ? html`<h3 class="llc-list-title">${title}</h3>` : nothing}
      ${items.length
        ? html`<ol class="llc-list-items">${items.map((item) => html`<li class="llc-rank-item htx-ranker-item">
            <div class="llc-rank-content"><div class="llc-rank-title">${item.title}</div>${item.body ? html`<div class="llc-rank-body">${item.body}</div>` : nothing}</div>
          </li>`)}</ol>`
        : html`<p class="muted">No items</p>`}
    </section>`,
    el,
  );
  return () => render(nothing, el);
}
