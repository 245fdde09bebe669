// @ts-check
/**
 * Boot: decide between first-run set-up, sign-in and the app; draw the frame (top bar with
 * breadcrumb, theme toggle, account menu) and hand the content area to the routed page.
 */
import { html, render } from "lit";
import { api } from "./api.js";
import { Router, navigate } from "./router.js";
import { ROUTES } from "./routes.js";
import { session } from "./state.js";
import { icon, toast } from "./ui.js";
import { errorText } from "./api.js";

const root = /** @type {HTMLElement} */ (document.getElementById("app"));
/** @type {import("./state.js").Crumb[]} */
let crumbs = [];
/** @type {import("lit").TemplateResult|null} */
let topActions = null;
/** @type {(() => void) | void} */
let cleanup;
let renderToken = 0;

const THEMES = ["auto", "light", "dark"];

function toggleTheme() {
  const current = document.documentElement.dataset.theme || "auto";
  const next = THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
  document.documentElement.dataset.theme = next;
  localStorage.setItem("labelloom.theme", next);
  drawFrame();
}

async function logout() {
  try {
    await api.post("/api/auth/logout");
  } finally {
    session.user = null;
    navigate("/user/login");
  }
}

function drawFrame() {
  const user = session.user;
  const theme = document.documentElement.dataset.theme || "auto";
  render(
    html`
      <header class="topbar">
        <a class="brand" href="/projects" aria-label="Labelloom home"><img src="/static/core/app/favicon.svg" alt="" width="24" height="24"><span>Labelloom</span></a>
        <nav class="breadcrumb" aria-label="Breadcrumb">
          ${crumbs.map((crumb, i) =>
            i < crumbs.length - 1 && crumb.href
              ? html`<a href=${crumb.href}>${crumb.label}</a><span class="sep" aria-hidden="true">/</span>`
              : html`<span aria-current=${i === crumbs.length - 1 ? "page" : "false"}>${crumb.label}</span>`,
          )}
        </nav>
        <div class="topbar-actions">
          ${topActions}
          <button class="btn-icon" @click=${toggleTheme} aria-label="Theme: ${theme} (click to change)" title="Theme: ${theme}">
            ${icon(theme === "dark" ? "moon" : "sun", 18)}
          </button>
          ${user
            ? html`<details class="menu">
                <summary class="avatar" aria-label="Account menu for ${user.email}" title=${user.email}>${initials(user)}</summary>
                <div class="menu-list" role="menu">
                  <div class="menu-heading">${user.email}</div>
                  <a role="menuitem" href="/account">Account &amp; settings</a>
                  <a role="menuitem" href="/organization">Organization</a>
                  <a role="menuitem" href="/docs" target="_blank">API docs</a>
                  <button role="menuitem" @click=${logout}>Log out</button>
                </div>
              </details>`
            : null}
        </div>
      </header>
      <main id="page" tabindex="-1"></main>
    `,
    root,
  );
}

/** @param {import("./state.js").User} user */
function initials(user) {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
  return name.split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((part) => part[0].toUpperCase()).join("");
}

/** @param {import("./router.js").RouteDef|null} def @param {import("./router.js").Route} route */
async function show(def, route) {
  const token = ++renderToken;
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  topActions = null;
  if (!def) {
    crumbs = [{ label: "Not found" }];
    drawFrame();
    render(html`<section class="empty-state"><h1>Page not found</h1><p><a href="/projects">Back to projects</a></p></section>`, /** @type {HTMLElement} */ (document.getElementById("page")));
    return;
  }
  if (!def.public && !session.user) {
    navigate(`/user/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    return;
  }
  crumbs = [{ label: def.title || "" }];
  drawFrame();
  root.classList.toggle("frameless", Boolean(def.public));
  const page = /** @type {HTMLElement} */ (document.getElementById("page"));
  try {
    const module = await def.load();
    if (token !== renderToken) return;
    const result = await module.default(page, route);
    if (token !== renderToken) {
      if (typeof result === "function") result();
      return;
    }
    cleanup = result;
  } catch (error) {
    console.error(error);
    render(html`<section class="error-box" role="alert"><h2>This page failed to load</h2><p>${errorText(error)}</p></section>`, page);
  }
  root.setAttribute("aria-busy", "false");
}

window.addEventListener("labelloom:breadcrumb", (event) => {
  crumbs = /** @type {CustomEvent} */ (event).detail;
  drawFrame();
});
window.addEventListener("labelloom:top-actions", (event) => {
  topActions = /** @type {CustomEvent} */ (event).detail;
  drawFrame();
});
window.addEventListener("labelloom:unauthorized", () => {
  if (session.user) {
    session.user = null;
    toast("Your session ended. Please log in again.", { kind: "error" });
    navigate(`/user/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
});

async function boot() {
  const setup = await api.get("/api/auth/setup");
  if (setup.needs_admin && location.pathname !== "/setup") navigate("/setup", { replace: true });
  else if (!setup.needs_admin) {
    try {
      session.user = await api.get("/api/current-user/whoami");
    } catch {
      session.user = null;
    }
  }
  new Router(ROUTES, show).resolve();
}

boot();
