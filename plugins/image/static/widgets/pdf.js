// @ts-check
/**
 * The Pdf object tag: the document in the browser's own PDF viewer (display only, as in Label
 * Studio's Community edition), with a link to open it in a new tab.
 */
import { html, render, nothing } from "lit";
import { ensureImageStyles } from "./ui.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderPdf({ el, model, ctx }) {
  ensureImageStyles();
  const raw = ctx.resolve(model.attrs?.value);
  const url = raw ? ctx.mediaUrl(String(raw)) : "";
  const name = String(model.attrs?.name || "pdf");
  render(url
    ? html`<div class="li-pdf">
        <iframe class="li-pdf-frame" src=${url} title=${`PDF document: ${name}`} loading="lazy"></iframe>
        <a class="li-note" href=${url} target="_blank" rel="noopener">Open the PDF in a new tab</a>
      </div>`
    : html`<p class="li-error" role="alert">This task has no PDF.</p>`, el);
  return () => render(nothing, el);
}

/** @param {{el: HTMLElement, value: any}} args */
export function preview({ el, value }) {
  const url = String(value ?? "");
  const link = document.createElement("a");
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = url.split("/").pop() || url;
  el.replaceChildren(link);
  return () => link.remove();
}
