// @ts-check
/**
 * Widget modules, imported on demand and cached per URL (one import per module for the page's
 * life, however many tags or tasks use it). A failed import is cached too, so a broken plugin
 * costs one request, and reported with the URL.
 */

/** @typedef {import("./types.js").WidgetRender} WidgetRender */

/** @type {Map<string, Promise<WidgetRender>>} */
const modules = new Map();

/**
 * @param {string} url module URL from `GET /api/plugins` (tags.<Tag>.module)
 * @returns {Promise<WidgetRender>}
 */
export function loadWidget(url) {
  let pending = modules.get(url);
  if (!pending) {
    pending = import(/* @vite-ignore */ url).then((mod) => {
      if (typeof mod.default !== "function") throw new Error(`${url} has no default export function`);
      return /** @type {WidgetRender} */ (mod.default);
    });
    modules.set(url, pending);
  }
  return pending;
}

/**
 * The widget catalogue: tag name -> {module, plugin}, from `GET /api/plugins`.
 * @param {any} plugins the `GET /api/plugins` body
 * @returns {Map<string, {module: string|null, plugin: string}>}
 */
export function widgetCatalogue(plugins) {
  /** @type {Map<string, {module: string|null, plugin: string}>} */
  const out = new Map();
  for (const [tag, spec] of Object.entries(plugins?.tags || {})) {
    out.set(tag, { module: /** @type {any} */ (spec)?.module || null, plugin: /** @type {any} */ (spec)?.plugin || "" });
  }
  return out;
}
