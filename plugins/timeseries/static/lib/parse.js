// @ts-check
/**
 * Reading a time series into columns, DOM-free (runs in the parsing worker and under node).
 *
 * `parseDelimited(bytes, options)` reads CSV/TSV bytes without decoding the whole file into
 * strings: numbers are read straight from the bytes, only the columns the config names are kept,
 * and the result is typed arrays. `fromJson(data, options)` reads inline task data
 * (`valueType="json"`: `{"<column>": [...], ...}`). Both return a {@link Series} or throw a
 * {@link SeriesError} naming the row and column at fault.
 */
import { timeParser } from "./timefmt.js";

/**
 * @typedef {{
 *   time: Float64Array,
 *   columns: Record<string, Float64Array>,
 *   timeKind: "index"|"number"|"date",
 *   header: string[]|null,
 * }} Series
 * time: ascending sample times (the row index, the time column's numbers, or milliseconds since
 * the epoch for dates); columns: values keyed by the `column` attribute as written in the config.
 */
/** @typedef {{sep?: string, timeColumn?: string|null, timeFormat?: string|null, columns: string[]}} ParseOptions */

export class SeriesError extends Error {
  /** @param {string} message @param {{row?: number, column?: string}} [where] */
  constructor(message, where = {}) {
    super(message);
    this.name = "SeriesError";
    this.row = where.row;
    this.column = where.column;
  }
}

/** The separator from the `sep` attribute ("\t", "\\t", "tab", ";" ...). @param {string|undefined|null} sep */
export function separator(sep) {
  if (sep == null || sep === "") return ",";
  if (sep === "\\t" || sep.toLowerCase() === "tab") return "\t";
  return sep[0];
}

const MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57, LOWER_E = 101, UPPER_E = 69, QUOTE = 34, CR = 13, LF = 10, SPACE = 32;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A plain decimal number read from bytes [start, end); NaN when the field is anything else.
 * @param {Uint8Array} b @param {number} start @param {number} end
 */
export function readNumber(b, start, end) {
  while (start < end && b[start] === SPACE) start++;
  while (end > start && b[end - 1] === SPACE) end--;
  if (start >= end) return NaN;
  let i = start;
  let negative = false;
  if (b[i] === MINUS) { negative = true; i++; } else if (b[i] === PLUS) i++;
  let int = 0, digits = 0;
  while (i < end && b[i] >= ZERO && b[i] <= NINE) { int = int * 10 + (b[i] - ZERO); i++; digits++; }
  let frac = 0, fracDigits = 0;
  if (i < end && b[i] === DOT) {
    i++;
    while (i < end && b[i] >= ZERO && b[i] <= NINE) { if (fracDigits < 22) { frac = frac * 10 + (b[i] - ZERO); fracDigits++; } i++; digits++; }
  }
  if (!digits) return NaN;
  let value = fracDigits ? int + frac / POW10[fracDigits] : int;
  if (i < end && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (b[i] === MINUS) { expNegative = true; i++; } else if (b[i] === PLUS) i++;
    let exp = 0, expDigits = 0;
    while (i < end && b[i] >= ZERO && b[i] <= NINE) { exp = exp * 10 + (b[i] - ZERO); i++; expDigits++; }
    if (!expDigits) return NaN;
    value = expNegative ? value / 10 ** exp : value * 10 ** exp;
  }
  if (i !== end) return NaN;
  // Long mantissas lose a last bit in the fast path: let the engine read those exactly.
  if (digits > 15) return Number(new TextDecoder().decode(b.subarray(start, end)));
  return negative ? -value : value;
}

/** @param {string} text */
function isNumeric(text) {
  return text.trim() !== "" && Number.isFinite(Number(text));
}

/** @param {string} text */
function quote(text) {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
}

/**
 * Where each wanted column is: by header name, else by 0-based index.
 * @param {string[]} wanted @param {string[]|null} header @param {number} width
 */
