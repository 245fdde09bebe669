// @ts-check
/**
 * The annotator's labeling settings (hotkeys on/off, labels on regions ...), kept per browser.
 */

/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */

const KEY = "labelloom.labeling.settings";

/** @type {LabelingSettings} */
export const DEFAULT_SETTINGS = {
  hotkeysEnabled: true,
  showLabels: true,
  keepLabelSelected: true,
  selectAfterCreate: false,
  showLineNumbers: false,
};

/** The saved settings merged over the defaults (a live object shared with widgets). @returns {LabelingSettings} */
export function loadSettings() {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(KEY) || "{}");
    return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === "object" ? saved : {}) };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** @param {LabelingSettings} settings */
export function saveSettings(settings) {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Private mode or a full quota: settings then last for this page only.
  }
}

/** What each setting means, for the settings popover. */
export const SETTING_LABELS = /** @type {[keyof LabelingSettings, string, string][]} */ ([
  ["hotkeysEnabled", "Labeling hotkeys", "Label, choice, tool and single-key region shortcuts. Ctrl/⌘ shortcuts (submit, undo) always work."],
  ["showLabels", "Show labels on regions", "Draw the label name next to each region."],
  ["keepLabelSelected", "Keep label selected after creating a region", "Off: the label is disarmed after each region."],
  ["selectAfterCreate", "Select region after creating it", "The new region becomes selected, so label keys relabel it."],
  ["showLineNumbers", "Show line numbers", "In text objects."],
]);
