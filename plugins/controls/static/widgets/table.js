// @ts-check
/**
 * <Table name value="$data" valueType>: task data as a table — a dict as Name/Value rows (sorted
 * by key, as Label Studio does), a list of records with their keys as columns, or CSV text
 * (`valueType="csv|separator=;|headless"`; add `|url` to load the data from a URL).
 */
import { html, render, nothing } from "lit";
import { parseValueType, tableOf } from "../lib/table.js";
import { ensureStyles } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default async function renderTable({ el, model, ctx }) {
  ensureStyles();
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  let data = ctx.resolve(attrs.value);
  const { options } = parseValueType(attrs.valueType);
  /** @param {any} content */
  const show = (content) => render(html`<div class="llc-table-wrap" data-object=${name}>${content}</div>`, el);
  if (options.url && typeof data === "string") {
    show(html`<p class="muted">Loading…</p>`);
    try {
      const response = await fetch(ctx.mediaUrl(data));
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      data = await response.text();
    } catch (error) {
      show(html`<p class="llc-error" role="alert">Could not load ${data}: ${error instanceof Error ? error.message : error}</p>`);
      return () => render(nothing, el);
    }
  }
  const { columns, rows } = tableOf(data, attrs.valueType);
  show(
    rows.length
      ? html`<table class="table llc-table" aria-label=${name}>
          <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>${rows.map((row) => html`<tr>${columns.map((_, i) => (i === 0 && columns[0] === "Name" ? html`<th scope="row">${row[i] ?? ""}</th>` : html`<td>${row[i] ?? ""}</td>`))}</tr>`)}</tbody>
        </table>`
      : html`<p class="muted">No data for ${name}</p>`,
  );
  return () => render(nothing, el);
}
