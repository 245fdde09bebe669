// @ts-check
/**
 * The visual editor for the common case: which task field each data tag reads, and the labels /
 * choices of each control (add several at once, rename, recolour, reorder, delete). Every action
 * is an edit of the XML text through config-model.js; the host applies it (and can undo it).
 */
import { html } from "lit";
import { live } from "lit/directives/live.js";
import { PALETTE, DEFAULT_LABEL_BACKGROUND } from "../../labeling/colors.js";
import { icon, valueUnlessEditing } from "../ui.js";
import { addItems, moveItem, removeItem, renameItem, setItemColor, setObjectField, splitNames } from "./config-model.js";

/** @typedef {import("./config-model.js").ConfigModel} ConfigModel */

/**
 * @typedef {object} VisualProps
 * @property {ConfigModel} model
 * @property {import("../catalogue.js").TagCatalogue} tags  the tag catalogue the model was read with
 * @property {string[]} dataColumns
 * @property {Record<string, string>} errors   inline messages by key
 * @property {(key: string, fn: (text: string) => string, focus?: () => string, rename?: {from_name: string, from: string, to: string}) => boolean} edit
 *   apply an edit (false if refused), then focus what `focus()` selects
 * @property {(key: string, message: string) => void} note   show a message under a section
 * @property {(line: number) => void} showCode
 */

/** @type {CanvasRenderingContext2D|null} */
let ctx = null;

/** Any CSS colour as #rrggbb for <input type=color> (named colours and rgb() included). @param {string} color */
export function toHex(color) {
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(color)) return `#${[...color.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  ctx ??= document.createElement("canvas").getContext("2d");
  if (!ctx) return "#888888";
  ctx.fillStyle = "#000000";
  ctx.fillStyle = color;
  const out = String(ctx.fillStyle);
  if (out.startsWith("#")) return out;
  const rgb = out.match(/\d+/g);
  return rgb ? `#${rgb.slice(0, 3).map((v) => Number(v).toString(16).padStart(2, "0")).join("")}` : "#888888";
}

/** @param {VisualProps} props */
export function renderVisual(props) {
  const { model } = props;
  if (!model.ok) {
    return html`<div class="ls-visual-blocked" role="alert">
      <p>${icon("warning")} The visual editor needs well-formed XML. Line ${model.line}: ${model.error}.</p>
      <button type="button" class="btn" @click=${() => props.showCode(model.line)}>Fix it in Code</button>
    </div>`;
  }
  return html`
    <div class="ls-visual">
      ${model.objects.length ? dataSection(props) : null}
      ${model.controls.length
        ? model.controls.map((control) => controlSection(props, control))
        : html`<div class="ls-visual-empty">
            <p>This config has no labels or choices to edit here.</p>
            <p class="muted">Add a control in Code, e.g. <code>&lt;Choices name="choice" toName="…"&gt;</code>, or pick a template.</p>
          </div>`}
    </div>`;
}

