// @ts-check
/**
 * <Rating>: a row of icons (star, heart, fire, smile) stored as `{rating: n}`. A radio group:
 * arrows move, Space/Enter/click picks, clicking the current rating clears it; the control's
 * `hotkey` steps the rating up and wraps to none after maxRating, as in Label Studio.
 */
import { html, render, nothing, svg } from "lit";
import { currentValue, target, writeValue } from "../lib/control.js";
import { clickRating, nextRating, ratingValue } from "../lib/values.js";
import { ensureStyles, hotkeyBadge, live } from "./common.js";

const ICONS = /** @type {Record<string, string>} */ ({
  star: "M12 2.8l2.8 5.9 6.4.8-4.7 4.4 1.2 6.4L12 17.2l-5.7 3.1 1.2-6.4L2.8 9.5l6.4-.8z",
  heart: "M12 20.5s-7.5-4.6-9.3-9.2C1.4 7.9 3.6 4.5 7 4.5c2 0 3.5 1.1 5 3 1.5-1.9 3-3 5-3 3.4 0 5.6 3.4 4.3 6.8-1.8 4.6-9.3 9.2-9.3 9.2z",
  fire: "M12 21.5c-4.1 0-7-2.9-7-6.8 0-3.4 2.3-5.6 3.9-7.8.4 1.8 1.3 3 2.5 3.6C11.2 6.9 12.6 4.2 15 2.5c-.3 3 1 5 2.4 6.9 1.1 1.5 1.6 3.2 1.6 5.1 0 4-2.9 7-7 7z",
  smile: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M8.5 14.5s1.3 2 3.5 2 3.5-2 3.5-2 M9 9.5h.01 M15 9.5h.01",
});
const SIZES = /** @type {Record<string, number>} */ ({ small: 16, medium: 24, large: 36 });

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderRating({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  const max = Math.max(1, Number(attrs.maxRating) || 5);
  const iconPath = ICONS[String(attrs.icon || "star")] || ICONS.star;
  const size = SIZES[String(attrs.size || "medium")] || SIZES.medium;
  const smile = attrs.icon === "smile";

  const rating = () => Number(currentValue(store, model, "rating")) || 0;
  /** @param {number} n */
  const set = (n) => {
    if (ctx.readOnly || !target(store, model).active) return;
    writeValue(store, model, "rating", ratingValue(Math.max(0, Math.min(max, n))));
  };

  const extra = [];
  if (attrs.hotkey) {
    extra.push(ctx.hotkey(String(attrs.hotkey), () => set(nextRating(rating(), max)), { description: `Rating “${name}”: one more`, group: "Choices" }));
  }

  /** @param {KeyboardEvent} event @param {number} n */
  function onKey(event, n) {
    const moves = /** @type {Record<string, number>} */ ({ ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 });
    let next = 0;
    if (event.key in moves) next = Math.max(1, Math.min(max, n + moves[event.key]));
    else if (event.key === "Home") next = 1;
    else if (event.key === "End") next = max;
    else return;
    event.preventDefault();
    set(next);
    queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(`[data-star="${next}"]`))?.focus());
  }

  function draw() {
    if (!target(store, model).active) {
      render(nothing, el);
      return;
    }
    const value = rating();
    const focusable = value || 1;
    render(
      html`<div class="llc-rating" data-control=${name}>
        <div role="radiogroup" aria-label=${name} class="llc-stars" style=${`--star: ${size}px`}>
          ${Array.from({ length: max }, (_, i) => {
            const n = i + 1;
            const on = n <= value;
            return html`<button type="button" role="radio" class="llc-star ${on ? "is-on" : ""}" data-star=${n}
              aria-checked=${n === value ? "true" : "false"} aria-label=${`${n} of ${max}`} title=${n === value ? "Click again to clear" : `${n} of ${max}`}
              tabindex=${n === focusable ? "0" : "-1"} ?disabled=${ctx.readOnly}
              @click=${() => set(clickRating(value, n))} @keydown=${(/** @type {KeyboardEvent} */ e) => onKey(e, n)}>
              <svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true">${svg`<path d=${iconPath}
                fill=${on && !smile ? "currentColor" : "none"} stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"></path>`}</svg>
            </button>`;
          })}
        </div>
        <span class="llc-rating-value" aria-hidden="true">${value ? `${value}/${max}` : ""}</span>
        ${ctx.settings.hotkeysEnabled && attrs.hotkey ? hotkeyBadge(String(attrs.hotkey)) : nothing}
      </div>`,
      el,
    );
  }

  return live(el, ctx, draw, extra);
}
