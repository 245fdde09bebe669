// @ts-check
/**
 * Whether the side panel shows: it holds the outliner (configs whose controls make regions) and
 * the instructions; what is empty is hidden. Asks the tags' traits, never their names.
 */

/** @typedef {import("../types.js").TagNode} TagNode */
/** @typedef {import("../types.js").AnnotationStore} AnnotationStore */

/**
 * A control makes regions unless it classifies the whole task; a config with only such controls
 * has no regions to list. @param {TagNode|null} node @returns {boolean}
 */
export function makesRegions(node) {
  return Boolean(node && ((node.kind === "control" && !(node.traits || []).includes("classifies")) || (node.children || []).some(makesRegions)));
}

/**
 * @param {object} ctx
 * @param {HTMLElement} ctx.root          the screen's root, which carries the layout classes
 * @param {() => TagNode|null} ctx.tree
 * @param {AnnotationStore} ctx.store
 * @param {() => boolean} ctx.showInstructions
 * @param {() => boolean} [ctx.done]   the stream is over ("All done"): no regions to list
 */
export function createSidePanel({ root, tree, store, showInstructions, done }) {
  return {
    /** Hide the outliner without regions, and the whole panel when the instructions are closed too. */
    update() {
      const regional = !done?.() && (makesRegions(tree()) || store.regions().length > 0);
      root.classList.toggle("ll-no-regions", !regional);
      root.classList.toggle("ll-no-side", !regional && !showInstructions());
    },
  };
}
