// @ts-check
/**
 * Project actions shared by the list's `…` menu and the settings pages: duplicate (dialog with
 * title and what to copy) and delete (confirmation; typing the name for the danger zone).
 */
import { html } from "lit";
import { api, errorText } from "../api.js";
import { openDialog, toast } from "../ui.js";

/** @typedef {{id: number, title: string, task_number?: number|null}} ProjectRef */

/**
 * Ask for the copy's title and mode, then duplicate. Resolves with the new project, or
 * undefined when cancelled.
 * @param {ProjectRef} project
 * @returns {Promise<any>}
 */
export function duplicateProject(project) {
  return openDialog(
    (close) => {
      /** @param {SubmitEvent} event */
      const submit = async (event) => {
        event.preventDefault();
        const form = /** @type {HTMLFormElement} */ (event.target);
        const data = new FormData(form);
        const button = /** @type {HTMLButtonElement} */ (form.querySelector("[type=submit]"));
        button.disabled = true;
        button.textContent = "Duplicating…";
        try {
          const copy = await api.post(`/api/projects/${project.id}/duplicate`, {
            title: String(data.get("title") || "").trim(),
            mode: data.get("mode"),
          });
          toast(`Created “${copy.title}”`, { kind: "success" });
          close(copy);
        } catch (error) {
          const box = /** @type {HTMLElement} */ (form.querySelector(".form-error"));
          box.textContent = errorText(error);
          box.hidden = false;
          button.disabled = false;
          button.textContent = "Duplicate";
        }
      };
      const tasks = project.task_number ?? 0;
      return html`<form class="modal-body" @submit=${submit}>
        <h2>Duplicate “${project.title}”</h2>
        <div class="form-error" role="alert" hidden></div>
        <div class="field"><label for="dup-title">Title of the copy</label>
          <input id="dup-title" name="title" required maxlength="200" .value=${`${project.title} (copy)`} autofocus></div>
        <fieldset class="radio-cards">
          <legend class="field-label" style="margin-bottom:6px">Copy</legend>
          <label class="radio-card"><input type="radio" name="mode" value="settings_only" checked>
            <div><strong>Settings only</strong><span>Labeling interface, instructions and annotation settings.</span></div></label>
          <label class="radio-card"><input type="radio" name="mode" value="settings_and_tasks">
            <div><strong>Settings and tasks</strong><span>Also the ${tasks.toLocaleString()} ${tasks === 1 ? "task" : "tasks"}, without their annotations and predictions.</span></div></label>
        </fieldset>
        <footer class="modal-actions">
          <button type="button" class="btn" @click=${() => close()}>Cancel</button>
          <button type="submit" class="btn btn-primary">Duplicate</button>
        </footer>
      </form>`;
    },
    { label: `Duplicate ${project.title}` },
  );
}

/**
 * Confirm and delete a project. With `typeName` the user must type the project's title first
 * (the danger zone); the list's menu asks with a plain confirmation. Resolves true if deleted.
 * @param {ProjectRef} project @param {{typeName?: boolean}} [options]
 * @returns {Promise<boolean>}
 */
export async function deleteProject(project, options = {}) {
  const result = await openDialog(
    (close) => {
      /** @param {SubmitEvent} event */
      const submit = async (event) => {
        event.preventDefault();
        const form = /** @type {HTMLFormElement} */ (event.target);
        const button = /** @type {HTMLButtonElement} */ (form.querySelector("[type=submit]"));
        button.disabled = true;
        try {
          await api.delete(`/api/projects/${project.id}`);
          toast(`Deleted “${project.title}”`, { kind: "success" });
          close(true);
        } catch (error) {
          const box = /** @type {HTMLElement} */ (form.querySelector(".form-error"));
          box.textContent = errorText(error);
          box.hidden = false;
          button.disabled = false;
        }
      };
      /** @param {Event} event */
      const typed = (event) => {
        const input = /** @type {HTMLInputElement} */ (event.target);
        const button = /** @type {HTMLButtonElement} */ (input.form?.querySelector("[type=submit]"));
        button.disabled = input.value.trim() !== project.title.trim();
      };
      const tasks = project.task_number ?? 0;
      return html`<form class="modal-body" @submit=${submit}>
        <h2>Delete “${project.title}”?</h2>
        <div class="form-error" role="alert" hidden></div>
        <p class="modal-text">The project${tasks ? html`, its <strong>${tasks.toLocaleString()}</strong> tasks` : null} and all annotations, predictions and exports are deleted for good. This cannot be undone.</p>
        ${options.typeName
          ? html`<div class="field"><label for="del-name">Type <strong>${project.title}</strong> to confirm</label>
              <input id="del-name" autocomplete="off" spellcheck="false" @input=${typed} autofocus></div>`
          : null}
        <footer class="modal-actions">
          <button type="button" class="btn" @click=${() => close(false)} ?autofocus=${!options.typeName}>Cancel</button>
          <button type="submit" class="btn btn-danger" ?disabled=${Boolean(options.typeName)}>Delete project</button>
        </footer>
      </form>`;
    },
    { label: `Delete ${project.title}` },
  );
  return result === true;
}