function resolveColumns(wanted, header, width) {
  return wanted.map((name) => {
    if (header) {
      const at = header.indexOf(name);
      if (at >= 0) return at;
    }
    if (/^\d+$/.test(name) && Number(name) < width) return Number(name);
    const known = header ? header.map((h) => JSON.stringify(h)).join(", ") : `0 to ${width - 1} (the file has no header row)`;
    throw new SeriesError(`Column ${quote(name)} is not in the file; its columns are ${known}.`, { column: name });
  });
}

/**
 * A time reader for one field's text. Numbers stay numbers; with a timeFormat, strings are parsed
 * to milliseconds since the epoch.
 * @param {string|null|undefined} timeFormat
 */
function timeReader(timeFormat) {
  const parse = timeFormat ? timeParser(timeFormat) : null;
  return parse;
}

/**
 * Split bytes into lines and fields, calling `onField(rowIndex, fieldIndex, start, end, quoted)`.
 * Returns the number of rows.
 * @param {Uint8Array} b @param {number} sepCode
 * @param {(row: number, field: number, start: number, end: number, quoted: boolean) => void} onField
 * @param {number} [maxRows]
 */
function scan(b, sepCode, onField, maxRows = Infinity) {
  const n = b.length;
  let row = 0, field = 0, i = 0;
  // A UTF-8 byte-order mark is not data.
  if (n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  let lineHasData = false;
  while (i < n && row < maxRows) {
    let start = i, end, quoted = false;
    if (b[i] === QUOTE) {
      quoted = true;
      start = ++i;
      while (i < n && !(b[i] === QUOTE && b[i + 1] !== QUOTE)) i += b[i] === QUOTE ? 2 : 1;
      end = i;
      i++; // closing quote
      while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
    } else {
      while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
      end = i;
      if (end > start && b[end - 1] === CR && (i >= n || b[i] === LF)) end--;
    }
    if (end > start || field > 0 || b[i] === sepCode) lineHasData = true;
    if (lineHasData) onField(row, field, start, end, quoted);
    if (i < n && b[i] === sepCode) {
      field++;
      i++;
      if (i >= n) { onField(row, field, i, i, false); row++; }
      continue;
    }
    // end of line
    if (lineHasData) row++;
    field = 0;
    lineHasData = false;
    i++;
  }
  return row;
}

/**
 * Read CSV/TSV bytes.
 * @param {Uint8Array} bytes @param {ParseOptions} options
 * @returns {Series}
 */
export function parseDelimited(bytes, options) {
  const parser = createDelimitedParser(options, bytes.length);
  parser.push(bytes);
  return parser.finish();
}

/**
 * An incremental CSV/TSV reader: `push` bytes as they arrive (any cut), `finish` for the
 * series. Lines are parsed as soon as they are complete, so parsing overlaps the download.
 * (A quoted field may not contain a line break.)
 * @param {ParseOptions} options @param {number} [sizeHint] the file's size when known (preallocation)
 */
export function createDelimitedParser(options, sizeHint = 0) {
  const sepCode = separator(options.sep).charCodeAt(0);
  const decoder = new TextDecoder();
  const parseTime = timeReader(options.timeFormat);
  const dateTime = parseTime !== null;
  const timeColumn = options.timeColumn ?? null;
  const wanted = [...new Set(options.columns)];
  /** @type {string[]|null} */
  let header = null;
  /** @type {string[]} */
  let names = [];
  let timeIndex = -1, width = 0, skip = 0, ready = false;
  let slot = new Int32Array(0);
  let capacity = 0, r = 0, fileRow = 0, seen = 0;
  let time = new Float64Array(0);
  /** @type {Float64Array[]} */
  let values = [];
  /** @type {Uint8Array} */
  let carry = new Uint8Array(0);
  let firstBlock = true;

  /** @param {Uint8Array} b @param {number} s @param {number} e @param {boolean} q */
  const text = (b, s, e, q) => {
    const raw = decoder.decode(b.subarray(s, e));
    return q ? raw.replace(/""/g, '"') : raw;
  };

  /** Header, columns and slots from the first line. @param {Uint8Array} b */
  function init(b) {
    /** @type {string[]} */
    const first = [];
    scan(b, sepCode, (row, field, s, e, q) => { first[field] = text(b, s, e, q).trim(); }, 1);
    if (!first.length) throw new SeriesError("The file is empty.");
    const looksLikeData = first.every((v) => v === "" || isNumeric(v) || (parseTime !== null && Number.isFinite(parseTime(v))));
    header = looksLikeData ? null : first;
    timeIndex = timeColumn !== null ? resolveColumns([timeColumn], header, first.length)[0] : -1;
    const indexes = resolveColumns(wanted, header, first.length);
    names = header ?? first.map((_, i) => String(i));
    width = Math.max(first.length, ...indexes, timeIndex) + 1;
    slot = new Int32Array(width).fill(-1);
    indexes.forEach((at, k) => (slot[at] = k));
    if (timeIndex >= 0) {
      if (slot[timeIndex] >= 0) throw new SeriesError(`Column ${quote(names[timeIndex])} is the time column; it cannot also be a channel.`, { column: names[timeIndex] });
      slot[timeIndex] = -2;
    }
    skip = header ? 1 : 0;
    ready = true;
  }

  /** Room for more rows: the file's size (when known) over the bytes read so far gives the estimate. @param {number} bytesRead */
  function grow(bytesRead) {
    let next = Math.max(1024, Math.ceil(capacity * 1.5));
    if (sizeHint > 0 && bytesRead > 0 && r > 0) next = Math.max(next, Math.ceil(((r + 1) * sizeHint) / bytesRead * 1.02) + 16);
    if (timeIndex >= 0) {
      const t = new Float64Array(next);
      t.set(time.subarray(0, r));
      time = t;
    }
    values = wanted.map((_, k) => {
      const v = new Float64Array(next);
      if (values[k]) v.set(values[k].subarray(0, r));
      v.fill(NaN, r);
      return v;
    });
    capacity = next;
  }

  /** The slow path for one field (quoted, text, dates, odd numbers). @param {Uint8Array} b @param {number} row @param {number} field @param {number} s @param {number} e @param {boolean} q */
  const slowField = (b, row, field, s, e, q) => {
    const raw = text(b, s, e, q).trim();
    const column = names[field] ?? String(field);
    if (slot[field] === -2) {
      let t;
      if (parseTime) {
        t = parseTime(raw);
        if (!Number.isFinite(t)) throw new SeriesError(`Row ${row + 1}, column ${quote(column)}: ${quote(raw)} does not match timeFormat ${quote(String(options.timeFormat))}.`, { row: row + 1, column });
      } else {
        t = raw === "" ? NaN : Number(raw);
        if (!Number.isFinite(t)) throw new SeriesError(`Row ${row + 1}, column ${quote(column)}: ${quote(raw)} is not a time; set timeFormat on <TimeSeries> to read dates.`, { row: row + 1, column });
      }
      return t;
    }
    if (raw === "" || /^(nan|null|none|na)$/i.test(raw)) return NaN; // a gap
    const v = Number(raw);
    if (Number.isNaN(v)) throw new SeriesError(`Row ${row + 1}, column ${quote(column)}: ${quote(raw)} is not a number.`, { row: row + 1, column });
    return v;
  };

  /** Parse complete lines. The hot loop: numbers read inline from the bytes; anything unusual takes slowField. @param {Uint8Array} b */
  function parseBlock(b) {
    const n = b.length;
    const before = seen;
    seen += n;
    let i = 0;
    if (firstBlock && n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
    firstBlock = false;
    while (i < n) {
      // skip empty lines
      if (b[i] === LF) { i++; continue; }
      if (b[i] === CR && b[i + 1] === LF) { i += 2; continue; }
      const isData = fileRow >= skip;
      if (isData && r >= capacity) grow(before + i);
      let field = 0;
      for (;;) {
        const target = field < width ? slot[field] : -1;
        const s = i;
        let v = NaN;
        if (!isData || target === -1) {
          if (b[i] === QUOTE) { i++; while (i < n && !(b[i] === QUOTE && b[i + 1] !== QUOTE)) i += b[i] === QUOTE ? 2 : 1; i++; }
          while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
        } else if (b[i] === QUOTE || (target === -2 && dateTime)) {
          if (b[i] === QUOTE) {
            i++;
            const qs = i;
            while (i < n && !(b[i] === QUOTE && b[i + 1] !== QUOTE)) i += b[i] === QUOTE ? 2 : 1;
            const e = i;
            i++;
            while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
            v = slowField(b, fileRow, field, qs, e, true);
          } else {
            while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
            v = slowField(b, fileRow, field, s, i > s && b[i - 1] === CR ? i - 1 : i, false);
          }
        } else {
          // inline decimal: [-+]digits[.digits][e[-+]digits]
          let j = i, negative = false, ok = true;
          let c = b[j];
          if (c === MINUS) { negative = true; c = b[++j]; } else if (c === PLUS) c = b[++j];
          let int = 0, digits = 0;
          while (c >= ZERO && c <= NINE) { int = int * 10 + (c - ZERO); digits++; c = b[++j]; }
          let value = int;
          if (c === DOT) {
            c = b[++j];
            let frac = 0, fd = 0;
            while (c >= ZERO && c <= NINE) { if (fd < 22) { frac = frac * 10 + (c - ZERO); fd++; } digits++; c = b[++j]; }
            if (fd) value = int + frac / POW10[fd];
          }
          if (c === LOWER_E || c === UPPER_E) {
            c = b[++j];
            let en = false, exp = 0, ed = 0;
            if (c === MINUS) { en = true; c = b[++j]; } else if (c === PLUS) c = b[++j];
            while (c >= ZERO && c <= NINE) { exp = exp * 10 + (c - ZERO); ed++; c = b[++j]; }
            if (!ed) ok = false;
            value = en ? value / 10 ** exp : value * 10 ** exp;
          }
          if (c === CR && (b[j + 1] === LF || j + 1 >= n)) { /* end of a CRLF line */ } else if (j < n && c !== sepCode && c !== LF) ok = false;
          if (ok && digits && digits <= 15) {
            v = negative ? -value : value;
            i = j;
            while (i < n && b[i] !== sepCode && b[i] !== LF) i++; // the CR, if any
          } else {
            while (i < n && b[i] !== sepCode && b[i] !== LF) i++;
            v = slowField(b, fileRow, field, s, i > s && b[i - 1] === CR ? i - 1 : i, false);
          }
        }
        if (isData) {
          if (target >= 0) values[target][r] = v;
          else if (target === -2) time[r] = v;
        }
        if (i < n && b[i] === sepCode) { i++; field++; continue; }
        i++; // the line feed (or past the end)
        break;
      }
      if (isData) {
        if (timeIndex >= 0 && field < timeIndex) throw new SeriesError(`Row ${fileRow + 1} has no column ${quote(names[timeIndex])} (only ${field + 1} fields).`, { row: fileRow + 1, column: names[timeIndex] });
        r++;
      }
      fileRow++;
    }
  }

  return {
    /** @param {Uint8Array} chunk */
    push(chunk) {
      let data = chunk;
      if (carry.length) {
        data = new Uint8Array(carry.length + chunk.length);
        data.set(carry);
        data.set(chunk, carry.length);
      }
      let last = data.length - 1;
      while (last >= 0 && data[last] !== LF) last--;
      if (last < 0) {
        carry = data === chunk ? chunk.slice() : data;
        return;
      }
      const block = data.subarray(0, last + 1);
      carry = data.slice(last + 1);
      if (!ready) init(block);
      parseBlock(block);
    },
    /** @returns {Series} */
    finish() {
      if (carry.length) {
        const rest = carry;
        carry = new Uint8Array(0);
        if (!ready) init(rest);
        parseBlock(rest);
      }
      if (!ready) throw new SeriesError("The file is empty.");
      const count = r;
      const timeOut = timeIndex < 0 ? indexTime(count) : count === time.length ? time : time.slice(0, count);
      checkAscending(timeOut, skip, names[timeIndex] ?? "");
      /** @type {Record<string, Float64Array>} */
      const columns = {};
      wanted.forEach((name, k) => (columns[name] = values[k] && values[k].length === count ? values[k] : (values[k] ?? new Float64Array(0)).slice(0, count)));
      const timeKind = /** @type {"index"|"number"|"date"} */ (timeIndex < 0 ? "index" : parseTime ? "date" : "number");
      return { time: timeOut, columns, timeKind, header };
    },
  };
}

/** @param {number} n */
function indexTime(n) {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = i;
  return t;
}

/** @param {Float64Array} time @param {number} rowOffset @param {string} column */
function checkAscending(time, rowOffset, column) {
  for (let i = 1; i < time.length; i++) {
    if (!(time[i] >= time[i - 1])) {
      throw new SeriesError(`Row ${i + rowOffset + 1}, column ${quote(column)}: times must not go backwards (this row is before the one above it).`, { row: i + rowOffset + 1, column });
    }
  }
}

/**
 * Read inline data: `{"<timeColumn>": [...], "<column>": [...]}` (Label Studio's valueType="json").
 * @param {any} data @param {ParseOptions} options
 * @returns {Series}
 */
export function fromJson(data, options) {
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      throw new SeriesError("The task's value is not JSON: valueType=\"json\" expects {\"column\": [values...]}.");
    }
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new SeriesError("valueType=\"json\" expects an object of columns, e.g. {\"time\": [0, 1], \"value\": [3, 4]}.");
  }
  const keys = Object.keys(data);
  /** @param {string} name */
  const column = (name) => {
    if (Array.isArray(data[name])) return data[name];
    if (/^\d+$/.test(name) && Array.isArray(data[keys[Number(name)]])) return data[keys[Number(name)]];
    throw new SeriesError(`Column ${quote(name)} is not in the data; its columns are ${keys.map((k) => JSON.stringify(k)).join(", ")}.`, { column: name });
  };
  const parseTime = timeReader(options.timeFormat);
  const timeColumn = options.timeColumn ?? null;
  const wanted = [...new Set(options.columns)];
  const lists = wanted.map(column);
  const timeList = timeColumn !== null ? column(timeColumn) : null;
  const n = timeList ? timeList.length : Math.max(0, ...lists.map((l) => l.length));
  /** @type {Record<string, Float64Array>} */
  const columns = {};
  wanted.forEach((name, k) => {
    const list = lists[k];
    const out = new Float64Array(n).fill(NaN);
    for (let i = 0; i < Math.min(n, list.length); i++) {
      const raw = list[i];
      if (raw === null || raw === undefined || raw === "") continue;
      const v = typeof raw === "number" ? raw : Number(raw);
      if (Number.isNaN(v)) throw new SeriesError(`Row ${i + 1}, column ${quote(name)}: ${quote(String(raw))} is not a number.`, { row: i + 1, column: name });
      out[i] = v;
    }
    columns[name] = out;
  });
  let time;
  /** @type {"index"|"number"|"date"} */
  let timeKind = "index";
  if (timeList) {
    timeKind = parseTime ? "date" : "number";
    time = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const raw = timeList[i];
      const t = parseTime ? parseTime(String(raw)) : typeof raw === "number" ? raw : raw === "" || raw == null ? NaN : Number(raw);
      if (!Number.isFinite(t)) {
        const why = parseTime ? `does not match timeFormat ${quote(String(options.timeFormat))}` : "is not a time; set timeFormat on <TimeSeries> to read dates";
        throw new SeriesError(`Row ${i + 1}, column ${quote(String(timeColumn))}: ${quote(String(raw))} ${why}.`, { row: i + 1, column: String(timeColumn) });
      }
      time[i] = t;
    }
    checkAscending(time, 0, String(timeColumn));
  } else time = indexTime(n);
  return { time, columns, timeKind, header: keys };
}
