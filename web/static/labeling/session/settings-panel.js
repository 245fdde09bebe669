// @ts-check
/**
 * The labeling settings popover of the top bar: one checkbox per setting, saved at once; closes
 * on Escape or a click outside it, like a menu.
 */
import { html } from "lit";
import { saveSettings, SETTING_LABELS } from "../settings.js";

/** @typedef {import("../types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./state.js").SessionState} SessionState */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state          reads and writes showSettings
 * @param {HTMLElement} ctx.root            where the popover lives (its anchor and first input)
 * @param {LabelingSettings} ctx.settings   edited in place
 * @param {() => unknown} ctx.rerender      re-render the interface (settings it draws with changed)
 * @param {() => void} ctx.redrawTop        the popover is part of the top bar
 */
export function createSettingsPanel({ state, root, settings, rerender, redrawTop }) {
  function close() {
    state.showSettings = false;
    redrawTop();
  }

  function toggle() {
    state.showSettings = !state.showSettings;
    redrawTop();
    if (state.showSettings) /** @type {HTMLElement|null} */ (root.querySelector(".ll-popover input"))?.focus();
  }

  function template() {
    return html`<div class="ll-popover" role="dialog" aria-label="Labeling settings"
      @keydown=${(/** @type {KeyboardEvent} */ e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          close();
        }
      }}>
      <h3>Labeling settings</h3>
      ${SETTING_LABELS.map(
        ([key, label, hint]) => html`<label class="check ll-setting">
          <input type="checkbox" .checked=${Boolean(settings[key])}
            @change=${(/** @type {Event} */ e) => {
              settings[key] = /** @type {HTMLInputElement} */ (e.target).checked;
              saveSettings(settings);
              if (key !== "keepLabelSelected" && key !== "selectAfterCreate") rerender();
              redrawTop();
            }} />
          <span><span>${label}</span><small class="muted">${hint}</small></span>
        </label>`,
      )}
    </div>`;
  }

  const onOutside = (/** @type {PointerEvent} */ event) => {
    if (!state.showSettings) return;
    const anchor = root.querySelector(".ll-popover-anchor");
    if (anchor && !event.composedPath().includes(anchor)) close();
  };
  document.addEventListener("pointerdown", onOutside);

  return {
    template,
    toggle,
    close,
    destroy: () => document.removeEventListener("pointerdown", onOutside),
  };
}

/** @typedef {ReturnType<typeof createSettingsPanel>} SettingsPanel */
