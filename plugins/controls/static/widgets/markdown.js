// @ts-check
/**
 * <Markdown value="..."|$field>: Markdown rendered safely (the author's HTML is shown as text,
 * links only http(s)/mailto/relative) — see lib/markdown.js.
 */
import { renderMarkdown } from "../lib/markdown.js";
import { ensureStyles } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderMarkdownTag({ el, model, ctx }) {
  ensureStyles();
  const attrs = model.attrs || {};
  const value = ctx.resolve(attrs.value ?? model.text ?? "");
  const box = document.createElement("div");
  box.className = `llc-markdown ${attrs.className ? String(attrs.className) : ""}`.trim();
  if (attrs.style) box.setAttribute("style", String(attrs.style));
  // renderMarkdown escapes all source text first; only its own markup reaches innerHTML.
  box.innerHTML = renderMarkdown(value === undefined || value === null ? "" : String(value));
  el.append(box);
  return () => box.remove();
}