/** @param {VisualProps} props */
function dataSection(props) {
  const model = props.model;
  const columns = props.dataColumns;
  return html`
    <section class="ls-vsec" aria-labelledby="ls-data-h">
      <h3 id="ls-data-h">Configure data</h3>
      <p class="muted ls-vsec-hint">Which field of each task every data tag shows.${columns.length ? html` Your data has: ${columns.map((c, i) => html`${i ? ", " : ""}<code>${c}</code>`)}.` : null}</p>
      <datalist id="ls-columns">${columns.map((c) => html`<option value=${c}></option>`)}</datalist>
      ${model.objects.map((object) => {
        const key = `object:${object.index}`;
        const missing = columns.length && object.field && !columns.includes(object.field.split(/[.[]/)[0]);
        const id = `ls-field-${object.index}`;
        return html`
          <div class="ls-field-row">
            <label for=${id}><span class="ls-tagname">${object.tag}</span> <code>${object.name}</code></label>
            ${object.field !== null
              ? html`<span class="ls-dollar" aria-hidden="true">$</span><input id=${id} list="ls-columns" .value=${valueUnlessEditing(object.field)} autocomplete="off" aria-label="Task field for ${object.tag} ${object.name}"
                  aria-invalid=${missing || props.errors[key] ? "true" : "false"} aria-describedby="${id}-msg"
                  @keydown=${(/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") /** @type {HTMLInputElement} */ (e.target).blur(); }}
                  @change=${(/** @type {Event} */ e) => props.edit(key, (t) => setObjectField(t, object.index, /** @type {HTMLInputElement} */ (e.target).value, props.tags))}>`
              : html`<span class="muted">reads <code>${object.raw}</code> (edit in <button type="button" class="linkish" @click=${() => props.showCode(object.line)}>Code</button>)</span>`}
            <span class="ls-field-msg ${props.errors[key] ? "error" : "warn"}" id="${id}-msg">${props.errors[key] || (missing ? `“${object.field}” is not a field of your data` : "")}</span>
          </div>`;
      })}
    </section>`;
}

/**
 * @param {VisualProps} props @param {import("./config-model.js").ConfigControl} control
 */
