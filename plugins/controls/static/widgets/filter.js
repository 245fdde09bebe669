// @ts-check
/**
 * <Filter toName="labels-or-choices" placeholder minlength hotkey>: a search box that narrows
 * the labels/choices of the control named by `toName` as you type. Enter picks the first
 * visible one (and clears the box with `cleanup`), Esc clears, the `hotkey` focuses the box.
 * Choices widgets listen on the filter bus; label chip bars (any *Labels tag) are narrowed in
 * the DOM, since the SDK draws them.
 */
import { html, render, nothing } from "lit";
import { matches, pickFirst, publishFilter } from "../lib/filter.js";
import { ensureStyles, hotkeyBadge, uid } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderFilter({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const toName = String(attrs.toName ?? "");
  const minlength = attrs.minlength === undefined ? 3 : Number(attrs.minlength) || 0;
  const placeholder = String(attrs.placeholder ?? "Quick Filter");
  const root = /** @type {HTMLElement} */ (el.closest(".ll-interface") || document.body);
  const inputId = uid("llc-filter");
  let query = "";

  // Without toName the filter narrows every label bar of the interface.
  const targetHost = () => (toName ? /** @type {HTMLElement|null} */ (root.querySelector(`[data-name="${CSS.escape(toName)}"]`)) : root);
  /** Chips drawn by the SDK's label bar (Labels, RectangleLabels ...). */
  const chips = () => /** @type {HTMLElement[]} */ ([...(targetHost()?.querySelectorAll(".ll-chip") || [])]);

  function apply() {
    publishFilter(store, toName, { query, minlength });
    for (const chip of chips()) {
      const text = chip.querySelector(".ll-chip-text")?.textContent || chip.textContent || "";
      chip.hidden = !matches(text, query, minlength);
    }
    const shown = query.trim().length >= minlength && query.trim() ? chips().filter((c) => !c.hidden).length : null;
    const status = el.querySelector(".llc-filter-status");
    if (status) status.textContent = shown === null ? "" : `${shown} shown`;
  }

  function pick() {
    if (pickFirst(store, toName)) return true;
    const first = chips().find((chip) => !chip.hidden && !(/** @type {HTMLButtonElement} */ (chip).disabled));
    first?.click();
    return Boolean(first);
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    const input = /** @type {HTMLInputElement} */ (event.currentTarget);
    if (event.key === "Enter") {
      event.preventDefault();
      if (pick() && attrs.cleanup) {
        query = input.value = "";
        apply();
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      query = input.value = "";
      apply();
      input.blur();
    }
  }

  render(
    html`<div class="llc-filter" style=${attrs.style ? String(attrs.style) : nothing}>
      <input id=${inputId} type="search" .value=${query} placeholder=${placeholder} aria-label=${toName ? `Filter ${toName}` : "Filter labels"} autocomplete="off"
        @input=${(/** @type {Event} */ e) => { query = /** @type {HTMLInputElement} */ (e.currentTarget).value; apply(); }}
        @keydown=${onKey} />
      ${ctx.settings.hotkeysEnabled && attrs.hotkey ? hotkeyBadge(String(attrs.hotkey)) : nothing}
      <span class="llc-filter-status muted" aria-live="polite"></span>
    </div>`,
    el,
  );

  const offs = [];
  if (attrs.hotkey) {
    offs.push(ctx.hotkey(String(attrs.hotkey), () => /** @type {HTMLInputElement|null} */ (el.querySelector(`#${inputId}`))?.focus(), {
      description: `Filter ${toName}`,
      group: "Labels",
    }));
  }
  // The chip bar redraws on store changes; `hidden` survives those redraws, but new chips
  // (dynamic labels) need the filter too.
  offs.push(store.subscribe(() => query && queueMicrotask(apply)));
  return () => {
    query = "";
    publishFilter(store, toName, { query: "", minlength });
    for (const chip of chips()) chip.hidden = false;
    offs.forEach((off) => off());
    render(nothing, el);
  };
}
