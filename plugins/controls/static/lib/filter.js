// @ts-check
/**
 * The Filter tag narrows the labels/choices of the control named by its `toName` as the
 * annotator types. Filter and target are separate widgets, so they meet on a tiny bus kept per
 * annotation store (two annotations side by side never filter each other).
 */

/**
 * Whether an item's text passes the query (case-insensitive substring; shorter queries than
 * `minlength` do not filter at all, as in Label Studio).
 * @param {string} text @param {string} query @param {number} [minlength]
 */
export function matches(text, query, minlength = 0) {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle || needle.length < minlength) return true;
  return text.toLocaleLowerCase().includes(needle);
}

/** @typedef {{query: string, minlength: number}} FilterState */
/** @typedef {(state: FilterState) => void} FilterListener */

/** @type {WeakMap<object, Map<string, {state: FilterState, listeners: Set<FilterListener>}>>} */
const buses = new WeakMap();

/** @param {object} store @param {string} toName */
function channel(store, toName) {
  let bus = buses.get(store);
  if (!bus) {
    bus = new Map();
    buses.set(store, bus);
  }
  let entry = bus.get(toName);
  if (!entry) {
    entry = { state: { query: "", minlength: 0 }, listeners: new Set() };
    bus.set(toName, entry);
  }
  return entry;
}

/** Publish a filter for the control `toName`. @param {object} store @param {string} toName @param {FilterState} state */
export function publishFilter(store, toName, state) {
  const entry = channel(store, toName);
  entry.state = { ...state };
  for (const listener of [...entry.listeners]) listener(entry.state);
}

/**
 * Follow the filter of control `name` (called at once with the current state).
 * @param {object} store @param {string} name @param {FilterListener} listener @returns {() => void}
 */
export function followFilter(store, name, listener) {
  const entry = channel(store, name);
  entry.listeners.add(listener);
  listener(entry.state);
  return () => entry.listeners.delete(listener);
}

/** Asks of the target: "pick the first visible item" (Enter in the filter box). */
/** @type {WeakMap<object, Map<string, () => boolean>>} */
const pickers = new WeakMap();

/** Register how control `name` picks its first visible item. @param {object} store @param {string} name @param {() => boolean} pick */
export function registerPicker(store, name, pick) {
  let map = pickers.get(store);
  if (!map) {
    map = new Map();
    pickers.set(store, map);
  }
  map.set(name, pick);
  return () => {
    if (map?.get(name) === pick) map.delete(name);
  };
}

/** Pick the first visible item of control `name`; false when nothing was picked. @param {object} store @param {string} name */
export function pickFirst(store, name) {
  return pickers.get(store)?.get(name)?.() ?? false;
}
