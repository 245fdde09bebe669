// @ts-check
/**
 * The field lists of the project settings forms: which API fields each section edits, and how
 * a draft is compared with the saved project. Pure (no DOM), so the rules are testable.
 */

/** @type {Record<string, string[]>} */
export const SECTION_FIELDS = {
  general: ["title", "description", "color", "sampling"],
  labeling: ["label_config"],
  instructions: ["expert_instruction", "show_instruction"],
  annotation: [
    "maximum_annotations",
    "overlap_cohort_percentage",
    "show_overlap_first",
    "skip_queue",
    "show_skip_button",
    "enable_empty_annotation",
    "show_annotation_history",
    "show_collab_predictions",
    "reveal_preannotations_interactively",
    "show_ground_truth_first",
  ],
};

export const SAMPLING = [
  ["Sequential sampling", "Sequential", "Tasks in the order of their IDs."],
  ["Uniform sampling", "Random", "Tasks in a random order."],
  ["Uncertainty sampling", "Uncertainty", "Tasks whose predictions have the lowest score first (active learning)."],
];

export const SKIP_QUEUE = [
  ["REQUEUE_FOR_OTHERS", "Give skipped tasks to other annotators"],
  ["REQUEUE_FOR_ME", "Show skipped tasks to me again, at the end"],
  ["IGNORE_SKIPPED", "Count a skip as done (nobody gets the task again)"],
];

/**
 * The section's values from a project.
 * @param {string} section @param {Record<string, any>} project
 * @returns {Record<string, any>}
 */
export function pick(section, project) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const key of SECTION_FIELDS[section] || []) out[key] = project[key];
  return out;
}

/**
 * The fields that differ between the draft and the saved values (what a PATCH must send).
 * @param {Record<string, any>} draft @param {Record<string, any>} saved
 */
export function changedFields(draft, saved) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, value] of Object.entries(draft)) if (value !== saved[key]) out[key] = value;
  return out;
}

/**
 * Client-side checks mirroring the server's, so errors show next to the field before saving.
 * @param {Record<string, any>} draft
 * @returns {Record<string, string>}
 */
export function validate(draft) {
  /** @type {Record<string, string>} */
  const errors = {};
  if ("title" in draft && !String(draft.title || "").trim()) errors.title = "The project needs a name.";
  if ("title" in draft && String(draft.title || "").length > 200) errors.title = "At most 200 characters.";
  if ("maximum_annotations" in draft && !(Number.isInteger(draft.maximum_annotations) && draft.maximum_annotations >= 1)) {
    errors.maximum_annotations = "A whole number, 1 or more.";
  }
  if ("overlap_cohort_percentage" in draft) {
    const value = draft.overlap_cohort_percentage;
    if (!(Number.isInteger(value) && value >= 0 && value <= 100)) errors.overlap_cohort_percentage = "A whole number from 0 to 100.";
  }
  return errors;
}
