// @ts-check
/**
 * <TextArea>: free text answers stored as lines, `{text: ["line 1", "line 2"]}`. Enter adds the
 * typed line (Shift+Enter is a newline in multi-row areas), lines can be deleted, and edited in
 * place when `editable`; `maxSubmissions`, `skipDuplicates`, `transcription` (one text, edited in
 * place) and `perRegion` follow Label Studio. <Shortcut> children insert text at the cursor.
 */
import { html, render, nothing } from "lit";
import { live as liveValue } from "lit/directives/live.js";
import { currentValue, target, writeValue } from "../lib/control.js";
import { addLine, canAddLine, linesFromResult, textValue } from "../lib/values.js";
import { ensureStyles, hotkeyBadge, live, uid } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderTextArea({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const attrs = model.attrs || {};
  const name = String(attrs.name ?? "");
  const rows = Math.max(1, Number(attrs.rows) || 1);
  const editable = Boolean(attrs.editable) || Boolean(attrs.transcription);
  const limits = { maxSubmissions: Number(attrs.maxSubmissions) || undefined, skipDuplicates: Boolean(attrs.skipDuplicates), transcription: Boolean(attrs.transcription) };
  const showButton = attrs.showSubmitButton ?? rows > 1;
  const placeholder = attrs.placeholder ? String(ctx.resolve(attrs.placeholder)) : "";
  const label = attrs.label ? String(ctx.resolve(attrs.label)) : "";
  const shortcuts = (model.children || []).filter((child) => child.tag === "Shortcut");
  const inputId = uid("llc-ta");
  const messageId = uid("llc-ta-msg");
  let draft = "";
  let message = "";
  /** @type {HTMLInputElement|HTMLTextAreaElement|null} the field shortcuts type into */
  let lastField = null;
  /** The region the draft was typed for: switching regions must not move text between them. */
  let draftTarget = target(store, model).regionId;

  // Pre-filled text (value="...") for a new, empty answer.
  if (attrs.value && !ctx.readOnly) draft = String(ctx.resolve(attrs.value) ?? "");

  const lines = () => linesFromResult(currentValue(store, model, "text"));

  /** @param {string} text */
  function submit(text) {
    if (ctx.readOnly) return false;
    const out = addLine(lines(), text, limits);
    if (out.error !== undefined) {
      message = out.error;
      draw();
      return false;
    }
    writeValue(store, model, "textarea", textValue(out.lines));
    draft = "";
    message = "";
    return true;
  }

  /** @param {number} index @param {string} text */
  function editLine(index, text) {
    const current = lines();
    if (current[index] === text) return;
    const next = [...current];
    // Emptying an edited line removes it, like deleting it.
    if (text.trim()) next[index] = text;
    else next.splice(index, 1);
    writeValue(store, model, "textarea", textValue(next));
  }

  /** @param {number} index */
  function deleteLine(index) {
    if (ctx.readOnly) return;
    const next = lines().filter((_, i) => i !== index);
    writeValue(store, model, "textarea", textValue(next));
    message = "";
    queueMicrotask(() => /** @type {HTMLElement|null} */ (el.querySelector(`#${inputId}`))?.focus());
  }

  /** @param {string} text */
  function insertShortcut(text) {
    const field = lastField && lastField.isConnected ? lastField : /** @type {HTMLInputElement|null} */ (el.querySelector(`#${inputId}`));
    if (!field || ctx.readOnly) return;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    field.setRangeText(text, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    const field = /** @type {HTMLInputElement|HTMLTextAreaElement} */ (event.currentTarget);
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.isComposing) return;
    if (event.ctrlKey || event.metaKey) {
      // Ctrl+Enter submits the annotation (the runtime handles it on the document, after this
      // listener): keep the typed line, as Label Studio adds pending text before sending.
      if (field.value.trim() && submit(field.value)) field.value = "";
      return;
    }
    event.preventDefault();
    if (submit(field.value)) field.value = "";
  }

  /** Moving on to another control (Tab, or a click on Submit) keeps the typed text. @param {FocusEvent} event */
  function onLeave(event) {
    const next = /** @type {Node|null} */ (event.relatedTarget);
    const field = /** @type {HTMLInputElement|HTMLTextAreaElement} */ (event.currentTarget);
    if (!next || el.contains(next) || !field.value.trim()) return;
    if (submit(field.value)) field.value = "";
  }

  const offShortcuts = shortcuts
    .filter((s) => s.attrs?.hotkey)
    .map((s) =>
      ctx.hotkey(String(s.attrs?.hotkey), () => insertShortcut(String(s.attrs?.value ?? "")), {
        description: `Insert “${s.attrs?.value}” (${name})`,
        group: "Text",
        allowInInputs: true,
      }),
    );

  /**
   * @param {any} value a string, or a live() directive for the new-entry field (its text must
   *   follow `draft` even when lit's last rendered value is the same, e.g. "" after a submit)
   * @param {(event: Event) => void} onInput @param {(event: KeyboardEvent) => void} onKeydown @param {Record<string, any>} extra
   */
  function field(value, onInput, onKeydown, extra) {
    const common = {
      focus: (/** @type {FocusEvent} */ e) => (lastField = /** @type {any} */ (e.currentTarget)),
    };
    return rows > 1
      ? html`<textarea id=${extra.id || nothing} rows=${rows} .value=${value} placeholder=${extra.placeholder || nothing}
          aria-label=${extra.label} aria-describedby=${extra.describedby || nothing} ?readonly=${ctx.readOnly}
          @input=${onInput} @keydown=${onKeydown} @focus=${common.focus} @blur=${extra.blur || nothing}></textarea>`
      : html`<input id=${extra.id || nothing} type="text" .value=${value} placeholder=${extra.placeholder || nothing}
          aria-label=${extra.label} aria-describedby=${extra.describedby || nothing} ?readonly=${ctx.readOnly}
          @input=${onInput} @keydown=${onKeydown} @focus=${common.focus} @blur=${extra.blur || nothing} />`;
  }

  function draw() {
    const where = target(store, model);
    if (!where.active) {
      render(nothing, el);
      return;
    }
    if (where.regionId !== draftTarget) {
      // Label Studio submits the typed text of a region when another region is selected.
      const previous = draftTarget;
      draftTarget = where.regionId;
      if (draft.trim() && previous && store.region(previous) && !ctx.readOnly) {
        const before = linesFromResult(store.classification(name, previous)?.value?.text);
        const out = addLine(before, draft, limits);
        if (out.lines) store.setClassification(model, "textarea", textValue(out.lines), previous);
      }
      draft = "";
      message = "";
    }
    const current = lines();
    const adding = !ctx.readOnly && canAddLine(current, limits);
    const title = label || name;
    render(
      html`<div class="llc-textarea" data-control=${name}>
        ${label ? html`<label class="llc-label" for=${inputId}>${label}</label>` : nothing}
        ${current.length
          ? html`<ol class="llc-lines" aria-label=${`${title}: entries`}>
              ${current.map(
                (line, index) => html`<li class="llc-line">
                  ${editable && !ctx.readOnly
                    ? field(line, () => {}, (event) => {
                        if (event.key === "Enter" && !event.shiftKey) {
                          event.preventDefault();
                          editLine(index, /** @type {HTMLInputElement} */ (event.currentTarget).value);
                        }
                      }, { label: `${title}: entry ${index + 1}`, blur: (/** @type {FocusEvent} */ e) => editLine(index, /** @type {HTMLInputElement} */ (e.currentTarget).value) })
                    : html`<span class="llc-line-text">${line}</span>`}
                  ${ctx.readOnly ? nothing : html`<button type="button" class="btn-icon llc-line-delete" aria-label=${`Delete entry ${index + 1}: ${line}`} title="Delete" @click=${() => deleteLine(index)}>×</button>`}
                </li>`,
              )}
            </ol>`
          : nothing}
        ${adding
          ? html`<div class="llc-textarea-input">
              ${field(liveValue(draft), (event) => {
                draft = /** @type {HTMLInputElement} */ (event.currentTarget).value;
                if (message) {
                  message = "";
                  draw();
                }
              }, onKey, { blur: onLeave, id: inputId, placeholder: placeholder || (rows > 1 ? "Type, then Enter to add (Shift+Enter: new line)" : "Type, then Enter to add"), label: label ? `${label}: new entry` : `${title}: new entry`, describedby: messageId })}
              ${showButton ? html`<button type="button" class="btn btn-sm" @click=${() => {
                const input = /** @type {HTMLInputElement|null} */ (el.querySelector(`#${inputId}`));
                if (input && submit(input.value)) input.value = "";
              }}>Add</button>` : nothing}
            </div>`
          : nothing}
        ${shortcuts.length && !ctx.readOnly
          ? html`<div class="llc-shortcuts" role="toolbar" aria-label=${`${title}: shortcuts`}>
              ${shortcuts.map((s) => html`<button type="button" class="btn btn-sm" @mousedown=${(/** @type {Event} */ e) => e.preventDefault()}
                @click=${() => insertShortcut(String(s.attrs?.value ?? ""))}>${s.attrs?.alias || s.attrs?.value}${ctx.settings.hotkeysEnabled && s.attrs?.hotkey ? hotkeyBadge(String(s.attrs.hotkey)) : nothing}</button>`)}
            </div>`
          : nothing}
        <p id=${messageId} class="llc-message" role="status" aria-live="polite">${message}</p>
      </div>`,
      el,
    );
  }

  return live(el, ctx, draw, offShortcuts);
}
