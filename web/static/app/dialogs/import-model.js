// @ts-check
/**
 * Pure helpers of the import dialog (no DOM): recognising pasted text, the accepted formats
 * when the server cannot tell, and the server's row errors as {where, message} lines.
 */

/** @typedef {{name: string, extensions: string[]}} DataTypeFormats  media files one data type accepts */

/** Extensions core's importer reads as task files. */
const TASK_FORMATS = [".csv", ".json", ".jsonl", ".tsv", ".txt"];

/**
 * Data types by the extensions they accept, leaving out a type whose list is exactly an earlier
 * one's (an alias of it, e.g. an extended player of the same media).
 * @template {DataTypeFormats} T @param {T[]} dataTypes @returns {T[]}
 */
export function distinctDataTypes(dataTypes) {
  const seen = new Set();
  return dataTypes.filter((d) => {
    const key = [...new Set(d.extensions)].sort().join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What import accepts, listed once each: core's task files, then media files by data type from
 * the tag catalogue (`GET /api/plugins`: the server's data types and their `extensions`, the
 * same registry its importer accepts). The create-project wizard and the Import dialog both
 * show this list. An extension already listed as a task file is not repeated under a data type,
 * and a data type left with none is not shown.
 * @param {import("../catalogue.js").TagCatalogue} tags
 * @returns {{task_formats: string[], data_types: DataTypeFormats[]}}
 */
export function fallbackFormats(tags) {
  const objects = Object.entries(tags).filter(([, tag]) => tag.kind === "object" && tag.extensions?.length);
  const dataTypes = objects.map(([name, tag]) => ({ name, extensions: [...new Set(tag.extensions)].map((e) => e.toLowerCase()).sort() }));
  const taskFormats = new Set(TASK_FORMATS);
  const listed = distinctDataTypes(dataTypes)
    .map((d) => ({ name: d.name, extensions: d.extensions.filter((e) => !taskFormats.has(e)) }))
    .filter((d) => d.extensions.length);
  return { task_formats: TASK_FORMATS, data_types: distinctDataTypes(listed) };
}


/** The file picker's accept list. @param {{task_formats: string[], data_types: {extensions: string[]}[]}} formats */
export function acceptList(formats) {
  return [...new Set([...formats.task_formats, ...formats.data_types.flatMap((d) => d.extensions)])];
}

const URL_LINE = /^(https?|s3|gs|azure-blob):\/\/\S+$/i;

/**
 * What pasted text is, and the file name it is uploaded as (the server picks the parser by
 * extension). Null when it is none of JSON, JSONL, CSV, TSV or a URL list.
 * @param {string} text @returns {{name: string, label: string}|null}
 */
export function detectPasted(text) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
  if (/^[[{]/.test(trimmed)) {
    try {
      const value = JSON.parse(trimmed);
      const n = Array.isArray(value) ? value.length : 1;
      return { name: "pasted.json", label: `JSON · ${n} ${n === 1 ? "task" : "tasks"}` };
    } catch {
      if (lines.every((l) => { try { JSON.parse(l); return true; } catch { return false; } })) {
        return { name: "pasted.jsonl", label: `JSON lines · ${lines.length} tasks` };
      }
      return null;
    }
  }
  if (lines.every((l) => URL_LINE.test(l.trim()))) return { name: "urls.txt", label: `${lines.length} ${lines.length === 1 ? "URL" : "URLs"}` };
  if (lines.length >= 2 && lines[0].includes("\t")) return { name: "pasted.tsv", label: `TSV · ${lines.length - 1} rows` };
  if (lines.length >= 2 && lines[0].includes(",")) return { name: "pasted.csv", label: `CSV · ${lines.length - 1} rows` };
  return null;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The server's errors, one line each with where they happened ("data.csv row 3", "file").
 * @param {any} error an ApiError (body.validation_errors: {field: ["where: message"]}) or anything
 * @returns {{where: string, message: string}[]}
 */
export function errorLines(error) {
  const fields = error?.body?.validation_errors;
  /** @type {{where: string, message: string}[]} */
  const lines = [];
  if (fields && typeof fields === "object") {
    for (const [field, messages] of Object.entries(fields)) {
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        const text = String(message);
        const at = text.indexOf(": ");
        if (at > 0 && at < 120) lines.push({ where: text.slice(0, at), message: text.slice(at + 2) });
        else lines.push({ where: field === "tasks" || field === "non_field_errors" ? "" : field, message: text });
      }
    }
  }
  if (!lines.length && error) lines.push({ where: "", message: String(error?.body?.detail || error?.message || error) });
  return lines;
}

/**
 * The data columns a queued file or paste would create, read from its start (CSV/TSV header,
 * keys of JSON tasks — inside "data" when tasks are wrapped), so the create-project wizard can
 * suggest a labeling setup before anything is sent. Unknown or partial content gives [].
 * @param {string} name file name (its extension picks the parser) @param {string} text its first bytes
 * @returns {string[]}
 */
export function columnsOf(name, text) {
  const ext = name.toLowerCase().slice(name.lastIndexOf("."));
  const lines = text.split(/\r?\n/);
  if (ext === ".csv" || ext === ".tsv") {
    const header = lines[0] || "";
    const cells = header.split(ext === ".tsv" ? "\t" : ",").map((c) => c.trim().replace(/^"(.*)"$/, "$1")).filter(Boolean);
    return [...new Set(cells)];
  }
  /** @param {any} task */
  const keys = (task) => (task && typeof task === "object" ? Object.keys(task.data && typeof task.data === "object" ? task.data : task) : []);
  if (ext === ".json") {
    try {
      const value = JSON.parse(text);
      const tasks = Array.isArray(value) ? value.slice(0, 200) : [value];
      return [...new Set(tasks.flatMap(keys))].filter((k) => !["annotations", "predictions", "meta", "id"].includes(k));
    } catch {
      return [];
    }
  }
  if (ext === ".jsonl") {
    /** @type {string[]} */
    const out = [];
    for (const line of lines.slice(0, 200)) {
      try {
        out.push(...keys(JSON.parse(line)));
      } catch {
        /* a partial last line (we read only the start) */
      }
    }
    return [...new Set(out)];
  }
  return [];
}
