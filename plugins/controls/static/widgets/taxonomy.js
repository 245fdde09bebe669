// @ts-check
/**
 * <Taxonomy>: a hierarchical picker. The chosen paths show as removable chips; "Choose…" opens
 * a panel with a search box and a tree (role="tree") that renders only expanded branches, so a
 * 10,000-node taxonomy opens instantly. `apiUrl` taxonomies load the top level on open and each
 * branch when it is expanded. Keyboard: the control's `hotkey` opens it, type to search, ↓ into
 * the tree, ↑/↓ move, → expand, ← collapse, Space/Enter choose, Esc close. Stored as `{taxonomy: [[...path], ...]}`.
 */
import { html, render, nothing } from "lit";
import { live as liveValue } from "lit/directives/live.js";
import { currentValue, target, writeValue } from "../lib/control.js";
import * as tx from "../lib/taxonomy.js";
import { ensureStyles, hotkeyBadge, live, uid } from "./common.js";

const MAX_MATCHES = 300;

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderTaxonomy({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  const rules = {
    leafsOnly: Boolean(attrs.leafsOnly),
    maxUsages: Number(attrs.maxUsages) || undefined,
    showFullPath: Boolean(attrs.showFullPath),
    pathSeparator: attrs.pathSeparator === undefined ? " / " : String(attrs.pathSeparator),
  };
  const apiUrl = attrs.apiUrl ? String(ctx.resolve(attrs.apiUrl)) : "";
  const panelId = uid("llc-tx-panel");
  const searchId = uid("llc-tx-search");

  /** @type {tx.TaxonomyNode[]} */
  let tree = apiUrl ? [] : tx.treeFromConfig(model);
  let open = false;
  let query = "";
  let message = "";
  let loading = false;
  let loadError = "";
  /** @type {Set<string>} */
  const expanded = new Set();
  /** @type {string|null} key of the tree item holding the roving tabindex */
  let active = null;

  const selected = () => tx.selectionFromResult(currentValue(store, model, "taxonomy"));

  /** @param {string[]} [path] */
  async function load(path) {
    if (!apiUrl) return;
    loading = true;
    loadError = "";
    draw();
    try {
      const url = new URL(apiUrl, location.href);
      for (const part of path || []) url.searchParams.append("path", part);
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const items = tx.treeFromApi(await response.json(), path || []);
      tree = path ? tx.withChildren(tree, path, items) : items;
    } catch (error) {
      loadError = `Could not load the taxonomy from ${apiUrl}: ${error instanceof Error ? error.message : error}`;
    } finally {
      loading = false;
      draw();
    }
  }

  /** @param {tx.TaxonomyNode} node */
  function choose(node) {
    if (ctx.readOnly || !target(store, model).active) return;
    const current = selected();
    const check = tx.canSelect(node, current, rules);
    if (!check.ok) {
      message = check.reason || "";
      draw();
      return;
    }
    message = "";
    writeValue(store, model, "taxonomy", tx.resultValue(tx.togglePath(current, node, rules)));
  }

  /** @param {string[]} path */
  function unchoose(path) {
    if (ctx.readOnly) return;
    writeValue(store, model, "taxonomy", tx.resultValue(selected().filter((p) => JSON.stringify(p) !== JSON.stringify(path))));
  }

  /** @param {tx.TaxonomyNode} node */
  function toggleExpand(node) {
    if (node.leaf) return;
    if (expanded.has(node.key)) expanded.delete(node.key);
    else {
      expanded.add(node.key);
      if (node.children === null) void load(node.path);
    }
    draw();
  }

  function setOpen(/** @type {boolean} */ value) {
    open = value;
    if (open && apiUrl && !tree.length && !loading) void load();
    draw();
    if (open) queueMicrotask(() => /** @type {HTMLInputElement|null} */ (el.querySelector(`#${searchId}`))?.focus());
    else queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(".llc-tx-toggle"))?.focus());
  }

  /** The tree items in display order (what arrow keys walk). */
  function visibleRows() {
    const found = tx.search(tree, query);
    /** @type {tx.TaxonomyNode[]} */
    const rows = [];
    /** @param {tx.TaxonomyNode[]} level */
    const walk = (level) => {
      for (const node of level) {
        if (found && !found.visible.has(node.key)) continue;
        rows.push(node);
        const isOpen = found ? found.expanded.has(node.key) || expanded.has(node.key) : expanded.has(node.key);
        if (isOpen && node.children) walk(node.children);
      }
    };
    walk(tree);
    return { rows, found };
  }

  /** @param {KeyboardEvent} event @param {tx.TaxonomyNode} node */
  function onTreeKey(event, node) {
    const { rows, found } = visibleRows();
    const index = rows.findIndex((row) => row.key === node.key);
    const isOpen = found ? found.expanded.has(node.key) || expanded.has(node.key) : expanded.has(node.key);
    /** @param {tx.TaxonomyNode|undefined} next */
    const focus = (next) => {
      if (!next) return;
      active = next.key;
      draw();
      queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(`[data-key="${CSS.escape(next.key)}"]`))?.focus());
    };
    switch (event.key) {
      case "ArrowDown":
        focus(rows[index + 1]);
        break;
      case "ArrowUp":
        if (index === 0) /** @type {HTMLElement|null} */ (el.querySelector(`#${searchId}`))?.focus();
        else focus(rows[index - 1]);
        break;
      case "ArrowRight":
        if (!node.leaf && !isOpen) toggleExpand(node);
        else if (!node.leaf) focus(rows[index + 1]);
        break;
      case "ArrowLeft":
        if (!node.leaf && isOpen && !found) toggleExpand(node);
        else focus(rows.slice(0, index).reverse().find((row) => row.depth === node.depth - 1));
        break;
      case "Home":
        focus(rows[0]);
        break;
      case "End":
        focus(rows[rows.length - 1]);
        break;
      case " ":
      case "Enter":
        choose(node);
        break;
      case "Escape":
        setOpen(false);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** @param {KeyboardEvent} event */
  function onSearchKey(event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      const first = visibleRows().rows[0];
      if (first) {
        active = first.key;
        draw();
        queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(`[data-key="${CSS.escape(first.key)}"]`))?.focus());
      }
    } else if (event.key === "Enter") {
      // Enter in the search box picks the only / first match.
      event.preventDefault();
      const found = tx.search(tree, query);
      const pick = found?.matches.find((node) => tx.canSelect(node, selected(), rules).ok);
      if (pick) choose(pick);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      if (query) {
        query = "";
        draw();
      } else setOpen(false);
    }
  }

  /** @param {tx.TaxonomyNode[]} rows @param {string[][]} chosen @param {ReturnType<typeof tx.search>} found */
  function treeView(rows, chosen, found) {
    if (!rows.length) return html`<p class="llc-empty">${loading ? "Loading…" : query ? `Nothing matches “${query}”` : "This taxonomy is empty"}</p>`;
    const shownRows = rows.slice(0, MAX_MATCHES);
    const focusKey = shownRows.some((row) => row.key === active) ? active : shownRows[0].key;
    return html`<ul class="llc-tx-tree" role="tree" aria-label=${`${name} taxonomy`} aria-multiselectable=${rules.maxUsages === 1 ? "false" : "true"}>
      ${shownRows.map((node) => {
        const isChosen = tx.isChosen(chosen, node.path);
        const isOpen = found ? found.expanded.has(node.key) || expanded.has(node.key) : expanded.has(node.key);
        const blocked = !isChosen && !tx.canSelect(node, chosen, rules).ok;
        const isMatch = Boolean(found?.matches.includes(node));
        return html`<li role="treeitem" class="llc-tx-item ${isChosen ? "is-chosen" : ""} ${blocked ? "is-blocked" : ""}" data-key=${node.key}
          aria-level=${node.depth + 1} aria-selected=${isChosen ? "true" : "false"} aria-expanded=${node.leaf ? nothing : isOpen ? "true" : "false"}
          aria-disabled=${blocked ? "true" : "false"} tabindex=${node.key === focusKey ? "0" : "-1"}
          style=${`--depth: ${node.depth}`} title=${node.hint || nothing}
          @keydown=${(/** @type {KeyboardEvent} */ e) => onTreeKey(e, node)}
          @focus=${() => (active = node.key)}>
          ${node.leaf
            ? html`<span class="llc-twisty-space" aria-hidden="true"></span>`
            : html`<button type="button" class="llc-twisty" tabindex="-1" aria-hidden="true"
                @click=${(/** @type {Event} */ e) => { e.stopPropagation(); toggleExpand(node); }}>${isOpen ? "▾" : "▸"}</button>`}
          <label class="llc-tx-label" @click=${(/** @type {Event} */ e) => { e.preventDefault(); choose(node); }}>
            <input type="checkbox" tabindex="-1" aria-hidden="true" .checked=${liveValue(isChosen)} ?disabled=${ctx.readOnly || blocked} />
            ${node.color ? html`<span class="llc-swatch" style=${`background: ${node.color}`} aria-hidden="true"></span>` : nothing}
            <span class=${isMatch ? "llc-tx-match" : ""}>${node.label}</span>
            ${found && node.depth ? html`<span class="llc-tx-path">${tx.pathLabels(tree, node.path.slice(0, -1)).join(rules.pathSeparator)}</span>` : nothing}
          </label>
        </li>`;
      })}
      ${rows.length > MAX_MATCHES ? html`<li class="llc-empty" role="none">Showing the first ${MAX_MATCHES} of ${rows.length} — refine the search</li>` : nothing}
    </ul>`;
  }

  function draw() {
    if (!target(store, model).active) {
      render(nothing, el);
      return;
    }
    const chosen = selected();
    const { rows, found } = open ? visibleRows() : { rows: [], found: null };
    const placeholder = attrs.placeholder ? String(attrs.placeholder) : "Choose…";
    const style = [attrs.minWidth ? `min-width: ${attrs.minWidth}` : "", attrs.maxWidth ? `max-width: ${attrs.maxWidth}` : ""].filter(Boolean).join("; ");
    render(
      html`<div class="llc-taxonomy ${open ? "is-open" : ""}" data-control=${name} style=${style}>
        <div class="llc-tx-selected" role="list" aria-label=${`${name}: chosen`}>
          ${chosen.map(
            (path) => html`<span class="llc-tx-chip" role="listitem" title=${tx.pathLabels(tree, path).join(rules.pathSeparator)}>
              <span>${tx.displayPath(tree, path, rules)}</span>
              ${ctx.readOnly ? nothing : html`<button type="button" class="llc-chip-remove" aria-label=${`Remove ${tx.pathLabels(tree, path).join(rules.pathSeparator)}`} @click=${() => unchoose(path)}>×</button>`}
            </span>`,
          )}
          ${ctx.readOnly
            ? chosen.length ? nothing : html`<span class="muted">Nothing chosen</span>`
            : html`<button type="button" class="btn btn-sm llc-tx-toggle" aria-expanded=${open ? "true" : "false"} aria-controls=${panelId}
                @click=${() => setOpen(!open)}>${open ? "Done" : chosen.length ? "Change…" : placeholder}${!open && ctx.settings.hotkeysEnabled && attrs.hotkey ? hotkeyBadge(String(attrs.hotkey)) : nothing}</button>`}
        </div>
        ${open
          ? html`<div class="llc-tx-panel" id=${panelId} style=${attrs.dropdownWidth ? `width: ${attrs.dropdownWidth}` : ""}>
              <input id=${searchId} type="search" class="llc-tx-search" placeholder="Search" aria-label=${`Search ${name}`} aria-controls=${panelId}
                .value=${query} autocomplete="off"
                @input=${(/** @type {Event} */ e) => { query = /** @type {HTMLInputElement} */ (e.currentTarget).value; active = null; draw(); }}
                @keydown=${onSearchKey} />
              ${loadError ? html`<p class="llc-error" role="alert">${loadError}</p>` : nothing}
              ${treeView(rows, chosen, found)}
            </div>`
          : nothing}
        <p class="llc-message" role="status" aria-live="polite">${message}</p>
      </div>`,
      el,
    );
  }

  const extra = [];
  if (attrs.hotkey) {
    extra.push(ctx.hotkey(String(attrs.hotkey), () => !ctx.readOnly && setOpen(true), { description: `Open taxonomy “${name}”`, group: "Choices" }));
  }
  return live(el, ctx, draw, extra);
}
