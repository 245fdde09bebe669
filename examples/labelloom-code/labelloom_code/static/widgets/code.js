// @ts-check
/**
 * The Code object: a source file with line numbers; its regions are line ranges
 * `{start, end}` (1-based, inclusive).
 *
 * - With a label armed (its chip or hotkey): click a line to label it (shift-click another line
 *   to stretch that range to it), or drag over lines. Picking lines first (click, shift-click,
 *   drag) and then the label works too.
 * - Ranges show as coloured bars in the gutter (side by side where they overlap), a tint on
 *   their lines and a tag with the label on their first line. Click a tag or bar (or, with no
 *   label armed, a labelled line) to select the range; clicking again on nested ranges cycles.
 *   The runtime's keys then apply: Backspace/Delete removes it, Esc or U unselects.
 */
import { html, nothing, render } from "lit";
import { ensureStylesheet, hexToRgba, readableTextColor, valueKey } from "@labelloom/sdk";
import { assignColumns, covers, drawableRange, lineRange, pickAt, rangeText, splitLines } from "../lib/ranges.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").Region} Region */
/** @typedef {{id: string, start: number, end: number, color: string, labels: string[], locked: boolean}} RangeRecord */

const BAR = 5; // px per gutter column

/** Load code.css once; resolves when it applies (or after 3 s). */
function ensureStyles() {
  return ensureStylesheet(new URL("./code.css", import.meta.url));
}

/**
 * The labels of a region (every labels-family item it has) and the colour of the first one.
 * @param {WidgetContext} ctx @param {Region} region
 */
function describe(ctx, region) {
  /** @type {string[]} */
  const labels = [];
  let color = "";
  for (const item of region.items) {
    const list = item.value?.[valueKey(item.type)];
    if (!Array.isArray(list) || !/labels$/.test(item.type)) continue;
    labels.push(...list.map(String));
    const control = item.from_name ? ctx.byName(item.from_name) : undefined;
    if (!color && control && list.length) color = ctx.labelColor(control, String(list[0]));
  }
  return { labels, color: color || "#8c92a1" };
}

