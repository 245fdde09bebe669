// @ts-check
/**
 * Preselected values (`<Choice selected="true">`, Taxonomy preselection) belong to a NEW
 * annotation only, as in Label Studio's setDefaultValues: an annotation loaded with results, a
 * prediction, or one the annotator already emptied must not get them again. The store tells us
 * nothing about "new", so we remember per store whether it was empty when last loaded, and which
 * controls already applied their defaults since.
 */

/** @type {WeakMap<object, {fresh: boolean, applied: Set<string>}>} */
const states = new WeakMap();

/** @param {import("@labelloom/sdk").AnnotationStore} store */
function stateOf(store) {
  let state = states.get(store);
  if (!state) {
    const entry = { fresh: store.items.length === 0 && !store.canUndo, applied: new Set() };
    states.set(store, entry);
    store.subscribe((change) => {
      if (change.kind !== "load") return;
      entry.fresh = store.items.length === 0;
      entry.applied.clear();
    });
    state = entry;
  }
  return state;
}

/**
 * Run `apply` once per control for a new annotation; returns whether it ran.
 * @param {import("@labelloom/sdk").AnnotationStore} store
 * @param {string} name control name @param {() => void} apply
 */
export function applyDefaultsOnce(store, name, apply) {
  const state = stateOf(store);
  if (!state.fresh || state.applied.has(name)) return false;
  state.applied.add(name);
  apply();
  return true;
}

/** Start tracking a store before anything is written to it. @param {import("@labelloom/sdk").AnnotationStore} store */
export function trackStore(store) {
  stateOf(store);
}
