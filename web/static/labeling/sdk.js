// @ts-check
/**
 * @labelloom/sdk — what plugin widgets import (the page's import map points the bare name at
 * /static/core/sdk.js, which re-exports this module). Contract: docs/plugins.md "Browser widgets".
 */
import { html, render, nothing } from "lit";
import { labelColor, hexToRgba, readableTextColor } from "./colors.js";
import { formatHotkey } from "./keymap.js";
import { valueKey } from "./store.js";

export { PALETTE, DEFAULT_LABEL_BACKGROUND, labelColor, hexToRgba, readableTextColor, luminance, escapeHtml, hashString } from "./colors.js";
export { parseHotkey, formatHotkey, formatCombo, matchesCombo, eventKey, isSingleKey, assignHotkeys, AUTO_HOTKEYS, Keymap } from "./keymap.js";
export { createStore, newId, valueKey, CLASSIFICATION_TYPES } from "./store.js";
export { isVisible, controlTargets } from "./visibility.js";

/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").Region} Region */
/** @typedef {import("./types.js").Armed} Armed */
/** @typedef {import("./types.js").StoreChange} StoreChange */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").RegionSpec} RegionSpec */
/** @typedef {import("./types.js").HotkeyOptions} HotkeyOptions */
/** @typedef {import("./types.js").WidgetContext} WidgetContext */
/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./types.js").WidgetRender} WidgetRender */
/** @typedef {import("./types.js").SyncMessage} SyncMessage */
/** @typedef {import("./types.js").SyncChannel} SyncChannel */

/**
 * Colour of a region: the background of its first label in the control that labelled it, or a
 * neutral grey for a region without labels.
 * @param {WidgetContext} ctx @param {Region} region
 */
export function regionColor(ctx, region) {
  for (const item of region.items) {
    const list = item.value?.[valueKey(item.type)];
    if (Array.isArray(list) && list.length && item.from_name) {
      const control = ctx.byName(item.from_name);
      if (control) return ctx.labelColor(control, String(list[0]));
    }
  }
  return "#8c92a1";
}

/** @type {Map<string, Promise<void>>} */
const stylesheets = new Map();

/**
 * Load a stylesheet once per page (a widget's own CSS: `new URL("../my.css", import.meta.url)`).
 * Resolves when it applies, so a widget may measure its layout, or after 3 s if it cannot load
 * (a missing stylesheet never stops a widget from drawing).
 * @param {string|URL} href @returns {Promise<void>}
 */
export function ensureStylesheet(href) {
  const path = typeof href === "string" ? href : href.pathname + href.search;
  let ready = stylesheets.get(path);
  if (ready) return ready;
  if (typeof document === "undefined") return Promise.resolve();
  if (document.querySelector(`link[rel="stylesheet"][href="${path}"]`)) ready = Promise.resolve();
  else {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = path;
    ready = new Promise((resolve) => {
      link.addEventListener("load", () => resolve(), { once: true });
      link.addEventListener("error", () => resolve(), { once: true });
      setTimeout(resolve, 3000);
    });
    document.head.append(link);
  }
  stylesheets.set(path, ready);
  return ready;
}

/** The runtime's stylesheet (label bar, error boxes, layout); idempotent. */
export function ensureLabelingStyles() {
  return ensureStylesheet(new URL("./labeling.css", import.meta.url));
}

/**
 * A hotkey as keycaps, e.g. for chips and tooltips.
 * @param {string|undefined|null} combo
 */
export function hotkeyBadge(combo) {
  if (!combo) return nothing;
  const parts = formatHotkey(combo);
  return html`<span class="ll-hotkey" aria-hidden="true">${parts.map((p) => html`<kbd>${p}</kbd>`)}</span>`;
}

/**
 * The labels a Labels-family control offers: its `<Label>` children, or (value="$field") the
 * task's list of `{value, background?}` / strings. Values written to results use `alias`.
 * @param {TagNode} model @param {WidgetContext} ctx
 * @returns {{value: string, result: string, background: string, hotkey: string, hint: string, node: TagNode|null}[]}
 */
export function labelOptions(model, ctx) {
  /** @type {{value: string, result: string, background: string, hotkey: string, hint: string, node: TagNode|null}[]} */
  const out = [];
  for (const child of model.children || []) {
    if (!child.traits?.includes("label")) continue;
    const value = String(child.attrs?.value ?? "");
    out.push({ value, result: String(child.attrs?.alias || value), background: ctx.labelColor(model, value), hotkey: child.attrs?.hotkey ? String(child.attrs.hotkey) : "", hint: String(child.attrs?.hint || ""), node: child });
  }
  const dynamic = model.attrs?.value ? ctx.resolve(model.attrs.value) : null;
  if (Array.isArray(dynamic)) {
    for (const entry of dynamic) {
      const value = typeof entry === "string" ? entry : String(entry?.value ?? "");
      if (!value) continue;
      const background = (typeof entry === "object" && entry?.background) || ctx.labelColor(model, value);
      out.push({ value, result: value, background, hotkey: "", hint: "", node: null });
    }
  }
  return out;
}

