// @ts-check
/**
 * Taxonomy semantics (Label Studio's Taxonomy tag): a tree of Choice items (or items loaded from
 * `apiUrl`); each selection is the full path of `alias ?? value` from the root, stored as
 * `{taxonomy: [["Animal", "Mammal"], ["Plant"]]}` in selection order. `leafsOnly` forbids
 * selecting inner nodes; `maxUsages` caps the number of selections.
 */

/** @typedef {import("@labelloom/sdk").TagNode} TagNode */

/**
 * @typedef {object} TaxonomyNode
 * @property {string} key        JSON of `path`
 * @property {string} label      shown text
 * @property {string[]} path     stored path
 * @property {number} depth
 * @property {TaxonomyNode[]|null} children  null: not loaded yet (apiUrl items with isLeaf=false)
 * @property {boolean} leaf
 * @property {string} [hint]
 * @property {string} [color]
 */

/** @param {string|undefined} html */
function plain(html) {
  return String(html || "").replace(/<[^>]*>/g, "").trim();
}

/**
 * The tree from a Taxonomy tag's Choice items (duplicate values under one parent are dropped,
 * as Label Studio does).
 * @param {TagNode} model @returns {TaxonomyNode[]}
 */
export function treeFromConfig(model) {
  /** @param {TagNode} node @param {string[]} parents @returns {TaxonomyNode[]} */
  const visit = (node, parents) => {
    const seen = new Set();
    /** @type {TaxonomyNode[]} */
    const out = [];
    for (const child of node.children || []) {
      if (child.tag !== "Choice") {
        if (child.kind === "structural" || child.kind === "visual") out.push(...visit(child, parents));
        continue;
      }
      const value = String(child.attrs?.value ?? "");
      if (seen.has(value)) continue;
      seen.add(value);
      const path = [...parents, String(child.attrs?.alias ?? value)];
      const children = visit(child, path);
      out.push({
        key: JSON.stringify(path),
        label: plain(child.attrs?.html) || value,
        path,
        depth: parents.length,
        children,
        leaf: children.length === 0,
        hint: child.attrs?.hint,
        color: child.attrs?.color,
      });
    }
    return out;
  };
  return visit(model, []);
}

/**
 * Items from an `apiUrl` response (`{items: [...]}` or a bare list) under `prefix`.
 * @param {any} data @param {string[]} [prefix] @returns {TaxonomyNode[]}
 */
export function treeFromApi(data, prefix = []) {
  const list = Array.isArray(data) ? data : Array.isArray(data?.items) ? data.items : [];
  return list
    .filter((item) => item && typeof item === "object" && item.value !== undefined)
    .map((item) => {
      const path = [...prefix, String(item.alias ?? item.value)];
      const children = Array.isArray(item.children) ? treeFromApi(item.children, path) : item.isLeaf === false ? null : [];
      return {
        key: JSON.stringify(path),
        label: String(item.value),
        path,
        depth: prefix.length,
        children,
        leaf: children !== null && children.length === 0,
        hint: item.hint,
        color: item.color,
      };
    });
}

/** Every loaded node, depth first. @param {TaxonomyNode[]} nodes @returns {TaxonomyNode[]} */
export function flatten(nodes) {
  return nodes.flatMap((node) => [node, ...flatten(node.children || [])]);
}

/** The node at a stored path. @param {TaxonomyNode[]} nodes @param {string[]} path */
export function findPath(nodes, path) {
  /** @type {TaxonomyNode|undefined} */
  let node;
  let level = nodes;
  for (const part of path) {
    node = level.find((candidate) => candidate.path[candidate.path.length - 1] === part);
    if (!node) return undefined;
    level = node.children || [];
  }
  return node;
}

/**
 * The display labels of a stored path (falls back to the stored part when unknown).
 * @param {TaxonomyNode[]} nodes @param {string[]} path @returns {string[]}
 */
export function pathLabels(nodes, path) {
  const out = [];
  let level = nodes;
  for (const part of path) {
    const node = level.find((candidate) => candidate.path[candidate.path.length - 1] === part);
    out.push(node ? node.label : part);
    level = node?.children || [];
  }
  return out;
}

/**
 * How a selection is shown: its own label, or the full path with `pathSeparator`.
 * @param {TaxonomyNode[]} nodes @param {string[]} path @param {{showFullPath?: boolean, pathSeparator?: string}} attrs
 */
