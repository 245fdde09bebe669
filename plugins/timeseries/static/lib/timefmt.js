// @ts-check
/**
 * Label Studio's time formats (d3-time-format's strftime directives), DOM-free.
 *
 * `timeParser(format)` turns a string into milliseconds since the epoch (or NaN), `timeFormatter
 * (format)` the reverse. Times are UTC, so a stored `start`/`end` round-trips to the very string
 * the data holds, whatever the annotator's time zone. `numberFormatter(spec)` is the d3-format
 * subset channels use for `displayFormat` (",.1f", ".2s", "d", ".0%").
 */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** @param {number} n @param {number} width @param {string} fill */
function pad(n, width, fill) {
  const s = String(Math.abs(Math.trunc(n)));
  const padded = fill && s.length < width ? fill.repeat(width - s.length) + s : s;
  return n < 0 ? "-" + padded : padded;
}

/**
 * A formatter for a strftime-style format (UTC).
 * @param {string} format
 * @returns {(ms: number) => string}
 */
export function timeFormatter(format) {
  /** @type {((d: Date, ms: number) => string)[]} */
  const parts = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      parts.push(() => c);
      continue;
    }
    let flag = "";
    let d = format[++i];
    if (d === "-" || d === "_" || d === "0") {
      flag = d;
      d = format[++i];
    }
    /** @param {number} n @param {number} w @param {string} dflt */
    const p = (n, w, dflt) => pad(n, w, flag === "-" ? "" : flag === "_" ? " " : flag === "0" ? "0" : dflt);
    switch (d) {
      case "Y": parts.push((t) => p(t.getUTCFullYear(), 4, "0")); break;
      case "y": parts.push((t) => p(t.getUTCFullYear() % 100, 2, "0")); break;
      case "m": parts.push((t) => p(t.getUTCMonth() + 1, 2, "0")); break;
      case "d": parts.push((t) => p(t.getUTCDate(), 2, "0")); break;
      case "e": parts.push((t) => p(t.getUTCDate(), 2, " ")); break;
      case "H": parts.push((t) => p(t.getUTCHours(), 2, "0")); break;
      case "I": parts.push((t) => p(t.getUTCHours() % 12 || 12, 2, "0")); break;
      case "p": parts.push((t) => (t.getUTCHours() < 12 ? "AM" : "PM")); break;
      case "M": parts.push((t) => p(t.getUTCMinutes(), 2, "0")); break;
      case "S": parts.push((t) => p(t.getUTCSeconds(), 2, "0")); break;
      case "L": parts.push((t) => p(t.getUTCMilliseconds(), 3, "0")); break;
      case "f": parts.push((t, ms) => p(Math.round((((ms % 1000) + 1000) % 1000) * 1000), 6, "0")); break;
      case "j": parts.push((t) => p(1 + Math.floor((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 864e5), 3, "0")); break;
      case "b": parts.push((t) => MONTHS[t.getUTCMonth()].slice(0, 3)); break;
      case "B": parts.push((t) => MONTHS[t.getUTCMonth()]); break;
      case "a": parts.push((t) => DAYS[t.getUTCDay()].slice(0, 3)); break;
      case "A": parts.push((t) => DAYS[t.getUTCDay()]); break;
      case "w": parts.push((t) => String(t.getUTCDay())); break;
      case "Z": case "z": parts.push(() => "+0000"); break;
      case "s": parts.push((t, ms) => String(Math.floor(ms / 1000))); break;
      case "Q": parts.push((t, ms) => String(ms)); break;
      case "%": parts.push(() => "%"); break;
      default: parts.push(() => "%" + (d ?? ""));
    }
  }
  return (ms) => {
    const t = new Date(ms);
    let out = "";
    for (const part of parts) out += part(t, ms);
    return out;
  };
}

/**
 * A parser for a strftime-style format (UTC; %Z/%z offsets are applied). Returns NaN when the
 * text does not match the whole format.
 * @param {string} format
 * @returns {(text: string) => number}
 */
