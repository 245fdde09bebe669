// @ts-check
/**
 * <Number>: a number input (or a slider with `slider="true"`) stored as `{number: n}`; min, max
 * and step are enforced with a clear message (an invalid number is not stored); the control's
 * `hotkey` steps the value up, wrapping past max. `defaultValue` is stored for a new annotation.
 */
import { html, render, nothing } from "lit";
import { currentValue, target, writeValue } from "../lib/control.js";
import { nextNumber, numberValue, parseNumber } from "../lib/values.js";
import { applyDefaultsOnce } from "../lib/defaults.js";
import { ensureStyles, hotkeyBadge, live, uid } from "./common.js";

/** @param {any} v */
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : v !== undefined && v !== null && v !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderNumber({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  const limits = { min: num(attrs.min), max: num(attrs.max), step: num(attrs.step) ?? 1 };
  const fallback = num(attrs.defaultValue);
  // An empty box says what it takes ("0–10") when the config bounds it.
  const rangeHint = limits.min !== undefined && limits.max !== undefined ? `${limits.min}–${limits.max}` : limits.min !== undefined ? `≥ ${limits.min}` : limits.max !== undefined ? `≤ ${limits.max}` : "";
  const errorId = uid("llc-num-err");
  let error = "";
  /** What the annotator typed while it is invalid (so the field does not jump back). */
  let typed = /** @type {string|null} */ (null);

  const stored = () => {
    const v = currentValue(store, model, "number");
    return typeof v === "number" ? v : null;
  };

  /** @param {string} text */
  function commit(text) {
    if (ctx.readOnly || !target(store, model).active) return;
    const out = parseNumber(text, limits);
    error = out.error || "";
    typed = out.error ? text : null;
    if (!out.error) writeValue(store, model, "number", numberValue(out.value));
    draw();
  }

  // Label Studio stores defaultValue when the annotation is sent without a number; we store it
  // when a new annotation starts, so the annotator sees (and drafts keep) what will be saved.
  if (fallback !== undefined && !attrs.perRegion && !ctx.readOnly && stored() === null) {
    applyDefaultsOnce(store, name, () => writeValue(store, model, "number", numberValue(fallback)));
  }

  const extra = [];
  if (attrs.hotkey) {
    extra.push(
      ctx.hotkey(String(attrs.hotkey), () => {
        if (ctx.readOnly) return;
        error = "";
        typed = null;
        writeValue(store, model, "number", numberValue(nextNumber(stored() ?? (fallback !== undefined ? fallback - limits.step : null), limits)));
      }, { description: `Number “${name}”: one step up`, group: "Choices" }),
    );
  }

  function draw() {
    if (!target(store, model).active) {
      render(nothing, el);
      return;
    }
    const value = stored();
    const shown = typed ?? (value ?? fallback ?? "");
    const slider = Boolean(attrs.slider);
    render(
      html`<div class="llc-number" data-control=${name}>
        <input type=${slider ? "range" : "number"} class=${slider ? "llc-slider" : "llc-number-input"} aria-label=${name}
          .value=${String(shown)} min=${limits.min ?? nothing} max=${limits.max ?? nothing} step=${limits.step}
          placeholder=${attrs.placeholder || rangeHint || nothing} ?disabled=${ctx.readOnly}
          aria-invalid=${error ? "true" : "false"} aria-describedby=${errorId}
          @input=${slider ? (/** @type {Event} */ e) => commit(/** @type {HTMLInputElement} */ (e.currentTarget).value) : nothing}
          @change=${(/** @type {Event} */ e) => commit(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
          @keydown=${(/** @type {KeyboardEvent} */ e) => {
            if (e.key === "Enter") commit(/** @type {HTMLInputElement} */ (e.currentTarget).value);
          }} />
        ${slider ? html`<output class="llc-number-output">${shown === "" ? "–" : shown}</output>` : nothing}
        ${value === null && fallback !== undefined && !error ? html`<span class="llc-hint">default</span>` : nothing}
        ${ctx.settings.hotkeysEnabled && attrs.hotkey ? hotkeyBadge(String(attrs.hotkey)) : nothing}
        <span id=${errorId} class="llc-error" role="status" aria-live="polite">${error}</span>
      </div>`,
      el,
    );
  }

  return live(el, ctx, draw, extra);
}
