// @ts-check
/**
 * The Table object tag's data, as Label Studio shows it: a dict becomes Name/Value rows sorted
 * case-insensitively by key (objects shown as JSON); a list of dicts becomes one row per entry
 * with the first entry's keys as columns; `valueType="csv|separator=;|headless"` parses CSV text.
 */

/**
 * Parse `valueType` ("json", "csv|separator=;|headless", "json|url") into type and options.
 * @param {string|undefined} valueType
 * @returns {{type: string, options: Record<string, string|boolean>}}
 */
export function parseValueType(valueType) {
  const [type, ...rest] = String(valueType || "json").split("|");
  /** @type {Record<string, string|boolean>} */
  const options = {};
  for (const part of rest) {
    const [key, ...value] = part.split("=");
    options[key.trim()] = value.length ? value.join("=") : true;
  }
  return { type: type.trim() || "json", options };
}

/**
 * Parse CSV (RFC 4180 quoting) into rows of cells.
 * @param {string} text @param {string} [separator] @returns {string[][]}
 */
export function parseCsv(text, separator = ",") {
  const sep = separator === "tab" || separator === "\\t" ? "\t" : separator;
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (text.startsWith(sep, i)) {
      row.push(cell);
      cell = "";
      i += sep.length - 1;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c !== ""));
}

/** @param {any} value */
function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Columns and rows to draw.
 * @param {any} data the resolved `value` @param {string|undefined} valueType
 * @returns {{columns: string[], rows: string[][]}}
 */
export function tableOf(data, valueType) {
  const { type, options } = parseValueType(valueType);
  if (type === "csv" || type === "tsv") {
    const separator = typeof options.separator === "string" ? options.separator : type === "tsv" ? "\t" : ",";
    const parsed = parseCsv(typeof data === "string" ? data : "", separator);
    if (!parsed.length) return { columns: [], rows: [] };
    if (options.headless) return { columns: parsed[0].map((_, i) => String(i)), rows: parsed };
    return { columns: parsed[0], rows: parsed.slice(1) };
  }
  let value = data;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return { columns: ["Name", "Value"], rows: [["value", value]] };
    }
  }
  if (Array.isArray(value)) {
    if (value.length && value[0] && typeof value[0] === "object" && !Array.isArray(value[0])) {
      const columns = Object.keys(value[0]);
      return { columns, rows: value.map((entry) => columns.map((key) => cellText(entry?.[key]))) };
    }
    return { columns: ["Name", "Value"], rows: value.map((entry, i) => [String(i), cellText(entry)]) };
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    return { columns: ["Name", "Value"], rows: keys.map((key) => [key, cellText(value[key])]) };
  }
  return { columns: ["Name", "Value"], rows: value === undefined || value === null ? [] : [["value", cellText(value)]] };
}
