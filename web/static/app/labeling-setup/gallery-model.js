// @ts-check
/**
 * Template gallery logic: category order, search, "fits your data". DOM-free (node-tested).
 */

/** @typedef {{name: string, title: string, group: string, description: string, config: string, sample_task: Record<string, any>, plugin: string|null}} Template */

/** Label Studio's category order, so users find things where they expect them. */
const ORDER = [
  "Computer Vision", "Natural Language Processing", "Audio/Speech Processing", "Conversational AI", "Ranking & Scoring",
  "Structured Data Parsing", "Time Series Analysis", "Videos", "Generative AI",
];

/** @param {string[]} groups */
export function orderedGroups(groups) {
  const rank = (/** @type {string} */ g) => (ORDER.includes(g) ? ORDER.indexOf(g) : ORDER.length);
  return [...groups].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Whether a template reads only fields the imported data has (so it works without changes).
 * @param {Template} template @param {string[]} columns
 */
export function fitsData(template, columns) {
  if (!columns.length) return false;
  const keys = [...template.config.matchAll(/\b(?:value|valueList)="\$([A-Za-z_][\w]*)/g)].map((m) => m[1]);
  return keys.length > 0 && keys.every((key) => columns.includes(key));
}

/** Templates matching every word of the query (title, description, group, tag names). @param {Template[]} templates @param {string} query */
export function searchTemplates(templates, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return templates;
  return templates.filter((t) => {
    const tags = [...t.config.matchAll(/<([A-Z][\w]*)/g)].map((m) => m[1]).join(" ");
    const hay = `${t.title} ${t.description} ${t.group} ${tags}`.toLowerCase();
    return words.every((word) => hay.includes(word));
  });
}

