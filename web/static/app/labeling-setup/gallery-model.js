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
 * Whether a template works with the imported data without changes: it reads only fields the
 * data has, or (uploaded media files, one file per task) it shows one data field with an object
 * tag of the files' data type (`dataTypes`: the catalogue's data types accepting their extensions).
 * @param {Template} template @param {string[]} columns @param {string[]} [dataTypes]
 */
export function fitsData(template, columns, dataTypes = []) {
  const keys = [...template.config.matchAll(/\b(?:value|valueList)="\$([A-Za-z_][\w]*)/g)].map((m) => m[1]);
  if (!keys.length) return false;
  if (columns.length && keys.every((key) => columns.includes(key))) return true;
  if (!dataTypes.length || new Set(keys).size !== 1) return false;
  const objects = [...template.config.matchAll(/<([A-Za-z][\w]*)\b[^>]*\bvalue="\$[A-Za-z_]/g)].map((m) => m[1]);
  return objects.length > 0 && objects.every((tag) => dataTypes.includes(tag));
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

