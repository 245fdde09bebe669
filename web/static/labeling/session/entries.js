// @ts-check
/**
 * The annotation tabs of a task as data: its predictions, its annotations and at most one new
 * annotation. DOM-free, so what a task offers can be read (and tested) apart from the screen.
 */

/** @typedef {import("../types.js").ResultItem} ResultItem */

/**
 * @typedef {{key: string, kind: "annotation", annotation: any} | {key: string, kind: "prediction", prediction: any} | {key: "new", kind: "new", parentPrediction: number|null, parentAnnotation: number|null, seed: ResultItem[]|null}} Entry
 */

/** Prediction results as editable annotation results (Label Studio marks them origin "prediction"). @param {any[]} result @returns {ResultItem[]} */
export function fromPrediction(result) {
  return (result || []).map((item) => (item.type === "relation" ? item : { ...item, origin: item.origin || "prediction" }));
}

/** The tabs of a task: its predictions, then its annotations (skips are not shown). @param {any} task @returns {Entry[]} */
export function buildEntries(task) {
  /** @type {Entry[]} */
  const list = [];
  for (const p of task.predictions || []) list.push({ key: `p:${p.id}`, kind: "prediction", prediction: p });
  for (const a of task.annotations || []) if (!a.was_cancelled) list.push({ key: `a:${a.id}`, kind: "annotation", annotation: a });
  return list;
}

/** A new annotation tab, empty or seeded from a prediction or an annotation. @param {any} prediction @param {any} annotation @returns {Entry} */
export function newEntry(prediction, annotation) {
  return {
    key: "new",
    kind: "new",
    parentPrediction: prediction?.id ?? null,
    parentAnnotation: annotation?.id ?? null,
    seed: prediction ? fromPrediction(prediction.result) : annotation ? structuredClone(annotation.result) : null,
  };
}
