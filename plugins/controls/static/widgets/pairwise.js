// @ts-check
/**
 * <Pairwise toName="left,right">: pick the better of two objects. Stored as Label Studio does:
 * `{type: "pairwise", to_name: <the Pairwise's own name>, value: {selected: "left"|"right"}}`;
 * choosing the chosen side again clears it. Clicking either object also chooses it, and the
 * chosen object is outlined (`selectionStyle` overrides the outline).
 */
import { html, render, nothing } from "lit";
import { currentValue, toNames, writeValue } from "../lib/control.js";
import { ensureStyles, live } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderPairwise({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const name = String(model.attrs?.name ?? "");
  const [leftName = "left", rightName = "right"] = toNames(model);
  const selectionStyle = model.attrs?.selectionStyle ? String(model.attrs.selectionStyle) : "";
  const root = /** @type {HTMLElement} */ (el.closest(".ll-interface") || document.body);

  const selected = () => currentValue(store, model, "selected");
  /** @param {"left"|"right"} side */
  const choose = (side) => {
    if (ctx.readOnly) return;
    writeValue(store, model, "pairwise", selected() === side ? {} : { selected: side });
  };

  /** The object hosts, found when needed (they may mount after this widget). @param {string} objectName */
  const host = (objectName) => /** @type {HTMLElement|null} */ (root.querySelector(`[data-name="${CSS.escape(objectName)}"]`));
  /** @param {Event} event */
  const onObjectClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.currentTarget);
    // A text selection inside the object is labeling, not a vote.
    if (String(window.getSelection?.() || "").trim()) return;
    choose(target.dataset.name === leftName ? "left" : "right");
  };
  /** @type {HTMLElement[]} */
  let wired = [];
  function wire() {
    for (const objectName of [leftName, rightName]) {
      const found = host(objectName);
      if (found && !wired.includes(found)) {
        found.addEventListener("click", onObjectClick);
        found.classList.add("llc-pairwise-object");
        wired.push(found);
      }
    }
  }
  function outline() {
    const side = selected();
    for (const found of wired) {
      const isChosen = (found.dataset.name === leftName && side === "left") || (found.dataset.name === rightName && side === "right");
      found.classList.toggle("llc-pairwise-chosen", isChosen);
      if (selectionStyle) found.style.cssText = isChosen ? selectionStyle : "";
    }
  }

  function draw() {
    wire();
    outline();
    const side = selected();
    render(
      html`<div class="llc-pairwise" role="group" aria-label=${`${name}: which is better?`} data-control=${name}>
        <button type="button" class="btn llc-pairwise-btn ${side === "left" ? "is-chosen" : ""}" aria-pressed=${side === "left" ? "true" : "false"} ?disabled=${ctx.readOnly}
          @click=${() => choose("left")}><span aria-hidden="true">${side === "left" ? "✓" : "◀"}</span> ${leftName}</button>
        <span class="llc-pairwise-or" aria-hidden="true">or</span>
        <button type="button" class="btn llc-pairwise-btn ${side === "right" ? "is-chosen" : ""}" aria-pressed=${side === "right" ? "true" : "false"} ?disabled=${ctx.readOnly}
          @click=${() => choose("right")}>${rightName} <span aria-hidden="true">${side === "right" ? "✓" : "▶"}</span></button>
      </div>`,
      el,
    );
  }

  // Objects may render after this widget: wire them once the interface settles.
  const timer = setTimeout(draw, 0);
  return live(el, ctx, draw, [
    () => clearTimeout(timer),
    () => {
      for (const found of wired) {
        found.removeEventListener("click", onObjectClick);
        found.classList.remove("llc-pairwise-object", "llc-pairwise-chosen");
        if (selectionStyle) found.style.cssText = "";
      }
      wired = [];
    },
  ]);
}