function controlSection(props, control) {
  const ci = control.index;
  const noun = control.itemTag.toLowerCase();
  const addKey = `add:${ci}`;
  const areaId = `ls-add-${ci}`;
  /** @param {Event} event */
  const add = (event) => {
    const root = /** @type {HTMLElement} */ (event.target).closest(".ls-vsec");
    const area = /** @type {HTMLTextAreaElement|null} */ (root?.querySelector("textarea"));
    if (!area) return;
    const names = splitNames(area.value);
    if (!names.length) {
      props.note(addKey, `Type one ${noun} name per line first.`);
      area.focus();
      return;
    }
    let skipped = /** @type {string[]} */ ([]);
    props.edit(addKey, (text) => {
      const result = addItems(text, ci, names, props.tags);
      skipped = result.skipped;
      return result.text;
    });
    area.value = "";
    if (skipped.length) props.note(addKey, `Already there: ${skipped.join(", ")}`);
  };
  return html`
    <section class="ls-vsec" aria-labelledby="ls-ctl-${ci}">
      <h3 id="ls-ctl-${ci}">
        <span class="ls-tagname">${control.tag}</span> <code>${control.name}</code>
        ${control.toName ? html`<span class="muted">on ${control.toName}</span>` : null}
        <span class="badge">${control.items.length}</span>
        <button type="button" class="btn-icon ls-to-code" aria-label="Show ${control.tag} ${control.name} in Code" title="Show in Code" @click=${() => props.showCode(control.line)}>${icon("list")}</button>
      </h3>
      ${control.dynamic ? html`<p class="muted ls-vsec-hint">More ${noun}s come from each task's data (<code>value</code> attribute).</p>` : null}
      <div class="ls-add">
        <label class="sr-only" for=${areaId}>Add ${noun} names to ${control.name}, one per line</label>
        <textarea id=${areaId} rows="2" placeholder="Add ${noun} names, one per line"
          @keydown=${(/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); add(e); } }}></textarea>
        <button type="button" class="btn" @click=${add} title="Add (Ctrl+Enter)">${icon("plus")} Add</button>
      </div>
      ${props.errors[addKey] ? html`<p class="ls-field-msg warn" role="status">${props.errors[addKey]}</p>` : null}
      ${control.items.length
        ? html`<ul class="ls-items" aria-label="${control.name} ${noun}s">
            ${rowsOf(control).map(({ item, ii, first, last, level }) => itemRow(props, control, item, ii, noun, first, last, level))}
          </ul>`
        : html`<p class="muted ls-vsec-hint">No ${noun}s yet.</p>`}
    </section>`;
}

/**
 * Each item with its place among its siblings (Taxonomy choices nest), in one pass.
 * @param {import("./config-model.js").ConfigControl} control
 */
function rowsOf(control) {
  /** @type {Map<unknown, number>} */
  const counts = new Map();
  for (const item of control.items) counts.set(item.el.parent, (counts.get(item.el.parent) || 0) + 1);
  /** @type {Map<unknown, number>} */
  const seen = new Map();
  return control.items.map((item, ii) => {
    const level = seen.get(item.el.parent) || 0;
    seen.set(item.el.parent, level + 1);
    return { item, ii, level, first: level === 0, last: level === (counts.get(item.el.parent) || 1) - 1 };
  });
}

/**
 * @param {VisualProps} props @param {import("./config-model.js").ConfigControl} control
 * @param {import("./config-model.js").ConfigItem} item @param {number} ii @param {string} noun
 * @param {boolean} first @param {boolean} last @param {number} sameLevel position among its siblings
 */
function itemRow(props, control, item, ii, noun, first, last, sameLevel) {
  const ci = control.index;
  const key = `item:${ci}:${ii}`;
  const explicit = item.background && item.background.toUpperCase() !== DEFAULT_LABEL_BACKGROUND ? item.background : "";
  const color = explicit || PALETTE[sameLevel % PALETTE.length];
  /** @param {number} delta */
  const move = (delta) => {
    let to = ii;
    props.edit(key, (text) => {
      const out = moveItem(text, ci, ii, delta, props.tags);
      to = out.item;
      return out.text;
    }, () => `[data-item="${ci}:${to}"] .ls-move-${delta < 0 ? "up" : "down"}`);
  };
  return html`
    <li class="ls-item" data-item="${ci}:${ii}" style="--depth:${item.depth}">
      <input type="color" class="ls-color" .value=${live(toHex(color))} aria-label="Colour of ${item.value}" title=${explicit ? `background="${explicit}"` : "Default colour (click to choose)"}
        @change=${(/** @type {Event} */ e) => props.edit(key, (t) => setItemColor(t, ci, ii, /** @type {HTMLInputElement} */ (e.target).value, props.tags))}>
      <input type="text" class="ls-name" .value=${valueUnlessEditing(item.value)} aria-label="Name of ${noun} ${item.value}"
        aria-invalid=${props.errors[key] ? "true" : "false"}
        @keydown=${(/** @type {KeyboardEvent} */ e) => {
          const input = /** @type {HTMLInputElement} */ (e.target);
          if (e.key === "Enter") input.blur();
          else if (e.key === "Escape") { input.value = item.value; input.blur(); }
          else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) { e.preventDefault(); move(e.key === "ArrowUp" ? -1 : 1); }
        }}
        @change=${(/** @type {Event} */ e) => {
          const to = /** @type {HTMLInputElement} */ (e.target).value.trim();
          props.edit(key, (t) => renameItem(t, ci, ii, to, props.tags), undefined, { from_name: control.name, from: item.value, to });
        }}>
      ${item.hotkey ? html`<kbd title="Hotkey">${item.hotkey}</kbd>` : null}
      <button type="button" class="btn-icon ls-move-up" aria-label="Move ${item.value} up" ?disabled=${first} @click=${() => move(-1)}>${icon("up")}</button>
      <button type="button" class="btn-icon ls-move-down" aria-label="Move ${item.value} down" ?disabled=${last} @click=${() => move(1)}>${icon("down")}</button>
      <button type="button" class="btn-icon ls-delete" aria-label="Delete ${noun} ${item.value}" @click=${() => props.edit(key, (t) => removeItem(t, ci, ii, props.tags), () => `[data-item="${ci}:${Math.max(0, ii - 1)}"] .ls-name`)}>${icon("trash")}</button>
      ${props.errors[key] ? html`<span class="ls-field-msg error" role="alert">${props.errors[key]}</span>` : null}
    </li>`;
}
