// @ts-check
/**
 * <Style>: the config's CSS, scoped to this labeling interface (every selector prefixed), so it
 * styles the config's own Views and classes and never the app around it.
 */
import { scopeCss } from "../lib/css-scope.js";

let counter = 0;

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderStyle({ el, model, ctx }) {
  const root = /** @type {HTMLElement} */ (el.closest(".ll-interface") || el.parentElement || el);
  if (!root.dataset.llcScope) root.dataset.llcScope = `s${++counter}`;
  const style = document.createElement("style");
  style.textContent = scopeCss(String(ctx.resolve(model.text ?? model.attrs?.value ?? "") ?? ""), `[data-llc-scope="${root.dataset.llcScope}"]`);
  el.hidden = true; // nothing to see; keeps layout spacing out of the interface
  el.append(style);
  return () => style.remove();
}
