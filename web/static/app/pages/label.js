// @ts-check
/**
 * /projects/:id/label[?task=ID][&view=ID][&tasks=1,2] — the labeling screen. One mode (ux.md P10): the label stream of
 * the project, starting at ?task when given; the URL follows the task shown, so a reload comes
 * back to it (with its draft).
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { setBreadcrumb, setTopActions } from "../state.js";
import { setQuery } from "../router.js";
import { useStyles, icon } from "../ui.js";

/** @type {import("../router.js").PageRender} */
export default async function page(el, route) {
  useStyles("/static/core/labeling/labeling.css");
  
  const projectId = Number(route.params.id);
  const taskParam = Number(route.query.get("task") || "") || undefined;
  // "Label all tasks" from a data-manager tab streams that tab's tasks (or the chosen ones).
  const viewParam = Number(route.query.get("view") || "") || undefined;
  const chosen = (route.query.get("tasks") || "").split(",").map(Number).filter((id) => id > 0);
  render(html`<div class="ll-page"><div class="ll-loading" aria-busy="true"><div class="skeleton" style="height: 40px"></div><div class="skeleton" style="height: 320px; margin-top: 12px"></div></div></div>`, el);
  el.classList.add("ll-page-host");

  let project;
  try {
    project = await api.get(`/api/projects/${projectId}/`);
  } catch (error) {
    render(html`<section class="error-box" role="alert"><h2>Cannot open this project</h2><p>${errorText(error)}</p><p><a class="btn" href="/projects">Back to projects</a></p></section>`, el);
    return () => el.classList.remove("ll-page-host");
  }
  const crumbs = (/** @type {number|null} */ taskId) => [
    { label: "Projects", href: "/projects" },
    { label: project.title || `Project ${project.id}`, href: `/projects/${project.id}/data` },
    { label: taskId ? `Label · task ${taskId}` : "Label" },
  ];
  setBreadcrumb(crumbs(taskParam || null));
  setTopActions(html`<a class="btn" href="/projects/${project.id}/data">${icon("grid", 14)} Data manager</a>
    <a class="btn" href="/projects/${project.id}/settings">${icon("settings", 14)} Settings</a>`);

  const host = /** @type {HTMLElement} */ (el.querySelector(".ll-page"));
  host.replaceChildren();
  const { mountLabeling } = await import("../../labeling/runtime.js");
  let handle;
  try {
    handle = await mountLabeling(host, {
      api,
      project,
      mode: "stream",
      taskId: taskParam,
      streamScope: { view: viewParam, tasks: chosen.length ? chosen : undefined },
      onTaskChange: (task) => {
        setQuery({ task: task ? task.id : null });
        setBreadcrumb(crumbs(task ? task.id : null));
      },
    });
  } catch (error) {
    render(html`<section class="error-box" role="alert"><h2>The labeling screen failed to start</h2><p>${errorText(error)}</p></section>`, el);
    return () => el.classList.remove("ll-page-host");
  }
  return () => {
    handle?.destroy();
    el.classList.remove("ll-page-host");
  };
}
