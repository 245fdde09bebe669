// @ts-check
/**
 * Renders one labeling interface: the config tree's layout (View/Repeater) with each tag's widget
 * mounted in its own host element, conditional visibility, and failure isolation (a widget that
 * fails to load or throws becomes an error box naming its plugin and tag).
 */
import { loadWidget } from "./widgets.js";
import { isVisible, controlTargets } from "./visibility.js";
import { resolveValue } from "./data.js";
import { labelColor } from "./colors.js";
import { createSyncHub } from "./sync.js";

/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").WidgetContext} WidgetContext */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").LabelingSettings} LabelingSettings */
/** @typedef {import("./keymap.js").Keymap} Keymap */

const STRUCTURAL = new Set(["View", "Repeater"]);

/** Whether a node has a visibility rule the runtime must watch. @param {TagNode} node */
function conditional(node) {
  const a = node.attrs || {};
  return Boolean(a.visibleWhen || a.whenLabelValue || a.whenChoiceValue || (node.kind === "control" && a.perRegion));
}

/** @param {unknown} error */
function messageOf(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * @typedef {object} InterfaceOptions
 * @property {TagNode} tree
 * @property {{id?: number, data: Record<string, any>}} task
 * @property {AnnotationStore} store
 * @property {Keymap} keymap
 * @property {LabelingSettings} settings
 * @property {Map<string, {module: string|null, plugin: string}>} catalogue
 * @property {boolean} [readOnly]
 * @property {(url: string) => string} [mediaUrl]
 */

/**
 * Mount the interface into `el`. Returns `{destroy, ready}`; `ready` settles when every widget
 * has been loaded and called (or has failed).
 * @param {HTMLElement} el @param {InterfaceOptions} options
 */
export function renderInterface(el, options) {
  const { tree, task, store, keymap, settings, catalogue } = options;
  const syncHub = createSyncHub();
  /** @type {Map<string, TagNode>} */
  const named = new Map();
  /** @type {TagNode[]} */
  const controls = [];
  /** @param {TagNode} node */
  const index = (node) => {
    if (node.attrs?.name) named.set(String(node.attrs.name), node);
    if (node.kind === "control") controls.push(node);
    (node.children || []).forEach(index);
  };
  index(tree);

  /** @type {{node: TagNode, host: HTMLElement}[]} */
  const watched = [];
  /** @type {Promise<void>[]} */
  const pending = [];
  let destroyed = false;

  function refreshVisibility() {
    for (const { node, host } of watched) {
      const show = isVisible(node, { store });
      if (host.hidden === show) host.hidden = !show;
    }
  }

  /**
   * Mount nodes into a parent element; returns their cleanup.
   * @param {HTMLElement} parent @param {TagNode[]} nodes
   */
  function mountNodes(parent, nodes) {
    const cleanups = nodes.map((node) => mountNode(parent, node));
    return () => cleanups.forEach((fn) => fn());
  }

  /**
   * @param {HTMLElement} parent @param {TagNode} node
   * @returns {() => void}
   */
  function mountNode(parent, node) {
    if (node.kind === "item") return () => {}; // rendered by their control
    const host = document.createElement("div");
    const attrs = node.attrs || {};
    host.dataset.tag = node.tag;
    if (attrs.name) host.dataset.name = String(attrs.name);
    if (conditional(node)) {
      watched.push({ node, host });
      host.hidden = !isVisible(node, { store });
    }
    parent.append(host);

    if (STRUCTURAL.has(node.tag)) {
      host.className = "ll-view";
      if (attrs.className) host.className += " " + String(attrs.className);
      if (attrs.style) host.setAttribute("style", String(attrs.style));
      if (attrs.idAttr) host.id = String(attrs.idAttr);
      if (attrs.display === "inline") host.classList.add("ll-view-inline");
      const off = mountNodes(host, node.children || []);
      return () => {
        off();
        host.remove();
      };
    }

    host.className = `ll-tag ll-tag-${node.kind}`;
    const entry = catalogue.get(node.tag);
    const plugin = node.plugin || entry?.plugin || "";
    if (!entry?.module) {
      host.classList.add("ll-widget-missing");
      host.textContent = `<${node.tag}${attrs.name ? ` name="${attrs.name}"` : ""}> — no widget installed for this tag`;
      return () => host.remove();
    }
    /** @type {(() => void)[]} */
    const owned = [];
    let cleanup = /** @type {(() => void)|null} */ (null);
    const ctx = makeContext(node, host, plugin, owned);
    const showError = (/** @type {unknown} */ error, /** @type {string} */ phase) => {
      console.error(`labeling widget ${node.tag} (${plugin}) failed to ${phase}`, error);
      owned.splice(0).forEach((fn) => fn());
      host.replaceChildren();
      host.className = "ll-tag ll-widget-error";
      host.setAttribute("role", "alert");
      const title = document.createElement("strong");
      title.textContent = `${node.tag}${attrs.name ? ` “${attrs.name}”` : ""} could not be shown`;
      const detail = document.createElement("span");
      detail.textContent = `Plugin “${plugin || "unknown"}” — ${phase === "load" ? "widget failed to load" : "widget error"}: ${messageOf(error)}`;
      host.append(title, detail);
    };
    pending.push(
      loadWidget(entry.module).then(
        async (render) => {
          if (destroyed || !host.isConnected) return;
          try {
            const out = await render({ el: host, model: node, ctx });
            if (typeof out === "function") {
              if (destroyed) out();
              else cleanup = out;
            }
          } catch (error) {
            showError(error, "render");
          }
        },
        (error) => showError(error, "load"),
      ),
    );
    return () => {
      try {
        cleanup?.();
      } catch (error) {
        console.error(`labeling widget ${node.tag} cleanup failed`, error);
      }
      owned.splice(0).forEach((fn) => fn());
      host.remove();
    };
  }

  /**
   * The services one widget gets; hotkeys and children it registers are released with it.
   * @param {TagNode} node @param {HTMLElement} host @param {string} plugin @param {(() => void)[]} owned
   * @returns {WidgetContext}
   */
  function makeContext(node, host, plugin, owned) {
    return {
      task,
      store,
      readOnly: Boolean(options.readOnly),
      plugin,
      resolve: (value) => resolveValue(value, task.data || {}),
      mediaUrl: options.mediaUrl || ((url) => url),
      renderChildren(childEl, nodes) {
        const off = mountNodes(childEl, nodes);
        owned.push(off);
        refreshVisibility();
        return off;
      },
      hotkey(combo, handler, hotkeyOptions = {}) {
        const off = keymap.add(combo, handler, {
          ...hotkeyOptions,
          scope: "labeling",
          // Hidden widgets (perRegion controls without a selection, collapsed views) keep quiet.
          when: () => settings.hotkeysEnabled && host.isConnected && !host.closest("[hidden]"),
        });
        owned.push(off);
        return off;
      },
      controlsFor: (objectName) => controls.filter((c) => controlTargets(c).includes(objectName)),
      byName: (name) => named.get(name),
      labelColor: (control, value) => labelColor(control, value),
      sync(group) {
        const channel = syncHub.channel(group, String(node.attrs?.name || node.tag));
        return {
          publish: channel.publish,
          subscribe(listener) {
            const off = channel.subscribe(listener);
            owned.push(off);
            return off;
          },
        };
      },
      settings,
    };
  }

  el.replaceChildren();
  el.classList.add("ll-interface");
  const offRoot = mountNode(el, tree);
  const offStore = store.subscribe((change) => {
    if (change.kind !== "arm") refreshVisibility();
  });
  const ready = Promise.all(pending).then(() => undefined);
  return {
    ready,
    destroy() {
      destroyed = true;
      offStore();
      offRoot();
      el.replaceChildren();
    },
  };
}
