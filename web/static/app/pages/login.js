// @ts-check
/**
 * Log in (/user/login). Also home of the sign-in pages' shared layout: a brand panel and a
 * form card (set-up and sign-up use it too). Errors are shown inside the card, next to the form.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { navigate } from "../router.js";
import { session } from "../state.js";
import { useStyles } from "../ui.js";

/**
 * The two-panel frame of the signed-out pages.
 * @param {{title: string, lead?: string|import("lit").TemplateResult, body: import("lit").TemplateResult, footer?: import("lit").TemplateResult|null}} parts
 */
export function authLayout(parts) {
  useStyles("/static/core/app/pages/auth.css");
  return html`<div class="auth">
    <aside class="auth-brand" aria-hidden="true">
      <div class="auth-logo"><img src="/static/core/app/favicon.svg" alt="" width="36" height="36"><span>Labelloom</span></div>
      <p class="auth-tagline">Label data as a team: fast on big projects, friendly to your keyboard, compatible with Label Studio.</p>
      <ul class="auth-points">
        <li>Projects, data manager and labeling in one place</li>
        <li>Every change saved as you go</li>
        <li>Label Studio API, SDK and export formats</li>
      </ul>
    </aside>
    <section class="auth-card card" aria-labelledby="auth-title">
      <h1 id="auth-title">${parts.title}</h1>
      ${parts.lead ? html`<p class="auth-lead">${parts.lead}</p>` : null}
      ${parts.body}
      ${parts.footer ? html`<footer class="auth-footer">${parts.footer}</footer>` : null}
    </section>
  </div>`;
}

/**
 * Only same-site paths are followed after sign-in: an open redirect would let a crafted link
 * send a freshly signed-in user to another site.
 * @param {string|null} next
 */
export function safeNext(next) {
  const signedOutOnly = ["/user/login", "/user/signup", "/setup"];
  return next && next.startsWith("/") && !next.startsWith("//") && !signedOutOnly.includes(next.split("?")[0]) ? next : "/projects";
}

/** The error text for the card: field problems are named, sign-in failures stay vague on purpose. @param {unknown} error */
export function authError(error) {
  const text = errorText(error);
  const fields = /** @type {any} */ (error)?.validationErrors;
  if (fields && typeof fields === "object") {
    const messages = Object.values(fields).flat().map(String);
    if (messages.length && !messages.some((m) => text.includes(m))) return `${text} ${messages.join(" ")}`;
  }
  return text;
}

/** @type {import("../router.js").PageRender} */
export default function loginPage(el, route) {
  let error = "";
  let busy = false;
  const next = safeNext(route.query.get("next"));

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    busy = true;
    error = "";
    draw();
    try {
      const out = await api.post("/api/auth/login", {
        email: String(form.get("email") || "").trim(),
        password: String(form.get("password") || ""),
        remember: form.get("remember") === "on",
      });
      session.user = out.user;
      navigate(next, { replace: true });
    } catch (e) {
      busy = false;
      error = /** @type {any} */ (e)?.status === 401 ? "The email and password you entered don't match." : authError(e);
      draw();
      /** @type {HTMLInputElement|null} */ (el.querySelector("#login-password"))?.select();
    }
  }

  function draw() {
    render(
      authLayout({
        title: "Log in",
        lead: "Welcome back. Sign in to continue to your projects.",
        body: html`<form @submit=${submit}>
          ${error ? html`<div class="form-error" role="alert" id="login-error">${error}</div>` : null}
          <div class="field"><label for="login-email">Email</label>
            <input id="login-email" name="email" type="email" required autocomplete="username" autofocus aria-describedby=${error ? "login-error" : ""}></div>
          <div class="field"><label for="login-password">Password</label>
            <input id="login-password" name="password" type="password" required autocomplete="current-password" aria-invalid=${error ? "true" : "false"}></div>
          <label class="check auth-remember"><input type="checkbox" name="remember" checked> Keep me logged in on this browser</label>
          <button class="btn btn-primary auth-submit" type="submit" ?disabled=${busy}>${busy ? "Logging in…" : "Log in"}</button>
        </form>`,
        footer: html`New here? Ask an administrator for an invite link.`,
      }),
      el,
    );
  }
  draw();
}
