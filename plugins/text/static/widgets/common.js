// @ts-check
/**
 * Browser helpers shared by the text plugin's object widgets: the stylesheet, reading the task
 * value, span colours and the armed-label -> region step.
 */
import { ensureStylesheet, hexToRgba, valueKey } from "@labelloom/sdk";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("@labelloom/sdk").Region} Region */

/**
 * Load the plugin's stylesheet once; resolves when it applies (widgets measure their layout,
 * e.g. which lines are in view), or after 3 s if it cannot load.
 * @returns {Promise<void>}
 */
export function ensureTextStyles() {
  return ensureStylesheet(new URL("../text.css", import.meta.url));
}

/**
 * The object's value as a string: inline text, a URL to fetch (valueType="url"), or base64.
 * @param {TagNode} model @param {WidgetContext} ctx
 * @returns {Promise<string>}
 */
export async function loadText(model, ctx) {
  const raw = ctx.resolve(model.attrs?.value);
  if (raw == null) return "";
  if (model.attrs?.valueType === "url") {
    const response = await fetch(ctx.mediaUrl(String(raw)));
    if (!response.ok) throw new Error(`Could not load the text from ${raw} (HTTP ${response.status}).`);
    return response.text();
  }
  let text = typeof raw === "string" ? raw : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  const encoding = model.attrs?.encoding;
  if (encoding === "base64" || encoding === "base64unicode") {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    text = encoding === "base64unicode" ? new TextDecoder().decode(bytes) : String.fromCharCode(...bytes);
  }
  return text;
}

export { regionColor } from "@labelloom/sdk";

/**
 * The labels shown for a region (every labels-family item it has).
 * @param {Region} region
 * @returns {string[]}
 */
export function regionLabels(region) {
  const out = [];
  for (const item of region.items) {
    const list = item.value?.[valueKey(item.type)];
    if (Array.isArray(list) && /labels$/.test(item.type)) out.push(...list.map(String));
  }
  return out;
}

/**
 * Create a region from a selection value with the labels armed for this object. Returns the new id, or null (and a reason) when nothing is armed.
 * @param {WidgetContext} ctx @param {string} objectName @param {Record<string, any>} value
 * @returns {{id: string|null, reason?: string}}
 */
export function createSpan(ctx, objectName, value) {
  const armed = ctx.store.armed(objectName);
  if (!armed || !armed.labels.length) return { id: null, reason: "Now pick a label (click it or press its hotkey) to label this selection." };
  const id = ctx.store.createRegion({
    from_name: armed.from_name,
    to_name: objectName,
    type: armed.type,
    value: { ...value, [valueKey(armed.type)]: [...armed.labels] },
  });
  // "Keep label selected" and "Select region after creating it" are applied by the runtime.
  return { id };
}

/** Whether the text result is saved (Label Studio: yes for inline text, no for URLs). @param {TagNode} model */
export function savesText(model) {
  const flag = model.attrs?.saveTextResult;
  if (flag === "yes" || flag === true) return true;
  if (flag === "no" || flag === false) return false;
  return model.attrs?.valueType !== "url";
}

/**
 * A small status line under an object (why a selection did nothing, errors).
 * @param {HTMLElement} el
 */
export function statusLine(el) {
  const line = document.createElement("div");
  line.className = "tx-status";
  line.setAttribute("role", "status");
  line.hidden = true;
  el.append(line);
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  return {
    /** @param {string} message */
    show(message) {
      line.textContent = message;
      line.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(() => (line.hidden = true), 5000);
    },
    hide() {
      line.hidden = true;
    },
  };
}

/** Tint and underline colours of a span. @param {string} color */
export function spanColors(color) {
  return { tint: hexToRgba(color, 0.22), strong: hexToRgba(color, 0.42), line: color };
}

/**
 * "Select first, then pick the label": a selection made while nothing is armed waits; arming a
 * label for this object (chip or hotkey) while the selection is still there labels it.
 * @param {WidgetContext} ctx @param {string} objectName @param {HTMLElement} body
 * @param {(id: string) => void} onCreated
 */
export function pendingSelection(ctx, objectName, body, onCreated) {
  /** @type {Record<string, any>|null} */
  let pending = null;
  const off = ctx.store.subscribe((change) => {
    if (change.kind !== "arm" || !pending) return;
    const selection = window.getSelection();
    const still = selection && !selection.isCollapsed && selection.rangeCount && body.contains(selection.getRangeAt(0).commonAncestorContainer);
    const value = pending;
    pending = null;
    if (!still) return;
    const { id } = createSpan(ctx, objectName, value);
    if (id) {
      selection.removeAllRanges();
      onCreated(id);
    }
  });
  return {
    /** @param {Record<string, any>|null} value */
    set(value) {
      pending = value;
    },
    off,
  };
}
