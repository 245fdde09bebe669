// @ts-check
/**
 * A small client router: patterns like "/projects/:id/data" map to page modules that are
 * imported on first use. Links with plain hrefs are intercepted, so pages write <a href>.
 */

/**
 * @typedef {{path: string, params: Record<string, string>, query: URLSearchParams}} Route
 * @typedef {(el: HTMLElement, route: Route) => (void | (() => void) | Promise<void | (() => void)>)} PageRender
 * @typedef {{pattern: string, load: () => Promise<{default: PageRender}>, title?: string, public?: boolean, permission?: string}} RouteDef
 */

/** @param {string} pattern */
function compile(pattern) {
  const names = [];
  const source = pattern.replace(/\/:(\w+)(\*)?/g, (_, name, rest) => {
    names.push(name);
    return rest ? "/(.*)" : "/([^/]+)";
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

export class Router {
  /** @param {RouteDef[]} routes @param {(def: RouteDef|null, route: Route) => void} onRoute */
  constructor(routes, onRoute) {
    this.routes = routes.map((def) => ({ def, ...compile(def.pattern) }));
    this.onRoute = onRoute;
    window.addEventListener("popstate", () => this.resolve());
    document.addEventListener("click", (event) => this.intercept(event));
  }

  /** @param {MouseEvent} event */
  intercept(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = /** @type {HTMLElement} */ (event.target)?.closest?.("a[href]");
    if (!(anchor instanceof HTMLAnchorElement) || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/static/") || url.pathname.startsWith("/docs") || url.pathname.startsWith("/data/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  }

  /** Match the current location and hand it to onRoute. */
  resolve() {
    const query = new URLSearchParams(location.search);
    for (const { def, regex, names } of this.routes) {
      const match = regex.exec(location.pathname);
      if (match) {
        /** @type {Record<string, string>} */
        const params = {};
        names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
        this.onRoute(def, { path: location.pathname, params, query });
        return;
      }
    }
    this.onRoute(null, { path: location.pathname, params: {}, query });
  }
}

/**
 * Go to a client route. `replace` keeps history clean for redirects and query-only updates.
 * @param {string} to @param {{replace?: boolean}} [options]
 */
export function navigate(to, options = {}) {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/**
 * Change query parameters without re-rendering the page (state in the URL, e.g. ?task=12).
 * @param {Record<string, string|number|null|undefined>} changes
 */
export function setQuery(changes) {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "") url.searchParams.delete(key);
    else url.searchParams.set(key, String(value));
  }
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}
