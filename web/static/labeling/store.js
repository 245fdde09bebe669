// @ts-check
/**
 * The annotation store: one annotation's Label Studio result items, the region view of them,
 * selection, armed labels, hide/lock, relations and undo/redo. DOM-free (tested under node).
 *
 * Items are immutable: an edit replaces the item objects it touches and `items` becomes a new
 * array, so an undo step is a shallow copy of the previous array (cheap at thousands of
 * regions) and subscribers can compare identities.
 */

/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").Region} Region */
/** @typedef {import("./types.js").Armed} Armed */
/** @typedef {import("./types.js").StoreChange} StoreChange */
/** @typedef {import("./types.js").TagNode} TagNode */
/** @typedef {import("./types.js").AnnotationStore} AnnotationStore */
/** @typedef {import("./types.js").RegionSpec} RegionSpec */

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A Label Studio-style random region id (10 characters). @param {number} [length] */
export function newId(length = 10) {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = "";
  // 62 symbols: the modulo bias (256 % 62) is irrelevant for ids that only need to be unique.
  for (const byte of bytes) out += ID_ALPHABET[byte % ID_ALPHABET.length];
  return out;
}

/** Control types whose results are classifications (no geometry of their own). */
export const CLASSIFICATION_TYPES = new Set(["choices", "textarea", "rating", "number", "datetime", "taxonomy", "pairwise", "ranker"]);

/** The key of `value` that holds a control's own payload (Label Studio's exceptions included). @param {string} type */
export function valueKey(type) {
  if (type === "textarea") return "text";
  if (type === "pairwise") return "selected";
  return type;
}

/** Top-level item fields copied from a region onto its per-region classification items. */
const SHARED_FIELDS = ["original_width", "original_height", "image_rotation", "original_length", "item_index"];

/** @param {any} v */
function isEmptyPayload(v) {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v).length === 0;
  return false;
}

/** Whether an item carries geometry (so its id group is a region). @param {ResultItem} item */
function hasGeometry(item) {
  if (item.type === "relation") return false;
  if (!CLASSIFICATION_TYPES.has(item.type)) return true;
  const own = valueKey(item.type);
  return Object.keys(item.value || {}).some((key) => key !== own);
}

/** The main item's value without its label list: what per-region items copy. @param {ResultItem} main */
function geometryOf(main) {
  const own = valueKey(main.type);
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, v] of Object.entries(main.value || {})) if (key !== own) out[key] = v;
  return out;
}

/** Deep copy of JSON-like data (faster than structuredClone for small result values). @param {any} value @returns {any} */
function clone(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(clone);
  /** @type {Record<string, any>} */
  const out = {};
  for (const key in value) out[key] = clone(value[key]);
  return out;
}

/** Whether a comma-joined to_name names an object. @param {string|undefined} toName @param {string} name */
function targets(toName, name) {
  if (!toName) return false;
  if (toName === name) return true;
  return toName.split(",").some((part) => part.trim() === name);
}

const HISTORY_LIMIT = 500;

/**
 * Create an empty store.
 * @param {{results?: ResultItem[]}} [options]
 * @returns {AnnotationStore & {version: number, regionIds: () => Set<string>}}
 */
