// @ts-check
/**
 * The form an action asks for before it runs (Label Studio's `dialog.form`: rows of fields with
 * `type` select / input / number / toggle, `name`, `label`, `options`, `value`; Labelloom's
 * `multiselect` — a checkbox list whose value is the list of checked option values, as the
 * assignment actions use for people).
 */
import { html } from "lit";

/**
 * @param {any} action @param {string} what "3 tasks" @param {any[]} form
 * @param {(value?: Record<string, any>) => void} close
 */
export function actionForm(action, what, form, close) {
  const fields = form.flatMap((row) => (Array.isArray(row?.fields) ? row.fields : [row])).filter((f) => f && f.name);
  /** @param {SubmitEvent} e */
  const submit = (e) => {
    e.preventDefault();
    const data = new FormData(/** @type {HTMLFormElement} */ (e.target));
    /** @type {Record<string, any>} */
    const values = {};
    for (const field of fields) {
      const raw = data.get(field.name);
      values[field.name] = field.type === "multiselect" ? data.getAll(field.name).map((v) => (/^\d+$/.test(String(v)) ? Number(v) : v))
        : field.type === "number" ? Number(raw) : field.type === "toggle" ? raw === "on" : raw;
    }
    close(values);
  };
  return html`<form class="modal-body" @submit=${submit}>
    <h2>${action.dialog?.title || action.title}</h2>
    ${action.dialog?.text ? html`<p class="modal-text">${action.dialog.text}</p>` : ""}
    <p class="modal-text">This applies to <strong>${what}</strong>.</p>
    ${fields.map((field) => {
      const id = `action-${action.id}-${field.name}`;
      const options = (field.options || []).map((/** @type {any} */ o) => (typeof o === "object" ? o : { value: o, label: o }));
      if (field.type === "select") {
        return html`<div class="field"><label for=${id}>${field.label || field.name}</label>
          <select id=${id} name=${field.name}>${options.map((/** @type {any} */ o) => html`<option value=${o.value} ?selected=${o.value === field.value}>${o.label ?? o.value}</option>`)}</select></div>`;
      }
      if (field.type === "multiselect") {
        return html`<fieldset class="field action-multiselect"><legend>${field.label || field.name}</legend>
          <div class="action-choices">${options.length
            ? options.map((/** @type {any} */ o) => html`<label class="check"><input type="checkbox" name=${field.name} value=${o.value}> ${o.label ?? o.value}</label>`)
            : html`<p class="muted">Nobody to choose.</p>`}</div></fieldset>`;
      }
      if (field.type === "toggle") {
        return html`<label class="check field"><input type="checkbox" name=${field.name} ?checked=${!!field.value}> ${field.label || field.name}</label>`;
      }
      return html`<div class="field"><label for=${id}>${field.label || field.name}</label>
        <input id=${id} name=${field.name} type=${field.type === "number" ? "number" : "text"} .value=${field.value ?? ""}></div>`;
    })}
    <footer class="modal-actions">
      <button type="button" class="btn" @click=${() => close()}>Cancel</button>
      <button type="submit" class="btn btn-primary">${action.title}</button>
    </footer>
  </form>`;
}
