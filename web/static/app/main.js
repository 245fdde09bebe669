// @ts-check
/**
 * Boot: decide between first-run set-up, sign-in and the app; draw the frame (top bar with
 * breadcrumb, theme toggle, account menu) and hand the content area to the routed page.
 *
 * Pages that hold unsaved edits announce them with a `labelloom:unsaved` event (detail: a
 * message, or null when clean); the frame then asks before navigating away and the browser
 * asks before closing the tab (P12).
 */
import { html, render, svg } from "lit";
import { api, errorText } from "./api.js";
import { Router, navigate } from "./router.js";
import { ROUTES } from "./routes.js";
import { session } from "./state.js";
import { can, canNow, forgetPermissions, myPermissions } from "./teams.js";
import { confirmAction, icon, toast, useStyles } from "./ui.js";

useStyles("/static/core/app/pages/frame.css");

const root = /** @type {HTMLElement} */ (document.getElementById("app"));
/** @type {import("./state.js").Crumb[]} */
let crumbs = [];
/** @type {import("lit").TemplateResult|null} */
let topActions = null;
/** @type {(() => void) | void} */
let cleanup;
let renderToken = 0;
/** What the current page says is unsaved (null: nothing). */
let unsaved = /** @type {string|null} */ (null);
/** The URL the current page was rendered for (restored when the user stays on the page). */
let shownUrl = "";

const THEMES = ["auto", "light", "dark"];
/** "Follow the system": a half-filled circle. */
const autoIcon = html`<svg class="icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">${svg`<circle cx="12" cy="12" r="8"></circle><path d="M12 4a8 8 0 010 16z" fill="currentColor"></path>`}</svg>`;
/** Pages a signed-in user has no business on: they go to the app instead. */
const SIGNED_OUT_ONLY = new Set(["/user/login", "/user/signup", "/setup"]);

function toggleTheme() {
  const current = document.documentElement.dataset.theme || "auto";
  const next = THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
  document.documentElement.dataset.theme = next;
  localStorage.setItem("labelloom.theme", next);
  drawFrame();
}

async function logout() {
  closeMenus();
  if (unsaved && !(await confirmLeave())) return;
  unsaved = null;
  try {
    await api.post("/api/auth/logout");
  } catch {
    // The session may already be gone; signing out locally is what the user asked for.
  } finally {
    session.user = null;
    forgetPermissions();
    navigate("/user/login");
  }
}

function closeMenus() {
  for (const menu of root.querySelectorAll("details.menu[open]")) menu.removeAttribute("open");
}

