// @ts-check
/**
 * <Header value="..." size="1..6" underline>: a heading; `$vars` are resolved from the task,
 * the text body is used when there is no `value`.
 */
import { html, render, nothing } from "lit";
import { ensureStyles, styleOf } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderHeader({ el, model, ctx }) {
  ensureStyles();
  const attrs = model.attrs || {};
  const raw = attrs.value ?? model.text ?? "";
  const resolved = ctx.resolve(raw);
  const text = resolved === undefined || resolved === null ? "" : typeof resolved === "object" ? JSON.stringify(resolved) : String(resolved);
  const size = Math.min(6, Math.max(1, Number(attrs.size) || 4));
  const cls = `llc-header llc-header-${size} ${attrs.underline ? "is-underlined" : ""}`;
  const style = styleOf(attrs.style);
  const heading = {
    1: html`<h1 class=${cls} style=${style}>${text}</h1>`,
    2: html`<h2 class=${cls} style=${style}>${text}</h2>`,
    3: html`<h3 class=${cls} style=${style}>${text}</h3>`,
    4: html`<h4 class=${cls} style=${style}>${text}</h4>`,
    5: html`<h5 class=${cls} style=${style}>${text}</h5>`,
    6: html`<h6 class=${cls} style=${style}>${text}</h6>`,
  }[size];
  render(heading, el);
  return () => render(nothing, el);
}
