// @ts-check
/**
 * View helpers shared by the widgets of the controls plugin: the stylesheet, redraw-on-change,
 * a safe HTML subset for `html=` attributes, and the hotkey badge.
 */
import { render, nothing } from "lit";
import { ensureLabelingStyles, ensureStylesheet, hotkeyBadge } from "@labelloom/sdk";

export { hotkeyBadge };

/** Load the plugin's stylesheet once (beside this module, so it is versioned with it). */
export function ensureStyles() {
  ensureLabelingStyles();
  ensureStylesheet(new URL("./controls.css", import.meta.url));
}

/**
 * Draw now and after every store change that can affect a control (edits, undo/redo, loads,
 * selection); returns the cleanup, which also clears the element.
 * @param {HTMLElement} el @param {import("@labelloom/sdk").WidgetContext} ctx @param {() => void} draw
 * @param {(() => void)[]} [extra] more cleanups (hotkeys, listeners)
 */
export function live(el, ctx, draw, extra = []) {
  let queued = false;
  const off = ctx.store.subscribe((change) => {
    if (change.kind === "view" || change.kind === "arm") return;
    // Several edits in one tick (a transaction, undo of a group) redraw once.
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      draw();
    });
  });
  draw();
  return () => {
    off();
    extra.forEach((fn) => fn());
    render(nothing, el);
  };
}

const ALLOWED = new Set(["B", "STRONG", "I", "EM", "U", "S", "SUB", "SUP", "BR", "SPAN", "SMALL", "MARK", "CODE", "IMG", "P", "DIV", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI"]);

/**
 * A Choice/Label `html` attribute as a DocumentFragment of harmless markup: only formatting
 * tags survive, every attribute is dropped except an image's http(s)/data:image `src` and `alt`.
 * @param {string} source
 */
export function safeFragment(source) {
  const doc = new DOMParser().parseFromString(`<body>${source}</body>`, "text/html");
  /** @param {Node} node @param {Node} into */
  const copy = (node, into) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.TEXT_NODE) into.appendChild(document.createTextNode(child.textContent || ""));
      else if (child instanceof Element) {
        if (!ALLOWED.has(child.tagName)) {
          if (!["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "TEMPLATE"].includes(child.tagName)) copy(child, into);
          continue;
        }
        const out = document.createElement(child.tagName.toLowerCase());
        if (child.tagName === "IMG") {
          const src = child.getAttribute("src") || "";
          if (!/^(https?:|data:image\/|\/)/i.test(src)) continue;
          out.setAttribute("src", src);
          out.setAttribute("alt", child.getAttribute("alt") || "");
        }
        copy(child, out);
        into.appendChild(out);
      }
    }
  };
  const fragment = document.createDocumentFragment();
  copy(doc.body, fragment);
  return fragment;
}

/** A stable id for aria attributes. @param {string} prefix */
export function uid(prefix) {
  return `${prefix}-${Math.random().toString(36).slice(2, 9)}`;
}

/** Cast a config `style` attribute to a string lit can bind (config authors own it). @param {any} style */
export function styleOf(style) {
  return typeof style === "string" ? style : "";
}
