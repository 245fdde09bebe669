// @ts-check
/**
 * The task data keys in data queued for import, found in the browser before anything is sent
 * (P5), so the create wizard's labeling setup can offer them under "Configure data" (as Label
 * Studio does after an upload). Pure: DOM-free, tested with node --test.
 */

/** Keys of one task: Label Studio tasks are `{data: {...}}` or the data object itself. @param {any} item */
function taskKeys(item) {
  if (!item || typeof item !== "object" || Array.isArray(item)) return [];
  const data = item.data && typeof item.data === "object" && !Array.isArray(item.data) ? item.data : item;
  return Object.keys(data);
}

/** The first line of delimited text, split (quotes around names removed). @param {string} text @param {string} sep */
function header(text, sep) {
  const line = text.split(/\r?\n/, 1)[0] || "";
  return line.split(sep).map((name) => name.trim().replace(/^"(.*)"$/, "$1")).filter(Boolean);
}

/**
 * Column names in one queued source, judged by its file name's extension.
 * Media files and URL lists are one column the server names after the config; they add none.
 * @param {string} name e.g. "tasks.csv", "pasted.json"
 * @param {string} text the content (a prefix is enough for CSV/TSV)
 * @returns {string[]}
 */
export function columnsOf(name, text) {
  const ext = name.toLowerCase().split(".").pop();
  try {
    if (ext === "csv") return header(text, ",");
    if (ext === "tsv") return header(text, "\t");
    if (ext === "jsonl") return taskKeys(JSON.parse(text.split(/\r?\n/).find((l) => l.trim()) || "null"));
    if (ext === "json") {
      const parsed = JSON.parse(text);
      return taskKeys(Array.isArray(parsed) ? parsed[0] : parsed);
    }
  } catch {
    // Malformed content: the import reports it with the row; no columns to offer.
  }
  return [];
}

/**
 * The union of the columns of every source, in first-seen order.
 * @param {{name: string, text: string}[]} sources
 */
export function columnsOfAll(sources) {
  /** @type {string[]} */
  const out = [];
  for (const source of sources) for (const column of columnsOf(source.name, source.text)) if (!out.includes(column)) out.push(column);
  return out;
}
