// @ts-check
/**
 * Sign up (/user/signup?token=...): only through an administrator's invite link. The token is
 * checked first, so a stale link says so at once instead of after the form is filled in.
 */
import { html, render } from "lit";
import { api } from "../api.js";
import { navigate } from "../router.js";
import { session } from "../state.js";
import { authError, authLayout } from "./login.js";

/** @type {import("../router.js").PageRender} */
export default async function signupPage(el, route) {
  const token = route.query.get("token") || "";
  let error = "";
  let busy = false;
  /** @type {boolean|null} */
  let valid = null;

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    busy = true;
    error = "";
    draw();
    try {
      const out = await api.post("/api/auth/signup", {
        token,
        email: String(form.get("email") || "").trim(),
        password: String(form.get("password") || ""),
        first_name: String(form.get("first_name") || "").trim(),
        last_name: String(form.get("last_name") || "").trim(),
      });
      session.user = out.user;
      navigate("/projects", { replace: true });
    } catch (e) {
      busy = false;
      error = authError(e);
      if (/** @type {any} */ (e)?.status === 403) valid = false;
      draw();
    }
  }

  function draw() {
    if (valid === null) {
      render(authLayout({ title: "Create your account", body: html`<div class="skeleton" style="height:180px" aria-label="Checking the invite link"></div>` }), el);
      return;
    }
    if (!valid) {
      render(
        authLayout({
          title: "This invite link does not work",
          lead: token
            ? "It may have been reset by an administrator. Ask them for the current link."
            : "Accounts are created through an invite link from an administrator of this Labelloom server.",
          body: html`${error ? html`<div class="form-error" role="alert">${error}</div>` : null}<a class="btn auth-submit" href="/user/login">Go to log in</a>`,
        }),
        el,
      );
      return;
    }
    render(
      authLayout({
        title: "Create your account",
        lead: "You were invited to this Labelloom server.",
        body: html`<form @submit=${submit}>
          ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
          <div class="field-row">
            <div class="field"><label for="signup-first">First name</label><input id="signup-first" name="first_name" autocomplete="given-name"></div>
            <div class="field"><label for="signup-last">Last name</label><input id="signup-last" name="last_name" autocomplete="family-name"></div>
          </div>
          <div class="field"><label for="signup-email">Email</label>
            <input id="signup-email" name="email" type="email" required autocomplete="username" autofocus></div>
          <div class="field"><label for="signup-password">Password</label>
            <input id="signup-password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="signup-hint">
            <span class="hint" id="signup-hint">At least 8 characters.</span></div>
          <button class="btn btn-primary auth-submit" type="submit" ?disabled=${busy}>${busy ? "Creating…" : "Create account"}</button>
        </form>`,
        footer: html`Already have an account? <a href="/user/login">Log in</a>`,
      }),
      el,
    );
  }

  draw();
  try {
    valid = token ? (await api.get("/api/auth/invite", { token })).valid : false;
  } catch (e) {
    valid = false;
    error = authError(e);
  }
  draw();
}
