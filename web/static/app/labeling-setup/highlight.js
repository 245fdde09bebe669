// @ts-check
/**
 * Syntax colouring for the code editor's overlay: XML text in, escaped HTML with <span class>
 * out. Tolerant of half-typed markup (it never throws and every input character appears in the
 * output exactly once, escaped), and linear in the text length. DOM-free (node-tested).
 */

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** @param {string} cls @param {string} text */
const span = (cls, text) => (text ? `<span class="${cls}">${escapeHtml(text)}</span>` : "");

/** Text with entity references marked. @param {string} text */
function plain(text) {
  if (!text.includes("&")) return escapeHtml(text);
  let out = "";
  let last = 0;
  for (const match of text.matchAll(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi)) {
    const at = /** @type {number} */ (match.index);
    out += escapeHtml(text.slice(last, at)) + span("x-ent", match[0]);
    last = at + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/**
 * @param {string} text
 * @returns {string} HTML
 */
export function highlightXml(text) {
  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf("<", i);
    if (lt === -1) {
      out += plain(text.slice(i));
      break;
    }
    out += plain(text.slice(i, lt));
    i = lt;
    if (text.startsWith("<!--", i) || text.startsWith("<![CDATA[", i) || text.startsWith("<?", i) || text.startsWith("<!", i)) {
      const close = text.startsWith("<!--", i) ? "-->" : text.startsWith("<![CDATA[", i) ? "]]>" : text.startsWith("<?", i) ? "?>" : ">";
      const at = text.indexOf(close, i + 2);
      const end = at === -1 ? n : at + close.length;
      out += span(text.startsWith("<!--", i) ? "x-com" : "x-meta", text.slice(i, end));
      i = end;
      continue;
    }
    // A tag: `<` or `</`, its name, then attributes up to `>` or `/>`.
    const opener = text[i + 1] === "/" ? "</" : "<";
    out += span("x-punct", opener);
    i += opener.length;
    const nameMatch = /^[^\s/>=<"']*/.exec(text.slice(i, i + 200)) || [""];
    out += span("x-tag", nameMatch[0]);
    i += nameMatch[0].length;
    while (i < n) {
      const c = text[i];
      if (c === ">") {
        out += span("x-punct", ">");
        i++;
        break;
      }
      if (c === "/" && text[i + 1] === ">") {
        out += span("x-punct", "/>");
        i += 2;
        break;
      }
      if (c === "<") break; // unterminated tag: let the next one start fresh
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        const lineEnd = text.indexOf("\n", i + 1);
        // An unclosed quote colours to the end of its line only, so the rest stays readable.
        const end = close === -1 ? (lineEnd === -1 ? n : lineEnd) : close + 1;
        out += span("x-val", text.slice(i, end));
        i = end;
        continue;
      }
      if (c === "=") {
        out += span("x-punct", "=");
        i++;
        continue;
      }
      if (/\s/.test(c)) {
        const ws = /^\s+/.exec(text.slice(i, i + 200)) || [c];
        out += escapeHtml(ws[0]);
        i += ws[0].length;
        continue;
      }
      const word = /^[^\s/>=<"']+/.exec(text.slice(i, i + 200)) || [c];
      out += span("x-attr", word[0]);
      i += word[0].length;
    }
  }
  return out;
}

/**
 * Split highlighted HTML into one HTML string per source line, closing a span at the end of a
 * line and reopening it on the next (comments and values can span lines). Lets the editor
 * replace only the lines that changed instead of re-laying out the whole document.
 * @param {string} html output of highlightXml
 * @returns {string[]}
 */
export function splitLines(html) {
  const STOP = /[<\n]/g;
  /** @type {string[]} */
  const lines = [];
  let open = "";
  let line = "";
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === "<") {
      const end = html.indexOf(">", i) + 1;
      const tag = html.slice(i, end);
      open = tag.startsWith("</") ? "" : tag;
      line += tag;
      i = end;
    } else if (c === "\n") {
      lines.push(open ? line + "</span>" : line);
      line = open;
      i++;
    } else {
      STOP.lastIndex = i;
      const stop = STOP.exec(html)?.index ?? html.length;
      line += html.slice(i, stop);
      i = stop;
    }
  }
  lines.push(line);
  return lines;
}