export function createStore(options = {}) {
  /** @type {ResultItem[]} */
  let items = [];
  /** Bumped on every items change; caches key on it. */
  let version = 0;
  /** @type {{version: number, regions: Region[], byId: Map<string, Region>} | null} */
  let cache = null;
  /** @type {{items: ResultItem[], selectedId: string|null}[]} */
  let undoStack = [];
  /** @type {{items: ResultItem[], selectedId: string|null}[]} */
  let redoStack = [];
  /** @type {string|null} */
  let selectedId = null;
  let readOnly = false;
  /** @type {Map<string, boolean>} */
  const hidden = new Map();
  /** @type {Map<string, boolean>} */
  const locked = new Map();
  /** @type {Map<string, Armed>} */
  const armedByObject = new Map();
  /** @type {Set<(change: StoreChange) => void>} */
  const listeners = new Set();
  /** Ids of region groups; maintained on load/create, recomputed lazily after undo. */
  let regionIdSet = new Set();

  // transaction state
  let depth = 0;
  /** An items array made during the current transaction (no snapshot shares it). @type {ResultItem[]|null} */
  let ownedArray = null;
  /** @type {ResultItem[]|null} */
  let txBefore = null;
  /** @type {string|null} */
  let txSelected = null;
  /** @type {Set<string>} */
  let txIds = new Set();

  /** @param {StoreChange} change */
  function emit(change) {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One broken subscriber (a widget) must not stop the others from updating.
        console.error("labeling store subscriber failed", error);
      }
    }
  }

  function recomputeRegionIds() {
    /** @type {Set<string>} */
    const ids = new Set();
    for (const item of items) if (item.id && hasGeometry(item)) ids.add(item.id);
    regionIdSet = ids;
  }

  /** The region object for one id group (main item first). @param {string} id @param {ResultItem[]} group @returns {Region} */
  function makeRegion(id, group) {
    // The main item is the first one with geometry that is not a per-region classification.
    const main = group.find((it) => !CLASSIFICATION_TYPES.has(it.type)) || group[0];
    return {
      id,
      to_name: main.to_name || "",
      type: main.type,
      from_name: main.from_name || "",
      value: main.value || {},
      items: [main, ...group.filter((it) => it !== main)],
      hidden: hidden.get(id) ?? Boolean(main.hidden),
      locked: locked.get(id) ?? Boolean(main.readonly),
    };
  }

  /**
   * Bring the cached region view up to date for a few ids instead of regrouping every item, so
   * an edit costs the same at 20 or 2,000 regions. Falls back to a full rebuild when the cache
   * is older than the previous version.
   * @param {number} previous the version the cache must be at @param {Iterable<string>} ids
   */
  function patchView(previous, ids) {
    if (!cache || cache.version !== previous) {
      cache = null;
      return;
    }
    // A new regions array (callers may hold the old one); the id map is private, so reuse it.
    const regions = cache.regions.slice();
    const byId = cache.byId;
    for (const id of ids) {
      const old = byId.get(id);
      /** @type {ResultItem[]} */
      const group = [];
      if (regionIdSet.has(id)) for (const item of items) if (item.id === id && item.type !== "relation") group.push(item);
      if (group.length) {
        const region = makeRegion(id, group);
        byId.set(id, region);
        if (old) regions[regions.indexOf(old)] = region;
        else regions.push(region);
      } else if (old) {
        byId.delete(id);
        regions.splice(regions.indexOf(old), 1);
      }
    }
    cache = { version, regions, byId };
  }

  function view() {
    if (cache && cache.version === version) return cache;
    /** @type {Map<string, ResultItem[]>} */
    const groups = new Map();
    for (const item of items) {
      if (!item.id || item.type === "relation" || !regionIdSet.has(item.id)) continue;
      const list = groups.get(item.id);
      if (list) list.push(item);
      else groups.set(item.id, [item]);
    }
    /** @type {Region[]} */
    const regions = [];
    /** @type {Map<string, Region>} */
    const byId = new Map();
    for (const [id, group] of groups) {
      const region = makeRegion(id, group);
      regions.push(region);
      byId.set(id, region);
    }
    cache = { version, regions, byId };
    return cache;
  }

  /** @param {ResultItem[]} next @param {string[]} ids */
  function commit(next, ids) {
    items = next;
    version++;
    patchView(version - 1, ids);
    ids.forEach((id) => txIds.add(id));
  }

  /**
   * Run an edit as (part of) one undo step.
   * @template T @param {() => T} fn @returns {T}
   */
  function transact(fn) {
    // Read-only annotations (prediction tabs, reviews) refuse edits whatever a widget does.
    if (readOnly) return /** @type {any} */ (undefined);
    if (depth === 0) {
      txBefore = items;
      txSelected = selectedId;
      txIds = new Set();
    }
    depth++;
    let result;
    try {
      result = fn();
    } finally {
      depth--;
      if (depth === 0) {
        const before = /** @type {ResultItem[]} */ (txBefore);
        txBefore = null;
        ownedArray = null;
        if (before !== items) {
          undoStack.push({ items: before, selectedId: txSelected });
          if (undoStack.length > HISTORY_LIMIT) undoStack.shift();
          redoStack = [];
          if (selectedId && !view().byId.has(selectedId)) selectedId = null;
          emit({ kind: "edit", ids: [...txIds] });
        }
      }
    }
    return result;
  }

  /** Mark a prediction region as changed by the user (Label Studio's origin rule). @param {ResultItem} item */
  function touched(item) {
    return item.origin === "prediction" ? { ...item, origin: /** @type {const} */ ("prediction-changed") } : item;
  }

  /** Replace the items of one id through `map` (null drops the item). @param {string} id @param {(item: ResultItem) => ResultItem|null} map */
  function mapGroup(id, map) {
    /** @type {ResultItem[]|null} */
    let next = null;
    let removed = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.id !== id || item.type === "relation") continue;
      const out = map(item);
      if (out === item) continue;
      // Copy on first change only: untouched items are shared with the undo snapshot.
      if (!next) next = items.slice();
      if (out) next[i] = out;
      else {
        next[i] = /** @type {any} */ (null);
        removed = true;
      }
    }
    if (!next) return;
    commit(removed ? next.filter(Boolean) : next, [id]);
  }

  /** Append items: in place when the current array was created inside this transaction. @param {ResultItem[]} added @param {string[]} ids */
  function append(added, ids) {
    if (depth > 0 && items === ownedArray) {
      items.push(...added);
      version++;
      patchView(version - 1, ids);
      ids.forEach((id) => txIds.add(id));
      return;
    }
    const next = items.concat(added);
    commit(next, ids);
    if (depth > 0) ownedArray = next;
  }

  /** @type {AnnotationStore & {version: number, regionIds: () => Set<string>}} */
  const store = {
    get items() {
      return items;
    },
    get version() {
      return version;
    },
    regionIds: () => regionIdSet,

    toResults() {
      return structuredClone(items);
    },

    load(results) {
      items = (Array.isArray(results) ? results : []).map((item) => {
        const copy = structuredClone(item);
        // Imported predictions may omit region ids; every region item needs one.
        if (copy.type !== "relation" && !copy.id) copy.id = newId();
        return copy;
      });
      version++;
      recomputeRegionIds();
      undoStack = [];
      redoStack = [];
      selectedId = null;
      hidden.clear();
      locked.clear();
      emit({ kind: "load" });
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    regions(toName) {
      const all = view().regions;
      return toName === undefined ? all : all.filter((r) => targets(r.to_name, toName));
    },

    region(id) {
      return view().byId.get(id);
    },

    createRegion(spec) {
      const id = spec.id || newId();
      const { from_name, to_name, type, value, origin, id: _id, ...extra } = spec;
      /** @type {ResultItem} */
      const item = { id, from_name, to_name, type, origin: /** @type {any} */ (origin || "manual"), value: clone(value || {}), ...clone(extra) };
      transact(() => {
        regionIdSet.add(id);
        append([item], [id]);
      });
      return id;
    },

    updateRegion(id, patch) {
      if (!regionIdSet.has(id)) return;
      transact(() =>
        mapGroup(id, (item) => {
          const own = valueKey(item.type);
          /** @type {Record<string, any>} */
          const value = { ...item.value };
          for (const [key, v] of Object.entries(patch)) if (key !== own) value[key] = clone(v);
          return touched({ ...item, value });
        }),
      );
    },

    setRegionLabels(id, from_name, type, labels) {
      const region = store.region(id);
      if (!region) return;
      transact(() => {
        const existing = region.items.find((it) => it.from_name === from_name && it.type === type);
        if (existing) {
          const isMain = existing === region.items[0];
          if (!labels.length && !isMain) {
            mapGroup(id, (item) => (item === existing ? null : touched(item)));
            return;
          }
          mapGroup(id, (item) => (item === existing ? touched({ ...item, value: { ...item.value, [valueKey(type)]: [...labels] } }) : touched(item)));
          return;
        }
        if (!labels.length) return;
        const main = region.items[0];
        /** @type {ResultItem} */
        const added = { id, from_name, to_name: main.to_name, type, origin: "manual", value: { ...geometryOf(main), [valueKey(type)]: [...labels] } };
        for (const field of SHARED_FIELDS) if (field in main) /** @type {any} */ (added)[field] = /** @type {any} */ (main)[field];
        mapGroup(id, (item) => touched(item));
        append([added], [id]);
      });
    },

    deleteRegion(id) {
      if (!regionIdSet.has(id)) return;
      transact(() => {
        const next = [];
        const touchedIds = [id];
        for (const item of items) {
          if (item.type === "relation") {
            if (item.from_id === id || item.to_id === id) continue;
          } else if (item.id === id) continue;
          else if (item.parentID === id) {
            // Children survive their parent; a dangling parentID would break Label Studio's import.
            const { parentID, ...rest } = item;
            next.push(rest);
            touchedIds.push(item.id);
            continue;
          }
          next.push(item);
        }
        regionIdSet.delete(id);
        commit(next, touchedIds);
        if (selectedId === id) selectedId = null;
      });
    },

    duplicateRegion(id) {
      const region = store.region(id);
      if (!region) return null;
      const copyId = newId();
      transact(() => {
        regionIdSet.add(copyId);
        // Every item of the region (labels, per-region answers) is copied; relations are not.
        append(region.items.map((item) => ({ ...clone(item), id: copyId, origin: /** @type {const} */ ("manual") })), [copyId]);
      });
      return regionIdSet.has(copyId) ? copyId : null;
    },

    classification(from_name, regionId) {
      if (regionId) return items.find((it) => it.id === regionId && it.from_name === from_name && it.type !== "relation");
      return items.find((it) => it.from_name === from_name && it.type !== "relation" && !regionIdSet.has(it.id));
    },

    setClassification(control, type, value, regionId) {
      const from_name = String(control.attrs?.name || "");
      const own = valueKey(type);
      const empty = isEmptyPayload(value?.[own]) && Object.keys(value || {}).every((key) => isEmptyPayload(value[key]));
      transact(() => {
        if (regionId) {
          const region = store.region(regionId);
          if (!region) return;
          const existing = region.items.find((it) => it.from_name === from_name);
          if (empty) {
            if (existing && existing !== region.items[0]) mapGroup(regionId, (item) => (item === existing ? null : touched(item)));
            return;
          }
          if (existing) {
            mapGroup(regionId, (item) => (item === existing ? touched({ ...item, value: { ...item.value, ...clone(value) } }) : touched(item)));
            return;
          }
          const main = region.items[0];
          /** @type {ResultItem} */
          const added = { id: regionId, from_name, to_name: main.to_name, type, origin: "manual", value: { ...geometryOf(main), ...clone(value) } };
          for (const field of SHARED_FIELDS) if (field in main) /** @type {any} */ (added)[field] = /** @type {any} */ (main)[field];
          mapGroup(regionId, (item) => touched(item));
          append([added], [regionId]);
          return;
        }
        const existing = store.classification(from_name);
        if (empty) {
          if (existing) commit(items.filter((it) => it !== existing), [existing.id]);
          return;
        }
        if (existing) {
          const replaced = touched({ ...existing, type, value: clone(value) });
          commit(items.map((it) => (it === existing ? replaced : it)), [existing.id]);
          return;
        }
        const toName = String(control.attrs?.toName || "");
        // Pairwise results name the control itself as to_name (Label Studio quirk).
        const to_name = type === "pairwise" ? from_name : toName;
        const id = newId();
        append([{ id, from_name, to_name, type, origin: "manual", value: clone(value) }], [id]);
      });
    },

    addRelation(fromId, toId, props = {}) {
      if (fromId === toId || !regionIdSet.has(fromId) || !regionIdSet.has(toId)) return;
      transact(() => {
        const existing = items.find((it) => it.type === "relation" && it.from_id === fromId && it.to_id === toId);
        /** @type {ResultItem} */
        const relation = /** @type {any} */ ({
          from_id: fromId,
          to_id: toId,
          type: "relation",
          direction: props.direction || existing?.direction || "right",
          ...(props.labels ? { labels: [...props.labels] } : existing?.labels ? { labels: existing.labels } : {}),
        });
        if (existing) commit(items.map((it) => (it === existing ? relation : it)), [fromId, toId]);
        else append([relation], [fromId, toId]);
      });
    },

    removeRelation(fromId, toId) {
      const next = items.filter((it) => !(it.type === "relation" && it.from_id === fromId && it.to_id === toId));
      if (next.length !== items.length) transact(() => commit(next, [fromId, toId]));
    },

    relations() {
      return items.filter((it) => it.type === "relation");
    },

    get selectedId() {
      return selectedId;
    },

    select(id) {
      const next = id && regionIdSet.has(id) ? id : null;
      if (next === selectedId) return;
      selectedId = next;
      emit({ kind: "select", ids: next ? [next] : [] });
    },

    setHidden(id, value) {
      hidden.set(id, value);
      version++; // region objects carry `hidden`: rebuild that one
      patchView(version - 1, [id]);
      emit({ kind: "view", ids: [id] });
    },

    setLocked(id, value) {
      locked.set(id, value);
      version++;
      patchView(version - 1, [id]);
      emit({ kind: "view", ids: [id] });
    },

    armed(toName) {
      return armedByObject.get(toName) || null;
    },

    arm(toName, armed) {
      if (armed && armed.labels.length) armedByObject.set(toName, { ...armed, labels: [...armed.labels] });
      else armedByObject.delete(toName);
      emit({ kind: "arm", ids: [toName] });
    },

    transact,

    get readOnly() {
      return readOnly;
    },
    set readOnly(value) {
      readOnly = Boolean(value);
    },

    undo() {
      if (readOnly) return;
      const entry = undoStack.pop();
      if (!entry) return;
      redoStack.push({ items, selectedId });
      restore(entry);
      emit({ kind: "undo" });
    },

    redo() {
      if (readOnly) return;
      const entry = redoStack.pop();
      if (!entry) return;
      undoStack.push({ items, selectedId });
      restore(entry);
      emit({ kind: "redo" });
    },

    get canUndo() {
      return undoStack.length > 0;
    },

    get canRedo() {
      return redoStack.length > 0;
    },
  };

  /** @param {{items: ResultItem[], selectedId: string|null}} entry */
  function restore(entry) {
    items = entry.items;
    version++;
    recomputeRegionIds();
    selectedId = entry.selectedId && regionIdSet.has(entry.selectedId) ? entry.selectedId : null;
  }

  if (options.results) store.load(options.results);
  return store;
}
