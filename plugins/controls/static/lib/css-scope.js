// @ts-check
/**
 * Scope the CSS of a `<Style>` tag to the labeling area: every selector is prefixed with the
 * scope selector, so a config's `.header { ... }` or `body { ... }` cannot restyle the app around
 * the labeling interface. Rules inside media, supports, container and layer blocks are scoped
 * too; keyframes, font-face and page blocks are kept as written; import, charset and namespace
 * statements are dropped (a config must not pull remote stylesheets into the app).
 */

/** Split at top-level commas (not inside parentheses/brackets/strings). @param {string} text */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

/**
 * Prefix one selector list.
 * @param {string} selectors @param {string} scope
 */
export function scopeSelectors(selectors, scope) {
  return splitTopLevel(selectors)
    .map((selector) => {
      if (selector.startsWith(scope)) return selector;
      const root = /^(:root|html|body)(?![\w-])\s*/.exec(selector);
      if (root) {
        const rest = selector.slice(root[0].length);
        // `body > .x` / `html .x`: the labeling area plays the root's part
        return rest ? `${scope} ${rest.replace(/^(body)(?![\w-])\s*/, "")}`.trim() : scope;
      }
      if (selector.startsWith(":scope")) return scope + selector.slice(6);
      return `${scope} ${selector}`;
    })
    .join(", ");
}

/** Find the `}` that closes the block opened at `open`. @param {string} css @param {number} open */
function blockEnd(css, open) {
  let depth = 0;
  let quote = "";
  for (let i = open; i < css.length; i++) {
    const ch = css[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return css.length;
}

const KEEP = /^@(-webkit-)?(keyframes|font-face|page|counter-style|property|font-feature-values)\b/i;
const RECURSE = /^@(media|supports|container|layer|document)\b/i;
const DROP = /^@(import|charset|namespace)\b/i;

/**
 * Scope a whole stylesheet.
 * @param {string} source @param {string} scope a selector such as `[data-labeling-scope="x"]`
 */
export function scopeCss(source, scope) {
  const css = String(source ?? "").replace(/\/\*[\s\S]*?\*\//g, "");
  let out = "";
  let i = 0;
  while (i < css.length) {
    const brace = css.indexOf("{", i);
    const semi = css.indexOf(";", i);
    // A statement at-rule (`@import ...;`) ends before any block starts.
    if (semi !== -1 && (brace === -1 || semi < brace)) {
      const statement = css.slice(i, semi + 1).trim();
      if (statement && !DROP.test(statement) && statement.startsWith("@")) out += `${statement}\n`;
      i = semi + 1;
      continue;
    }
    if (brace === -1) break;
    const prelude = css.slice(i, brace).trim();
    const end = blockEnd(css, brace);
    const body = css.slice(brace + 1, end);
    if (prelude.startsWith("@")) {
      if (RECURSE.test(prelude)) out += `${prelude} {\n${scopeCss(body, scope)}}\n`;
      else if (KEEP.test(prelude)) out += `${prelude} {${body}}\n`;
      // unknown/dropped block at-rules are left out
    } else if (prelude) {
      out += `${scopeSelectors(prelude, scope)} {${body}}\n`;
    }
    i = end + 1;
  }
  return out;
}
