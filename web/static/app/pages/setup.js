// @ts-check
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { navigate } from "../router.js";
import { session } from "../state.js";

/** First run: create the administrator account. */
/** @type {import("../router.js").PageRender} */
export default function setupPage(el) {
  let error = "";
  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    try {
      const out = await api.post("/api/auth/setup", { email: form.get("email"), password: form.get("password") });
      session.user = out.user;
      navigate("/projects", { replace: true });
    } catch (e) {
      error = errorText(e);
      draw();
    }
  }
  function draw() {
    render(html`<section class="page" style="max-width:420px">
      <h1>Welcome to Labelloom</h1><p class="muted">Create the administrator account.</p>
      ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
      <form @submit=${submit}>
        <div class="field"><label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="username"></div>
        <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" required minlength="8" autocomplete="new-password"></div>
        <button class="btn btn-primary" type="submit">Create administrator</button>
      </form></section>`, el);
  }
  draw();
}
