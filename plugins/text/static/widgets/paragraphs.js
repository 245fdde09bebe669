// @ts-check
/**
 * The Paragraphs object: a list of utterances (`[{author, text}, ...]`, keys set by nameKey /
 * textKey), as a plain list or, with layout="dialogue", as chat bubbles (speakers alternate
 * sides). Selecting text within or across paragraphs labels it with the armed ParagraphLabels:
 * `{start: "0", end: "2", startOffset, endOffset, text}` (../lib/paragraphs.js). Spans are painted
 * with the Custom Highlight API over one text node per paragraph.
 */
import { paragraphRanges, paragraphValue, readParagraphs } from "../lib/paragraphs.js";
import { Highlighter, paintRegions, spanMouse } from "./highlight.js";
import { ensureTextStyles, pendingSelection, savesText, statusLine } from "./common.js";

/** @type {import("@labelloom/sdk").WidgetRender} */
export default async function render({ el, model, ctx }) {
  await ensureTextStyles();
  const name = String(model.attrs?.name || "");
  const nameKey = String(model.attrs?.nameKey || "author");
  const textKey = String(model.attrs?.textKey || "text");
  const dialogue = model.attrs?.layout === "dialogue";
  const selectable = model.attrs?.selectionEnabled !== false && !ctx.readOnly;
  const keepText = savesText({ ...model, attrs: { ...model.attrs, valueType: "json" } });

  const root = document.createElement("div");
  root.className = "tx";
  let items;
  try {
    items = readParagraphs(ctx.resolve(model.attrs?.value), nameKey, textKey);
  } catch (error) {
    const box = document.createElement("div");
    box.className = "tx-error";
    box.setAttribute("role", "alert");
    box.textContent = /** @type {Error} */ (error).message;
    el.append(box);
    return () => box.remove();
  }
  const texts = items.map((p) => p.text);

  const body = document.createElement("div");
  body.className = `tx-body pg-body ${dialogue ? "pg-dialogue" : "pg-plain"}`;
  if (!selectable) body.classList.add("tx-readonly");
  body.setAttribute("role", "log");
  body.setAttribute("aria-label", `Paragraphs ${name}`);
  body.tabIndex = 0;
  body.dataset.object = name;
  /** one text node per paragraph @type {Text[]} */
  const nodes = [];
  /** @type {string[]} */
  const speakers = [];
  items.forEach((p, i) => {
    const item = document.createElement(dialogue ? "div" : "p");
    item.className = "pg-item";
    item.dataset.i = String(i);
    if (dialogue) {
      if (!speakers.includes(p.name)) speakers.push(p.name);
      if (speakers.indexOf(p.name) % 2 === 1) item.classList.add("is-alt");
    }
    if (p.name) {
      const who = document.createElement("span");
      who.className = "pg-name";
      who.textContent = dialogue ? p.name : `${p.name}:`;
      item.append(who);
    }
    const said = document.createElement("span");
    said.className = "pg-text";
    const node = document.createTextNode(p.text);
    said.append(node);
    nodes.push(node);
    item.append(said);
    body.append(item);
  });
  root.append(body);
  el.append(root);
  const status = statusLine(root);

  const paint = new Highlighter(body);
  paint.showLabels = ctx.settings?.showLabels !== false;

  const offPaint = paintRegions({
    ctx, name, paint, body, keys: ["start", "startOffset", "end", "endOffset"],
    rangesOf: (value) =>
      paragraphRanges(texts, /** @type {any} */ (value)).map(({ index, from, to }) => {
        const range = document.createRange();
        range.setStart(nodes[index], from);
        range.setEnd(nodes[index], to);
        return range;
      }),
  });

  /**
   * A DOM boundary as (paragraph index, UTF-16 offset): boundaries in names or between items
   * move forward for a start and backward for an end.
   * @param {Node} node @param {number} offset @param {boolean} isEnd
   */
  function point(node, offset, isEnd) {
    const probe = document.createRange();
    if (!isEnd) {
      for (let i = 0; i < nodes.length; i++) {
        probe.selectNodeContents(nodes[i]);
        const cmp = probe.comparePoint(node, offset);
        if (cmp === 1) continue;
        if (cmp === -1) return { index: i, offset: 0 };
        return { index: i, offset: node === nodes[i] ? offset : 0 };
      }
      return null;
    }
    for (let i = nodes.length - 1; i >= 0; i--) {
      probe.selectNodeContents(nodes[i]);
      const cmp = probe.comparePoint(node, offset);
      if (cmp === -1) continue;
      if (cmp === 1) return { index: i, offset: nodes[i].length };
      return { index: i, offset: node === nodes[i] ? offset : nodes[i].length };
    }
    return null;
  }

  const waiting = pendingSelection(ctx, name, body, () => status.hide());
  const offMouse = spanMouse({
    ctx, name, body, within: body, paint, status, selectable, waiting,
    valueOf(range) {
      const a = point(range.startContainer, range.startOffset, false);
      const b = point(range.endContainer, range.endOffset, true);
      const value = a && b ? paragraphValue(texts, a, b) : null;
      if (!value) return null;
      /** @type {Record<string, any>} */
      const payload = { start: value.start, startOffset: value.startOffset, end: value.end, endOffset: value.endOffset };
      if (keepText) payload.text = value.text;
      return payload;
    },
  });
  return () => {
    offMouse();
    waiting.off();
    offPaint();
    paint.destroy();
    root.remove();
  };
}
