// @ts-check
/**
 * The Audio (and AudioPlus) object tag: a wavesurfer.js waveform over a streamed media element,
 * with Label Studio's segments. Drag on the waveform to mark a segment with the armed label
 * (one lane per channel with `splitChannels`); click a segment to select it (clicking again
 * where segments overlap selects the next one); drag or resize the selected segment; delete,
 * relabel, hide and lock go through the runtime (Backspace, label chips, Alt+H, Alt+L).
 * Results are `{"start", "end", "channel", "labels"}` in seconds, with `original_length`.
 *
 * Peaks of uploaded files come from the server (audio-peaks.js), so hours of audio draw at once
 * and the browser only streams what it plays; other sources are decoded by the browser.
 *
 *   ../lib/timeline.js  time/pixel maths, region picking, the peaks format (node-tested)
 *   audio-regions.js    the segments layer and the pointer gestures on it
 *   audio-ui.js         toolbar, status line, styles, theme colours
 */
import { render, nothing } from "lit";
import { WaveSurferClass } from "./vendor.js";
import { ensureAudioStyles, toolbarTemplate, statusTemplate, themeColors } from "./audio-ui.js";
import { fetchPeaks, serverReadable } from "./audio-peaks.js";
import { createRegionLayer } from "./audio-regions.js";
import { clamp, fitPxPerSec, maxZoom, stepZoom, wheelZoom } from "../lib/timeline.js";

export { preview } from "./audio-preview.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").SyncMessage} SyncMessage */

/** @param {unknown} v @param {boolean} fallback */
function bool(v, fallback) {
  if (v === undefined || v === null || v === "") return fallback;
  return v === true || v === "true" || v === 1;
}
/** @param {unknown} v @param {number} fallback */
function num(v, fallback) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Keys the runtime owns (reference §9.1): a tag `hotkey` naming one of them is not bound. */
const RUNTIME_KEYS = new Set(["ctrl+enter", "ctrl+space", "ctrl+z", "ctrl+shift+z", "ctrl+y", "backspace", "delete",
  "ctrl+backspace", "ctrl+d", "u", "escape", "alt+h", "ctrl+h", "alt+l", "alt+r", "alt+.", "alt+,", "shift+up", "shift+down", "shift+?"]);

