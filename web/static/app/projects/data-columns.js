// @ts-check
/**
 * The task data keys in data queued for import, found in the browser before anything is sent
 * (P5), so the create wizard's labeling setup can offer them under "Configure data" (as Label
 * Studio does after an upload). Pure: DOM-free, tested with node --test.
 */

/** One task's data: Label Studio tasks are `{data: {...}}` or the data object itself. @param {any} item @returns {Record<string, any>|null} */
function dataOf(item) {
  if (!item || typeof item !== "object" || Array.isArray(item)) return null;
  return item.data && typeof item.data === "object" && !Array.isArray(item.data) ? item.data : item;
}

/** Keys of one task. @param {any} item */
function taskKeys(item) {
  return Object.keys(dataOf(item) || {});
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

/**
 * The first task's data in one queued source (CSV/TSV: the first row under the header; JSON /
 * JSON lines: the first task's `data` or the object itself), or null. For previews only.
 * @param {string} name @param {string} text @returns {Record<string, any>|null}
 */
export function firstTaskOf(name, text) {
  const ext = name.toLowerCase().split(".").pop();
  try {
    if (ext === "csv" || ext === "tsv") {
      const sep = ext === "csv" ? "," : "\t";
      const [head, row] = text.split(/\r?\n/).filter((l) => l.trim());
      if (!head || !row) return null;
      const names = header(head, sep);
      // Quoted cells with separators inside are rare in a first row; a preview may show them split.
      const cells = row.split(sep).map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
      return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ""]));
    }
    if (ext === "jsonl") return dataOf(JSON.parse(text.split(/\r?\n/).find((l) => l.trim()) || "null"));
    if (ext === "json") {
      const parsed = JSON.parse(text);
      return dataOf(Array.isArray(parsed) ? parsed[0] : parsed);
    }
  } catch {
    // Malformed: nothing to preview with.
  }
  return null;
}

/**
 * The data types whose files were queued: for each media file name, the catalogue's data types
 * (object tags) accepting its extension, leaving out task files (read as tasks, not media).
 * @param {string[]} fileNames
 * @param {import("../catalogue.js").TagCatalogue} tags
 * @param {string[]} taskFormats  e.g. [".csv", ".json"]
 * @returns {string[]}
 */
export function mediaTypesOf(fileNames, tags, taskFormats) {
  /** @type {string[]} */
  const out = [];
  for (const fileName of fileNames) {
    const dot = fileName.lastIndexOf(".");
    const ext = dot >= 0 ? fileName.slice(dot).toLowerCase() : "";
    if (!ext || taskFormats.includes(ext)) continue;
    for (const [type, tag] of Object.entries(tags)) {
      if (tag.kind === "object" && (tag.extensions || []).map((e) => e.toLowerCase()).includes(ext) && !out.includes(type)) out.push(type);
    }
  }
  return out;
}
