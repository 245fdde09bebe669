// @ts-check
/**
 * Account (/account): profile, password, the legacy API token and personal access tokens.
 * Each section saves on its own; the profile form marks unsaved edits (P12).
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { copyText, markUnsaved, shortDate } from "../projects/common.js";
import { session, setBreadcrumb } from "../state.js";
import { confirmAction, icon, toast, useStyles } from "../ui.js";

/** @typedef {{id: number, created_at: string, expires_at: string, token?: string|null}} PersonalToken */

/** @type {import("../router.js").PageRender} */
export default function accountPage(el) {
  useStyles("/static/core/app/pages/account.css");
  setBreadcrumb([{ label: "Account & settings" }]);
  const user = /** @type {import("../state.js").User} */ (session.user);
  let profile = { first_name: user.first_name || "", last_name: user.last_name || "", email: user.email };
  let saved = { ...profile };
  let profileError = "";
  let passwordError = "";
  let passwordBusy = false;
  /** @type {string|null} */
  let legacyToken = null;
  let legacyError = "";
  let reveal = false;
  /** @type {PersonalToken[]|null} */
  let tokens = null;
  let tokensError = "";
  /** @type {string|null} */
  let freshToken = null;

  const dirty = () => JSON.stringify(profile) !== JSON.stringify(saved);

  /** @param {"first_name"|"last_name"|"email"} key @param {Event} event */
  function edit(key, event) {
    profile = { ...profile, [key]: /** @type {HTMLInputElement} */ (event.target).value };
    markUnsaved(dirty() ? "Your profile changes are not saved." : null);
    draw();
  }

  /** @param {SubmitEvent} event */
  async function saveProfile(event) {
    event.preventDefault();
    profileError = "";
    try {
      const out = await api.patch("/api/current-user", { ...profile, email: profile.email.trim() });
      session.user = out;
      profile = { first_name: out.first_name, last_name: out.last_name, email: out.email };
      saved = { ...profile };
      markUnsaved(null);
      toast("Profile saved", { kind: "success" });
      window.dispatchEvent(new CustomEvent("labelloom:breadcrumb", { detail: [{ label: "Account & settings" }] }));
    } catch (error) {
      profileError = errorText(error);
    }
    draw();
  }

  /** @param {SubmitEvent} event */
  async function changePassword(event) {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.target);
    const data = new FormData(form);
    const next = String(data.get("new_password") || "");
    if (next !== String(data.get("confirm") || "")) {
      passwordError = "The new password and its repetition are not the same.";
      draw();
      return;
    }
    passwordBusy = true;
    passwordError = "";
    draw();
    try {
      await api.post("/api/current-user/password", { current_password: String(data.get("current_password") || ""), new_password: next });
      form.reset();
      toast("Password changed. Other browsers were signed out and your API tokens were replaced.", { kind: "success" });
      freshToken = null;
      await loadTokens(); // the old legacy token and personal tokens no longer work
    } catch (error) {
      const fields = /** @type {any} */ (error)?.validationErrors;
      passwordError = fields?.current_password?.[0] || fields?.password?.[0] || errorText(error);
    }
    passwordBusy = false;
    draw();
  }

  async function loadTokens() {
    try {
      legacyToken = (await api.get("/api/current-user/token")).token;
    } catch (error) {
      legacyError = errorText(error);
    }
    try {
      tokens = await api.get("/api/token/");
    } catch (error) {
      tokensError = errorText(error);
      tokens = [];
    }
    draw();
  }

  async function resetLegacy() {
    const ok = await confirmAction({
      title: "Reset the API token?",
      message: "Scripts and integrations using the current token stop working at once. This cannot be undone.",
      confirm: "Reset token",
      danger: true,
    });
    if (!ok) return;
    try {
      legacyToken = (await api.post("/api/current-user/reset-token")).token;
      reveal = true;
      toast("New API token created", { kind: "success" });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
    draw();
  }

  async function createToken() {
    try {
      const created = await api.post("/api/token/");
      freshToken = created.token;
      tokens = [...(tokens || []), created];
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
    draw();
  }

  /** @param {PersonalToken} token */
  async function revoke(token) {
    const ok = await confirmAction({
      title: "Revoke this token?",
      message: `The token created on ${shortDate(token.created_at)} stops working at once.`,
      confirm: "Revoke",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.delete(`/api/token/${token.id}`);
      tokens = (tokens || []).filter((t) => t.id !== token.id);
      toast("Token revoked", { kind: "success" });
    } catch (error) {
      toast(errorText(error), { kind: "error" });
    }
    draw();
  }

  function draw() {
    const masked = legacyToken ? (reveal ? legacyToken : "•".repeat(Math.min(legacyToken.length, 40))) : "";
    render(
      html`<div class="page account">
        <header class="page-header"><h1>Account &amp; settings</h1></header>
        <div class="settings-stack">
          <section class="card" aria-labelledby="profile-h">
            <h2 id="profile-h">Profile ${dirty() ? html`<span class="badge badge-accent unsaved-badge">Unsaved changes</span>` : null}</h2>
            <form @submit=${saveProfile}>
              ${profileError ? html`<div class="form-error" role="alert">${profileError}</div>` : null}
              <div class="field-row">
                <div class="field"><label for="acc-first">First name</label><input id="acc-first" .value=${profile.first_name} @input=${(/** @type {Event} */ e) => edit("first_name", e)} autocomplete="given-name"></div>
                <div class="field"><label for="acc-last">Last name</label><input id="acc-last" .value=${profile.last_name} @input=${(/** @type {Event} */ e) => edit("last_name", e)} autocomplete="family-name"></div>
              </div>
              <div class="field"><label for="acc-email">Email</label><input id="acc-email" type="email" required .value=${profile.email} @input=${(/** @type {Event} */ e) => edit("email", e)} autocomplete="email"></div>
              <div class="form-actions">
                <button class="btn btn-primary" type="submit" ?disabled=${!dirty()}>Save profile</button>
                ${dirty() ? html`<button class="btn" type="button" @click=${() => ((profile = { ...saved }), markUnsaved(null), draw())}>Revert</button>` : null}
              </div>
            </form>
          </section>

          <section class="card" aria-labelledby="password-h">
            <h2 id="password-h">Password</h2>
            <form @submit=${changePassword}>
              ${passwordError ? html`<div class="form-error" role="alert">${passwordError}</div>` : null}
              <div class="field"><label for="pw-current">Current password</label><input id="pw-current" name="current_password" type="password" required autocomplete="current-password"></div>
              <div class="field-row">
                <div class="field"><label for="pw-new">New password</label><input id="pw-new" name="new_password" type="password" required minlength="8" autocomplete="new-password"></div>
                <div class="field"><label for="pw-confirm">Repeat new password</label><input id="pw-confirm" name="confirm" type="password" required minlength="8" autocomplete="new-password"></div>
              </div>
              <p class="hint">Changing the password signs out every other browser and replaces your API tokens.</p>
              <div class="form-actions"><button class="btn btn-primary" type="submit" ?disabled=${passwordBusy}>${passwordBusy ? "Changing…" : "Change password"}</button></div>
            </form>
          </section>

          <section class="card" aria-labelledby="token-h">
            <h2 id="token-h">API token</h2>
            <p class="muted">For scripts and the Label Studio SDK: send <code>Authorization: Token &lt;token&gt;</code>.</p>
            ${legacyError
              ? html`<div class="form-error" role="alert">${legacyError}</div>`
              : legacyToken === null
                ? html`<div class="skeleton" style="height:32px"></div>`
                : html`<div class="token-row">
                    <input class="token-value" readonly aria-label="Your API token" .value=${masked} @focus=${(/** @type {Event} */ e) => reveal && /** @type {HTMLInputElement} */ (e.target).select()}>
                    <button class="btn" type="button" aria-pressed=${reveal ? "true" : "false"} @click=${() => ((reveal = !reveal), draw())}>${icon(reveal ? "eye-off" : "eye")} ${reveal ? "Hide" : "Show"}</button>
                    <button class="btn" type="button" @click=${() => copyText(/** @type {string} */ (legacyToken), "API token copied")}>${icon("copy")} Copy</button>
                    <button class="btn" type="button" @click=${resetLegacy}>${icon("refresh")} Reset</button>
                  </div>`}
          </section>

          <section class="card" aria-labelledby="pat-h">
            <div class="section-head">
              <h2 id="pat-h">Personal access tokens</h2>
              <button class="btn" type="button" @click=${createToken}>${icon("plus")} Create token</button>
            </div>
            <p class="muted">Long-lived refresh tokens: exchange one at <code>POST /api/token/refresh</code> for short-lived access tokens (<code>Authorization: Bearer</code>).</p>
            ${freshToken
              ? html`<div class="fresh-token" role="status">
                  <strong>Copy your new token now: it will not be shown again.</strong>
                  <div class="token-row">
                    <input class="token-value" readonly aria-label="New personal access token" .value=${freshToken}>
                    <button class="btn btn-primary" type="button" @click=${() => copyText(/** @type {string} */ (freshToken), "Token copied")}>${icon("copy")} Copy</button>
                    <button class="btn-icon" type="button" aria-label="Dismiss the new token" @click=${() => ((freshToken = null), draw())}>${icon("x")}</button>
                  </div>
                </div>`
              : null}
            ${tokensError ? html`<div class="form-error" role="alert">${tokensError}</div>` : null}
            ${tokens === null
              ? html`<div class="skeleton" style="height:64px"></div>`
              : tokens.length === 0
                ? html`<p class="empty-inline">No personal access tokens yet.</p>`
                : html`<table class="table" aria-label="Personal access tokens">
                    <thead><tr><th scope="col">Token</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                    <tbody>${tokens.map((t) => html`<tr>
                      <td>#${t.id}</td><td>${shortDate(t.created_at)}</td><td>${shortDate(t.expires_at)}</td>
                      <td class="cell-actions"><button class="btn btn-sm" type="button" aria-label="Revoke token #${t.id}" @click=${() => revoke(t)}>${icon("trash")} Revoke</button></td>
                    </tr>`)}</tbody>
                  </table>`}
          </section>
        </div>
      </div>`,
      el,
    );
  }

  draw();
  loadTokens();
  return () => markUnsaved(null);
}
