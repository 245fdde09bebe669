// @ts-check
/**
 * Every client route and the page module that renders it (imported on first visit).
 * A page module's default export is `render(el, route)`; it may return a cleanup function.
 * `permission`: the role permission a page needs (teams; docs/permissions.md).
 * The server answers each of these paths with the same shell (core/webapp.py APP_PATHS).
 */

/** @type {import("./router.js").RouteDef[]} */
export const ROUTES = [
  { pattern: "/setup", load: () => import("./pages/setup.js"), title: "Set up", public: true },
  { pattern: "/user/login", load: () => import("./pages/login.js"), title: "Log in", public: true },
  { pattern: "/user/signup", load: () => import("./pages/signup.js"), title: "Sign up", public: true },
  { pattern: "/account", load: () => import("./pages/account.js"), title: "Account" },
  { pattern: "/organization", load: () => import("./pages/organization.js"), title: "Organization", permission: "organization.view" },
  { pattern: "/", load: () => import("./pages/home.js"), title: "Projects" },
  { pattern: "/projects", load: () => import("./pages/projects.js"), title: "Projects" },
  { pattern: "/projects/new", load: () => import("./pages/project-create.js"), title: "Create project", permission: "projects.create" },
  { pattern: "/projects/:id", load: () => import("./pages/home.js"), title: "Project" },
  { pattern: "/projects/:id/data", load: () => import("./pages/data-manager.js"), title: "Data" },
  { pattern: "/projects/:id/label", load: () => import("./pages/label.js"), title: "Label" },
  { pattern: "/projects/:id/review", load: () => import("./pages/review.js"), title: "Review" },
  { pattern: "/projects/:id/dashboard", load: () => import("./pages/dashboard.js"), title: "Dashboard", permission: "projects.manage" },
  { pattern: "/projects/:id/my-figures", load: () => import("./pages/dashboard.js"), title: "My figures" },
  { pattern: "/projects/:id/settings", load: () => import("./pages/project-settings.js"), title: "Settings", permission: "projects.manage" },
  { pattern: "/projects/:id/settings/:section", load: () => import("./pages/project-settings.js"), title: "Settings", permission: "projects.manage" },
];
