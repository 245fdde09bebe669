// @ts-check
/**
 * Time ranges as Label Studio stores them, DOM-free.
 *
 * A series' times are numbers inside the widget (row indexes, the time column's numbers, or
 * milliseconds since the epoch when `timeFormat` is set). Results keep Label Studio's units:
 * numbers as they are, dates formatted back with `timeFormat`.
 */
import { timeFormatter, timeParser } from "./timefmt.js";
import { nearestIndex } from "./decimate.js";

/**
 * Converters between widget times and result values for one TimeSeries.
 * @param {"index"|"number"|"date"} timeKind @param {string|null|undefined} timeFormat
 */
export function timeUnits(timeKind, timeFormat) {
  const dates = timeKind === "date" && !!timeFormat;
  const format = dates ? timeFormatter(/** @type {string} */ (timeFormat)) : null;
  const parse = dates ? timeParser(/** @type {string} */ (timeFormat)) : null;
  return {
    dates,
    /** widget time -> result value @param {number} t @returns {number|string} */
    store(t) {
      if (format) return format(t);
      return Math.round(t * 1e9) / 1e9; // no float noise (0.30000000000000004)
    },
    /** result value -> widget time (NaN when unreadable) @param {unknown} v */
    read(v) {
      if (typeof v === "number") return v;
      if (typeof v !== "string") return NaN;
      if (parse) {
        const t = parse(v);
        if (Number.isFinite(t)) return t;
      }
      const n = Number(v);
      if (v.trim() !== "" && Number.isFinite(n)) return n;
      const d = Date.parse(v);
      return Number.isFinite(d) ? d : NaN;
    },
  };
}

/**
 * The result value of a range between two widget times, snapped to the nearest samples. A range
 * whose ends snap to the same sample is an instant.
 * @param {ArrayLike<number>} time @param {number} a @param {number} b
 * @param {ReturnType<typeof timeUnits>} units @param {boolean} [instant]
 */
export function rangeValue(time, a, b, units, instant = false) {
  const lo = time[nearestIndex(time, Math.min(a, b))];
  const hi = instant ? lo : time[nearestIndex(time, Math.max(a, b))];
  return { start: units.store(lo), end: units.store(hi), instant: instant || lo === hi };
}

/**
 * Keyboard steps (Label Studio §9.1): →/← extend the selected range's end/start outward, with
 * Alt they shrink it; Shift makes the step large. `step` is in samples. Returns the new sample
 * indexes of [start, end].
 * @param {number} startIndex @param {number} endIndex @param {number} n samples in the series
 * @param {"left"|"right"} key @param {{alt?: boolean, shift?: boolean, large?: number}} mods
 */
export function stepRange(startIndex, endIndex, n, key, mods) {
  const step = mods.shift ? Math.max(1, mods.large ?? 10) : 1;
  let s = startIndex, e = endIndex;
  if (!mods.alt) {
    if (key === "right") e = Math.min(n - 1, e + step);
    else s = Math.max(0, s - step);
  } else if (key === "right") s = Math.min(e, s + step);
  else e = Math.max(s, e - step);
  return [s, e];
}

/**
 * Seconds for the media sync channel: numeric times are seconds already; dates count from the
 * first sample.
 * @param {number} t @param {number} origin @param {boolean} dates
 */
export function toSeconds(t, origin, dates) {
  return dates ? (t - origin) / 1000 : t;
}

/** @param {number} seconds @param {number} origin @param {boolean} dates */
export function fromSeconds(seconds, origin, dates) {
  return dates ? origin + seconds * 1000 : seconds;
}

/**
 * Axis and status text for a time: `timeDisplayFormat` when set, else a format fitting the
 * visible span (dates) or the shortest number.
 * @param {boolean} dates @param {string|null|undefined} displayFormat @param {number} span visible span
 * @returns {(t: number) => string}
 */
export function timeLabeler(dates, displayFormat, span) {
  if (dates) {
    const fmt = displayFormat || (span > 2 * 864e5 ? "%Y-%m-%d" : span > 5 * 60e3 ? "%m-%d %H:%M" : span > 5e3 ? "%H:%M:%S" : "%H:%M:%S.%L");
    return timeFormatter(fmt);
  }
  const digits = span > 0 ? Math.max(0, Math.min(9, Math.ceil(-Math.log10(span / 10)) + 1)) : 3;
  return (t) => (Number.isInteger(t) ? String(t) : String(Number(t.toFixed(digits))));
}

/**
 * A duration for `durationDisplayFormat` (a strftime format applied to the duration as a time
 * since the epoch, as Label Studio does), else seconds/samples as a number.
 * @param {number} duration in widget units @param {boolean} dates @param {string|null|undefined} format
 */
export function formatDuration(duration, dates, format) {
  if (format && dates) return timeFormatter(format)(duration);
  if (dates) {
    const s = duration / 1000;
    return s >= 3600 ? `${(s / 3600).toFixed(2)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${Number(s.toFixed(3))} s`;
  }
  return String(Number(duration.toFixed(6)));
}