export function timeParser(format) {
  /** @type {{lit?: string, d?: string}[]} */
  const tokens = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") tokens.push({ lit: format[i] });
    else {
      let d = format[++i];
      if (d === "-" || d === "_" || d === "0") d = format[++i];
      tokens.push({ d });
    }
  }
  return (text) => {
    text = String(text).trim();
    let year = 1900, month = 0, day = 1, hour = 0, minute = 0, second = 0, ms = 0, pm = -1, offset = 0;
    /** @type {number|null} */
    let epoch = null;
    let pos = 0;
    /** @param {number} max @param {boolean} [signed] */
    const num = (max, signed) => {
      const m = (signed ? /^[-+]?\d+/ : /^\s*\d+/).exec(text.slice(pos, pos + max + (signed ? 1 : 2)));
      if (!m) return NaN;
      const digits = m[0].trimStart().slice(0, max + (signed && /[-+]/.test(m[0][0]) ? 1 : 0));
      pos += m[0].length - m[0].trimStart().length + digits.length;
      return Number(digits);
    };
    /** @param {string[]} names */
    const name = (names) => {
      const rest = text.slice(pos).toLowerCase();
      for (let k = 0; k < names.length; k++) {
        for (const candidate of [names[k], names[k].slice(0, 3)]) {
          if (rest.startsWith(candidate.toLowerCase())) {
            pos += candidate.length;
            return k;
          }
        }
      }
      return NaN;
    };
    for (const token of tokens) {
      if (token.lit !== undefined) {
        if (token.lit === " " ? !/\s/.test(text[pos] ?? "") : text[pos] !== token.lit) return NaN;
        pos++;
        continue;
      }
      let v = NaN;
      switch (token.d) {
        case "Y": v = year = num(4, true); break;
        case "y": v = num(2); year = v + (v < 69 ? 2000 : 1900); break;
        case "m": v = month = num(2) - 1; break;
        case "d": case "e": v = day = num(2); break;
        case "H": v = hour = num(2); break;
        case "I": v = hour = num(2); break;
        case "M": v = minute = num(2); break;
        case "S": v = second = num(2); break;
        case "L": v = ms = num(3); break;
        case "f": { const start = pos; v = num(6); ms = v / 10 ** (pos - start - 3); break; }
        case "j": v = num(3); month = 0; day = v; break;
        case "p": { const m = /^(am|pm)/i.exec(text.slice(pos)); if (m) { pm = m[0].toLowerCase() === "pm" ? 1 : 0; pos += 2; v = 0; } break; }
        case "b": case "B": v = month = name(MONTHS); break;
        case "a": case "A": v = name(DAYS); break;
        case "w": v = num(1); break;
        case "Z": case "z": {
          const m = /^(Z|[-+]\d\d:?\d\d)/.exec(text.slice(pos));
          if (m) {
            pos += m[0].length;
            v = 0;
            if (m[0] !== "Z") {
              const digits = m[0].replace(":", "");
              offset = (digits[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
            }
          }
          break;
        }
        case "s": { const m = /^-?\d+(\.\d+)?/.exec(text.slice(pos)); if (m) { pos += m[0].length; epoch = Number(m[0]) * 1000; v = 0; } break; }
        case "Q": { const m = /^-?\d+/.exec(text.slice(pos)); if (m) { pos += m[0].length; epoch = Number(m[0]); v = 0; } break; }
        case "%": v = text[pos] === "%" ? (pos++, 0) : NaN; break;
        default: return NaN;
      }
      if (!Number.isFinite(v)) return NaN;
    }
    if (pos !== text.length) return NaN;
    if (epoch !== null) return epoch;
    if (pm === 1 && hour < 12) hour += 12;
    if (pm === 0 && hour === 12) hour = 0;
    if (month < 0 || month > 11 || day < 1 || day > 366 || hour > 24 || minute > 59 || second > 61) return NaN;
    const date = new Date(Date.UTC(2000, month, day, hour, minute, second, 0));
    date.setUTCFullYear(year);
    return date.getTime() + ms - offset * 60000;
  };
}

const SI = ["y", "z", "a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"];

/**
 * A number formatter for a d3-format spec: `[,][.precision][~][type]`, types f d e g r s % and
 * none (shortest). Unknown specs fall back to the shortest representation.
 * @param {string|undefined|null} spec
 * @returns {(n: number) => string}
 */
export function numberFormatter(spec) {
  const m = /^([+-]?)(,?)(?:\.(\d+))?(~?)([dfegrs%]?)$/.exec(String(spec ?? "").trim());
  if (!m || !spec) return (n) => (Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : "");
  const [, sign, comma, precisionText, tilde, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  /** @param {string} s */
  const group = (s) => {
    if (!comma) return s;
    const [int, frac] = s.split(".");
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return frac === undefined ? grouped : `${grouped}.${frac}`;
  };
  /** @param {string} s */
  const trim = (s) => (tilde && s.includes(".") ? s.replace(/\.?0+$/, "") : s);
  return (n) => {
    if (!Number.isFinite(n)) return "";
    const negative = n < 0;
    const a = Math.abs(n);
    let body;
    switch (type) {
      case "d": body = group(String(Math.round(a))); break;
      case "f": body = group(trim(a.toFixed(precision ?? 6))); break;
      case "e": body = trim(a.toExponential(precision ?? 6)); break;
      case "%": body = group(trim((a * 100).toFixed(precision ?? 6))) + "%"; break;
      case "g": case "r": body = group(trim(a.toPrecision(Math.max(1, precision ?? 6)))); break;
      case "s": {
        if (a === 0) { body = "0"; break; }
        const exp = Math.max(-8, Math.min(8, Math.floor(Math.log10(a) / 3)));
        body = trim((a / 10 ** (exp * 3)).toPrecision(Math.max(1, precision ?? 6))) + SI[exp + 8];
        break;
      }
      default: body = group(precision === undefined ? String(Math.round(a * 1e6) / 1e6) : trim(a.toPrecision(Math.max(1, precision))));
    }
    return (negative ? "−" : sign === "+" ? "+" : "") + body;
  };
}
