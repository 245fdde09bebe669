// @ts-check
/**
 * Organization (/organization): the members list; administrators also get the invite link
 * (copy, reset), direct account creation and deactivation.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { copyText, shortDate } from "../projects/common.js";
import { session, setBreadcrumb } from "../state.js";
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

  const inviteUrl = () => (invite ? new URL(invite.invite_url, location.origin).href : "");

  async function load() {
    try {
      members = await api.get("/api/users/");
    } catch (e) {
      error = errorText(e);
      members = [];
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

  /** @param {Member} member */
  async function setActive(member, active) {
    if (!active) {
      const ok = await confirmAction({
        title: `Deactivate ${member.email}?`,
        message: "They are signed out at once and cannot log in or use their tokens. Their annotations stay. You can reactivate them later.",
        confirm: "Deactivate",
        danger: true,
      });
      if (!ok) return;
    }
    try {
      const out = await api.patch(`/api/users/${member.id}`, { is_active: active });
      members = (members || []).map((m) => (m.id === out.id ? out : m));
      toast(active ? `${member.email} can log in again` : `${member.email} was deactivated`, { kind: "success" });
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
              is_superuser: data.get("is_superuser") === "on",
            });
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
          <label class="check"><input type="checkbox" name="is_superuser"> Administrator (can manage users and the invite link)</label>
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
                      <td>${m.is_superuser ? html`<span class="badge badge-accent">Administrator</span>` : html`<span class="badge">Member</span>`}
                        ${active ? null : html`<span class="badge badge-danger">Deactivated</span>`}</td>
                      <td>${shortDate(m.date_joined)}</td>
                      <td>${timeAgo(m.last_activity)}</td>
                      ${admin
                        ? html`<td class="cell-actions">${m.id === me.id
                            ? null
                            : active
                              ? html`<button class="btn btn-sm" @click=${() => setActive(m, false)} aria-label="Deactivate ${m.email}">Deactivate</button>`
                              : html`<button class="btn btn-sm" @click=${() => setActive(m, true)} aria-label="Reactivate ${m.email}">Reactivate</button>`}</td>`
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
