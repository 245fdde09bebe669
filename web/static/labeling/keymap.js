// @ts-check
/**
 * One keymap for the labeling screen (ux.md P8): hotkey parsing and matching, scopes, a rule
 * that single keys never fire while the user types, and the list the shortcuts dialog shows.
 * DOM-free: it reads only KeyboardEvent-like fields, so node tests drive it with plain objects.
 */

/** @typedef {import("./types.js").HotkeyOptions} HotkeyOptions */
/** @typedef {{key: string, ctrl: boolean, shift: boolean, alt: boolean, meta: boolean}} Combo */
/** @typedef {{key: string, code?: string, ctrlKey?: boolean, shiftKey?: boolean, altKey?: boolean, metaKey?: boolean, repeat?: boolean}} KeyLike */

const NAMES = /** @type {Record<string, string>} */ ({
  control: "ctrl", ctl: "ctrl", cmd: "meta", command: "meta", "⌘": "meta", option: "alt", opt: "alt",
  return: "enter", esc: "escape", del: "delete", " ": "space", spacebar: "space",
  arrowup: "up", arrowdown: "down", arrowleft: "left", arrowright: "right",
  plus: "+", minus: "-", equal: "=", period: ".", comma: ",", slash: "/",
});

/** Normalise one key name ("Esc" -> "escape", "ArrowLeft" -> "left"). @param {string} name */
function keyName(name) {
  const lower = name.toLowerCase();
  return NAMES[lower] || lower;
}

/**
 * Parse "ctrl+shift+z" (or several, comma-separated: "ctrl+z, meta+z") into combos.
 * `+` and `,` can be keys themselves ("ctrl++", "alt+,").
 * @param {string} text @returns {Combo[]}
 */
export function parseHotkey(text) {
  /** @type {Combo[]} */
  const combos = [];
  for (const part of String(text || "").split(/,(?!$)(?=\s*[^,\s])/)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const tokens = trimmed === "+" ? ["+"] : trimmed.replace(/\+\+$/, "+plus").split("+").filter(Boolean);
    /** @type {Combo} */
    const combo = { key: "", ctrl: false, shift: false, alt: false, meta: false };
    for (const token of tokens) {
      const name = keyName(token.trim());
      if (name === "ctrl") combo.ctrl = true;
      else if (name === "shift") combo.shift = true;
      else if (name === "alt") combo.alt = true;
      else if (name === "meta") combo.meta = true;
      else combo.key = name;
    }
    if (combo.key) combos.push(combo);
  }
  return combos;
}

/** The key an event stands for, independent of Shift/Alt changing the character. @param {KeyLike} event */
export function eventKey(event) {
  const code = event.code || "";
  let m = /^Key([A-Z])$/.exec(code);
  // Use the printed letter when it is a plain letter (keeps non-QWERTY layouts right), else the
  // physical key (Shift+1 prints "!", Alt+A prints "å" on macOS).
  if (/^[a-z]$/i.test(event.key || "")) return event.key.toLowerCase();
  if (m) return m[1].toLowerCase();
  m = /^(?:Digit|Numpad)(\d)$/.exec(code);
  if (m) return m[1];
  if (code === "Period") return ".";
  if (code === "Comma") return ",";
  return keyName(event.key || "");
}

/**
 * Whether an event is this combo. `ctrl` in a combo also accepts ⌘ (macOS), as Label Studio does.
 * @param {KeyLike} event @param {Combo} combo
 */
export function matchesCombo(event, combo) {
  if (eventKey(event) !== combo.key) return false;
  const ctrlWanted = combo.ctrl || combo.meta;
  const ctrlPressed = Boolean(event.ctrlKey || event.metaKey);
  return ctrlWanted === ctrlPressed && Boolean(event.shiftKey) === combo.shift && Boolean(event.altKey) === combo.alt;
}

const IS_MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || "");

const DISPLAY = /** @type {Record<string, string>} */ ({
  ctrl: IS_MAC ? "⌘" : "Ctrl", meta: IS_MAC ? "⌘" : "Meta", shift: "Shift", alt: IS_MAC ? "⌥" : "Alt",
  enter: "Enter", escape: "Esc", space: "Space", backspace: "Backspace", delete: "Delete", tab: "Tab",
  up: "↑", down: "↓", left: "←", right: "→",
});

/** Human form of a hotkey ("ctrl+shift+z" -> ["Ctrl", "Shift", "Z"]), first combo only. @param {string} text */
export function formatHotkey(text) {
  const combo = parseHotkey(text)[0];
  return combo ? formatCombo(combo) : [];
}

/** Keycaps of one parsed combo. @param {Combo} combo @returns {string[]} */
export function formatCombo(combo) {
  const parts = [];
  if (combo.ctrl) parts.push(DISPLAY.ctrl);
  if (combo.meta && !combo.ctrl) parts.push(DISPLAY.meta);
  if (combo.alt) parts.push(DISPLAY.alt);
  if (combo.shift) parts.push(DISPLAY.shift);
  parts.push(DISPLAY[combo.key] || (combo.key.length === 1 ? combo.key.toUpperCase() : combo.key));
  return parts;
}

/** A combo without Ctrl/Alt/Meta: typing it in a text field must not trigger anything. @param {Combo} combo */
export const isSingleKey = (combo) => !combo.ctrl && !combo.alt && !combo.meta;

