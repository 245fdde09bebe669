// @ts-check
/**
 * Organization (/organization): the members list with their roles (teams); administrators also
 * get the invite link (copy, reset), direct account creation, role changes, the default role of
 * new members and deactivation.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { copyText, shortDate } from "../projects/common.js";
import { session, setBreadcrumb } from "../state.js";
import { ROLES, forgetPermissions, roleLabel } from "../teams.js";
import { confirmAction, icon, openDialog, timeAgo, toast, useStyles } from "../ui.js";

/** @typedef {import("../state.js").User & {is_active?: boolean, date_joined?: string, last_activity?: string}} Member */

/** @type {import("../router.js").PageRender} */
export default function organizationPage(el) {
  useStyles("/static/core/app/pages/account.css");
  setBreadcrumb([{ label: "Organization" }]);
  const me = /** @type {import("../state.js").User} */ (session.user);
  const admin = Boolean(me.is_superuser);
  /** @type {Member[]|null} */
  let members = null;
  let error = "";
  /** @type {{invite_url: string, token: string}|null} */
  let invite = null;
  let inviteError = "";
  /** @type {Map<number, string>} user id -> role code (GET /api/organizations/1/memberships) */
  const roles = new Map();
  /** @type {string|null} */
  let defaultRole = null;

  const inviteUrl = () => (invite ? new URL(invite.invite_url, location.origin).href : "");

  async function load() {
    try {
      const [users, memberships, organization] = await Promise.all([
        api.get("/api/users/"),
        api.get("/api/organizations/1/memberships?page_size=1000"),
        api.get("/api/organizations/1"),
      ]);
      members = users;
      for (const m of memberships.results) roles.set(m.user.id, m.role);
      defaultRole = organization.default_role;
    } catch (e) {
      error = errorText(e);
      members = members || [];
    }
    draw();
  }

  /** @param {Member} member @param {string} role */
  async function setRole(member, role) {
    const before = roles.get(member.id);
    if (role === before) return;
    if (role === "DI") {
      const ok = await confirmAction({
        title: `Deactivate ${member.email}?`,
        message: "They are signed out at once and cannot log in or use their tokens. Their annotations stay.",
        confirm: "Deactivate",
        danger: true,
      });
      if (!ok) return draw();
    }
    try {
      const out = await api.patch("/api/organizations/1/memberships", { user_id: member.id, role });
      roles.set(member.id, out.role);
      members = (members || []).map((m) => (m.id === member.id ? { ...m, is_active: out.user.is_active, is_superuser: out.user.is_superuser } : m));
      toast(`${member.email} is now ${roleLabel(out.role).toLowerCase()}`, { kind: "success" });
    } catch (e) {
      toast(errorText(e), { kind: "error" });
    }
    draw();
  }

  /** @param {Event} event */
  async function setDefaultRole(event) {
    const select = /** @type {HTMLSelectElement} */ (event.target);
    try {
      const out = await api.patch("/api/organizations/1", { default_role: select.value });
      defaultRole = out.default_role;
      forgetPermissions();
      toast(`New members are ${roleLabel(out.default_role).toLowerCase()}s by default`, { kind: "success" });
    } catch (e) {
      toast(errorText(e), { kind: "error" });
    }
    draw();
  }

  async function loadInvite() {
    try {
      invite = await api.get("/api/invite");
    } catch (e) {
      inviteError = errorText(e);
    }
    draw();
  }

  async function resetInvite() {
    const ok = await confirmAction({
      title: "Reset the invite link?",
      message: "The current link stops working: people who have it but have not signed up yet will need the new one.",
      confirm: "Reset link",
      danger: true,
    });
    if (!ok) return;
    try {
      invite = await api.post("/api/invite/reset-token");
      toast("New invite link created", { kind: "success" });
    } catch (e) {
      toast(errorText(e), { kind: "error" });
    }
    draw();
  }

  async function createUser() {
    const created = await openDialog(
      (close) => {
        let formError = "";
        /** @param {SubmitEvent} event */
        const submit = async (event) => {
          event.preventDefault();
          const form = /** @type {HTMLFormElement} */ (event.target);
          const data = new FormData(form);
          try {
            const out = await api.post("/api/users/", {
              email: String(data.get("email") || "").trim(),
              first_name: String(data.get("first_name") || "").trim(),
              last_name: String(data.get("last_name") || "").trim(),
              password: String(data.get("password") || ""),
            });
            const role = String(data.get("role") || "");
            if (role) await api.patch("/api/organizations/1/memberships", { user_id: out.id, role });
            roles.set(out.id, role || defaultRole || "MA");
            close(out);
          } catch (e) {
            formError = errorText(e);
            const fields = /** @type {any} */ (e)?.validationErrors;
            if (fields) formError = Object.values(fields).flat().join(" ") || formError;
            const box = form.querySelector(".form-error");
            if (box) {
              box.textContent = formError;
              box.removeAttribute("hidden");
            }
          }
        };
        return html`<form class="modal-body" @submit=${submit}>
          <h2>Create a user</h2>
          <div class="form-error" role="alert" hidden></div>
          <div class="field-row">
            <div class="field"><label for="new-first">First name</label><input id="new-first" name="first_name"></div>
            <div class="field"><label for="new-last">Last name</label><input id="new-last" name="last_name"></div>
          </div>
          <div class="field"><label for="new-email">Email</label><input id="new-email" name="email" type="email" required autofocus></div>
          <div class="field"><label for="new-password">Password</label><input id="new-password" name="password" type="password" required minlength="8" autocomplete="new-password">
            <span class="hint">Share it with them privately; they can change it on their account page.</span></div>
          <div class="field"><label for="new-role">Role</label>
            <select id="new-role" name="role">
              <option value="">Default (${roleLabel(defaultRole || "MA")})</option>
              ${ROLES.filter((r) => r.value !== "DI" && (r.value !== "OW" || roles.get(me.id) === "OW")).map((r) => html`<option value=${r.value}>${r.label}</option>`)}
            </select>
            <span class="hint">Reviewers and annotators see only the projects they are added to.</span></div>
          <footer class="modal-actions">
            <button type="button" class="btn" @click=${() => close()}>Cancel</button>
            <button type="submit" class="btn btn-primary">Create user</button>
          </footer>
        </form>`;
      },
      { label: "Create a user" },
    );
    if (created) {
      members = [...(members || []), created];
      toast(`${created.email} can now log in`, { kind: "success" });
      draw();
    }
  }

  /** @param {Member} m */
  const initials = (m) =>
    ([m.first_name, m.last_name].filter(Boolean).join(" ") || m.email).split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((p) => p[0].toUpperCase()).join("");

  /** @param {Member} m @param {boolean} active */
  function roleCell(m, active) {
    const role = roles.get(m.id) || (active ? (m.is_superuser ? "OW" : defaultRole || "MA") : "DI");
    const mayEdit = admin && m.id !== me.id && (role !== "OW" || roles.get(me.id) === "OW");
    if (!mayEdit) {
      return html`<span class="badge ${role === "OW" || role === "AD" ? "badge-accent" : role === "DI" ? "badge-danger" : ""}">${roleLabel(role)}</span>`;
    }
    return html`<select class="role-select" aria-label="Role of ${m.email}" @change=${(/** @type {Event} */ e) => setRole(m, /** @type {HTMLSelectElement} */ (e.target).value)}>
      ${ROLES.filter((r) => r.value !== "OW" || roles.get(me.id) === "OW").map((r) => html`<option value=${r.value} ?selected=${r.value === role}>${r.label}</option>`)}
    </select>`;
  }

  function draw() {
    render(
      html`<div class="page organization">
        <header class="page-header"><h1>Organization</h1>
          ${admin ? html`<button class="btn btn-primary" @click=${createUser}>${icon("plus")} Create user</button>` : null}
        </header>
        <div class="settings-stack">
          ${admin
            ? html`<section class="card" aria-labelledby="invite-h">
                <h2 id="invite-h">Invite people</h2>
                <p class="muted">Anyone with this link can create an account on this server. Reset it to stop old links from working.</p>
                ${inviteError
                  ? html`<div class="form-error" role="alert">${inviteError}</div>`
                  : invite
                    ? html`<div class="token-row">
                        <input class="token-value" readonly aria-label="Invite link" .value=${inviteUrl()} @focus=${(/** @type {Event} */ e) => /** @type {HTMLInputElement} */ (e.target).select()}>
                        <button class="btn btn-primary" type="button" @click=${() => copyText(inviteUrl(), "Invite link copied")}>${icon("copy")} Copy link</button>
                        <button class="btn" type="button" @click=${resetInvite}>${icon("refresh")} Reset link</button>
                      </div>`
                    : html`<div class="skeleton" style="height:32px"></div>`}
              </section>`
            : null}
          ${admin && defaultRole
            ? html`<section class="card" aria-labelledby="roles-h">
                <h2 id="roles-h">Roles</h2>
                <p class="muted">Owners and administrators manage people; managers run projects; reviewers and annotators work in the projects they are added to.
                  <a href="/docs#/Organizations" target="_blank" rel="noopener">What each role may do</a></p>
                <div class="field field-inline"><label for="default-role">Role of new members</label>
                  <select id="default-role" @change=${setDefaultRole}>
                    ${ROLES.filter((r) => ["MA", "RE", "AN"].includes(r.value)).map((r) => html`<option value=${r.value} ?selected=${r.value === defaultRole}>${r.label}</option>`)}
                  </select>
                  <span class="hint">For people who join through the invite link or get an account without a role.</span></div>
              </section>`
            : null}
          <section class="card" aria-labelledby="members-h">
            <h2 id="members-h">Members ${members ? html`<span class="badge">${members.length}</span>` : null}</h2>
            ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
            ${members === null
              ? html`<div class="skeleton" style="height:120px"></div>`
              : html`<table class="table" aria-label="Members">
                  <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col">Last active</th>${admin ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : null}</tr></thead>
                  <tbody>${members.map((m) => {
                    const active = m.is_active !== false;
                    const name = [m.first_name, m.last_name].filter(Boolean).join(" ");
                    return html`<tr class=${active ? "" : "member-inactive"}>
                      <td><div class="member"><span class="avatar" aria-hidden="true">${initials(m)}</span>
                        <div><div class="member-name">${name || m.email}${m.id === me.id ? html` <span class="badge">you</span>` : null}</div>${name ? html`<div class="member-email">${m.email}</div>` : null}</div></div></td>
                      <td>${roleCell(m, active)}</td>
                      <td>${shortDate(m.date_joined)}</td>
                      <td>${timeAgo(m.last_activity)}</td>
                      ${admin
                        ? html`<td class="cell-actions">${m.id === me.id
                            ? null
                            : active
                              ? html`<button class="btn btn-sm" @click=${() => setRole(m, "DI")} aria-label="Deactivate ${m.email}">Deactivate</button>`
                              : html`<button class="btn btn-sm" @click=${() => setRole(m, defaultRole || "MA")} aria-label="Reactivate ${m.email}">Reactivate</button>`}</td>`
                        : null}
                    </tr>`;
                  })}</tbody>
                </table>`}
          </section>
        </div>
      </div>`,
      el,
    );
  }

  draw();
  load();
  if (admin) loadInvite();
}
