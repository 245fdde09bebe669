// @ts-check
/**
 * Shared UI pieces for every page: toasts, confirmation and modal dialogs (native <dialog>, so
 * focus is trapped and returned by the browser), inline SVG icons, formatting helpers.
 */
import { html, noChange, render, svg } from "lit";
import { Directive, directive } from "lit/directive.js";

/**
 * A short message at the bottom of the screen; errors stay until dismissed.
 * @param {string} message @param {{kind?: "info"|"success"|"error", timeout?: number}} [options]
 */
export function toast(message, options = {}) {
  const kind = options.kind || "info";
  let host = document.getElementById("toasts");
  if (!host) {
    host = document.createElement("div");
    host.id = "toasts";
    host.setAttribute("role", "status");
    host.setAttribute("aria-live", "polite");
    document.body.append(host);
  }
  const item = document.createElement("div");
  item.className = `toast toast-${kind}`;
  render(html`<span>${message}</span><button class="btn-icon" aria-label="Dismiss" @click=${() => item.remove()}>${icon("x")}</button>`, item);
  host.append(item);
  const timeout = options.timeout ?? (kind === "error" ? 0 : 4000);
  if (timeout) setTimeout(() => item.remove(), timeout);
}

/**
 * Open a modal dialog rendering `content(close)`; resolves with what `close(value)` was given
 * (undefined on Escape). Focus returns to where it was.
 * @template T
 * @param {(close: (value?: T) => void) => import("lit").TemplateResult} content
 * @param {{label: string, wide?: boolean, className?: string}} options
 * @returns {Promise<T|undefined>}
 */
export function openDialog(content, options) {
  const previous = /** @type {HTMLElement|null} */ (document.activeElement);
  const dialog = document.createElement("dialog");
  dialog.className = `modal ${options.wide ? "modal-wide" : ""} ${options.className || ""}`;
  dialog.setAttribute("aria-label", options.label);
  document.body.append(dialog);
  return new Promise((resolve) => {
    /** @type {T|undefined} */
    let result;
    /** @param {T} [value] */
    const close = (value) => {
      result = value;
      dialog.close();
    };
    dialog.addEventListener("close", () => {
      render(null, dialog);
      dialog.remove();
      previous?.focus?.();
      resolve(result);
    });
    render(content(close), dialog);
    dialog.showModal();
  });
}

/**
 * Ask before doing something; destructive actions get a red button.
 * @param {{title: string, message: string|import("lit").TemplateResult, confirm?: string, danger?: boolean}} options
 * @returns {Promise<boolean>}
 */
export async function confirmAction(options) {
  const answer = await openDialog(
    (close) => html`
      <form method="dialog" class="modal-body" @submit=${(/** @type {Event} */ e) => (e.preventDefault(), close(true))}>
        <h2>${options.title}</h2>
        <div class="modal-text">${options.message}</div>
        <footer class="modal-actions">
          <button type="button" class="btn" @click=${() => close(false)}>Cancel</button>
          <button type="submit" class="btn ${options.danger ? "btn-danger" : "btn-primary"}" autofocus>${options.confirm || "OK"}</button>
        </footer>
      </form>`,
    { label: options.title },
  );
  return answer === true;
}

