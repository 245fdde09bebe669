// @ts-check
/**
 * <DateTime>: date, time, month and year inputs chosen by `only`, stored as Label Studio does:
 * `{datetime: "2024-05-01T13:45"}` (date+time), "2024-05-01" (date), "13:45" (time),
 * "2024-05" (month+year), "2024" (year), or formatted with `format` (strftime). Values outside
 * min/max are refused with a message.
 */
import { html, render, nothing } from "lit";
import { currentValue, target, writeValue } from "../lib/control.js";
import { checkDateRange, composeDateTime, dateParts, monthNames, splitDateTime, yearRange } from "../lib/values.js";
import { ensureStyles, live, uid } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderDateTime({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  const config = { only: attrs.only ? String(attrs.only) : undefined, format: attrs.format ? String(attrs.format) : undefined };
  const range = { min: attrs.min ? String(attrs.min) : undefined, max: attrs.max ? String(attrs.max) : undefined };
  const parts = dateParts(config.only);
  const errorId = uid("llc-dt-err");
  let error = "";
  /** Parts typed but not yet complete (e.g. a month without a year) live here, not in the store. */
  /** @type {{date: string, time: string, month: string, year: string}|null} */
  let pending = null;

  const stored = () => {
    const v = currentValue(store, model, "datetime");
    return typeof v === "string" ? v : "";
  };

  /** @param {"date"|"time"|"month"|"year"} part @param {string} value */
  function change(part, value) {
    if (ctx.readOnly || !target(store, model).active) return;
    const input = { ...(pending || splitDateTime(stored(), config)), [part]: value };
    const composed = composeDateTime(input, config);
    const iso = composeDateTime(input, { only: config.only });
    error = iso ? checkDateRange(iso, range) || "" : "";
    const cleared = !input.date && !input.time && !input.month && !input.year;
    if (error) pending = input;
    else if (composed) {
      pending = null;
      writeValue(store, model, "datetime", { datetime: composed });
    } else if (cleared) {
      pending = null;
      writeValue(store, model, "datetime", {});
    } else pending = input; // incomplete: keep what was typed, store nothing yet
    draw();
  }

  function draw() {
    if (!target(store, model).active) {
      render(nothing, el);
      return;
    }
    const value = pending || splitDateTime(stored(), config);
    const years = parts.year || parts.month ? yearRange(range) : [];
    const timeBound = (/** @type {string|undefined} */ s) => s?.match(/\d?\d:\d\d/)?.[0] ?? nothing;
    render(
      html`<div class="llc-datetime" data-control=${name} role="group" aria-label=${name} aria-describedby=${errorId}>
        ${parts.month
          ? html`<select aria-label=${`${name}: month`} ?disabled=${ctx.readOnly} aria-invalid=${error ? "true" : "false"}
              @change=${(/** @type {Event} */ e) => change("month", /** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
              <option value="" ?selected=${!value.month}>Month…</option>
              ${monthNames().map((m, i) => html`<option value=${String(i + 1)} ?selected=${value.month === String(i + 1)}>${m}</option>`)}
            </select>`
          : nothing}
        ${parts.year || parts.month
          ? html`<select aria-label=${`${name}: year`} ?disabled=${ctx.readOnly} aria-invalid=${error ? "true" : "false"}
              @change=${(/** @type {Event} */ e) => change("year", /** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
              <option value="" ?selected=${!value.year}>Year…</option>
              ${years.map((y) => html`<option value=${String(y)} ?selected=${value.year === String(y)}>${y}</option>`)}
            </select>`
          : nothing}
        ${parts.date
          ? html`<input type="date" aria-label=${`${name}: date`} .value=${value.date} min=${range.min?.slice(0, 10) || nothing} max=${range.max?.slice(0, 10) || nothing}
              ?readonly=${ctx.readOnly} aria-invalid=${error ? "true" : "false"}
              @change=${(/** @type {Event} */ e) => change("date", /** @type {HTMLInputElement} */ (e.currentTarget).value)} />`
          : nothing}
        ${parts.time
          ? html`<input type="time" aria-label=${`${name}: time`} .value=${value.time} min=${timeBound(range.min)} max=${timeBound(range.max)}
              ?readonly=${ctx.readOnly} @change=${(/** @type {Event} */ e) => change("time", /** @type {HTMLInputElement} */ (e.currentTarget).value)} />`
          : nothing}
        <span id=${errorId} class="llc-error" role="status" aria-live="polite">${error}</span>
      </div>`,
      el,
    );
  }

  return live(el, ctx, draw);
}
