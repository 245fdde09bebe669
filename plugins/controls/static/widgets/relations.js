// @ts-check
/**
 * <Relations choice="single|multiple"> with <Relation value background>: labels for relations.
 * Lists the relations of the selected region (all relations when none is selected), each with its
 * direction (→, ←, ↔), the labels of this tag to pick from, and delete. Stored as Label Studio's top-level
 * items `{from_id, to_id, type: "relation", direction, labels}` through ctx.store.
 */
import { html, render, nothing } from "lit";
import { hexToRgba, readableTextColor } from "@labelloom/sdk";
import { itemsOf } from "../lib/control.js";
import { ensureStyles, live } from "./common.js";

const NEXT_DIRECTION = /** @type {const} */ ({ right: "left", left: "bi", bi: "right" });
const ARROWS = { right: "→", left: "←", bi: "↔" };
const DIRECTION_NAMES = { right: "from first to second", left: "from second to first", bi: "both ways" };

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderRelations({ el, model, ctx }) {
  ensureStyles();
  const store = ctx.store;
  const multiple = model.attrs?.choice === "multiple";
  const labels = itemsOf(model, "Relation").map((node) => ({
    value: String(node.attrs?.value ?? ""),
    background: node.attrs?.background ? String(node.attrs.background) : ctx.labelColor(model, String(node.attrs?.value ?? "")),
  }));

  /** A short readable name for a region: its label(s) and text, else its id. @param {string} id */
  function regionName(id) {
    const region = store.region(id);
    if (!region) return `#${id}`;
    const index = store.regions().indexOf(region) + 1;
    const value = region.value || {};
    const label = Object.entries(value).find(([key, v]) => Array.isArray(v) && key !== "points" && key !== "sequence" && key !== "text" && v.every((x) => typeof x === "string"))?.[1]?.join(", ");
    const text = typeof value.text === "string" ? value.text : "";
    const snippet = text.length > 24 ? `${text.slice(0, 23)}…` : text;
    return [`${index}`, label, snippet ? `“${snippet}”` : ""].filter(Boolean).join(" ");
  }

  /** @param {any} relation @param {{labels?: string[], direction?: "right"|"left"|"bi"}} props */
  const update = (relation, props) => {
    if (ctx.readOnly) return;
    store.addRelation(relation.from_id, relation.to_id, {
      direction: props.direction ?? relation.direction ?? "right",
      labels: props.labels ?? relation.labels,
    });
  };

  /** @param {any} relation @param {string} value */
  function toggleLabel(relation, value) {
    const current = Array.isArray(relation.labels) ? relation.labels : [];
    const on = current.includes(value);
    const next = multiple ? (on ? current.filter((/** @type {string} */ l) => l !== value) : [...current, value]) : on ? [] : [value];
    update(relation, { labels: next });
  }

  function draw() {
    const selected = store.selectedId;
    const all = store.relations();
    const touching = (/** @type {any} */ r) => Boolean(selected) && (r.from_id === selected || r.to_id === selected);
    // With a region selected, its relations are the ones being labelled; else all of them.
    const relations = selected ? all.filter(touching) : all;
    render(
      html`<section class="llc-relations" aria-label="Relation labels">
        <h3 class="llc-relations-title">Relation labels <span class="badge">${relations.length}${selected && relations.length !== all.length ? ` of ${all.length}` : ""}</span></h3>
        ${relations.length
          ? html`<ul class="llc-relation-list">
              ${relations.map((relation) => {
                const direction = /** @type {"right"|"left"|"bi"} */ (relation.direction || "right");
                const current = Array.isArray(relation.labels) ? relation.labels : [];
                const from = regionName(String(relation.from_id));
                const to = regionName(String(relation.to_id));
                return html`<li class="llc-relation ${touching(relation) ? "is-related" : ""}">
                  <div class="llc-relation-ends">
                    <button type="button" class="llc-region-link" title="Select this region" @click=${() => store.select(String(relation.from_id))}>${from}</button>
                    <button type="button" class="btn-icon llc-direction" ?disabled=${ctx.readOnly}
                      aria-label=${`Direction: ${DIRECTION_NAMES[direction]}. Change direction`} title="Change direction"
                      @click=${() => update(relation, { direction: NEXT_DIRECTION[direction] })}>${ARROWS[direction]}</button>
                    <button type="button" class="llc-region-link" title="Select this region" @click=${() => store.select(String(relation.to_id))}>${to}</button>
                    ${ctx.readOnly ? nothing : html`<button type="button" class="btn-icon llc-relation-delete" aria-label=${`Delete relation ${from} to ${to}`} title="Delete relation"
                      @click=${() => store.removeRelation(relation.from_id, relation.to_id)}>×</button>`}
                  </div>
                  ${labels.length
                    ? html`<div class="llc-relation-labels" role="group" aria-label=${`Labels of relation ${from} to ${to}`}>
                        ${labels.map((label) => {
                          const on = current.includes(label.value);
                          return html`<button type="button" class="ll-chip ${on ? "is-on" : ""}" aria-pressed=${on ? "true" : "false"} ?disabled=${ctx.readOnly}
                            style=${`--chip: ${label.background}; --chip-tint: ${hexToRgba(label.background, 0.16)}; --chip-fg: ${readableTextColor(label.background)}`}
                            @click=${() => toggleLabel(relation, label.value)}>
                            <span class="ll-chip-swatch" aria-hidden="true"></span><span class="ll-chip-text">${label.value}</span>
                          </button>`;
                        })}
                      </div>`
                    : nothing}
                </li>`;
              })}
            </ul>`
          : html`<p class="muted llc-relations-empty">${all.length
              ? "The selected region has no relations."
              : html`No relations yet. Select a region, press <kbd>Alt</kbd>+<kbd>R</kbd>, then pick the other region.`}</p>`}
      </section>`,
      el,
    );
  }

  return live(el, ctx, draw);
}
