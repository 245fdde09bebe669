// @ts-check
/**
 * Project settings › Members (teams): who works in the project, and how the label stream hands
 * out its tasks — automatically to whoever asks, or only the tasks assigned to each person
 * (assignment happens in the data manager: select tasks, then Actions › Assign annotators).
 * Reviewers and annotators see only the projects they are members of.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { roleLabel } from "../teams.js";
import { confirmAction, icon, toast } from "../ui.js";

/** @typedef {{id: number, user: {id: number, email: string, first_name?: string, last_name?: string}, role: string}} ProjectMember */

/** @param {{email: string, first_name?: string, last_name?: string}} user */
const nameOf = (user) => [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;

/**
 * Draw the section into `el`; returns its cleanup.
 * @param {HTMLElement} el @param {number} projectId
 */
export function mountMembersSettings(el, projectId) {
  /** @type {ProjectMember[]|null} */
  let members = null;
  /** @type {{user: any, role: string}[]} */
  let organization = [];
  /** @type {{label_stream_task_distribution: string, assigned_tasks: {AN: number, RE: number}}|null} */
  let settings = null;
  let loadError = "";
  let alive = true;

  async function load() {
    try {
      const [list, people, assignment] = await Promise.all([
        api.get(`/api/projects/${projectId}/members`),
        api.get("/api/organizations/1/memberships", { page_size: 1000 }),
        api.get(`/api/projects/${projectId}/assignment-settings`),
      ]);
      members = list;
      organization = people.results;
      settings = assignment;
      loadError = "";
    } catch (error) {
      loadError = errorText(error);
      members = members || [];
    }
    draw();
  }

  /** @param {Event} event */
  async function add(event) {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.target);
    const select = /** @type {HTMLSelectElement} */ (form.elements.namedItem("user"));
    const userId = Number(select.value);
    if (!userId) return;
    try {
      await api.post(`/api/projects/${projectId}/members/`, { user: userId });
      const person = organization.find((m) => m.user.id === userId);
      toast(`${person ? nameOf(person.user) : "Member"} added`, { kind: "success" });
      await load();
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {ProjectMember} member */
  async function remove(member) {
    const ok = await confirmAction({
      title: `Remove ${nameOf(member.user)}?`,
      message: "Their task assignments in this project end too. Their annotations stay.",
      confirm: "Remove",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.delete(`/api/projects/${projectId}/members/?user=${member.user.id}`);
      await load();
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
  }

  /** @param {string} mode */
  async function setMode(mode) {
    try {
      settings = await api.patch(`/api/projects/${projectId}/assignment-settings`, { label_stream_task_distribution: mode });
      toast(mode === "assigned_only" ? "Annotators now get only their assigned tasks" : "The label stream now hands out any task", { kind: "success" });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
    draw();
  }

  function draw() {
    if (!alive) return;
    if (loadError && !settings) {
      render(html`<div class="error-box" role="alert">${loadError}</div>`, el);
      return;
    }
    if (members === null || !settings) {
      render(html`<div class="skeleton" style="height:160px"></div>`, el);
      return;
    }
    const inProject = new Set(members.map((m) => m.user.id));
    const candidates = organization.filter((m) => !inProject.has(m.user.id) && m.role !== "DI");
    const mode = settings.label_stream_task_distribution;
    render(
      html`<div class="members-settings">
        <fieldset class="field">
          <legend>Task distribution</legend>
          <label class="check"><input type="radio" name="distribution" value="auto_distribution" ?checked=${mode === "auto_distribution"}
            @change=${() => setMode("auto_distribution")}> <span><strong>Automatic</strong> — the label stream gives each annotator the next task with room</span></label>
          <label class="check"><input type="radio" name="distribution" value="assigned_only" ?checked=${mode === "assigned_only"}
            @change=${() => setMode("assigned_only")}> <span><strong>Manual</strong> — annotators get only the tasks assigned to them</span></label>
          <span class="hint">${settings.assigned_tasks.AN} tasks have annotators, ${settings.assigned_tasks.RE} have reviewers.
            Assign from the <a href="/projects/${projectId}/data">data manager</a>: select tasks, then Actions › Assign annotators.</span>
        </fieldset>
        <h3>Members <span class="badge">${members.length}</span></h3>
        <p class="muted">Owners, administrators and managers see every project. Reviewers and annotators see only the projects they are members of; assigning tasks to someone adds them.</p>
        <form class="token-row" @submit=${add} aria-label="Add a member">
          <label class="sr-only" for="add-member">Person</label>
          <select id="add-member" name="user" ?disabled=${!candidates.length}>
            ${candidates.length
              ? candidates.map((m) => html`<option value=${m.user.id}>${nameOf(m.user)} (${roleLabel(m.role)})</option>`)
              : html`<option value="">Everyone is a member already</option>`}
          </select>
          <button class="btn btn-primary" type="submit" ?disabled=${!candidates.length}>${icon("plus")} Add member</button>
        </form>
        ${members.length
          ? html`<table class="table" aria-label="Project members">
              <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${members.map((m) => html`<tr>
                <td><div class="member-name">${nameOf(m.user)}</div>${nameOf(m.user) !== m.user.email ? html`<div class="muted">${m.user.email}</div>` : null}</td>
                <td><span class="badge">${roleLabel(m.role)}</span></td>
                <td class="cell-actions"><button class="btn btn-sm" type="button" @click=${() => remove(m)} aria-label="Remove ${m.user.email}">Remove</button></td>
              </tr>`)}</tbody>
            </table>`
          : html`<div class="empty-state small"><p>No members yet. Reviewers and annotators you add here will see this project.</p></div>`}
      </div>`,
      el,
    );
  }

  draw();
  load();
  return () => {
    alive = false;
  };
}
