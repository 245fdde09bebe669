// @ts-check
/**
 * Task data lookups for config values ("$key", "$a.b", "$items[0].url", "Title: $title"),
 * as Label Studio's frontend resolves them. DOM-free.
 */

/** Read a lodash-style path ("a.b", "items[0].url", "items.0") from an object. @param {any} data @param {string} path */
export function getPath(data, path) {
  let current = data;
  for (const part of path.replace(/\[(\w+)\]/g, ".$1").split(".").filter(Boolean)) {
    if (current === null || current === undefined) return undefined;
    current = current[part];
  }
  return current;
}

const WHOLE = /^\$([\w$-]+(?:(?:\.[\w$-]+)|(?:\[\w+\]))*)$/;
const EMBEDDED = /\$([A-Za-z_][\w-]*(?:(?:\.[\w-]+)|(?:\[\w+\]))*)/g;

/**
 * Resolve a config attribute against task data. Exactly one variable returns the raw value
 * (lists and objects kept); variables inside text are substituted as strings (missing ones are
 * left as written, so a typo stays visible). Non-strings come back unchanged.
 * @param {any} value @param {Record<string, any>} data
 */
export function resolveValue(value, data) {
  if (typeof value !== "string" || !value.includes("$")) return value;
  const whole = WHOLE.exec(value);
  if (whole) return getPath(data, whole[1]);
  return value.replace(EMBEDDED, (match, path) => {
    const found = getPath(data, path);
    return found === undefined || found === null ? match : typeof found === "object" ? JSON.stringify(found) : String(found);
  });
}