/** The objects a control points at (`toName` may be comma-joined). @param {TagNode} model */
function targetsOf(model) {
  return String(model.attrs?.toName || "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * The label chip bar shared by Labels, RectangleLabels, HyperTextLabels, ParagraphLabels ...
 *
 * The rule (ux.md P9), shown in the bar itself:
 * - no region selected: a chip (click or hotkey) ARMS the label for the next region drawn on the
 *   control's objects (`ctx.store.arm(object, {from_name, type, labels})`, type = tag lowercased);
 *   single choice re-clicking disarms, multiple toggles;
 * - a region of those objects selected: the chip RELABELS that region (single replaces, multiple
 *   toggles; the last label cannot be removed unless `allowEmpty`). The bar's mode chip reads
 *   "Relabel selected region" and Esc/U (unselect) returns to arming.
 * @param {{el: HTMLElement, model: TagNode, ctx: WidgetContext}} args
 * @returns {() => void} cleanup
 */
export function renderLabelControl({ el, model, ctx }) {
  ensureLabelingStyles();
  const name = String(model.attrs?.name || "");
  const type = model.tag.toLowerCase();
  const key = type;
  const multiple = model.attrs?.choice === "multiple";
  const allowEmpty = Boolean(model.attrs?.allowEmpty);
  const targets = targetsOf(model);
  const options = labelOptions(model, ctx);
  const store = ctx.store;
  const selectedRegion = () => {
    const id = store.selectedId;
    const region = id ? store.region(id) : undefined;
    if (!region || !targets.some((t) => region.to_name.split(",").includes(t))) return undefined;
    // A tool's labels relabel only that tool's regions (RectangleLabels never labels a polygon);
    // the generic Labels control labels any region of its objects.
    const fits = type === "labels" || region.type === type || `${region.type}labels` === type;
    return fits ? region : undefined;
  };
  /** Labels this control currently gives the selected region. @param {Region} region */
  const regionLabels = (region) => {
    const item = region.items.find((it) => it.from_name === name);
    const list = item?.value?.[key];
    return Array.isArray(list) ? list.map(String) : [];
  };
  const armedLabels = () => {
    const armed = targets.map((t) => store.armed(t)).find((a) => a && a.from_name === name);
    return armed ? armed.labels : [];
  };
  /** How many regions carry a label (for maxUsages). @param {string} label */
  const usages = (label) => {
    let n = 0;
    for (const t of targets) for (const r of store.regions(t)) if (regionLabels(r).includes(label)) n++;
    return n;
  };

  /** @param {{result: string, node: TagNode|null}} option */
  function choose(option) {
    if (ctx.readOnly) return;
    const region = selectedRegion();
    if (region) {
      if (region.locked) return;
      const current = regionLabels(region);
      let next;
      if (multiple) next = current.includes(option.result) ? current.filter((l) => l !== option.result) : [...current, option.result];
      else next = current.length === 1 && current[0] === option.result && allowEmpty ? [] : [option.result];
      if (!next.length && !allowEmpty) return;
      store.setRegionLabels(region.id, name, type, next);
      return;
    }
    const current = armedLabels();
    let next;
    if (multiple) next = current.includes(option.result) ? current.filter((l) => l !== option.result) : [...current, option.result];
    else next = current.length === 1 && current[0] === option.result ? [] : [option.result];
    for (const t of targets) store.arm(t, next.length ? { from_name: name, type, labels: next } : null);
  }

  const offHotkeys = options
    .filter((o) => o.hotkey)
    .map((o) => ctx.hotkey(o.hotkey, () => choose(o), { description: `Label “${o.value}” (${model.attrs?.name})`, group: "Labels" }));

  function draw() {
    const region = selectedRegion();
    const active = region ? regionLabels(region) : armedLabels();
    const maxUsages = Number(model.attrs?.maxUsages || 0);
    render(
      html`<div class="ll-labelbar" role="toolbar" aria-label=${`Labels: ${name}`}>
        <span class="ll-labelbar-mode ${region ? "is-relabel" : ""}" aria-live="polite"
          title=${region ? "Labels now change the selected region. Press U or Esc to unselect." : active.length ? "The next region you draw gets the highlighted label." : "Pick a label (click it or press its key), then draw a region."}>
          ${region ? "Relabel selected region" : active.length ? `Draws as: ${active.join(", ")}` : "No label picked"}
        </span>
        ${options.map((o) => {
          const on = active.includes(o.result);
          const itemMax = Number(o.node?.attrs?.maxUsages || maxUsages || 0);
          const full = Boolean(itemMax && !on && usages(o.result) >= itemMax);
          return html`<button type="button" class="ll-chip ${on ? "is-on" : ""}" aria-pressed=${on ? "true" : "false"}
            ?disabled=${ctx.readOnly || full || Boolean(region?.locked)}
            title=${[o.hint, o.hotkey ? `Hotkey: ${formatHotkey(o.hotkey).join("+")}` : "", full ? "Maximum uses reached" : ""].filter(Boolean).join(" · ") || o.value}
            style=${`--chip: ${o.background}; --chip-tint: ${hexToRgba(o.background, 0.16)}; --chip-fg: ${readableTextColor(o.background)}`}
            @click=${() => choose(o)}>
            <span class="ll-chip-swatch" aria-hidden="true"></span><span class="ll-chip-text">${o.value}</span>${ctx.settings.hotkeysEnabled ? hotkeyBadge(o.hotkey) : nothing}
          </button>`;
        })}
      </div>`,
      el,
    );
  }
  draw();
  const off = store.subscribe((change) => {
    if (change.kind !== "view") draw();
  });
  return () => {
    off();
    offHotkeys.forEach((fn) => fn());
    render(nothing, el);
  };
}