/** The tag's play/pause hotkey, unless it is one of the runtime's. @param {unknown} hotkey */
export function ownHotkey(hotkey) {
  if (typeof hotkey !== "string") return "";
  const keys = hotkey.split(",").map((k) => k.trim().toLowerCase().replace(/\s+/g, "")).filter((k) => k && !RUNTIME_KEYS.has(k));
  return keys.join(", ");
}

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderAudio({ el, model, ctx }) {
  performance.mark("audio:mount");
  ensureAudioStyles();
  const attrs = model.attrs || {};
  const name = String(attrs.name || "");
  const store = ctx.store;
  const split = bool(attrs.splitChannels, false);
  const raw = ctx.resolve(attrs.value);
  const src = typeof raw === "string" ? raw : "";
  const url = src ? ctx.mediaUrl(src) : "";
  const playHotkey = ownHotkey(attrs.hotkey);

  const root = document.createElement("div");
  root.className = "la-audio";
  root.dataset.state = "loading";
  const toolbar = document.createElement("div");
  toolbar.className = "la-toolbar";
  const wave = document.createElement("div");
  wave.className = "la-wave";
  wave.setAttribute("aria-busy", "true");
  wave.setAttribute("role", "group");
  wave.setAttribute("aria-label", `Audio ${name}`);
  const status = document.createElement("div");
  status.className = "la-status";
  root.append(toolbar, wave, status);
  el.append(root);

  const state = {
    ready: false,
    playing: false,
    time: 0,
    duration: 0,
    zoom: 1,
    maxZoom: 1,
    peaksPerSecond: 0,
    channels: 1,
    speed: num(attrs.defaultSpeed, 1),
    volume: clamp(Number(attrs.defaultVolume ?? 1), 0, 1),
    muted: false,
    message: "",
    /** @type {"" | "busy" | "warning" | "error"} */
    kind: "",
  };

  const audio = document.createElement("audio");
  audio.preload = "metadata";
  audio.className = "la-media";
  root.append(audio); // not shown (no controls): in the page so tests and tools can find it
  const heightFor = (/** @type {number} */ channels) =>
    split && channels > 1 ? Math.max(num(attrs.waveHeight, 32), Math.floor(num(attrs.height, 96) / channels)) : num(attrs.height, 96);
  const ws = WaveSurferClass.create({
    container: wave,
    height: heightFor(1),
    ...themeColors(root),
    cursorWidth: num(attrs.cursorWidth, 2),
    ...(attrs.cursorColor ? { cursorColor: String(attrs.cursorColor) } : {}),
    barHeight: num(attrs.defaultScale, 1),
    media: audio,
    autoScroll: true,
    autoCenter: false,
    dragToSeek: false,
    normalize: false,
  });
  ws.setVolume(state.volume);

  const layer = createRegionLayer({
    ctx, name, ws, split,
    lanes: () => state.channels,
    duration: () => state.duration,
    hint: (message) => setMessage(message, message ? "warning" : ""),
  });

  // --- drawing ---------------------------------------------------------------------------
  let frame = 0;
  function draw() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const selected = store.selectedId ? store.region(store.selectedId) : undefined;
      render(toolbarTemplate({
        name, ready: state.ready, playing: state.playing, time: state.time, duration: state.duration,
        zoom: state.zoom, maxZoom: state.maxZoom, speed: state.speed, volume: state.volume, muted: state.muted,
        showZoom: bool(attrs.zoom, true), showSpeed: bool(attrs.speed, true), showVolume: bool(attrs.volume, true),
        canPlayRegion: !!selected && selected.to_name === name, playHotkey: playHotkey || "Ctrl+P",
      }, { playPause, skip, zoomBy, fit, setSpeed, setVolume, toggleMute, playRegion }), toolbar);
      render(statusTemplate({ message: state.message, kind: state.kind, regions: layer.count(), readOnly: ctx.readOnly, split }), status);
    });
  }
  /** @param {string} message @param {"" | "busy" | "warning" | "error"} kind */
  function setMessage(message, kind) {
    state.message = message;
    state.kind = kind;
    draw();
  }

  // --- playback ----------------------------------------------------------------------------
  function playPause() {
    if (!state.ready) return false;
    ws.playPause().catch(() => setMessage("The browser could not play this audio.", "error"));
  }
  /** @param {number} seconds */
  function skip(seconds) {
    if (!state.ready) return false;
    ws.setTime(clamp(ws.getCurrentTime() + seconds, 0, state.duration));
    publish({ type: "seek", time: ws.getCurrentTime() });
  }
  /** @param {number} speed */
  function setSpeed(speed) {
    state.speed = speed;
    ws.setPlaybackRate(speed, true);
    publish({ type: "speed", speed });
    draw();
  }
  /** @param {number} volume */
  function setVolume(volume) {
    state.volume = clamp(volume, 0, 1);
    state.muted = false;
    ws.setMuted(false);
    ws.setVolume(state.volume);
    draw();
  }
  function toggleMute() {
    state.muted = !state.muted;
    ws.setMuted(state.muted);
    draw();
  }
  function playRegion() {
    const region = store.selectedId ? store.region(store.selectedId) : undefined;
    if (!region || region.to_name !== name) return false;
    const start = Number(region.value.start) || 0;
    const end = Number(region.value.end) || start;
    ws.play(start, end).catch(() => setMessage("The browser could not play this audio.", "error"));
  }

  // --- zoom ----------------------------------------------------------------------------------
  let width = 0; // the waveform's visible width, read once per resize (reading it forces a layout)
  function fitScale() {
    if (!width) width = wave.clientWidth || 1;
    return fitPxPerSec(width, state.duration);
  }
  /** @param {number} zoom @param {number} [anchorX] px from the waveform's visible left edge */
  function setZoom(zoom, anchorX) {
    if (!state.ready) return;
    const z = clamp(zoom, 1, state.maxZoom);
    const before = ws.getScroll();
    const oldPx = fitScale() * state.zoom;
    const x = anchorX ?? (width / 2);
    const time = oldPx ? (before + x) / oldPx : 0;
    state.zoom = z;
    ws.zoom(z === 1 ? 0 : fitScale() * z);
    if (z > 1) ws.setScroll(Math.max(0, time * fitScale() * z - x));
    updateView();
    draw();
  }
  /** Tell the segments layer what is in view. */
  function updateView() {
    const px = fitScale() * state.zoom;
    if (!px) return;
    const start = state.zoom > 1 ? ws.getScroll() / px : 0;
    layer.setView(start, start + width / px, px);
  }
  /** @param {1|-1} direction */
  function zoomBy(direction) {
    setZoom(stepZoom(state.zoom, direction, state.maxZoom));
  }
  function fit() {
    setZoom(1);
  }
  /** @param {WheelEvent} event */
  function onWheel(event) {
    if (!(event.ctrlKey || event.metaKey) || !state.ready || !bool(attrs.zoom, true)) return;
    event.preventDefault();
    // Wheel events come faster than frames: add them up and zoom once per frame.
    const rect = wave.getBoundingClientRect();
    wheel.target = wheelZoom(wheel.target || state.zoom, event.deltaY, state.maxZoom);
    wheel.x = event.clientX - rect.left;
    if (!wheel.frame) {
      wheel.frame = requestAnimationFrame(() => {
        wheel.frame = 0;
        setZoom(wheel.target, wheel.x);
        wheel.target = 0;
      });
    }
  }
  const wheel = { target: 0, x: 0, frame: 0 };
  wave.addEventListener("wheel", onWheel, { passive: false });

  // --- sync group --------------------------------------------------------------------------
  const group = typeof attrs.sync === "string" && attrs.sync ? attrs.sync : "";
  const channel = group ? ctx.sync(group) : null;
  let quietUntil = 0; // events caused by a message from the group are not sent back to it
  /** @param {SyncMessage} message */
  function publish(message) {
    if (channel && performance.now() >= quietUntil) channel.publish(message);
  }
  const offSync = channel?.subscribe((message) => {
    if (!state.ready) return;
    quietUntil = performance.now() + 300;
    const time = typeof message.time === "number" ? clamp(message.time, 0, state.duration) : null;
    if (message.type === "seek" || message.type === "range") {
      if (time !== null) ws.setTime(time);
    } else if (message.type === "play") {
      if (time !== null && Math.abs(ws.getCurrentTime() - time) > 0.25) ws.setTime(time);
      if (!ws.isPlaying()) ws.play().catch(() => {});
    } else if (message.type === "pause") {
      if (ws.isPlaying()) ws.pause();
      if (time !== null) ws.setTime(time);
    } else if (message.type === "speed" && typeof message.speed === "number") {
      state.speed = message.speed;
      ws.setPlaybackRate(message.speed, true);
      draw();
    }
  });

  // --- wavesurfer events -------------------------------------------------------------------
  let drawnMarked = false;
  const offs = [
    ws.on("play", () => { state.playing = true; publish({ type: "play", time: ws.getCurrentTime() }); draw(); }),
    ws.on("pause", () => { state.playing = false; publish({ type: "pause", time: ws.getCurrentTime() }); draw(); }),
    ws.on("finish", () => { state.playing = false; publish({ type: "pause", time: ws.getCurrentTime() }); draw(); }),
    ws.on("timeupdate", (t) => { state.time = t; draw(); }),
    ws.on("interaction", (t) => { state.time = t; publish({ type: "seek", time: t }); draw(); }),
    ws.on("decode", (duration) => {
      const decoded = ws.getDecodedData();
      if (decoded && !state.peaksPerSecond) {
        state.channels = decoded.numberOfChannels;
        state.peaksPerSecond = decoded.sampleRate;
        if (split && decoded.numberOfChannels > 1) applyChannels(decoded.numberOfChannels);
      }
      becomeReady(duration);
    }),
    ws.on("error", (error) => {
      if (state.ready) return;
      failWaveform(`the browser could not decode it (${error?.message || error})`);
    }),
    ws.on("redrawcomplete", () => {
      if (state.ready && !drawnMarked) {
        drawnMarked = true;
        performance.mark("audio:drawn");
        root.dataset.drawn = "true";
      }
    }),
    ws.on("scroll", (start, end) => {
      if (state.ready) layer.setView(start, end, fitScale() * state.zoom);
    }),
    ws.on("resize", () => {
      width = 0;
      if (state.ready && state.zoom > 1) setZoom(state.zoom);
    }),
  ];

  /** @param {number} channels */
  function applyChannels(channels) {
    ws.setOptions({
      height: heightFor(channels),
      splitChannels: Array.from({ length: channels }, () => ({ ...themeColors(root) })),
    });
    layer.relayout();
  }

  /** @param {number} duration */
  function becomeReady(duration) {
    if (state.ready) return;
    state.ready = true;
    state.duration = duration || ws.getDuration();
    state.maxZoom = maxZoom(wave.clientWidth || 1, state.duration, state.peaksPerSecond);
    ws.setPlaybackRate(state.speed, true);
    root.dataset.state = "ready";
    performance.mark("audio:ready");
    wave.setAttribute("aria-busy", "false");
    if (state.kind === "busy") setMessage("", "");
    layer.attach();
    updateView();
    const zoom = num(attrs.defaultZoom, 1);
    if (zoom > 1) setZoom(zoom, 0);
    draw();
  }

  /** The waveform cannot be drawn: say why, and offer the browser's own player. @param {string} reason */
  function failWaveform(reason) {
    if (root.dataset.state === "failed") return;
    root.dataset.state = "failed";
    wave.setAttribute("aria-busy", "false");
    wave.hidden = true;
    toolbar.hidden = true; // its buttons drive the waveform's player
    const player = document.createElement("audio");
    player.controls = true;
    player.preload = "metadata";
    player.src = url;
    player.className = "la-fallback";
    root.insertBefore(player, status);
    setMessage(`The waveform of this audio could not be drawn: ${[serverProblem, reason].filter(Boolean).join("; ")}. Segments cannot be marked; the player below plays it if the browser can.`, "error");
  }

  // --- loading -----------------------------------------------------------------------------
  const aborter = new AbortController();
  let serverProblem = "";
  async function load() {
    if (!url) {
      failWaveform(`the task has no audio in "${attrs.value}"`);
      return;
    }
    if (serverReadable(src) && !bool(attrs.spectrogram, false)) {
      setMessage("Computing the waveform…", "busy");
      const result = await fetchPeaks(src, aborter.signal);
      if (aborter.signal.aborted) return;
      if ("peaks" in result) {
        const { peaks } = result;
        state.channels = peaks.channels.length;
        state.peaksPerSecond = peaks.peaksPerSecond;
        if (split && state.channels > 1) applyChannels(state.channels);
        const drawn = peaks.channels.length > 1 && !split ? peaks.channels.slice(0, 2) : peaks.channels;
        await ws.load(url, drawn, peaks.duration);
        becomeReady(peaks.duration);
        return;
      }
      serverProblem = `the server could not read it (${result.error.replace(/\.$/, "")})`;
      setMessage(`${serverProblem[0].toUpperCase()}${serverProblem.slice(1)}; decoding it in the browser…`, "busy");
    }
    try {
      await ws.load(url);
    } catch (error) {
      if (!aborter.signal.aborted && !state.ready) failWaveform(`the browser could not decode it (${error instanceof Error ? error.message : error})`);
    }
  }
  if (bool(attrs.spectrogram, false)) {
    import("./audio-spectrogram.js").then(({ addSpectrogram }) => addSpectrogram(ws, root, split)).catch(() => {});
  }
  load().catch((error) => {
    if (!aborter.signal.aborted) failWaveform(String(error instanceof Error ? error.message : error));
  });

  // --- hotkeys -------------------------------------------------------------------------------
  const group_ = "Audio";
  ctx.hotkey(playHotkey ? `ctrl+p, ${playHotkey}` : "ctrl+p", () => playPause(), { description: "Play / pause", group: group_, allowInInputs: true });
  ctx.hotkey("ctrl+b", () => skip(-1), { description: "Back 1 second", group: group_, allowInInputs: true });
  ctx.hotkey("alt+a", () => skip(-1), { description: "Step back 1 second", group: group_ });
  ctx.hotkey("alt+d", () => skip(1), { description: "Step forward 1 second", group: group_ });

  // --- store -------------------------------------------------------------------------------
  const offStore = store.subscribe((change) => {
    if (change.kind === "arm") return;
    layer.refresh();
    draw();
  });
  const themeObserver = new MutationObserver(() => {
    ws.setOptions(themeColors(root));
    if (split && state.channels > 1) applyChannels(state.channels);
  });
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
  draw();

  return () => {
    aborter.abort();
    cancelAnimationFrame(frame);
    cancelAnimationFrame(wheel.frame);
    themeObserver.disconnect();
    offStore();
    offSync?.();
    for (const off of offs) off();
    wave.removeEventListener("wheel", onWheel);
    layer.dispose();
    ws.destroy();
    audio.removeAttribute("src");
    render(nothing, toolbar);
    render(nothing, status);
    el.replaceChildren();
  };
}
