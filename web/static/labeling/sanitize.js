// @ts-check
/**
 * A conservative HTML cleaner for project instructions (written by project managers, shown to
 * every annotator): drops active content, event handlers and script URLs.
 */

const DROP = new Set(["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "LINK", "META", "BASE", "FORM", "TEMPLATE"]);

/** @param {string} source @returns {string} */
export function sanitizeHtml(source) {
  const doc = new DOMParser().parseFromString(`<body>${source}</body>`, "text/html");
  /** @param {Element} el */
  const clean = (el) => {
    for (const child of [...el.children]) {
      if (DROP.has(child.tagName)) {
        child.remove();
        continue;
      }
      for (const attr of [...child.attributes]) {
        const name = attr.name.toLowerCase();
        const value = attr.value.trim().toLowerCase();
        if (name.startsWith("on") || name === "srcdoc" || ((name === "href" || name === "src" || name === "xlink:href" || name === "action") && /^(javascript|vbscript|data:text\/html)/.test(value.replace(/\s+/g, "")))) {
          child.removeAttribute(attr.name);
        }
      }
      if (child.tagName === "A") {
        child.setAttribute("target", "_blank");
        child.setAttribute("rel", "noopener noreferrer");
      }
      clean(child);
    }
  };
  clean(doc.body);
  return doc.body.innerHTML;
}