export function displayPath(nodes, path, attrs) {
  const labels = pathLabels(nodes, path);
  return attrs.showFullPath ? labels.join(attrs.pathSeparator ?? " / ") : labels[labels.length - 1] ?? "";
}

/** @param {string[]} a @param {string[]} b */
const samePath = (a, b) => a.length === b.length && a.every((part, i) => part === b[i]);

/** @param {string[][]} selected @param {string[]} path */
export function isChosen(selected, path) {
  return selected.some((entry) => samePath(entry, path));
}

/**
 * Whether a node may be selected now.
 * @param {TaxonomyNode} node @param {string[][]} selected @param {{leafsOnly?: boolean, maxUsages?: number}} attrs
 * @returns {{ok: boolean, reason?: string}}
 */
export function canSelect(node, selected, attrs) {
  if (attrs.leafsOnly && !node.leaf) return { ok: false, reason: "Only the most specific items can be chosen" };
  if (isChosen(selected, node.path)) return { ok: true };
  const max = Number(attrs.maxUsages);
  // maxUsages=1 is a single choice: a new pick replaces the old one (see togglePath)
  if (Number.isFinite(max) && max > 1 && selected.length >= max) {
    return { ok: false, reason: `At most ${max} ${max === 1 ? "item" : "items"} can be chosen` };
  }
  return { ok: true };
}

/**
 * Toggle a path in the selection (selection order is kept; new picks go last).
 * With `maxUsages=1` a new pick replaces the previous one, which is what a single-choice
 * taxonomy user expects.
 * @param {string[][]} selected @param {TaxonomyNode} node @param {{leafsOnly?: boolean, maxUsages?: number}} attrs
 * @returns {string[][]}
 */
export function togglePath(selected, node, attrs) {
  if (isChosen(selected, node.path)) return selected.filter((entry) => !samePath(entry, node.path));
  if (attrs.leafsOnly && !node.leaf) return selected;
  const max = Number(attrs.maxUsages);
  if (max === 1) return [[...node.path]];
  if (!canSelect(node, selected, attrs).ok) return selected;
  return [...selected, [...node.path]];
}

/** The result payload: `{taxonomy: [...]}` or `{}` when empty. @param {string[][]} selected */
export function resultValue(selected) {
  return selected.length ? { taxonomy: selected.map((path) => [...path]) } : {};
}

/**
 * Search: nodes whose label contains the query (case-insensitive), with their ancestors so the
 * tree stays readable. Returns the keys to show and the keys to expand.
 * @param {TaxonomyNode[]} nodes @param {string} query
 * @returns {{visible: Set<string>, expanded: Set<string>, matches: TaxonomyNode[]}|null} null = no filter
 */
export function search(nodes, query) {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return null;
  /** @type {Set<string>} */
  const visible = new Set();
  /** @type {Set<string>} */
  const expanded = new Set();
  /** @type {TaxonomyNode[]} */
  const matches = [];
  /** @param {TaxonomyNode[]} level @param {TaxonomyNode[]} ancestors */
  const walk = (level, ancestors) => {
    for (const node of level) {
      if (node.label.toLocaleLowerCase().includes(needle)) {
        matches.push(node);
        visible.add(node.key);
        for (const ancestor of ancestors) {
          visible.add(ancestor.key);
          expanded.add(ancestor.key);
        }
      }
      if (node.children) walk(node.children, [...ancestors, node]);
    }
  };
  walk(nodes, []);
  return { visible, expanded, matches };
}

/**
 * Insert lazily loaded children under `path` (returns a new tree; untouched branches are shared).
 * @param {TaxonomyNode[]} nodes @param {string[]} path @param {TaxonomyNode[]} children
 * @returns {TaxonomyNode[]}
 */
export function withChildren(nodes, path, children) {
  return nodes.map((node) => {
    if (!samePath(node.path, path.slice(0, node.path.length))) return node;
    if (node.path.length === path.length) return { ...node, children, leaf: children.length === 0 };
    return { ...node, children: withChildren(node.children || [], path, children) };
  });
}

/** Selected paths from a stored value. @param {any} stored @returns {string[][]} */
export function selectionFromResult(stored) {
  if (!Array.isArray(stored)) return [];
  return stored.filter((entry) => Array.isArray(entry)).map((entry) => entry.map(String));
}
