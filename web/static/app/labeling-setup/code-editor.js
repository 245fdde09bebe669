// @ts-check
/**
 * `<ll-xml-editor>`: a plain textarea made into a small code editor — line-number gutter,
 * syntax colours drawn by an overlay behind transparent text, marked error lines, Tab/Shift+Tab
 * indentation, auto-indent on Enter. A real textarea keeps native undo, IME, spell-off, screen
 * reader support and selection for free.
 *
 * Properties: `value`, `errorLines` (number[]), `label` (accessible name), `describedBy`.
 * Fires `code-input` (detail: {value}) on every edit. Methods: `goToLine(line)`, `focus()`.
 * Keyboard: Tab indents; press Escape then Tab to move focus out (focus is never trapped).
 */
import { LitElement, html } from "lit";
import { escapeHtml, highlightXml, splitLines } from "./highlight.js";

const LINE_HEIGHT = 20;
const PADDING = 10;
// Above this size colouring is skipped: the editor must stay responsive on huge configs.
const HIGHLIGHT_LIMIT = 120_000;

export class XmlEditor extends LitElement {
  static properties = {
    label: { type: String },
    describedBy: { type: String, attribute: "described-by" },
    errorLines: { attribute: false },
  };

  constructor() {
    super();
    this.label = "Labeling config (XML)";
    this.describedBy = "";
    /** @type {number[]} */
    this.errorLines = [];
    this._value = "";
    this._escaped = false;
    this._frame = 0;
    this._lineCount = -1;
    this._gutterKey = "";
    this._errorKey = "";
    this._paintedText = null;
    /** @type {string[]} highlighted HTML of each line now in the overlay */
    this._lines = [];
  }

  createRenderRoot() {
    return this;
  }

  get value() {
    return this._value;
  }

  set value(text) {
    const next = String(text ?? "");
    if (next === this._value) return;
    this._value = next;
    const area = this._area;
    if (area && area.value !== next) area.value = next;
    this._schedule();
  }

  /** @returns {HTMLTextAreaElement|null} */
  get _area() {
    return this.querySelector("textarea");
  }

  render() {
    return html`
      <div class="xe">
        <div class="xe-gutter" aria-hidden="true"><div class="xe-gutter-inner"></div></div>
        <div class="xe-main">
          <div class="xe-layer" aria-hidden="true"><div class="xe-marks"></div><div class="xe-code"></div></div>
          <textarea
            class="xe-input"
            spellcheck="false"
            autocapitalize="off"
            autocomplete="off"
            wrap="off"
            aria-label=${this.label}
            aria-describedby=${this.describedBy || ""}
            @input=${this._onInput}
            @scroll=${this._sync}
            @keydown=${this._onKeydown}
            @blur=${() => (this._escaped = false)}
          ></textarea>
        </div>
      </div>
      <p class="xe-help muted" id="xe-help">Tab indents · <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor</p>`;
  }

  firstUpdated() {
    this._resize = new ResizeObserver(() => this._sync());
    const area = this._area;
    // The text is set here and in the value setter only, never by a template binding: assigning
    // .value empties the browser's undo stack, so it must happen only for outside changes.
    if (area) {
      area.value = this._value;
      this._resize.observe(area);
    }
    this._paint();
  }

  /** @param {Map<string, unknown>} changed */
  updated(changed) {
    // Hosts pass a new array on every render; repaint only when the lines really changed.
    if (changed.has("errorLines") && (this.errorLines || []).join(",") !== this._errorKey) this._paint();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._resize?.disconnect();
    cancelAnimationFrame(this._frame);
  }

  focus() {
    this._area?.focus();
  }

  /** Select a line, scroll it into the upper third of the view and focus the editor. @param {number} line */
  goToLine(line) {
    const area = this._area;
    if (!area) return;
    const lines = this._value.split("\n");
    const index = Math.max(1, Math.min(line, lines.length)) - 1;
    let start = 0;
    for (let i = 0; i < index; i++) start += lines[i].length + 1;
    const indent = /^\s*/.exec(lines[index])?.[0].length ?? 0;
    area.focus();
    area.setSelectionRange(start + indent, start + lines[index].length);
    area.scrollTop = Math.max(0, index * LINE_HEIGHT - area.clientHeight / 3);
    this._sync();
  }

  /** @param {Event} event */
  _onInput(event) {
    this._value = /** @type {HTMLTextAreaElement} */ (event.target).value;
    this._schedule();
    this.dispatchEvent(new CustomEvent("code-input", { detail: { value: this._value } }));
  }

  _schedule() {
    cancelAnimationFrame(this._frame);
    this._frame = requestAnimationFrame(() => this._paint());
  }

