// @ts-check
/**
 * Allowlist HTML sanitiser for HyperText (task HTML is untrusted: it comes from imports, storage
 * buckets and ML backends). DOM-free: it tokenises the markup and writes it back out, so the
 * browser only ever parses markup this module produced:
 * - tags outside ALLOWED_TAGS are unwrapped (their text stays, so offsets keep their meaning);
 *   DROPPED_TAGS (script, style, iframe, object, svg, math, template ...) go with their content;
 * - only ALLOWED_ATTRS survive, never `on*` handlers or `style` (CSS can fetch URLs and overlay
 *   the page); URLs must be http(s), mailto, relative or fragment links (no javascript:,
 *   data:, vbscript: — entity-encoded or with embedded control characters either);
 * - text is re-escaped (`<` and `>`), attribute values are re-quoted and escaped;
 * - comments, doctypes and processing instructions are removed.
 * Links get rel="noopener noreferrer" and target="_blank".
 */

export const ALLOWED_TAGS = new Set([
  "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
  "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
  "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd",
  "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
  "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
  "time", "tr", "u", "ul", "var", "wbr",
]);

/** Removed together with everything inside them. */
export const DROPPED_TAGS = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
  "template", "svg", "math", "title", "textarea", "select", "option", "xmp", "noembed",
  "noframes", "plaintext", "head", "link", "meta", "base", "form", "button", "input",
]);

/** Elements whose content the HTML parser reads as raw text up to the closing tag. */
const RAW_TEXT = new Set(["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"]);

const VOID = new Set(["br", "col", "hr", "img", "wbr"]);

const GLOBAL_ATTRS = new Set(["title", "lang", "dir", "class", "id"]);
/** @type {Record<string, Set<string>>} */
const TAG_ATTRS = {
  a: new Set(["href", "name"]),
  img: new Set(["src", "alt", "width", "height"]),
  td: new Set(["colspan", "rowspan", "headers"]),
  th: new Set(["colspan", "rowspan", "headers", "scope"]),
  col: new Set(["span"]),
  colgroup: new Set(["span"]),
  ol: new Set(["start", "reversed", "type"]),
  li: new Set(["value"]),
  time: new Set(["datetime"]),
  q: new Set(["cite"]),
  blockquote: new Set(["cite"]),
  del: new Set(["cite", "datetime"]),
  ins: new Set(["cite", "datetime"]),
  bdo: new Set(["dir"]),
  details: new Set(["open"]),
  abbr: new Set(["title"]),
};
const URL_ATTRS = new Set(["href", "src", "cite"]);

/** @type {Record<string, string>} */
const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", tab: "\t", newline: "\n" };

/** Decode character references (enough to see through encoded URL schemes). @param {string} s */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, body) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    }
    const named = NAMED[body.toLowerCase()];
    return named === undefined ? m : named;
  });
}

/** Whether a URL attribute value is safe to keep. @param {string} raw */
export function safeUrl(raw) {
  // Browsers ignore control characters and whitespace inside the scheme ("java\tscript:").
  const value = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value);
  if (!scheme) return true; // relative URL or fragment
  return ["http", "https", "mailto"].includes(scheme[1]);
}

/** @param {string} s */
function escapeText(s) {
  return s.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** @param {string} s */
function escapeAttr(s) {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/**
 * The attributes of a start tag that may stay, serialised.
 * @param {string} tag @param {string} source
 */
function cleanAttrs(tag, source) {
  const allowed = TAG_ATTRS[tag];
  const out = [];
  const seen = new Set();
  for (const m of source.matchAll(ATTR)) {
    const name = m[1].toLowerCase();
    if (seen.has(name)) continue; // the HTML parser keeps the first occurrence
    seen.add(name);
    if (!GLOBAL_ATTRS.has(name) && !(allowed && allowed.has(name))) continue;
    const raw = m[2] ?? m[3] ?? m[4] ?? "";
    if (URL_ATTRS.has(name) && !safeUrl(raw)) continue;
    // keep entity-encoded text as written, only make the quoting safe
    out.push(` ${name}="${escapeAttr(decodeEntities(raw))}"`);
  }
  if (tag === "a") out.push(' rel="noopener noreferrer" target="_blank"');
  if (tag === "img") out.push(' loading="lazy" referrerpolicy="no-referrer"');
  return out.join("");
}

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<![^>]*>?|<\?[^>]*>?|<\/([a-zA-Z][^\s\/>]*)[^>]*>?|<([a-zA-Z][^\s\/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

/**
 * Sanitise an HTML fragment.
 * @param {string} html
 * @returns {string}
 */
export function sanitizeHtml(html) {
  const source = String(html ?? "");
  /** @type {string[]} */
  const out = [];
  /** open allowed elements, to close them properly and ignore stray end tags @type {string[]} */
  const open = [];
  let i = 0;
  TOKEN.lastIndex = 0;
  while (i < source.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(source);
    if (!m || m.index !== i) break;
    const token = m[0];
    i = TOKEN.lastIndex;
    if (token === "<") {
      out.push("&lt;");
      continue;
    }
    if (token[0] !== "<") {
      out.push(escapeText(token));
      continue;
    }
    if (token.startsWith("<!") || token.startsWith("<?")) continue; // comments, doctype, PI
    if (m[1] !== undefined) {
      const tag = m[1].toLowerCase();
      const at = open.lastIndexOf(tag);
      if (at >= 0) {
        while (open.length > at) out.push(`</${open.pop()}>`);
      }
      continue;
    }
    const tag = m[2].toLowerCase();
    if (DROPPED_TAGS.has(tag)) {
      if (!token.endsWith("/>") || RAW_TEXT.has(tag)) i = skipElement(source, i, tag);
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) continue; // unwrap: keep the content, drop the tag
    out.push(`<${tag}${cleanAttrs(tag, m[3] || "")}>`);
    if (!VOID.has(tag)) open.push(tag);
  }
  if (i < source.length) out.push(escapeText(source.slice(i)));
  while (open.length) out.push(`</${open.pop()}>`);
  return out.join("");
}

/**
 * Position after the end tag closing `tag` (nesting counted for non-raw elements), or the end.
 * @param {string} source @param {number} from @param {string} tag
 */
function skipElement(source, from, tag) {
  const lower = source.toLowerCase();
  if (RAW_TEXT.has(tag)) {
    const end = lower.indexOf(`</${tag}`, from);
    if (end < 0) return source.length;
    const close = lower.indexOf(">", end);
    return close < 0 ? source.length : close + 1;
  }
  let depth = 1;
  const re = new RegExp(`<(/?)${tag}(?=[\\s/>])[^>]*>`, "gi");
  re.lastIndex = from;
  let m;
  while ((m = re.exec(source))) {
    if (m[1]) depth--;
    else if (!m[0].endsWith("/>")) depth++;
    if (depth === 0) return re.lastIndex;
  }
  return source.length;
}
