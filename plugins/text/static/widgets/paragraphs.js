// @ts-check
/**
 * The Paragraphs object: a list of utterances (`[{author, text}, ...]`, keys set by nameKey /
 * textKey), as a plain list or, with layout="dialogue", as chat bubbles (speakers alternate
 * sides). Selecting text within or across paragraphs labels it with the armed ParagraphLabels:
 * `{start: "0", end: "2", startOffset, endOffset, text}` (../lib/paragraphs.js). Spans are painted
 * with the Custom Highlight API over one text node per paragraph.
 *
 * With `sync="group"` (and / or `audioUrl`) phrases carrying `start` (seconds; `end` or
 * `duration`) get a play button: it seeks the group's media to the phrase and plays (a second
 * click pauses); the phrase under the media's playhead is marked `aria-current` and, with
 * contextScroll, kept in view. Media players publish play / pause / seek only, so the playhead is
 * extrapolated between messages. With `audioUrl` and no Audio / Video named by `sync`, the widget
 * shows its own `<audio>` player and drives it (publishing to the group, if any).
 */
import { followMessage, paragraphRanges, paragraphValue, phraseAt, phraseTimes, playheadTime, readParagraphs } from "../lib/paragraphs.js";
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
  const times = phraseTimes(ctx.resolve(model.attrs?.value));
  const group = typeof model.attrs?.sync === "string" ? model.attrs.sync : "";
  const audioSrc = model.attrs?.audioUrl ? ctx.resolve(model.attrs.audioUrl) : "";
  const peer = group ? ctx.byName(group) : undefined;
  const hasPeerMedia = !!peer && /^(Audio|AudioPlus|Video)$/.test(peer.tag);
  const ownPlayer = typeof audioSrc === "string" && !!audioSrc && (!hasPeerMedia || model.attrs?.showPlayer === true);
  const timed = (ownPlayer || !!group) && times.some(Boolean);

  const body = document.createElement("div");
  body.className = `tx-body pg-body ${dialogue ? "pg-dialogue" : "pg-plain"}`;
  if (!selectable) body.classList.add("tx-readonly");
  if (timed) body.classList.add("pg-timed");
  body.setAttribute("role", "log");
  body.setAttribute("aria-label", `Paragraphs ${name}`);
  body.tabIndex = 0;
  body.dataset.object = name;
  /** one text node per paragraph @type {Text[]} */
  const nodes = [];
  /** @type {string[]} */
  const speakers = [];
  /** @type {(HTMLButtonElement | undefined)[]} */
  const buttons = [];
  /** @type {HTMLElement[]} */
  const itemEls = [];
  items.forEach((p, i) => {
    const item = document.createElement(dialogue ? "div" : "p");
    item.className = "pg-item";
    item.dataset.i = String(i);
    itemEls.push(item);
    if (dialogue) {
      if (!speakers.includes(p.name)) speakers.push(p.name);
      if (speakers.indexOf(p.name) % 2 === 1) item.classList.add("is-alt");
    }
    const span = timed ? times[i] : null;
    if (span) {
      const play = document.createElement("button");
      play.type = "button";
      play.className = "pg-play";
      play.dataset.i = String(i);
      const icon = document.createElement("span");
      icon.className = "pg-play-icon";
      icon.setAttribute("aria-hidden", "true");
      const stamp = document.createElement("span");
      stamp.className = "pg-stamp";
      stamp.textContent = clock(span.start);
      play.append(icon, stamp);
      buttons[i] = play;
    }
    if (p.name) {
      const who = document.createElement("span");
      who.className = "pg-name";
      who.textContent = dialogue ? p.name : `${p.name}:`;
      item.append(who);
    }
    const play = buttons[i];
    if (play && dialogue) {
      // the play button and the speaker's name on one line above the bubble
      const head = document.createElement("div");
      head.className = "pg-head";
      head.append(play);
      if (item.lastChild) head.append(item.lastChild);
      item.append(head);
    } else if (play) item.prepend(play);
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
  const offPlayback = timed ? playback() : () => {};

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
  /** Phrase buttons, the playhead, the own player: returns the cleanup. */
  function playback() {
    const channel = group ? ctx.sync(group) : null;
    /** @type {HTMLAudioElement | null} */
    let audio = null;
    if (ownPlayer) {
      audio = document.createElement("audio");
      audio.className = "pg-audio";
      audio.controls = true;
      audio.preload = "auto";
      audio.src = ctx.mediaUrl(String(audioSrc));
      audio.setAttribute("aria-label", `Audio of ${name}`);
      root.prepend(audio);
    }
    /** @type {import("../lib/paragraphs.js").Playhead} */
    let head = { time: 0, at: performance.now(), playing: false, speed: 1 };
    let current = -1;
    let frame = 0;
    const horizon = times.reduce((last, t) => (!t ? last : Math.max(last, Number.isFinite(t.end) ? t.end : t.start)), 0) + 0.05;
    let engaged = false; // nothing is marked before the media first plays or seeks
    let quietUntil = 0; // own-player events caused by the group are not sent back to it

    const now = () => (audio ? audio.currentTime : playheadTime(head, performance.now()));
    const playing = () => (audio ? !audio.paused && !audio.ended : head.playing);

    function update() {
      const index = engaged ? phraseAt(times, now()) : -1;
      const isPlaying = playing();
      if (index !== current) {
        if (current >= 0) itemEls[current]?.removeAttribute("aria-current");
        current = index;
        const item = current >= 0 ? itemEls[current] : null;
        if (item) {
          item.setAttribute("aria-current", "true");
          if (model.attrs?.contextScroll === true) item.scrollIntoView({ block: "nearest", inline: "nearest" });
        }
      }
      buttons.forEach((button, i) => {
        if (!button) return;
        const on = isPlaying && i === current;
        if (button.getAttribute("aria-pressed") !== String(on)) button.setAttribute("aria-pressed", String(on));
        const label = on ? `Pause phrase ${i + 1}` : `Play phrase ${i + 1} from ${clock(/** @type {{start: number}} */ (times[i]).start)}`;
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      });
    }
    function tick() {
      frame = 0;
      update();
      // past the last phrase boundary nothing changes until the next message: stop the loop
      if (playing() && now() < horizon) frame = requestAnimationFrame(tick);
    }
    function kick() {
      engaged = true;
      if (!frame) frame = requestAnimationFrame(tick);
    }

    /** @param {import("@labelloom/sdk").SyncMessage} message */
    function publish(message) {
      if (channel && performance.now() >= quietUntil) channel.publish(message);
    }

    /** @param {number} start */
    function playFrom(start) {
      if (audio) {
        audio.currentTime = start;
        audio.play().catch(() => status.show("The browser could not play this audio."));
      } else {
        head = followMessage(head, { type: "play", time: start }, performance.now());
      }
      if (channel) {
        channel.publish({ type: "seek", time: start });
        channel.publish({ type: "play", time: start });
      }
      kick();
    }
    function pause() {
      const time = now();
      if (audio) audio.pause();
      else head = followMessage(head, { type: "pause", time }, performance.now());
      channel?.publish({ type: "pause", time });
      kick();
    }

    /** @param {MouseEvent} event */
    function onClick(event) {
      const button = /** @type {HTMLElement} */ (event.target).closest?.(".pg-play");
      if (!button || !body.contains(button)) return;
      event.stopPropagation(); // not a click on a span
      event.preventDefault();
      const i = Number(/** @type {HTMLElement} */ (button).dataset.i);
      const span = times[i];
      if (!span) return;
      if (playing() && current === i) pause();
      else playFrom(span.start);
    }
    /** a press on a button never starts a text selection @param {PointerEvent} event */
    function onPointerDown(event) {
      if (/** @type {HTMLElement} */ (event.target).closest?.(".pg-play")) event.preventDefault();
    }
    body.addEventListener("click", onClick, true);
    body.addEventListener("pointerdown", onPointerDown, true);

    const offSync = channel?.subscribe((message) => {
      if (audio) {
        quietUntil = performance.now() + 300;
        const time = typeof message.time === "number" ? message.time : null;
        if ((message.type === "seek" || message.type === "range") && time !== null) audio.currentTime = time;
        else if (message.type === "play") {
          if (time !== null && Math.abs(audio.currentTime - time) > 0.25) audio.currentTime = time;
          audio.play().catch(() => {});
        } else if (message.type === "pause") {
          audio.pause();
          if (time !== null) audio.currentTime = time;
        } else if (message.type === "speed" && typeof message.speed === "number") audio.playbackRate = message.speed;
      } else {
        head = followMessage(head, message, performance.now());
      }
      kick();
    });

    /** @type {[string, () => void][]} */
    const mediaEvents = audio ? [
      ["play", () => publish({ type: "play", time: audio?.currentTime ?? 0 })],
      ["pause", () => publish({ type: "pause", time: audio?.currentTime ?? 0 })],
      ["seeked", () => publish({ type: "seek", time: audio?.currentTime ?? 0 })],
      ["ratechange", () => publish({ type: "speed", speed: audio?.playbackRate ?? 1 })],
    ] : [];
    for (const [type, handler] of mediaEvents) {
      audio?.addEventListener(type, handler);
      audio?.addEventListener(type, kick);
    }
    audio?.addEventListener("timeupdate", () => { if (!audio?.paused) kick(); });
    const offKey = audio
      ? ctx.hotkey("ctrl+p", () => {
        if (!audio) return false;
        if (audio.paused) audio.play().catch(() => {});
        else audio.pause();
      }, { description: "Play / pause", group: "Audio", allowInInputs: true })
      : () => {};
    update();

    return () => {
      if (frame) cancelAnimationFrame(frame);
      offKey();
      offSync?.();
      body.removeEventListener("click", onClick, true);
      body.removeEventListener("pointerdown", onPointerDown, true);
      for (const [type, handler] of mediaEvents) audio?.removeEventListener(type, handler);
      audio?.pause();
      audio?.remove();
    };
  }

  return () => {
    offPlayback();
    offMouse();
    waiting.off();
    offPaint();
    paint.destroy();
    root.remove();
  };
}

/** m:ss.s @param {number} seconds */
function clock(seconds) {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(1).padStart(4, "0");
  return `${m}:${rest}`;
}
