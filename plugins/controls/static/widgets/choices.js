// @ts-check
/**
 * <Choices>: checkboxes (single, multiple), radios (single-radio) or a select (layout="select"),
 * inline or vertical, nested choices with allowNested, hotkeys per choice (explicit or assigned
 * by the runtime), preselected choices on a new annotation, per-region results, and filtering by
 * a <Filter toName=...>. Results go through ctx.store only: `{choices: [...]}` in config order.
 */
import { html, render, nothing } from "lit";
import { live as liveValue } from "lit/directives/live.js";
import * as logic from "../lib/choices.js";
import { currentValue, target, writeValue } from "../lib/control.js";
import { applyDefaultsOnce } from "../lib/defaults.js";
import { followFilter, matches, registerPicker } from "../lib/filter.js";
import { ensureStyles, hotkeyBadge, live, safeFragment, styleOf } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderChoices({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const name = String(model.attrs?.name ?? "");
  const mode = String(model.attrs?.choice || "single");
  const layout = logic.layoutOf(model);
  const dynamic = model.attrs?.value ? ctx.resolve(model.attrs.value) : undefined;
  const options = logic.buildOptions(model, dynamic);
  const flat = logic.flatten(options);
  const nested = options.some((option) => option.children.length > 0);
  /** @type {Set<string>} collapsed parents (nested choices) */
  const collapsed = new Set();
  let query = "";
  let minlength = 0;

  const selection = () => logic.selectionFromResult(options, currentValue(store, model, "choices"));

  /** @param {logic.ChoiceOption} option */
  function choose(option) {
    if (ctx.readOnly || !target(store, model).active) return;
    const next = logic.toggle(options, selection(), option, mode);
    writeValue(store, model, "choices", logic.resultValue(options, next));
  }

  /** @param {string[]} keys */
  function chooseMany(keys) {
    if (ctx.readOnly) return;
    const wanted = new Set(keys);
    /** @type {Set<string>} */
    let next = new Set();
    for (const option of flat) if (wanted.has(option.key)) next = logic.toggle(options, next, option, "multiple");
    writeValue(store, model, "choices", logic.resultValue(options, next));
  }

  /** An option passes the filter if it or any descendant matches. @param {logic.ChoiceOption} option @returns {boolean} */
  const shown = (option) => matches(option.value, query, minlength) || option.children.some(shown);

  // Preselected choices belong to a new annotation only (and never to a per-region control,
  // which has no region yet when the annotation starts).
  if (!ctx.readOnly && !model.attrs?.perRegion) {
    const preset = logic.preselected(options);
    if (preset.size && currentValue(store, model, "choices") === undefined) {
      applyDefaultsOnce(store, name, () => writeValue(store, model, "choices", logic.resultValue(options, preset)));
    }
  }

  const inputType = mode === "single-radio" ? "radio" : "checkbox";
  const groupName = `llc-${name}-${Math.random().toString(36).slice(2, 7)}`;

  /**
   * @param {logic.ChoiceOption} option @param {Set<string>} leaves
   * @param {boolean} [alignTwisty] a sibling has children: keep the boxes in one column
   */
  function optionView(option, leaves, alignTwisty = false) {
    if (!shown(option)) return nothing;
    const checked = logic.isSelected(option, leaves);
    const partial = logic.isPartial(option, leaves);
    const hasKids = option.children.length > 0;
    const isCollapsed = collapsed.has(option.key) && !query;
    const hint = option.attrs.hint ? String(option.attrs.hint) : "";
    return html`<div class="llc-choice ${hasKids ? "has-children" : ""}" data-value=${option.value}>
      <div class="llc-choice-row" style=${styleOf(option.attrs.style)}>
        ${hasKids
          ? html`<button type="button" class="llc-twisty" aria-expanded=${isCollapsed ? "false" : "true"}
              aria-label=${`${isCollapsed ? "Expand" : "Collapse"} ${option.value}`}
              @click=${() => {
                if (collapsed.has(option.key)) collapsed.delete(option.key);
                else collapsed.add(option.key);
                draw();
              }}>${isCollapsed ? "▸" : "▾"}</button>`
          : alignTwisty ? html`<span class="llc-twisty-space" aria-hidden="true"></span>` : nothing}
        <label class="llc-check" title=${hint || nothing}>
          <input type=${inputType} name=${groupName} .checked=${liveValue(checked)} .indeterminate=${liveValue(partial && !checked)}
            ?disabled=${ctx.readOnly}
            @click=${(/** @type {MouseEvent} */ event) => {
              // The store decides what is checked: the redraw (live binding) corrects the box,
              // e.g. a click on the chosen radio clears it.
              choose(option);
              // A mouse click leaves focus on the box, where single-key hotkeys are ignored
              // (typing rule): give focus back to the page, as Label Studio does.
              if (event.detail > 0) /** @type {HTMLInputElement} */ (event.currentTarget).blur();
            }} />
          <span class="llc-choice-text">${option.attrs.html ? safeFragment(String(option.attrs.html)) : option.value}</span>
          ${ctx.settings.hotkeysEnabled && option.attrs.hotkey ? hotkeyBadge(String(option.attrs.hotkey)) : nothing}
        </label>
      </div>
      ${hasKids && !isCollapsed ? html`<div class="llc-choice-children" role="group" aria-label=${option.value}>${option.children.map((kid) => optionView(kid, leaves, option.children.some((k) => k.children.length > 0)))}</div>` : nothing}
    </div>`;
  }

  function selectView(/** @type {Set<string>} */ leaves) {
    const chosen = flat.filter((option) => logic.isSelected(option, leaves)).map((option) => option.key);
    const multiple = mode === "multiple";
    return html`<select class="llc-select" aria-label=${name} ?multiple=${multiple} size=${multiple ? Math.min(flat.length, 8) : nothing}
      ?disabled=${ctx.readOnly}
      @change=${(/** @type {Event} */ event) => {
        const select = /** @type {HTMLSelectElement} */ (event.currentTarget);
        chooseMany([...select.selectedOptions].map((opt) => opt.value).filter(Boolean));
      }}>
      ${multiple ? nothing : html`<option value="" ?selected=${!chosen.length}>—</option>`}
      ${flat.filter(shown).map(
        (option) => html`<option value=${option.key} ?selected=${chosen.includes(option.key)} title=${option.attrs.hint || nothing}
          label=${`${"\u2003".repeat(option.depth)}${option.value}`}>${option.value}</option>`,
      )}
    </select>`;
  }

  function draw() {
    if (!target(store, model).active) {
      render(nothing, el);
      return;
    }
    const leaves = selection();
    const visible = options.filter(shown);
    const required = Boolean(model.attrs?.required);
    render(
      html`<fieldset class="llc-choices llc-layout-${layout}" data-control=${name} ?disabled=${ctx.readOnly}>
        <legend class="sr-only">${name}${required ? " (required)" : ""}</legend>
        ${layout === "select" ? selectView(leaves) : options.map((option) => optionView(option, leaves, nested))}
        ${query && !visible.length ? html`<p class="llc-empty">No choice matches “${query}”</p>` : nothing}
      </fieldset>`,
      el,
    );
  }

  let mounted = false;
  const offHotkeys = flat
    .filter((option) => option.attrs.hotkey)
    .map((option) =>
      ctx.hotkey(String(option.attrs.hotkey), () => choose(option), {
        description: `Choice “${option.value}” (${name})`,
        group: "Choices",
      }),
    );

  const offFilter = followFilter(store, name, (state) => {
    query = state.query;
    minlength = state.minlength;
    if (mounted) draw();
  });
  const offPicker = registerPicker(store, name, () => {
    const first = flat.find((option) => matches(option.value, query, minlength));
    if (!first) return false;
    choose(first);
    return true;
  });

  const cleanup = live(el, ctx, draw, [...offHotkeys, offFilter, offPicker]);
  mounted = true;
  return cleanup;
}
