// @ts-check
/**
 * Drawing a relation from the keyboard: alt+r starts from the selected region, the next region
 * selected becomes its target, Escape cancels. The bottom bar shows the mode while it lasts.
 */

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */

/**
 * @param {object} ctx
 * @param {SessionState} ctx.state   reads and writes relationFrom
 * @param {AnnotationStore} ctx.store
 * @param {() => void} ctx.redrawBottom
 */
export function createRelationMode({ state, store, redrawBottom }) {
  const offStore = store.subscribe((change) => {
    if (change.kind === "select" && state.relationFrom) {
      const target = store.selectedId;
      if (target && target !== state.relationFrom) {
        const from = state.relationFrom;
        state.relationFrom = null;
        store.addRelation(from, target);
        redrawBottom();
      }
    }
  });

  return {
    /** @param {string} regionId */
    start(regionId) {
      state.relationFrom = regionId;
      store.select(null);
      redrawBottom();
    },
    cancel() {
      state.relationFrom = null;
      redrawBottom();
    },
    destroy: offStore,
  };
}

/** @typedef {ReturnType<typeof createRelationMode>} RelationMode */