function drawFrame() {
  const user = session.user;
  const theme = document.documentElement.dataset.theme || "auto";
  const nextTheme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  render(
    html`
      <a class="skip-link" href="#page" @click=${(/** @type {Event} */ e) => (e.preventDefault(), document.getElementById("page")?.focus())}>Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/projects" aria-label="Labelloom: all projects"><img src="/static/core/app/favicon.svg" alt="" width="24" height="24"><span>Labelloom</span></a>
        <nav class="breadcrumb" aria-label="Breadcrumb">
          ${crumbs.map((crumb, i) =>
            i < crumbs.length - 1 && crumb.href
              ? html`<a href=${crumb.href}>${crumb.label}</a><span class="sep" aria-hidden="true">/</span>`
              : html`<span aria-current=${i === crumbs.length - 1 ? "page" : "false"}>${crumb.label}</span>`,
          )}
        </nav>
        <div class="topbar-actions">
          ${topActions}
          <button class="btn-icon" @click=${toggleTheme} aria-label="Theme: ${theme}. Switch to ${nextTheme}" title="Theme: ${theme} (switch to ${nextTheme})">
            ${theme === "dark" ? icon("moon", 18) : theme === "light" ? icon("sun", 18) : autoIcon}
          </button>
          ${user
            ? html`<details class="menu">
                <summary class="avatar" aria-label="Account menu for ${user.email}" title=${user.email}>${initials(user)}</summary>
                <div class="menu-list" role="menu" @click=${closeMenus}>
                  <div class="menu-heading">
                    <strong>${displayName(user)}</strong>
                    ${displayName(user) !== user.email ? html`<span>${user.email}</span>` : null}
                  </div>
                  <a role="menuitem" href="/projects">${icon("grid")} Projects</a>
                  <a role="menuitem" href="/account">${icon("user")} Account &amp; settings</a>
                  ${canNow("organization.view") ? html`<a role="menuitem" href="/organization">${icon("tag")} Organization</a>` : null}
                  <a role="menuitem" href="/docs" target="_blank" rel="noopener">${icon("info")} API docs</a>
                  <button role="menuitem" @click=${logout}>${icon("unlock")} Log out</button>
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
function displayName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
}

/** @param {import("./state.js").User} user */
function initials(user) {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
  return name.split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((part) => part[0].toUpperCase()).join("");
}

function confirmLeave() {
  return confirmAction({
    title: "Leave without saving?",
    message: unsaved || "You have unsaved changes on this page.",
    confirm: "Discard changes",
    danger: true,
  });
}

/** @param {import("./router.js").RouteDef|null} def @param {import("./router.js").Route} route */
async function show(def, route) {
  const url = location.pathname + location.search;
  // Query-only updates of the same page (setQuery) never re-render; a real navigation away
  // from unsaved edits asks first and, if the user stays, puts the address back.
  if (unsaved && shownUrl && url !== shownUrl) {
    const target = url;
    const ok = await confirmLeave();
    if (!ok) {
      history.pushState(null, "", shownUrl);
      return;
    }
    unsaved = null;
    if (location.pathname + location.search !== target) return;
  }
  const token = ++renderToken;
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  unsaved = null;
  topActions = null;
  shownUrl = url;
  closeMenus();
  if (!def) {
    crumbs = [{ label: "Not found" }];
    root.classList.remove("frameless");
    drawFrame();
    render(
      html`<section class="empty-state"><h1>Page not found</h1><p>Nothing lives at <code>${location.pathname}</code>.</p><p><a class="btn" href="/projects">Back to projects</a></p></section>`,
      /** @type {HTMLElement} */ (root.querySelector("#page")),
    );
    root.setAttribute("aria-busy", "false");
    return;
  }
  if (!def.public && !session.user) {
    navigate(`/user/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    return;
  }
  if (session.user && SIGNED_OUT_ONLY.has(location.pathname)) {
    navigate(safeNext(route.query.get("next")), { replace: true });
    return;
  }
  if (session.user) await myPermissions(session.user.id).catch(() => null);
  if (def.permission && session.user && !(await can(session.user.id, def.permission))) {
    if (token !== renderToken) return;
    crumbs = [{ label: def.title || "" }];
    root.classList.remove("frameless");
    drawFrame();
    render(
      html`<section class="empty-state"><h1>Not available to your role</h1><p>Ask an owner or administrator if you need this page.</p><p><a class="btn" href="/projects">Back to projects</a></p></section>`,
      /** @type {HTMLElement} */ (root.querySelector("#page")),
    );
    root.setAttribute("aria-busy", "false");
    return;
  }
  crumbs = [{ label: def.title || "" }];
  document.title = `${def.title || ""} · Labelloom`;
  root.classList.toggle("frameless", Boolean(def.public));
  drawFrame();
  const page = /** @type {HTMLElement} */ (root.querySelector("#page")); // (not getElementById: the frame may be detached)
  root.setAttribute("aria-busy", "true");
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
    if (token === renderToken) {
      render(html`<section class="error-box" role="alert"><h2>This page failed to load</h2><p>${errorText(error)}</p><p><button class="btn" @click=${() => location.reload()}>Reload</button></p></section>`, page);
    }
  }
  if (token === renderToken) root.setAttribute("aria-busy", "false");
}

/**
 * Only same-site paths are followed after sign-in (an open redirect would let a crafted link
 * send a freshly signed-in user anywhere). pages/login.js applies the same rule.
 * @param {string|null} next
 */
function safeNext(next) {
  return next && next.startsWith("/") && !next.startsWith("//") && !SIGNED_OUT_ONLY.has(next.split("?")[0]) ? next : "/projects";
}

window.addEventListener("labelloom:breadcrumb", (event) => {
  crumbs = /** @type {CustomEvent} */ (event).detail;
  drawFrame();
});
window.addEventListener("labelloom:top-actions", (event) => {
  topActions = /** @type {CustomEvent} */ (event).detail;
  drawFrame();
});
window.addEventListener("labelloom:unsaved", (event) => {
  unsaved = /** @type {CustomEvent} */ (event).detail || null;
});
window.addEventListener("beforeunload", (event) => {
  if (unsaved) event.preventDefault();
});
window.addEventListener("labelloom:unauthorized", () => {
  if (session.user) {
    session.user = null;
    unsaved = null;
    toast("Your session ended. Please log in again.", { kind: "error" });
    navigate(`/user/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
});
// The account menu closes on Escape and on a click outside it, like any menu.
document.addEventListener("keydown", (event) => {
  const open = root.querySelector("details.menu[open]");
  if (event.key === "Escape" && open) {
    open.removeAttribute("open");
    /** @type {HTMLElement|null} */ (open.querySelector("summary"))?.focus();
  }
});
document.addEventListener("click", (event) => {
  for (const menu of root.querySelectorAll("details.menu[open]")) {
    // composedPath, not contains(): the clicked element may already be re-rendered away.
    if (!event.composedPath().includes(menu)) menu.removeAttribute("open");
  }
});

async function boot() {
  let needsAdmin = false;
  try {
    needsAdmin = (await api.get("/api/auth/setup")).needs_admin;
  } catch (error) {
    render(html`<section class="error-box" role="alert"><h2>Labelloom is not answering</h2><p>${errorText(error)}</p><p><button class="btn" @click=${() => location.reload()}>Try again</button></p></section>`, root);
    root.setAttribute("aria-busy", "false");
    return;
  }
  if (needsAdmin && location.pathname !== "/setup") navigate("/setup", { replace: true });
  else if (!needsAdmin) {
    if (location.pathname === "/setup") history.replaceState(null, "", "/user/login");
    try {
      session.user = await api.get("/api/current-user/whoami");
    } catch {
      session.user = null;
    }
  }
  new Router(ROUTES, show).resolve();
}

boot();
