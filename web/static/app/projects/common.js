// @ts-check
/**
 * Small helpers shared by the project, account and organization pages: unsaved-change marking
 * (the frame asks before leaving, P12), clipboard copy with feedback, project colours.
 */
import { toast } from "../ui.js";

/**
 * Tell the frame whether the page holds unsaved edits (null: all saved).
 * @param {string|null} message what would be lost, e.g. "Your changes to General are not saved."
 */
export function markUnsaved(message) {
  window.dispatchEvent(new CustomEvent("labelloom:unsaved", { detail: message }));
}

/** Copy text and say so; falls back to a hidden textarea where the async clipboard is unavailable. @param {string} text @param {string} [what] */
export async function copyText(text, what = "Copied") {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(`${what} to the clipboard`, { kind: "success", timeout: 2500 });
}

/** The project colour swatches (Label Studio's palette, so imported colours look the same). */
export const PROJECT_COLORS = ["#FFFFFF", "#F52B4F", "#FA8C16", "#F6C549", "#9ACA4F", "#51AAFD", "#7F64FF", "#D55C9D"];
export const COLOR_NAMES = /** @type {Record<string, string>} */ ({
  "#FFFFFF": "No colour", "#F52B4F": "Red", "#FA8C16": "Orange", "#F6C549": "Yellow",
  "#9ACA4F": "Green", "#51AAFD": "Blue", "#7F64FF": "Violet", "#D55C9D": "Pink",
});

/** Whether a project colour means "none" (white is Label Studio's default). @param {string|null|undefined} color */
export const noColor = (color) => !color || /^#?f{3}(f{3})?$/i.test(color);

/** A localized date like "Nov 28, 2026". @param {string|null|undefined} iso */
export function shortDate(iso) {
  return iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "";
}
