// @ts-check
/**
 * The live preview: the labeling runtime rendering the config with a sample task. Until the
 * runtime module can be loaded (or if it fails) the parsed tree is shown as a readable outline,
 * so the preview is never blank. Renders are serialised: a slow one never overwrites a newer.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { labelColor, readableTextColor } from "../../labeling/colors.js";

const RUNTIME_URL = "/static/core/labeling/runtime.js";
// How long to wait before asking again for a runtime that was missing.
const RETRY_MS = 5000;

/** @type {any} */
let runtime = null;
let lastAttempt = -Infinity;

/** The runtime module, or null while it is not there. */
async function loadRuntime() {
  if (runtime) return runtime;
  if (performance.now() - lastAttempt < RETRY_MS) return null;
  lastAttempt = performance.now();
  try {
    // Probe first: a failed import() is cached by the browser for the page's lifetime.
    const probe = await fetch(RUNTIME_URL, { method: "HEAD" });
    if (!probe.ok) return null;
    const module = await import(/** @type {string} */ (RUNTIME_URL));
    if (typeof module.mountLabeling === "function") runtime = module;
  } catch (error) {
    console.warn("labeling runtime unavailable", error);
  }
  return runtime;
}

/** @typedef {import("../../labeling/types.js").TagNode} TagNode */

export class Preview {
  /** @param {HTMLElement} stage an element the preview owns entirely */
  constructor(stage) {
    this.stage = stage;
    /** @type {any} */
    this.handle = null;
    /** @type {Promise<void>} */
    this.queue = Promise.resolve();
    this.destroyed = false;
    /** Set when the runtime failed on the last render (shown by the host). */
    this.error = "";
    /** "runtime" or "outline": what is on screen. */
    this.kind = "";
  }

  /**
   * Show a valid config. `tree` is the server's parse of it (for the outline).
   * @param {{labelConfig: string, data: Record<string, any>, tree: TagNode}} what
   * @returns {Promise<void>}
   */
  show(what) {
    this.queue = this.queue.then(() => this._show(what)).catch((error) => console.error(error));
    return this.queue;
  }

  /** @param {{labelConfig: string, data: Record<string, any>, tree: TagNode}} what */
  async _show(what) {
    if (this.destroyed) return;
    const mod = await loadRuntime();
    this.error = "";
    if (mod) {
      try {
        if (this.handle) {
          const result = await this.handle.update({ labelConfig: what.labelConfig, task: { data: what.data } });
          if (result && result.ok === false) throw new Error(result.issues?.[0]?.message || "the preview could not render this config");
        } else {
          render(null, this.stage);
          this.stage.replaceChildren();
          const mount = document.createElement("div");
          mount.className = "ls-runtime";
          this.stage.append(mount);
          this.handle = await mod.mountLabeling(mount, { api, mode: "preview", labelConfig: what.labelConfig, task: { data: what.data } });
          if (this.destroyed) this._teardown();
        }
        this.kind = "runtime";
        return;
      } catch (error) {
        this.error = errorText(error);
        this._teardown();
      }
    }
    this.kind = "outline";
    render(outline(what.tree, what.data), this.stage);
  }

  _teardown() {
    try {
      this.handle?.destroy();
    } catch (error) {
      console.error(error);
    }
    this.handle = null;
    this.stage.replaceChildren();
  }

  destroy() {
    this.destroyed = true;
    this.queue.then(() => this._teardown());
  }
}

/** @param {TagNode} tree @param {Record<string, any>} data */
function outline(tree, data) {
  return html`<div class="ls-outline" role="tree" aria-label="Labeling interface outline">${outlineNode(tree, data, null)}</div>`;
}

/** @param {unknown} value */
function short(value) {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text.startsWith("data:")) return `${text.slice(5, text.indexOf(";") > 0 ? text.indexOf(";") : 20)} data`;
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

/** @param {Record<string, any>} data @param {string} ref */
function resolve(data, ref) {
  if (typeof ref !== "string" || !ref.startsWith("$")) return ref;
  return ref
    .slice(1)
    .split(/[.[\]]+/)
    .filter(Boolean)
    .reduce((/** @type {any} */ at, key) => (at == null ? undefined : at[key]), data);
}

/**
 * @param {TagNode} node @param {Record<string, any>} data @param {TagNode|null} control
 * @returns {import("lit").TemplateResult}
 */
function outlineNode(node, data, control) {
  const a = node.attrs || {};
  const kids = node.children || [];
  if (node.kind === "item") {
    const color = labelColor(control, a.value);
    return html`<span class="ls-chip" role="treeitem" aria-selected="false" style="background:${color};color:${readableTextColor(color)}">${a.value}${a.hotkey ? html` <kbd>${a.hotkey}</kbd>` : null}</span>`;
  }
  const items = kids.filter((k) => k.kind === "item");
  const rest = kids.filter((k) => k.kind !== "item");
  const value = a.value ?? a.valueList;
  return html`
    <div class="ls-node ls-node-${node.kind}" role="treeitem" aria-selected="false" aria-expanded=${rest.length ? "true" : "false"}>
      <div class="ls-node-head">
        <span class="ls-kind">${node.kind === "structural" ? "layout" : node.kind}</span>
        <strong>${node.tag}</strong>
        ${a.name ? html`<code>${a.name}</code>` : null}
        ${a.toName ? html`<span class="muted">→ ${Array.isArray(a.toName) ? a.toName.join(", ") : a.toName}</span>` : null}
        ${node.kind === "object" && typeof value === "string"
          ? html`<span class="muted">${value}</span><span class="ls-sample">${short(resolve(data, value))}</span>`
          : node.kind === "visual" && (value || node.text)
            ? html`<span class="ls-sample">${short(resolve(data, value ?? node.text))}</span>`
            : null}
      </div>
      ${items.length ? html`<div class="ls-chips">${items.map((item) => outlineNode(item, data, node))}</div>` : null}
      ${rest.length ? html`<div class="ls-node-kids" role="group">${rest.map((kid) => outlineNode(kid, data, node.kind === "control" ? node : control))}</div>` : null}
    </div>`;
}
