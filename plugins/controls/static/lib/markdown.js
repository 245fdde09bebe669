// @ts-check
/**
 * A small, safe Markdown renderer for the Markdown tag (instructions and hints written into a
 * config or task data). Everything the author wrote is HTML-escaped FIRST; only the markup this
 * module generates is HTML, so raw HTML in the source shows as text and can never inject
 * elements, attributes or scripts. Links and images accept http(s), mailto and relative URLs.
 *
 * Supported: headings (#), paragraphs, line breaks (two trailing spaces or "\"), **bold**,
 * *italic* / _italic_, ~~strike~~, `code`, fenced code blocks, > quotes, - / * / 1. lists (one
 * level of nesting by indentation), --- rules, [links](url), ![images](url) and pipe tables.
 */

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** @param {string} text */
function unescapeHtml(text) {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Whether a URL is safe to link to: http(s), mailto, or relative (no scheme at all).
 * Control characters and whitespace inside the scheme are stripped first, as browsers do.
 * @param {string} url
 */
export function safeUrl(url) {
  const cleaned = url.replace(/[\u0000-\u001F\u007F\s]/g, "");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  if (!scheme) return true;
  return ["http", "https", "mailto"].includes(scheme[1].toLowerCase());
}

/**
 * Inline markup on one block's text (already split from block syntax).
 * @param {string} source raw (unescaped) text
 */
export function inline(source) {
  /** @type {string[]} */
  const codes = [];
  // Generated markup that emphasis rules must not touch (code spans, link/image tags) waits
  // behind a placeholder until the end.
  /** @param {string} html */
  const stash = (html) => {
    codes.push(html);
    return `\u0000${codes.length - 1}\u0000`;
  };
  let text = source.replace(/\u0000/g, "").replace(/`([^`]+)`/g, (_, code) => stash(`<code>${escapeHtml(code)}</code>`));
  text = escapeHtml(text);
  text = text.replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+&quot;([^&]*)&quot;)?\)/g, (whole, alt, url, title) => {
    if (!safeUrl(unescapeHtml(url))) return alt;
    return stash(`<img src="${url}" alt="${alt}"${title ? ` title="${title}"` : ""} loading="lazy">`);
  });
  text = text.replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+&quot;([^&]*)&quot;)?\)/g, (whole, label, url, title) => {
    if (!safeUrl(unescapeHtml(url))) return label;
    return `${stash(`<a href="${url}" target="_blank" rel="noopener noreferrer"${title ? ` title="${title}"` : ""}>`)}${label}</a>`;
  });
  text = text
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~([^~]+)~~/g, "<del>$1</del>")
    .replace(/( {2,}|\\)\n/g, "<br>");
  return text.replace(/\u0000(\d+)\u0000/g, (_, i) => codes[Number(i)]);
}

/** @param {string} line */
function tableCells(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|")) row = row.slice(0, -1);
  return row.split("|").map((cell) => cell.trim());
}

/**
 * Render Markdown to an HTML string that is safe to assign to innerHTML.
 * @param {string} source
 */
export function renderMarkdown(source) {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  /** @type {string[]} */
  const out = [];
  let i = 0;
  /** @type {string[]} */
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join("\n"))}</p>`);
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      const lang = fence[2] ? ` data-lang="${escapeHtml(fence[2])}"` : "";
      out.push(`<pre${lang}><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push("<hr>");
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const body = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ""));
      out.push(`<blockquote>${renderMarkdown(body.join("\n"))}</blockquote>`);
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      const block = [];
      while (i < lines.length && (/^\s*([-*+]|\d+[.)])\s+/.test(lines[i]) || (/^\s{2,}\S/.test(lines[i]) && block.length))) block.push(lines[i++]);
      out.push(renderList(block));
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && lines[i + 1].includes("|") && /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1])) {
      flush();
      const head = tableCells(line);
      const aligns = tableCells(lines[i + 1]).map((cell) => (cell.startsWith(":") && cell.endsWith(":") ? "center" : cell.endsWith(":") ? "right" : ""));
      i += 2;
      const rows = [];
      while (i < lines.length && lines[i].includes("|") && lines[i].trim()) rows.push(tableCells(lines[i++]));
      /** @param {number} c */
      const align = (c) => (aligns[c] ? ` style="text-align:${aligns[c]}"` : "");
      out.push(
        `<table><thead><tr>${head.map((cell, c) => `<th${align(c)}>${inline(cell)}</th>`).join("")}</tr></thead>` +
          `<tbody>${rows.map((row) => `<tr>${head.map((_, c) => `<td${align(c)}>${inline(row[c] ?? "")}</td>`).join("")}</tr>`).join("")}</tbody></table>`,
      );
      continue;
    }
    paragraph.push(line);
    i++;
  }
  flush();
  return out.join("\n");
}

/** A list block (items may hold one nested list, by indentation). @param {string[]} block */
function renderList(block) {
  const ordered = /^\s*\d+[.)]\s+/.test(block[0]);
  const baseIndent = /^\s*/.exec(block[0])?.[0].length ?? 0;
  /** @type {{text: string[], nested: string[]}[]} */
  const items = [];
  for (const line of block) {
    const indent = /^\s*/.exec(line)?.[0].length ?? 0;
    const marker = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (marker && indent <= baseIndent + 1) items.push({ text: [marker[2]], nested: [] });
    else if (items.length) {
      const last = items[items.length - 1];
      if (marker || last.nested.length) last.nested.push(line.slice(Math.min(indent, baseIndent + 2)));
      else last.text.push(line.trim());
    }
  }
  const tag = ordered ? "ol" : "ul";
  const start = ordered ? Number(/^\s*(\d+)/.exec(block[0])?.[1] ?? 1) : 1;
  const attrs = ordered && start !== 1 ? ` start="${start}"` : "";
  const body = items.map((item) => `<li>${inline(item.text.join("\n"))}${item.nested.length ? renderList(item.nested) : ""}</li>`).join("");
  return `<${tag}${attrs}>${body}</${tag}>`;
}
