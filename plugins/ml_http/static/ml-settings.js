// @ts-check
/**
 * The project's "Model" settings (ml_http plugin, drawn through the settings-panel mechanism):
 * connect Label Studio ML backends by URL, see their state, test the connection, start
 * training; choose which model version annotators see and when predictions are fetched; and
 * compare model versions (predictions, mean score, agreement with annotations / ground truth).
 */
import { html, nothing, render } from "lit";

const STATE_CLASS = { CO: "badge-success", DI: "", ER: "badge-danger", TR: "ml-state-TR", PR: "ml-state-PR" };

/** @typedef {{id?: number, title: string, url: string, description: string, auth_method: string, basic_auth_user: string, basic_auth_pass: string, extra_params: string, is_interactive: boolean, timeout: number}} Draft */

/** @returns {Draft} */
function emptyDraft() {
  return { title: "", url: "", description: "", auth_method: "NONE", basic_auth_user: "", basic_auth_pass: "", extra_params: "", is_interactive: false, timeout: 100 };
}

/** @param {any} backend @returns {Draft} */
function draftOf(backend) {
  return {
    id: backend.id, title: backend.title || "", url: backend.url, description: backend.description || "",
    auth_method: backend.auth_method || "NONE", basic_auth_user: backend.basic_auth_user || "", basic_auth_pass: "",
    extra_params: backend.extra_params ? JSON.stringify(backend.extra_params, null, 2) : "",
    is_interactive: Boolean(backend.is_interactive), timeout: backend.timeout ?? 100,
  };
}

/** @param {number|null|undefined} value */
function percent(value) {
  return typeof value === "number" ? `${(value * 100).toFixed(1)}%` : "—";
}

