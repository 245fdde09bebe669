// @ts-check
/**
 * The keyboard shortcuts dialog (Shift+?): every hotkey active right now, by group, as the
 * keymap formats it.
 */
import { html, nothing } from "lit";
import { openDialog } from "../../app/ui.js";
import { formatCombo } from "../keymap.js";

/** @typedef {import("../keymap.js").Keymap} Keymap */
/** @typedef {import("../types.js").LabelingSettings} LabelingSettings */

/** @param {Keymap} keymap @param {LabelingSettings} settings */
export function openShortcutsDialog(keymap, settings) {
  const active = keymap.active();
  /** @type {Map<string, typeof active>} */
  const groups = new Map();
  for (const b of active) {
    const list = groups.get(b.group);
    if (list) list.push(b);
    else groups.set(b.group, [b]);
  }
  openDialog(
    // Heading and Close stay put; only the list scrolls, and it opens at its top (the Close
    // button is focused without scrolling anything: it is outside the scrolling part).
    (close) => html`<div class="ll-shortcuts">
      <header class="ll-shortcuts-head"><h2 id="ll-shortcuts-title">Keyboard shortcuts</h2></header>
      <div class="ll-shortcuts-body" tabindex="0" role="region" aria-labelledby="ll-shortcuts-title">
        ${settings.hotkeysEnabled ? nothing : html`<p class="muted">Labeling hotkeys are off (Labeling settings): only Ctrl/⌘ shortcuts work.</p>`}
        ${[...groups].map(
          ([group, list]) => html`<h3>${group}</h3>
            <dl class="ll-shortcut-list">
              ${list.map((b) => html`<dt>${b.parsed.map((c, i) => html`${i ? html`<span class="muted"> or </span>` : nothing}${formatCombo(c).map((k) => html`<kbd>${k}</kbd>`)}`)}</dt><dd>${b.description}</dd>`)}
            </dl>`,
        )}
      </div>
      <footer class="modal-actions ll-shortcuts-foot"><button type="button" class="btn btn-primary" autofocus @click=${() => close()}>Close</button></footer>
    </div>`,
    { label: "Keyboard shortcuts", className: "ll-shortcuts-dialog" },
  );
}
