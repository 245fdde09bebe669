// @ts-check
/**
 * Value rules of the small scalar controls: TextArea lines, Rating, Number and DateTime, each
 * producing Label Studio's payload (`{text: [...]}`, `{rating}`, `{number}`, `{datetime}`).
 */

// ---- TextArea ---------------------------------------------------------------------------------

/**
 * Add a submitted line. Returns the new list, or an error message.
 * @param {string[]} lines @param {string} text
 * @param {{maxSubmissions?: number, skipDuplicates?: boolean}} attrs
 * @returns {{lines: string[], error?: undefined} | {lines?: undefined, error: string}}
 */
export function addLine(lines, text, attrs) {
  if (!text.trim()) return { error: "Type something first" };
  const max = Number(attrs.maxSubmissions);
  if (Number.isFinite(max) && max > 0 && lines.length >= max) {
    return { error: `Only ${max} ${max === 1 ? "entry is" : "entries are"} allowed` };
  }
  // Label Studio compares case-insensitively for skipDuplicates.
  if (attrs.skipDuplicates && lines.some((line) => line.toLowerCase() === text.toLowerCase())) {
    return { error: "There is already an entry with that text" };
  }
  return { lines: [...lines, text] };
}

/** Whether the input for a new line is still offered. @param {string[]} lines @param {{maxSubmissions?: number, transcription?: boolean}} attrs */
export function canAddLine(lines, attrs) {
  const max = Number(attrs.maxSubmissions);
  if (Number.isFinite(max) && max > 0 && lines.length >= max) return false;
  // transcription: one editable text per object/region; once written it is edited in place
  if (attrs.transcription && lines.length > 0) return false;
  return true;
}

/** TextArea payload. @param {string[]} lines */
export function textValue(lines) {
  return lines.length ? { text: [...lines] } : {};
}

/** Stored lines (a bare string is accepted, as predictions often send one). @param {any} stored @returns {string[]} */
export function linesFromResult(stored) {
  if (typeof stored === "string") return [stored];
  return Array.isArray(stored) ? stored.map(String) : [];
}

// ---- Rating -----------------------------------------------------------------------------------

/**
 * Rating after a click on star `n`: clicking the current rating clears it (antd Rate's allowClear).
 * @param {number} current @param {number} n
 */
export function clickRating(current, n) {
  return current === n ? 0 : n;
}

/** Rating hotkey: +1, wrapping to 0 after maxRating (Label Studio's increaseValue). @param {number} current @param {number} max */
export function nextRating(current, max) {
  if (current >= max) return 0;
  return current > 0 ? current + 1 : 1;
}

/** @param {number} rating */
export function ratingValue(rating) {
  return rating > 0 ? { rating } : {};
}

// ---- Number -----------------------------------------------------------------------------------

/**
 * Parse and check a typed number against min/max/step (step measured from min, or 0).
 * @param {string} text @param {{min?: number, max?: number, step?: number}} attrs
 * @returns {{value: number|null, error?: string}} value null = empty input
 */
export function parseNumber(text, attrs) {
  const trimmed = String(text).trim();
  if (trimmed === "") return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { value: null, error: "Enter a number" };
  const { min, max, step } = attrs;
  if (typeof min === "number" && value < min) return { value, error: `Must be at least ${min}` };
  if (typeof max === "number" && value > max) return { value, error: `Must be at most ${max}` };
  if (typeof step === "number" && step > 0) {
    const basis = typeof min === "number" ? min : 0;
    const ratio = (value - basis) / step;
    // tolerate binary rounding (0.1 + 0.2) when checking the step grid
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9) {
      const below = basis + Math.floor(ratio) * step;
      return { value, error: `Use steps of ${step}: the nearest valid values are ${round(below)} and ${round(below + step)}` };
    }
  }
  return { value };
}

/** @param {number} n */
const round = (n) => Math.round(n * 1e9) / 1e9;

/**
 * Number hotkey: one step up, wrapping to min (or 0) past max.
 * @param {number|null} current @param {{min?: number, max?: number, step?: number}} attrs
 */
export function nextNumber(current, attrs) {
  const step = typeof attrs.step === "number" && attrs.step > 0 ? attrs.step : 1;
  const low = typeof attrs.min === "number" ? attrs.min : 0;
  if (current === null || current === undefined) return low;
  const next = round(current + step);
  if (typeof attrs.max === "number" && next > attrs.max) return low;
  return next;
}

/** @param {number|null} number */
export function numberValue(number) {
  return number === null || number === undefined ? {} : { number };
}

// ---- DateTime ---------------------------------------------------------------------------------

/**
 * Which inputs a DateTime shows, from `only` (Label Studio: date wins over month/year; no
 * `only` means date and time).
 * @param {string|undefined} only
 * @returns {{date: boolean, time: boolean, month: boolean, year: boolean}}
 */
export function dateParts(only) {
  if (!only) return { date: true, time: true, month: false, year: false };
  const parts = only.split(",").map((p) => p.trim().toLowerCase());
  const date = parts.includes("date");
  return {
    date,
    time: parts.includes("time"),
    month: !date && parts.includes("month"),
    year: !date && parts.includes("year"),
  };
}

/** @param {number} n */
const pad = (n) => String(n).padStart(2, "0");

/**
 * The stored string for the entered parts, or "" when incomplete.
 * date+time "2024-05-01T13:45", date "2024-05-01", time "13:45", month+year "2024-05",
 * year "2024" (a partial ISO string), month alone "--05" is not meaningful, so month needs year.
 * With `format` (strftime), the date is formatted with it instead.
 * @param {{date?: string, time?: string, month?: number|string, year?: number|string}} input
 * @param {{only?: string, format?: string}} attrs
 */