/** Label Studio's auto-assigned label hotkeys, in order (tool keys r/h/u are not in it). */
export const AUTO_HOTKEYS = "1234567890qwetasdfgzxcvbyiopjklnm".split("");

/**
 * Give every label item (trait "label") of a control of flat labels (trait "labels") without a
 * `hotkey` the next free key from AUTO_HOTKEYS, in config order (mutates the tree; a taxonomy's
 * nested choices are left alone). Keys used explicitly anywhere, or by the runtime
 * (`reserved`), are skipped.
 * @param {import("./types.js").TagNode} tree @param {Iterable<string>} [reserved]
 */
export function assignHotkeys(tree, reserved = []) {
  const used = new Set([...reserved].map((k) => k.toLowerCase()));
  /** @type {import("./types.js").TagNode[]} */
  const pending = [];
  /** @param {import("./types.js").TagNode} node @param {import("./types.js").TagNode|null} parent */
  const walk = (node, parent) => {
    const isItem = Boolean(node.traits?.includes("label") && parent?.traits?.includes("labels"));
    if (isItem) {
      if (node.attrs?.hotkey) used.add(String(node.attrs.hotkey).toLowerCase());
      else pending.push(node);
    }
    for (const child of node.children || []) walk(child, node);
  };
  walk(tree, null);
  let next = 0;
  for (const node of pending) {
    while (next < AUTO_HOTKEYS.length && used.has(AUTO_HOTKEYS[next])) next++;
    if (next >= AUTO_HOTKEYS.length) break;
    node.attrs = { ...node.attrs, hotkey: AUTO_HOTKEYS[next] };
    used.add(AUTO_HOTKEYS[next]);
  }
  return tree;
}

/**
 * @typedef {object} Binding
 * @property {string} combo           as registered ("ctrl+z")
 * @property {Combo[]} parsed
 * @property {(event: any) => any} handler  returns false when it did nothing
 * @property {string} scope           "global", "labeling", "dialog" ...
 * @property {string} description
 * @property {string} group
 * @property {boolean} allowInInputs
 * @property {boolean} always         fires even when hotkeys are switched off (submit, undo)
 * @property {(() => boolean)|null} when  extra condition (e.g. the widget is visible)
 * @property {number} order
 */

export class Keymap {
  constructor() {
    /** @type {Binding[]} */
    this.bindings = [];
    /** Active scopes, innermost last; a modal scope hides every binding outside it. @type {{name: string, modal: boolean}[]} */
    this.scopes = [];
    this.enabled = true;
    this.counter = 0;
  }

  /**
   * Register a binding; returns its removal. Later bindings win over earlier ones for the same key.
   * @param {string} combo @param {(event: any) => any} handler
   * @param {HotkeyOptions & {scope?: string, always?: boolean, when?: () => boolean}} [options]
   */
  add(combo, handler, options = {}) {
    const parsed = parseHotkey(combo);
    if (!parsed.length) return () => {};
    /** @type {Binding} */
    const binding = {
      combo, parsed, handler,
      scope: options.scope || "global",
      description: options.description || "",
      group: options.group || "Other",
      // Only opted-in modifier combos (submit) fire in text fields: ctrl+z there is the field's own undo.
      allowInInputs: Boolean(options.allowInInputs) && !parsed.every(isSingleKey),
      always: Boolean(options.always),
      when: options.when || null,
      order: this.counter++,
    };
    this.bindings.push(binding);
    return () => {
      const i = this.bindings.indexOf(binding);
      if (i >= 0) this.bindings.splice(i, 1);
    };
  }

  /** Enter a scope (e.g. "dialog" while a modal is open); returns the exit. @param {string} name @param {{modal?: boolean}} [options] */
  pushScope(name, options = {}) {
    const entry = { name, modal: Boolean(options.modal) };
    this.scopes.push(entry);
    return () => {
      const i = this.scopes.indexOf(entry);
      if (i >= 0) this.scopes.splice(i, 1);
    };
  }

  /** @param {Binding} b */
  isActive(b) {
    if (!this.enabled && !b.always) return false;
    if (b.when && !b.when()) return false;
    const modal = [...this.scopes].reverse().find((s) => s.modal);
    if (modal) return b.scope === modal.name;
    return b.scope === "global" || this.scopes.some((s) => s.name === b.scope);
  }

  /** Bindings in effect now, for the shortcuts dialog (one row per combo, latest wins). */
  active() {
    /** @type {Map<string, Binding>} */
    const seen = new Map();
    for (const b of this.bindings) if (this.isActive(b)) seen.set(b.parsed.map((c) => JSON.stringify(c)).join("|"), b);
    return [...seen.values()].sort((a, b) => a.group.localeCompare(b.group) || a.order - b.order);
  }

  /**
   * Dispatch a key event; returns the binding that handled it (the caller then prevents default).
   * @param {KeyLike} event @param {{typing?: boolean}} [context] typing: the event comes from a text field
   */
  handle(event, context = {}) {
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i];
      if (!b.parsed.some((combo) => matchesCombo(event, combo))) continue;
      if (!this.isActive(b)) continue;
      if (context.typing && !b.allowInInputs) continue;
      // A handler returning false had nothing to do: the key goes on (to the page, or the browser).
      if (b.handler(event) === false) continue;
      return b;
    }
    return null;
  }
}
