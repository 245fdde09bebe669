// @ts-check
/**
 * The preview's "Sample data" form: the task data the preview renders, as editable JSON.
 */
import { html } from "lit";
import { errorText } from "../api.js";

/**
 * Read typed sample data: a JSON object, or a message saying what is wrong.
 * @param {string} text @returns {{value: Record<string, any>|null, error: string}}
 */
export function parseSampleJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { value: null, error: `Not valid JSON: ${errorText(error)}` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { value: null, error: 'Task data is a JSON object, e.g. {"text": "Hello"}.' };
  }
  return { value, error: "" };
}

/**
 * @param {{data: Record<string, any>, error: string, custom: boolean, apply: (text: string) => void, reset: () => void, cancel: () => void}} props
 *   custom: the user's own sample is in use (offer Reset)
 */
export function renderSampleEditor(props) {
  /** @param {Event} event */
  const submit = (event) => {
    event.preventDefault();
    const form = /** @type {HTMLElement} */ (event.target).closest("form");
    props.apply(/** @type {HTMLTextAreaElement|null} */ (form?.querySelector("textarea"))?.value ?? "");
  };
  return html`<form id="ls-sample" class="ls-sample" @submit=${submit}>
    <label class="sr-only" for="ls-sample-json">Sample task data (JSON)</label>
    <textarea id="ls-sample-json" rows="6" spellcheck="false" aria-invalid=${props.error ? "true" : "false"} aria-describedby="ls-sample-msg"
      .value=${JSON.stringify(props.data, null, 2)}
      @keydown=${(/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e); }}></textarea>
    <p class="ls-field-msg error" id="ls-sample-msg" role="alert">${props.error}</p>
    <div class="ls-sample-actions">
      <button type="submit" class="btn btn-sm btn-primary">Apply</button>
      ${props.custom ? html`<button type="button" class="btn btn-sm" @click=${props.reset}>Reset</button>` : null}
      <button type="button" class="btn btn-sm btn-ghost" @click=${props.cancel}>Cancel</button>
    </div>
  </form>`;
}