/** @type {import("@labelloom/sdk").WidgetRender} */
export default async function renderCode({ el, model, ctx }) {
  await ensureStyles();
  const name = String(model.attrs?.name || "");
  const raw = ctx.resolve(model.attrs?.value);
  const text = raw == null ? "" : typeof raw === "string" ? raw : JSON.stringify(raw, null, 2);
  const lines = splitLines(text);
  const numbered = model.attrs?.lineNumbers !== false;
  const language = String(model.attrs?.language || "text");
  const editable = !ctx.readOnly;
  const store = ctx.store;

  /** line of the last click (shift-click extends from it) @type {number|null} */
  let anchor = null;
  /** lines picked while no label was armed: labelled as soon as one is @type {{start: number, end: number}|null} */
  let pending = null;
  /** @type {{from: number, shift: boolean}|null} */
  let drag = null;
  /** the range the last click or drag created: a shift-click extends it @type {string|null} */
  let lastCreated = null;
  let status = "";

  const root = document.createElement("div");
  root.className = "cd";
  root.dataset.object = name;
  el.append(root);

  /** @returns {RangeRecord[]} */
  function records() {
    /** @type {RangeRecord[]} */
    const out = [];
    for (const region of store.regions(name)) {
      if (region.hidden) continue;
      const r = drawableRange(region.value, lines.length);
      if (!r) continue;
      out.push({ id: region.id, ...r, ...describe(ctx, region), locked: region.locked });
    }
    return out;
  }

  /** @param {{start: number, end: number}} range */
  function create(range) {
    const armed = store.armed(name);
    if (!editable || !armed || !armed.labels.length) return null;
    return store.createRegion({
      from_name: armed.from_name,
      to_name: name,
      type: armed.type,
      value: { start: range.start, end: range.end, [valueKey(armed.type)]: [...armed.labels] },
    });
  }

  /** @param {EventTarget|null} target @returns {number|null} */
  function lineAt(target) {
    const row = /** @type {HTMLElement|null} */ (target instanceof Element ? target.closest(".cd-line") : null);
    return row && root.contains(row) ? Number(row.dataset.line) : null;
  }

  /** @param {PointerEvent} event */
  function onPointerDown(event) {
    if (event.button !== 0) return;
    const target = /** @type {Element} */ (event.target);
    const handle = /** @type {HTMLElement|null} */ (target.closest("[data-id]"));
    if (handle) {
      event.preventDefault();
      store.select(handle.dataset.id || null);
      return;
    }
    const line = lineAt(target);
    if (line === null) return;
    if (!editable) {
      store.select(pickAt(records(), line, store.selectedId)?.id ?? null);
      return;
    }
    event.preventDefault(); // lines are picked, not text
    const from = event.shiftKey && anchor !== null ? anchor : line;
    drag = { from, shift: event.shiftKey && anchor !== null };
    if (!drag.shift) {
      anchor = line;
      lastCreated = null; // a plain click starts over
    }
    pending = lineRange(from, line, lines.length);
    status = "";
    draw();
  }

  /** @param {PointerEvent} event */
  function onPointerOver(event) {
    if (!drag) return;
    const line = lineAt(event.target);
    if (line === null) return;
    const next = lineRange(drag.from, line, lines.length);
    if (pending && next.start === pending.start && next.end === pending.end) return;
    pending = next;
    draw();
  }

  function onPointerUp() {
    if (!drag || !pending) return;
    const range = pending;
    const click = !drag.shift && range.start === range.end;
    const extend = drag.shift && lastCreated ? store.region(lastCreated) : undefined;
    drag = null;
    if (extend && !extend.locked) {
      // click a line (a one-line range), shift-click another: the range grows to it
      store.updateRegion(extend.id, { start: range.start, end: range.end });
      pending = null;
      status = "";
      draw();
      return;
    }
    const armed = store.armed(name);
    if (click && !(armed && armed.labels.length)) {
      // no label armed: a click on a labelled line selects its range
      const hit = pickAt(records(), range.start, store.selectedId);
      if (hit) {
        pending = null;
        store.select(hit.id);
        draw();
        return;
      }
    }
    const created = create(range);
    if (created) {
      lastCreated = created;
      pending = null;
      status = "";
    } else {
      if (store.selectedId) store.select(null);
      status = "Now pick a label (click it or press its hotkey) to label these lines.";
    }
    draw();
  }

  function draw() {
    const ranges = records();
    const columns = assignColumns(ranges);
    const width = Math.max(1, ...[...columns.values()].map((c) => c + 1)) * BAR;
    const selected = store.selectedId;
    const armed = store.armed(name);
    const showLabels = ctx.settings?.showLabels !== false;
    const hint = !editable ? "Read only"
      : armed && armed.labels.length ? `Click a line, shift-click another or drag to label “${armed.labels.join(", ")}”`
      : "Pick a label, then click, shift-click or drag over lines";
    render(
      html`<div class="cd-head">
          <span class="cd-lang">${language}</span>
          <span class="cd-count">${lines.length} ${lines.length === 1 ? "line" : "lines"}</span>
          <span class="cd-hint">${hint}</span>
        </div>
        <div class="cd-body ${editable ? "" : "is-readonly"} ${armed && armed.labels.length ? "is-armed" : ""}"
          role="document" aria-label=${`Code ${name}`} tabindex="0"
          style=${`--gutter: ${width}px`}
          @pointerdown=${onPointerDown} @pointerover=${onPointerOver}>
          ${lines.map((source, i) => {
            const n = i + 1;
            const here = ranges.filter((r) => covers(r, n));
            const isSelected = here.some((r) => r.id === selected);
            const inner = here.length ? here.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a)) : null;
            const tint = isSelected
              ? hexToRgba(/** @type {RangeRecord} */ (here.find((r) => r.id === selected)).color, 0.3)
              : inner ? hexToRgba(inner.color, 0.14) : "";
            const isPending = pending !== null && covers(pending, n);
            return html`<div class="cd-line ${isSelected ? "is-selected" : ""} ${isPending ? "is-pending" : ""} ${here.length ? "is-labelled" : ""}"
              data-line=${n} style=${tint ? `--tint: ${tint}` : ""}>
              <span class="cd-bars" aria-hidden="true">${here.map((r) => html`<span class="cd-bar ${r.start === n ? "is-start" : ""} ${r.end === n ? "is-end" : ""} ${r.id === selected ? "is-selected" : ""}"
                data-id=${r.id} style=${`left: ${(columns.get(r.id) || 0) * BAR}px; background: ${r.color}`}></span>`)}</span>
              ${numbered ? html`<span class="cd-num">${n}</span>` : nothing}
              <span class="cd-src">${source || " "}</span>
              ${showLabels ? here.filter((r) => r.start === n).map((r) => html`<button type="button" class="cd-tag ${r.id === selected ? "is-selected" : ""}"
                data-id=${r.id} title=${`${r.labels.join(", ") || "No label"} · ${rangeText(r)}`}
                style=${`--tag: ${r.color}; --tag-fg: ${readableTextColor(r.color)}`}>${r.labels.join(", ") || "—"}<span class="cd-tag-range">${r.start === r.end ? `L${r.start}` : `L${r.start}–${r.end}`}</span></button>`) : nothing}
            </div>`;
          })}
        </div>
        ${status ? html`<div class="cd-status" role="status">${status}</div>` : nothing}`,
      root,
    );
  }

  const unsubscribe = store.subscribe((change) => {
    if (change.kind === "arm") {
      const armed = store.armed(name);
      if (armed && armed.labels.length) lastCreated = null; // a new label starts a new range
      const created = pending && !drag ? create(pending) : null;
      if (created) {
        lastCreated = created;
        pending = null;
        status = "";
      }
    }
    if (change.kind === "select" && store.selectedId) {
      pending = null;
      status = "";
    }
    draw();
    if (change.kind === "select" && store.selectedId) {
      root.querySelector(`.cd-tag[data-id="${CSS.escape(store.selectedId)}"]`)?.scrollIntoView({ block: "nearest" });
    }
  });
  window.addEventListener("pointerup", onPointerUp);
  draw();

  return () => {
    unsubscribe();
    window.removeEventListener("pointerup", onPointerUp);
    render(nothing, root);
    root.remove();
  };
}
