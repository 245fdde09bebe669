// @ts-check
/** First run (/setup): create the administrator account, then go to the (empty) project list. */
import { html, render } from "lit";
import { api } from "../api.js";
import { navigate } from "../router.js";
import { session } from "../state.js";
import { authError, authLayout } from "./login.js";

/** @type {import("../router.js").PageRender} */
export default function setupPage(el) {
  let error = "";
  let busy = false;

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    const password = String(form.get("password") || "");
    busy = true;
    error = "";
    draw();
    try {
      const out = await api.post("/api/auth/setup", { email: String(form.get("email") || "").trim(), password });
      session.user = out.user;
      navigate("/projects", { replace: true });
    } catch (e) {
      busy = false;
      error = authError(e);
      draw();
    }
  }

  function draw() {
    render(
      authLayout({
        title: "Welcome to Labelloom",
        lead: "This server has no accounts yet. Create the administrator: you can invite your team next.",
        body: html`<form @submit=${submit}>
          ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
          <div class="field"><label for="setup-email">Email</label>
            <input id="setup-email" name="email" type="email" required autocomplete="username" autofocus></div>
          <div class="field"><label for="setup-password">Password</label>
            <input id="setup-password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="setup-password-hint">
            <span class="hint" id="setup-password-hint">At least 8 characters. A password manager can remember it for you.</span></div>
          <button class="btn btn-primary auth-submit" type="submit" ?disabled=${busy}>${busy ? "Creating…" : "Create administrator"}</button>
        </form>`,
      }),
      el,
    );
  }
  draw();
}
