// @ts-check
/**
 * App-wide state shared by pages: the signed-in user, the plugin catalogue, the breadcrumb.
 * Small on purpose: pages fetch their own data.
 */
import { api } from "./api.js";

/** @typedef {{id: number, email: string, username?: string, first_name?: string, last_name?: string, is_superuser?: boolean, avatar?: string|null, initials?: string}} User */

export const session = {
  /** @type {User|null} */
  user: null,
};

/** @type {Promise<any>|null} */
let pluginsPromise = null;

/** `GET /api/plugins`, fetched once: tags with their widget modules, export formats, storages. */
export function plugins() {
  if (!pluginsPromise) pluginsPromise = api.get("/api/plugins").catch((error) => ((pluginsPromise = null), Promise.reject(error)));
  return pluginsPromise;
}

/** @typedef {{label: string, href?: string}} Crumb */

/**
 * Set the top bar breadcrumb and the document title for the current page.
 * @param {Crumb[]} crumbs
 */
export function setBreadcrumb(crumbs) {
  window.dispatchEvent(new CustomEvent("labelloom:breadcrumb", { detail: crumbs }));
  document.title = [...crumbs.map((c) => c.label).reverse(), "Labelloom"].join(" · ");
}

/**
 * Put extra buttons at the right of the top bar for the current page (cleared on navigation).
 * @param {import("lit").TemplateResult|null} content
 */
export function setTopActions(content) {
  window.dispatchEvent(new CustomEvent("labelloom:top-actions", { detail: content }));
}