/** @param {any} error */
function message(error) {
  const body = error?.body || error?.data;
  if (body?.validation_errors) {
    return Object.entries(body.validation_errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ");
  }
  return body?.detail || error?.message || String(error);
}

/** @param {{el: HTMLElement, project: Record<string, any>, api: any, ctx: any}} args */
export default function render_({ el, project, api, ctx }) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./ml.css", import.meta.url).href;
  document.head.append(link);

  /** @type {any[]|null} */ let backends = null;
  /** @type {any} */ let stats = null;
  /** @type {Draft|null} */ let draft = null;
  let formError = "";
  let busy = false;
  /** @type {Record<number, string>} */ const testResult = {};
  let current = { ...project };
  let disposed = false;

  async function load() {
    try {
      const [list, versions] = await Promise.all([
        api.get("/api/ml/", { project: current.id }),
        api.get(`/api/projects/${current.id}/model-versions/stats`),
      ]);
      backends = list;
      stats = versions;
    } catch (error) {
      ctx.toast(`Could not load the models: ${message(error)}`, { kind: "error" });
      backends = backends || [];
    }
    draw();
  }

  /** @param {Partial<Draft>} change */
  function edit(change) {
    draft = /** @type {Draft} */ ({ .../** @type {Draft} */ (draft), ...change });
    ctx.setDirty(true);
    draw();
  }

  /** @param {Event} event */
  async function save(event) {
    event.preventDefault();
    if (!draft) return;
    /** @type {Record<string, any>} */
    const body = {
      project: current.id, url: draft.url.trim(), title: draft.title.trim(), description: draft.description,
      auth_method: draft.auth_method, is_interactive: draft.is_interactive, timeout: Number(draft.timeout),
    };
    if (draft.auth_method === "BASIC_AUTH") {
      body.basic_auth_user = draft.basic_auth_user;
      if (draft.basic_auth_pass) body.basic_auth_pass = draft.basic_auth_pass;
    }
    if (draft.extra_params.trim()) {
      try {
        body.extra_params = JSON.parse(draft.extra_params);
      } catch {
        formError = "Extra parameters must be a JSON object, e.g. {\"threshold\": 0.5}.";
        draw();
        return;
      }
    } else body.extra_params = null;
    busy = true;
    formError = "";
    draw();
    try {
      const saved = draft.id ? await api.patch(`/api/ml/${draft.id}`, body) : await api.post("/api/ml/", body);
      draft = null;
      ctx.setDirty(false);
      current = await ctx.reloadProject();
      ctx.toast(saved.state === "CO" ? `Connected to ${saved.title || saved.url}` : `Saved; the model is ${saved.readable_state.toLowerCase()}`, { kind: saved.state === "CO" ? "success" : "info" });
      await load();
    } catch (error) {
      formError = message(error);
    } finally {
      busy = false;
      draw();
    }
  }

  /** @param {any} backend */
  async function remove(backend) {
    if (!confirm(`Disconnect ${backend.title || backend.url}? Its predictions stay.`)) return;
    await api.delete(`/api/ml/${backend.id}`);
    current = await ctx.reloadProject();
    ctx.toast("Model disconnected", { kind: "success" });
    await load();
  }

  /** @param {any} backend */
  async function test(backend) {
    testResult[backend.id] = "Asking the model about a random task…";
    draw();
    try {
      const answer = await api.post(`/api/ml/${backend.id}/predict/test`, {});
      testResult[backend.id] = `Task ${answer.task} · model version ${answer.model_version || "?"}\n${JSON.stringify(answer.results, null, 2)}`;
    } catch (error) {
      testResult[backend.id] = `Failed: ${message(error)}`;
    }
    draw();
  }

  /** @param {any} backend */
  async function train(backend) {
    try {
      await api.post(`/api/ml/${backend.id}/train`, {});
      ctx.toast("Training started: the model server received START_TRAINING", { kind: "success" });
    } catch (error) {
      ctx.toast(`Training could not start: ${message(error)}`, { kind: "error" });
    }
    await load();
  }

  /** @param {Record<string, any>} change */
  async function setProject(change) {
    try {
      current = await api.patch(`/api/projects/${current.id}`, change);
      ctx.toast("Saved", { kind: "success" });
    } catch (error) {
      ctx.toast(message(error), { kind: "error" });
    }
    await load();
  }

  /** @param {any} backend */
  function backendCard(backend) {
    return html`<li class="ml-backend" data-backend=${backend.id}>
      <div class="ml-backend-head">
        <strong>${backend.title || "Model"}</strong>
        <span class="badge ${STATE_CLASS[/** @type {keyof typeof STATE_CLASS} */ (backend.state)] || ""}" data-state=${backend.state}>${backend.readable_state}</span>
        ${backend.is_interactive ? html`<span class="badge badge-accent">Interactive</span>` : nothing}
        ${backend.model_version ? html`<span class="muted">Version ${backend.model_version}</span>` : nothing}
      </div>
      <div class="ml-url">${backend.url}</div>
      ${backend.description ? html`<div>${backend.description}</div>` : nothing}
      ${backend.error_message ? html`<div class="ml-error" role="status">${backend.error_message}</div>` : nothing}
      <div class="ml-actions">
        <button class="btn btn-sm" type="button" @click=${() => test(backend)}>Test connection</button>
        <button class="btn btn-sm" type="button" @click=${() => train(backend)}>Start training</button>
        <button class="btn btn-sm" type="button" @click=${() => { draft = draftOf(backend); formError = ""; draw(); }}>Edit</button>
        <button class="btn btn-sm btn-danger" type="button" @click=${() => remove(backend)}>Disconnect</button>
      </div>
      ${testResult[backend.id] ? html`<pre class="ml-test" aria-live="polite">${testResult[backend.id]}</pre>` : nothing}
    </li>`;
  }

  function form() {
    if (!draft) return nothing;
    const d = draft;
    /** @param {keyof Draft} key */
    const text = (key) => (/** @type {Event} */ e) => edit({ [key]: /** @type {HTMLInputElement} */ (e.target).value });
    return html`<form class="ml-form" novalidate @submit=${save} aria-label=${d.id ? "Edit model" : "Connect a model"}>
      <h3>${d.id ? "Edit model" : "Connect a model"}</h3>
      <div class="ml-row">
        <div class="field"><label for="ml-title">Name</label><input id="ml-title" .value=${d.title} @input=${text("title")} placeholder="My model"></div>
        <div class="field"><label for="ml-url">Backend URL</label><input id="ml-url" required .value=${d.url} @input=${text("url")} placeholder="http://localhost:9090">
          <span class="hint">A Label Studio ML backend (label-studio-ml).</span></div>
      </div>
      <div class="field"><label for="ml-description">Description</label><input id="ml-description" .value=${d.description} @input=${text("description")}></div>
      <div class="ml-row">
        <div class="field"><label for="ml-auth">Authentication</label>
          <select id="ml-auth" @change=${text("auth_method")}>
            <option value="NONE" ?selected=${d.auth_method === "NONE"}>None</option>
            <option value="BASIC_AUTH" ?selected=${d.auth_method === "BASIC_AUTH"}>Basic authentication</option>
          </select></div>
        <div class="field number-field"><label for="ml-timeout">Prediction timeout (seconds)</label>
          <input id="ml-timeout" type="number" min="0" step="1" .value=${String(d.timeout)} @input=${text("timeout")}></div>
      </div>
      ${d.auth_method === "BASIC_AUTH" ? html`<div class="ml-row">
        <div class="field"><label for="ml-user">User</label><input id="ml-user" autocomplete="off" .value=${d.basic_auth_user} @input=${text("basic_auth_user")}></div>
        <div class="field"><label for="ml-pass">Password</label><input id="ml-pass" type="password" autocomplete="new-password" .value=${d.basic_auth_pass} @input=${text("basic_auth_pass")}
          placeholder=${d.id ? "Unchanged unless you type one" : ""}></div></div>` : nothing}
      <div class="field"><label for="ml-extra">Extra parameters (JSON, sent with /setup)</label>
        <textarea id="ml-extra" .value=${d.extra_params} @input=${text("extra_params")} placeholder='{"threshold": 0.5}'></textarea></div>
      <label class="check"><input type="checkbox" .checked=${d.is_interactive} @change=${(/** @type {Event} */ e) => edit({ is_interactive: /** @type {HTMLInputElement} */ (e.target).checked })}>
        Interactive preannotations <span class="muted">(smart tools ask this model while you draw)</span></label>
      ${formError ? html`<div class="form-error" role="alert">${formError}</div>` : nothing}
      <div class="ml-actions">
        <button class="btn btn-primary" type="submit" ?disabled=${busy || !d.url.trim()}>${busy ? "Connecting…" : d.id ? "Save" : "Connect"}</button>
        <button class="btn" type="button" @click=${() => { draft = null; formError = ""; ctx.setDirty(false); draw(); }}>Cancel</button>
      </div>
    </form>`;
  }

  function options() {
    const versions = stats?.versions || [];
    const minTrain = current.min_annotations_to_start_training || 0;
    return html`<section class="ml-options" aria-labelledby="ml-opt-h"><h3 id="ml-opt-h">Predictions and training</h3>
      <label class="check"><input type="checkbox" .checked=${Boolean(current.show_collab_predictions)}
        @change=${(/** @type {Event} */ e) => setProject({ show_collab_predictions: /** @type {HTMLInputElement} */ (e.target).checked })}>
        Show predictions to annotators, asking the model when a task opens without one</label>
      <label class="check"><input type="checkbox" .checked=${Boolean(current.evaluate_predictions_automatically)}
        @change=${(/** @type {Event} */ e) => setProject({ evaluate_predictions_automatically: /** @type {HTMLInputElement} */ (e.target).checked })}>
        Retrieve predictions automatically when labeling</label>
      <div class="ml-row" style="display:grid;grid-template-columns:1fr 1fr;gap:12px">
        <div class="field"><label for="ml-version">Predictions annotators see</label>
          <select id="ml-version" @change=${(/** @type {Event} */ e) => setProject({ model_version: /** @type {HTMLSelectElement} */ (e.target).value })}>
            <option value="" ?selected=${!current.model_version}>All model versions</option>
            ${versions.map((/** @type {any} */ v) => html`<option value=${v.model_version} ?selected=${current.model_version === v.model_version}>${v.model_version}</option>`)}
            ${current.model_version && !versions.some((/** @type {any} */ v) => v.model_version === current.model_version) ? html`<option selected value=${current.model_version}>${current.model_version}</option>` : nothing}
          </select></div>
        <div class="field number-field"><label for="ml-min-train">Start training after every N annotations</label>
          <input id="ml-min-train" type="number" min="0" .value=${String(minTrain)} aria-describedby="ml-min-train-hint"
            @change=${(/** @type {Event} */ e) => setProject({ min_annotations_to_start_training: Math.max(0, Number(/** @type {HTMLInputElement} */ (e.target).value) || 0) })}>
          <span class="hint" id="ml-min-train-hint">0 = only when you press Start training.</span></div>
      </div>
    </section>`;
  }

  function versionsTable() {
    const versions = stats?.versions || [];
    return html`<section aria-labelledby="ml-ver-h"><h3 id="ml-ver-h">Model versions</h3>
      ${versions.length === 0
        ? html`<p class="muted">No predictions yet. Use “Retrieve predictions” in the data manager, or open a task.</p>`
        : html`<table class="table ml-versions"><thead><tr><th>Version</th><th class="num">Predictions</th><th class="num">Mean score</th>
            <th class="num" title="Label agreement with submitted annotations (regions compared by their labels)">Agreement</th>
            <th class="num">With ground truth</th><th></th></tr></thead>
          <tbody>${versions.map((/** @type {any} */ v) => html`<tr data-version=${v.model_version}>
            <td>${v.model_version}${v.model_version === current.model_version ? html` <span class="badge badge-accent">Shown</span>` : nothing}</td>
            <td class="num">${v.predictions}</td><td class="num">${v.mean_score == null ? "—" : v.mean_score.toFixed(3)}</td>
            <td class="num" title=${`${v.compared} prediction–annotation pairs`}>${percent(v.agreement)}</td>
            <td class="num" title=${`${v.ground_truth_compared} pairs`}>${percent(v.ground_truth_agreement)}</td>
            <td>${v.model_version === current.model_version ? nothing : html`<button class="btn btn-sm" type="button" @click=${() => setProject({ model_version: v.model_version })}>Show these</button>`}</td>
          </tr>`)}</tbody></table>`}
    </section>`;
  }

  function draw() {
    if (disposed) return;
    render(html`<div class="ml-panel">
      <section aria-labelledby="ml-list-h">
        <h3 id="ml-list-h">Connected models</h3>
        ${backends === null ? html`<div class="skeleton" style="height:60px"></div>`
          : backends.length === 0 && !draft ? html`<p class="muted">No model is connected. Connect a Label Studio ML backend to get pre-annotations, interactive suggestions and training.</p>`
          : html`<ul style="list-style:none;margin:0;padding:0;display:grid;gap:10px">${backends.map(backendCard)}</ul>`}
        ${draft ? nothing : html`<div style="margin-top:10px"><button class="btn btn-primary" type="button" @click=${() => { draft = emptyDraft(); draw(); }}>Connect model</button></div>`}
      </section>
      ${form()}
      ${options()}
      ${versionsTable()}
    </div>`, el);
  }

  draw();
  load();
  return () => {
    disposed = true;
    link.remove();
    render(nothing, el);
  };
}
