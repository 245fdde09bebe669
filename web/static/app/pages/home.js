// @ts-check
import { navigate } from "../router.js";

/** `/` and `/projects/:id` are redirects: to the project list, or to the project's data. */
/** @type {import("../router.js").PageRender} */
export default function render(_el, route) {
  navigate(route.params.id ? `/projects/${route.params.id}/data${location.search}` : "/projects", { replace: true });
}