  /** Redraw colours, gutter and marks for the current text. */
  _paint() {
    const code = this.querySelector(".xe-code");
    const gutter = this.querySelector(".xe-gutter-inner");
    const marks = this.querySelector(".xe-marks");
    if (!code || !gutter || !marks) return;
    const text = this._value;
    if (text !== this._paintedText) {
      this._paintedText = text;
      const html = text.length > HIGHLIGHT_LIMIT ? escapeHtml(text) : highlightXml(text);
      this._replaceLines(code, splitLines(html));
    }
    this._errorKey = (this.errorLines || []).join(",");
    const count = text.split("\n").length;
    const errors = new Set(this.errorLines || []);
    const key = `${count}|${[...errors].join(",")}`;
    if (key !== this._gutterKey) {
      this._gutterKey = key;
      let rows = "";
      for (let i = 1; i <= count; i++) rows += `<div class="xe-n${errors.has(i) ? " xe-n-error" : ""}">${i}</div>`;
      gutter.innerHTML = rows;
      marks.innerHTML = [...errors]
        .filter((line) => line >= 1 && line <= count)
        .map((line) => `<div class="xe-mark" style="top:${PADDING + (line - 1) * LINE_HEIGHT}px"></div>`)
        .join("");
    }
    this._sync();
  }

  /**
   * Update the overlay line by line: keep the unchanged lines before and after the edit and
   * replace only the ones between, so a keystroke costs one line of layout, not the document.
   * @param {Element} code @param {string[]} lines
   */
  _replaceLines(code, lines) {
    const old = this._lines;
    let head = 0;
    while (head < old.length && head < lines.length && old[head] === lines[head]) head++;
    let tail = 0;
    while (tail < old.length - head && tail < lines.length - head && old[old.length - 1 - tail] === lines[lines.length - 1 - tail]) tail++;
    const rows = code.children;
    for (let i = old.length - tail - 1; i >= head; i--) rows[i].remove();
    const fresh = document.createDocumentFragment();
    for (let i = head; i < lines.length - tail; i++) {
      const row = document.createElement("div");
      row.className = "xe-l";
      row.innerHTML = lines[i];
      fresh.append(row);
    }
    code.insertBefore(fresh, rows[head] || null);
    this._lines = lines;
  }

  /** Keep the overlay and gutter aligned with the textarea's scroll position. */
  _sync() {
    const area = this._area;
    const layer = /** @type {HTMLElement|null} */ (this.querySelector(".xe-layer"));
    const gutter = /** @type {HTMLElement|null} */ (this.querySelector(".xe-gutter-inner"));
    if (!area || !layer || !gutter) return;
    layer.style.transform = `translate(${-area.scrollLeft}px, ${-area.scrollTop}px)`;
    gutter.style.transform = `translateY(${-area.scrollTop}px)`;
  }

  /** @param {KeyboardEvent} event */
  _onKeydown(event) {
    const area = /** @type {HTMLTextAreaElement} */ (event.target);
    if (event.key === "Escape") {
      this._escaped = true;
      return;
    }
    if (event.key === "Tab") {
      if (this._escaped || event.ctrlKey || event.altKey || event.metaKey) return; // let focus move on
      event.preventDefault();
      this._indent(area, event.shiftKey ? -1 : 1);
      return;
    }
    this._escaped = false;
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      const before = area.value.slice(0, area.selectionStart);
      const line = before.slice(before.lastIndexOf("\n") + 1);
      let indent = /^[ \t]*/.exec(line)?.[0] ?? "";
      // After an opening tag (not `</x>` or `<x/>`), the next line goes one step deeper.
      if (/<[A-Za-z][^<>]*[^/<>]>\s*$|<[A-Za-z]>\s*$/.test(line) && !/<\/[^>]*>\s*$/.test(line)) indent += unit(area.value);
      insert(area, "\n" + indent);
    }
  }

  /** Indent (1) or outdent (-1) the selected lines, or insert an indent at the caret. @param {HTMLTextAreaElement} area @param {number} direction */
  _indent(area, direction) {
    const { selectionStart: start, selectionEnd: end, value } = area;
    const step = unit(value);
    if (direction > 0 && start === end) {
      insert(area, step);
      return;
    }
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const block = value.slice(from, end);
    const lines = block.split("\n");
    const changed = lines.map((line) => {
      if (direction > 0) return line ? step + line : line;
      const lead = /^[ \t]*/.exec(line)?.[0] ?? "";
      return line.slice(Math.min(lead.length, lead.startsWith("\t") ? 1 : step.length));
    });
    const out = changed.join("\n");
    if (out === block) return;
    area.setSelectionRange(from, end);
    insert(area, out);
    area.setSelectionRange(from, from + out.length);
  }
}

/**
 * The document's indentation step: a tab if lines are tab-indented, four spaces if several lines
 * show that style, else two (one indented line cannot tell; two is the templates' style).
 * @param {string} text
 */
function unit(text) {
  const indents = [...text.matchAll(/^([ \t]+)</gm)].map((m) => m[1]);
  if (indents.length && indents.every((i) => i.startsWith("\t"))) return "\t";
  const widths = indents.map((i) => i.length);
  return widths.length >= 3 && Math.min(...widths) >= 4 ? "    " : "  ";
}

/**
 * Replace the selection with `text` through the browser's editing commands, so Ctrl+Z undoes it.
 * @param {HTMLTextAreaElement} area @param {string} text
 */
function insert(area, text) {
  area.focus();
  // execCommand is deprecated but still the only way to keep the native undo stack.
  if (!document.execCommand("insertText", false, text)) {
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

if (!customElements.get("ll-xml-editor")) customElements.define("ll-xml-editor", XmlEditor);
