// @ts-check
/**
 * Project settings sections contributed by plugins (`labelloom_register_settings_panels`):
 * `GET /api/plugins` lists them with their ES module; the module's default export is called as
 * `render({el, project, api, ctx})` and may return a cleanup. A module that fails to load or
 * throws shows an error naming its plugin; the rest of the settings page keeps working.
 */
import { api, errorText } from "../api.js";
import { toast } from "../ui.js";

/** @typedef {{name: string, title: string, icon: string, plugin: string, module: string}} SettingsPanel */
/**
 * @typedef {{
 *   toast: typeof toast,
 *   setDirty: (dirty: boolean) => void,
 *   reloadProject: () => Promise<Record<string, any>>,
 *   plugin: string,
 * }} PanelContext
 */

/** @param {any} catalogue the `GET /api/plugins` body @returns {SettingsPanel[]} */
export function settingsPanels(catalogue) {
  const panels = Array.isArray(catalogue?.settings_panels) ? catalogue.settings_panels : [];
  return panels.filter((/** @type {any} */ p) => p && typeof p.name === "string" && typeof p.module === "string");
}

/**
 * Draw a plugin's panel into `el`; resolves to its cleanup (never rejects).
 * @param {HTMLElement} el
 * @param {SettingsPanel} panel
 * @param {Record<string, any>} project
 * @param {{setDirty: (dirty: boolean) => void, reloadProject: () => Promise<Record<string, any>>}} hooks
 * @returns {Promise<() => void>}
 */
export async function mountPanel(el, panel, project, hooks) {
  /** @type {PanelContext} */
  const ctx = { toast, setDirty: hooks.setDirty, reloadProject: hooks.reloadProject, plugin: panel.plugin };
  try {
    const mod = await import(/* @vite-ignore */ panel.module);
    if (typeof mod.default !== "function") throw new Error(`${panel.module} has no default export function`);
    const cleanup = await mod.default({ el, project, api, ctx });
    return typeof cleanup === "function" ? cleanup : () => {};
  } catch (error) {
    console.error(`settings panel "${panel.name}" of plugin "${panel.plugin}" failed`, error);
    el.replaceChildren();
    const box = document.createElement("div");
    box.className = "error-box";
    box.setAttribute("role", "alert");
    box.textContent = `The "${panel.title}" settings of plugin "${panel.plugin}" could not be shown: ${errorText(error)}`;
    el.append(box);
    return () => {};
  }
}