export function composeDateTime(input, attrs) {
  const parts = dateParts(attrs.only);
  if (parts.time && !parts.date && !parts.month && !parts.year) return input.time || "";
  let iso = "";
  if (parts.date) {
    if (!input.date) return "";
    iso = input.date;
    if (parts.time) iso += `T${input.time || "00:00"}`;
  } else if (parts.year) {
    if (!input.year) return "";
    iso = String(input.year);
    if (parts.month) {
      if (!input.month) return "";
      iso += `-${pad(Number(input.month))}`;
    }
  } else if (parts.month) {
    if (!input.month || !input.year) return "";
    iso = `${input.year}-${pad(Number(input.month))}`;
  }
  if (attrs.format && iso) return strftime(attrs.format, iso);
  return iso;
}

/**
 * Split a stored value back into the inputs' parts (ISO; values written with a custom `format`
 * are parsed with it when possible).
 * @param {string|undefined} stored @param {{only?: string, format?: string}} attrs
 * @returns {{date: string, time: string, month: string, year: string}}
 */
export function splitDateTime(stored, attrs) {
  const empty = { date: "", time: "", month: "", year: "" };
  if (!stored) return empty;
  const iso = attrs.format ? strptime(attrs.format, stored) ?? stored : stored;
  const timeOnly = /^(\d{2}:\d{2})/.exec(iso);
  if (timeOnly && !iso.includes("-")) return { ...empty, time: timeOnly[1] };
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2}:\d{2}))?/.exec(iso);
  if (!match) return empty;
  const [, year, month, day, time] = match;
  return {
    date: year && month && day ? `${year}-${month}-${day}` : "",
    time: time || "",
    month: month ? String(Number(month)) : "",
    year: year || "",
  };
}

/**
 * Whether a date is inside min/max (ISO strings compare lexically; `current` = today's year).
 * @param {string} value @param {{min?: string, max?: string}} attrs @returns {string|null} error
 */
export function checkDateRange(value, attrs) {
  if (!value || /^\d{2}:/.test(value)) return null;
  const date = value.slice(0, 10);
  const min = attrs.min === "current" ? String(new Date().getFullYear()) : attrs.min;
  const max = attrs.max === "current" ? String(new Date().getFullYear()) : attrs.max;
  if (min && date < min.slice(0, date.length)) return `Must be on or after ${min}`;
  if (max && date > max.slice(0, date.length)) return `Must be on or before ${max}`;
  return null;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The month names for the month select. */
export function monthNames() {
  return MONTHS;
}

/**
 * Years offered by the year select: from max (default: this year) down to min (default 2000).
 * @param {{min?: string, max?: string}} attrs @param {number} [thisYear]
 */
export function yearRange(attrs, thisYear = new Date().getFullYear()) {
  /** @param {string|undefined} bound @param {number} fallback */
  const yearOf = (bound, fallback) => {
    if (!bound) return fallback;
    if (bound === "current") return thisYear;
    const n = Number(String(bound).slice(0, 4));
    return Number.isFinite(n) ? n : fallback;
  };
  const high = yearOf(attrs.max, thisYear);
  const low = yearOf(attrs.min, 2000);
  const out = [];
  for (let y = high; y >= low; y--) out.push(y);
  return out;
}

/**
 * A small strftime for the codes Label Studio configs use (%Y %y %m %d %H %M %S %B %b %j %%).
 * @param {string} format @param {string} iso "YYYY[-MM[-DD]][THH:MM[:SS]]"
 */
export function strftime(format, iso) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  const [, Y, mo = "01", d = "01", H = "00", M = "00", S = "00"] = m;
  const dayOfYear = Math.round((Date.UTC(+Y, +mo - 1, +d) - Date.UTC(+Y, 0, 1)) / 86400000) + 1;
  /** @type {Record<string, string>} */
  const codes = {
    Y,
    y: Y.slice(2),
    m: mo,
    d,
    e: String(Number(d)).padStart(2, " "),
    H,
    M,
    S,
    B: MONTHS[Number(mo) - 1],
    b: MONTHS[Number(mo) - 1].slice(0, 3),
    j: String(dayOfYear).padStart(3, "0"),
    "%": "%",
  };
  return format.replace(/%([a-zA-Z%])/g, (whole, code) => codes[code] ?? whole);
}

/**
 * Parse a string written with a strftime format back to ISO (numeric codes only); null if it
 * does not match.
 * @param {string} format @param {string} text @returns {string|null}
 */
export function strptime(format, text) {
  /** @type {string[]} */
  const order = [];
  const pattern = format.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%([YymdHMS%])/g, (_, code) => {
    if (code === "%") return "%";
    order.push(code);
    return code === "Y" ? "(\\d{4})" : "(\\d{2})";
  });
  const match = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!match) return null;
  /** @type {Record<string, string>} */
  const got = {};
  order.forEach((code, i) => (got[code] = match[i + 1]));
  const year = got.Y ?? (got.y ? `20${got.y}` : "");
  if (!year) return got.H ? `${got.H}:${got.M ?? "00"}` : null;
  let iso = year;
  if (got.m) iso += `-${got.m}`;
  if (got.m && got.d) iso += `-${got.d}`;
  if (got.H) iso += `T${got.H}:${got.M ?? "00"}`;
  return iso;
}
