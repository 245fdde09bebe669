// @ts-check
/**
 * The vertical toolbar beside the stage: one button per tool the image offers, then zoom in /
 * fit / zoom out / 100%, and rotate left / right when the tag allows it. Renders from the props
 * given; the buttons call back.
 */
import { html, render, nothing } from "lit";
import { TOOLS } from "./tools.js";
import { toolIcon } from "./ui.js";

/** @typedef {import("./tools.js").Tool} Tool */

/**
 * @typedef {object} ToolbarProps
 * @property {string} name the Image tag's name
 * @property {Tool[]} tools
 * @property {Tool} active
 * @property {boolean} readOnly only select and pan are usable
 * @property {boolean} rotatable show the rotate buttons
 * @property {(tool: Tool) => void} setTool
 * @property {(factor: number) => void} zoomBy
 * @property {(mode: "fit"|"original") => void} fit
 * @property {(deg: number) => void} rotateView
 */

/** @param {HTMLElement} target @param {ToolbarProps} props */
export function renderToolbar(target, { name, tools, active, readOnly, rotatable, setTool, zoomBy, fit, rotateView }) {
  const button = (/** @type {string} */ label, /** @type {string} */ key, /** @type {string} */ iconName, /** @type {() => void} */ onClick, pressed = /** @type {boolean|null} */ (null), disabled = false) => html`
    <button type="button" class="li-tool" aria-label=${label} title=${key ? `${label} (${key})` : label}
      aria-pressed=${pressed === null ? nothing : pressed ? "true" : "false"} ?disabled=${disabled} @click=${onClick}>${toolIcon(iconName)}</button>`;
  render(html`<div role="toolbar" aria-label=${`Image tools: ${name}`} aria-orientation="vertical">
    ${tools.map((t) => button(TOOLS[t].title, TOOLS[t].key.toUpperCase(), t, () => setTool(t), active === t, readOnly && t !== "select" && t !== "pan"))}
    <span class="li-sep" role="separator"></span>
    ${button("Zoom in", "Ctrl +", "zoom-in", () => zoomBy(1.25))}
    ${button("Zoom to fit", "Shift 1", "fit", () => fit("fit"))}
    ${button("Zoom out", "Ctrl −", "zoom-out", () => zoomBy(0.8))}
    ${button("Actual size (100%)", "Shift 2", "one", () => fit("original"))}
    ${rotatable ? html`${button("Rotate left", "Alt ←", "rotate-left", () => rotateView(-90))}${button("Rotate right", "Alt →", "rotate-right", () => rotateView(90))}` : nothing}
  </div>`, target);
}