const ICONS = {
  x: "M6 6l12 12M18 6L6 18",
  plus: "M12 5v14M5 12h14",
  check: "M5 12l5 5 9-11",
  chevron: "M9 6l6 6-6 6",
  down: "M6 9l6 6 6-6",
  up: "M6 15l6-6 6 6",
  search: "M11 18a7 7 0 100-14 7 7 0 000 14zM20 20l-4-4",
  filter: "M4 5h16l-6 8v6l-4-2v-4z",
  columns: "M4 5h16v14H4zM10 5v14M16 5v14",
  sort: "M7 4v16M4 17l3 3 3-3M17 20V4M14 7l3-3 3 3",
  trash: "M5 7h14M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  upload: "M12 20V9M7 14l5-5 5 5M5 4h14",
  cloud: "M7 18h10a4 4 0 00.5-7.97A6 6 0 006.2 9.1 4.5 4.5 0 007 18z",
  cpu: "M9 3v2M15 3v2M9 19v2M15 19v2M3 9h2M3 15h2M19 9h2M19 15h2M7 5h10a2 2 0 012 2v10a2 2 0 01-2 2H7a2 2 0 01-2-2V7a2 2 0 012-2zM9 9h6v6H9z",
  settings: "M12 15a3 3 0 100-6 3 3 0 000 6zM19 12l2-1-2-4-2 1-2-1-1-2h-4l-1 2-2 1-2-1-2 4 2 1v1l-2 1 2 4 2-1 2 1 1 2h4l1-2 2-1 2 1 2-4-2-1z",
  sun: "M12 17a5 5 0 100-10 5 5 0 000 10zM12 1v2M12 21v2M4 4l1.5 1.5M18.5 18.5L20 20M1 12h2M21 12h2M4 20l1.5-1.5M18.5 5.5L20 4",
  moon: "M21 13A9 9 0 1111 3a7 7 0 0010 10z",
  keyboard: "M3 6h18v12H3zM7 10h.01M11 10h.01M15 10h.01M7 14h10",
  user: "M12 12a4 4 0 100-8 4 4 0 000 8zM4 21a8 8 0 0116 0",
  refresh: "M20 11a8 8 0 10-2 6M20 4v7h-7",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  copy: "M8 8h12v12H8zM4 16V4h12",
  eye: "M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12zM12 15a3 3 0 100-6 3 3 0 000 6z",
  "eye-off": "M3 3l18 18M10.6 6.1A10 10 0 0112 6c7 0 11 6 11 6a18 18 0 01-3.2 3.8M6.6 6.6C3.2 8.6 1 12 1 12s4 7 11 7a10 10 0 005.4-1.6",
  lock: "M6 11h12v10H6zM8 11V7a4 4 0 018 0v4",
  unlock: "M6 11h12v10H6zM8 11V7a4 4 0 017.5-2",
  undo: "M9 14L4 9l5-5M4 9h11a5 5 0 010 10h-3",
  redo: "M15 14l5-5-5-5M20 9H9a5 5 0 000 10h3",
  play: "M7 4l13 8-13 8z",
  pause: "M7 4h4v16H7zM13 4h4v16h-4z",
  grid: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  list: "M4 6h16M4 12h16M4 18h16",
  link: "M10 14a4 4 0 005.7 0l3-3a4 4 0 00-5.7-5.7l-1 1M14 10a4 4 0 00-5.7 0l-3 3a4 4 0 005.7 5.7l1-1",
  star: "M12 3l2.7 5.6 6.3.9-4.5 4.4 1 6.2L12 17l-5.6 3.1 1-6.2L3 9.5l6.3-.9z",
  info: "M12 22a10 10 0 100-20 10 10 0 000 20zM12 16v-5M12 8h.01",
  warning: "M12 3l10 18H2zM12 10v5M12 18h.01",
  label: "M3 12V4h8l10 10-8 8z M7.5 8.5h.01",
  tag: "M3 12V4h8l10 10-8 8z",
  menu: "M4 6h16M4 12h16M4 18h16",
  comment: "M21 12a8 8 0 01-11.8 7L4 20l1.2-4.6A8 8 0 1121 12z",
};

/**
 * An inline stroke icon (decorative: give the button an aria-label or visible text).
 * @param {keyof typeof ICONS | string} name @param {number} [size]
 */
export function icon(name, size = 16) {
  const path = /** @type {Record<string, string>} */ (ICONS)[name] || ICONS.info;
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${svg`<path d=${path}></path>`}</svg>`;
}

/** "3 minutes ago" from an ISO date. @param {string|null|undefined} iso */
export function timeAgo(iso) {
  if (!iso) return "";
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const units = /** @type {const} */ ([["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]]);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(-Math.round(seconds / size), unit);
  return format.format(-seconds, "second");
}

/** 1234567 -> "1,234,567". @param {number|null|undefined} value */
export const formatNumber = (value) => (value ?? 0).toLocaleString();

/** Whether a key event comes from a text field (single-key hotkeys must ignore those). @param {KeyboardEvent} event */
export function isTyping(event) {
  const target = /** @type {HTMLElement|null} */ (event.composedPath?.()[0] || event.target);
  if (!target || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Load a stylesheet once (each area of the app keeps its CSS beside its modules).
 * @param {string} href absolute URL, e.g. "/static/core/app/datamanager/datamanager.css"
 */
export function useStyles(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

/**
 * `.value=${valueUnlessEditing(v)}` on a text input: like lit's `live`, the input shows `v`
 * after every render, except while it has the focus. A render in the middle of typing (say, a
 * validation answer arriving) must not put the old value back under the user's cursor.
 */
class ValueUnlessEditing extends Directive {
  /** @param {string} value */
  render(value) {
    return value;
  }

  /** @param {any} part @param {[string]} args */
  update(part, [value]) {
    const input = /** @type {HTMLInputElement} */ (part.element);
    const root = /** @type {Document|ShadowRoot} */ (input.getRootNode());
    if (root.activeElement === input || input.value === value) return noChange;
    return value;
  }
}
export const valueUnlessEditing = directive(ValueUnlessEditing);
