// @ts-check
/**
 * Custom elements owned by other areas that the project pages embed: the import panel
 * (dialogs/import.js) and the labeling setup (labeling-setup/labeling-setup.js). They are
 * imported on demand; a page shows a clear fallback when one is missing or fails to load,
 * instead of failing as a whole.
 */

const SOURCES = /** @type {const} */ ({
  "ll-import-panel": "../dialogs/import.js",
  "ll-labeling-setup": "../labeling-setup/labeling-setup.js",
});
/** Their stylesheets, fetched with the module so the element never flashes unstyled. */
const STYLES = /** @type {Record<string, string>} */ ({
  "ll-import-panel": "../dialogs/dialogs.css",
  "ll-labeling-setup": "../labeling-setup/labeling-setup.css",
});

/**
 * Add a stylesheet (once) and wait until it applies; never fails (at worst the element styles
 * itself late). @param {string} href
 */
function stylesheet(href) {
  const url = new URL(href, import.meta.url).pathname;
  let link = /** @type {HTMLLinkElement|null} */ (document.querySelector(`link[rel="stylesheet"][href="${url}"]`));
  if (link?.sheet) return Promise.resolve();
  if (!link) {
    link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.append(link);
  }
  const target = link;
  return new Promise((resolve) => {
    target.addEventListener("load", () => resolve(undefined), { once: true });
    target.addEventListener("error", () => resolve(undefined), { once: true });
    setTimeout(resolve, 2000);
  });
}

/** @type {Map<string, Promise<boolean>>} */
const loading = new Map();

/**
 * Whether the element is defined (importing its module the first time).
 * @param {keyof typeof SOURCES} tag
 * @returns {Promise<boolean>}
 */
export function loadElement(tag) {
  if (customElements.get(tag)) return Promise.resolve(true);
  let promise = loading.get(tag);
  if (!promise) {
    // A computed URL: the module may not exist yet in this checkout, and the type checker
    // must not require it.
    const url = new URL(SOURCES[tag], import.meta.url).href;
    promise = Promise.all([import(url), stylesheet(STYLES[tag])]).then(
      () => Boolean(customElements.get(tag)),
      (error) => {
        console.warn(`${tag} is unavailable:`, error);
        loading.delete(tag);
        return false;
      },
    );
    loading.set(tag, promise);
  }
  return promise;
}
