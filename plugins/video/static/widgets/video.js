// @ts-check
/**
 * The Video object tag: an HTML5 player (play / pause, speed, mute, exact frame stepping, seek
 * on the timeline), box tracks of `VideoRectangle` drawn on one canvas over the frame (keyframes
 * and Label Studio's linear interpolation between them), and a timeline showing every track's
 * lifespan and keyframes and the `TimelineLabels` segments, which are created there by drag or
 * by a label hotkey pressed while playing (again to stop). Results are Label Studio's.
 *
 *   ../lib/track.js   frame / time maths and the keyframe model (node-tested)
 *   paint.js          painting of the boxes and of the timeline
 */
import { html, render, nothing } from "lit";
import { ensureStylesheet } from "@labelloom/sdk";
import { frameAt, seekTime, keyframeTime, framesIn, framesFromMeta, formatTime, boxAt, setKeyframe, deleteKeyframe, toggleInterpolation, nearestKeyframe, frameRange, boxFromCorners, moveBox } from "../lib/track.js";
import { paintBoxes, paintTimeline, corners, frameAtX, paintStats, RULER, ROW, HANDLE } from "./paint.js";

export { paintStats } from "./paint.js";

/** @typedef {import("@labelloom/sdk").Region} Region */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("./paint.js").Row} Row */

const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 4];

function ensureVideoStyles() {
  ensureStylesheet(new URL("../video.css", import.meta.url));
}

/** Server-side facts about an uploaded video (PyAV, cached): frames and duration before the browser knows them. */
async function fetchMeta(src) {
  if (!src.startsWith("/data/upload/")) return null;
  try {
    const response = await fetch(`/api/plugins/video/meta?url=${encodeURIComponent(src)}`, { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** @type {import("@labelloom/sdk").WidgetRender} */
export default function renderVideo({ el, model, ctx }) {
  ensureVideoStyles();
  const attrs = model.attrs || {};
  const name = String(attrs.name || "");
  const store = ctx.store;
  const controls = ctx.controlsFor(name);
  const rectControl = controls.find((c) => c.attrs?.name && ctx.store && c.tag.toLowerCase() === "videorectangle");
  const labelControls = controls.filter((c) => c.traits?.includes("labels"));
  const fpsValue = Number(ctx.resolve(attrs.frameRate ?? 24));
  const fps = Number.isFinite(fpsValue) && fpsValue > 0 ? fpsValue : 24;
  const height = Number(attrs.height) || 600;
  const minSpeed = Number(attrs.minPlaybackSpeed) || 1;
  const maxSpeed = Number(attrs.maxPlaybackSpeed) || Infinity;
  const speeds = SPEEDS.filter((s) => s >= Math.min(minSpeed, 1) && s <= maxSpeed && s >= minSpeed);
  const defaultSpeed = Number(attrs.defaultPlaybackSpeed) || 1;
  if (!speeds.includes(defaultSpeed)) speeds.push(defaultSpeed), speeds.sort((a, b) => a - b);
  const src = ctx.mediaUrl(String(ctx.resolve(attrs.value) ?? ""));

  const state = {
    frame: 1,
    framesCount: 0,
    duration: 0,
    playing: false,
    speed: defaultSpeed,
    muted: Boolean(attrs.muted),
    zoom: 1,
    panX: 0,
    panY: 0,
    ready: false,
    /** @type {any} */ gesture: null,
    /** @type {{start: number, from_name: string, labels: string[], color: string}|null} */ recording: null,
    /** @type {{start: number, end: number, from_name: string, labels: string[], color: string}|null} */ segmentDraft: null,
  };

  const root = document.createElement("div");
  root.className = "lv-video";
  const stage = document.createElement("div");
  stage.className = "lv-stage";
  stage.setAttribute("aria-busy", "true");
  if (ctx.readOnly) stage.classList.add("is-readonly");
  const video = document.createElement("video");
  video.preload = "auto";
  video.playsInline = true;
  video.muted = state.muted;
  video.style.height = `${height}px`;
  video.setAttribute("aria-label", `Video ${name}`);
  const overlay = document.createElement("canvas");
  overlay.setAttribute("aria-label", `Boxes on the video ${name}`);
  const frameWrap = document.createElement("div");
  frameWrap.className = "lv-frame-wrap";
  frameWrap.append(video, overlay);
  stage.append(frameWrap);
  const bar = document.createElement("div");
  bar.className = "lv-controls";
  const timeline = document.createElement("canvas");
  timeline.className = "lv-timeline";
  timeline.tabIndex = 0;
  timeline.setAttribute("role", "slider");
  timeline.setAttribute("aria-label", `Timeline of ${name}`);
  root.append(stage, bar, timeline);
  el.append(root);
  const og = /** @type {CanvasRenderingContext2D} */ (overlay.getContext("2d"));
  const tg = /** @type {CanvasRenderingContext2D} */ (timeline.getContext("2d"));

  // ---- regions as rows -------------------------------------------------------------------
  /** @param {string} from_name @param {string} label */
  const colorOf = (from_name, label) => {
    const control = ctx.byName(from_name);
    if (control && label) return ctx.labelColor(control, label);
    for (const c of labelControls) if (label) return ctx.labelColor(c, label);
    return "#5B8DEF";
  };
  /** @param {Region} region @returns {string} */
  function trackColor(region) {
    const label = (region.value.labels || [])[0];
    if (!label) return "#5B8DEF";
    const control = labelControls.find((c) => (c.children || []).some((ch) => String(ch.attrs?.alias || ch.attrs?.value) === label));
    return control ? ctx.labelColor(control, label) : colorOf("", label);
  }
  /** @returns {Row[]} */
  function rows() {
    const out = [];
    for (const r of store.regions(name)) {
      if (r.type === "videorectangle") out.push({ id: r.id, kind: "track", label: (r.value.labels || []).join(", "), color: trackColor(r), sequence: r.value.sequence || [], hidden: r.hidden, selected: store.selectedId === r.id });
      else if (r.type === "timelinelabels") {
        const labels = r.value.timelinelabels || [];
        out.push({ id: r.id, kind: "segment", label: labels.join(", "), color: colorOf(r.from_name, labels[0]), ranges: r.value.ranges || [], hidden: r.hidden, selected: store.selectedId === r.id });
      }
    }
    return /** @type {Row[]} */ (out);
  }
  const selectedTrack = () => {
    const r = store.selectedId ? store.region(store.selectedId) : undefined;
    return r && r.type === "videorectangle" && r.to_name === name ? r : undefined;
  };

  // ---- layout and painting ---------------------------------------------------------------
  let cachedRows = rows();
  let raf = 0;
  // data-painting: a paint is pending, so the overlay may not show the state yet (tests wait
  // for it to go before they read pixels).
  function schedule() {
    if (raf) return;
    raf = requestAnimationFrame(paint);
    overlay.toggleAttribute("data-painting", true);
  }
  function size() {
    const vw = video.videoWidth || 16;
    const vh = video.videoHeight || 9;
    const maxW = root.clientWidth || 800;
    let h = height;
    let w = (h * vw) / vh;
    if (w > maxW) (w = maxW), (h = (w * vh) / vw);
    video.style.width = `${w}px`;
    video.style.height = `${h}px`;
    const dpr = window.devicePixelRatio || 1;
    overlay.width = Math.round(w * dpr);
    overlay.height = Math.round(h * dpr);
    overlay.style.width = `${w}px`;
    overlay.style.height = `${h}px`;
    og.setTransform(dpr, 0, 0, dpr, 0, 0);
    const tw = timeline.clientWidth || maxW;
    const th = Math.max(Number(attrs.timelineHeight) || 64, RULER + ROW * Math.max(2, cachedRows.length) + 4);
    timeline.width = Math.round(tw * dpr);
    timeline.height = Math.round(th * dpr);
    timeline.style.height = `${th}px`;
    tg.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  function colors() {
    const cs = getComputedStyle(root);
    const v = (/** @type {string} */ n, /** @type {string} */ d) => cs.getPropertyValue(n).trim() || d;
    return { fg: v("--text", "#222"), muted: v("--text-muted", v("--text", "#666")), line: v("--border", "#ccc"), accent: v("--accent", "#3b82f6"), bg: v("--surface", "#fff") };
  }
  let palette = colors();
  function paint() {
    raf = 0;
    overlay.toggleAttribute("data-painting", false);
    const t0 = performance.now();
    const w = overlay.clientWidth;
    const h = overlay.clientHeight;
    const g = state.gesture;
    const draft = g && g.kind === "draw" ? { ...boxFromCorners(g.x0, g.y0, g.x1, g.y1), color: g.color } : null;
    const shown = g && (g.kind === "move" || g.kind === "resize") ? cachedRows.map((r) => (r.id === g.id ? { ...r, sequence: setKeyframe(r.sequence || [], state.frame, g.box, fps) } : r)) : cachedRows;
    paintBoxes(og, w, h, shown, state.frame, draft, ctx.settings.showLabels !== false);
    const pending = state.segmentDraft || (state.recording ? { start: state.recording.start, end: state.frame, color: state.recording.color } : null);
    paintTimeline(tg, timeline.clientWidth, timeline.clientHeight, shown, state.frame, state.framesCount || 1, fps, pending, palette);
    timeline.setAttribute("aria-valuemin", "1");
    timeline.setAttribute("aria-valuemax", String(state.framesCount || 1));
    timeline.setAttribute("aria-valuenow", String(state.frame));
    const spent = performance.now() - t0;
    paintStats.frames++;
    paintStats.total += spent;
    paintStats.max = Math.max(paintStats.max, spent);
  }

  // ---- player ----------------------------------------------------------------------------
  const channel = attrs.sync ? ctx.sync(String(attrs.sync)) : null;
  function setFrame(frame, { seek = true, publish = true } = {}) {
    const f = Math.max(1, Math.min(state.framesCount || Infinity, Math.round(frame)));
    state.frame = f;
    if (seek) video.currentTime = seekTime(f, fps);
    if (publish && channel) channel.publish({ type: "seek", time: seekTime(f, fps) });
    drawBar();
    schedule();
  }
  function step(delta) {
    if (state.playing) video.pause();
    setFrame(state.frame + delta);
  }
  function togglePlay() {
    if (video.paused) video.play().catch(() => {});
    else video.pause();
  }
  function onFrameTick() {
    const f = frameAt(video.currentTime, fps, state.framesCount);
    if (f !== state.frame) {
      state.frame = f;
      drawBar();
      schedule();
    }
  }
  const hasRvfc = "requestVideoFrameCallback" in HTMLVideoElement.prototype;
  function loop() {
    if (!state.playing) return;
    onFrameTick();
    if (hasRvfc) /** @type {any} */ (video).requestVideoFrameCallback(loop);
    else requestAnimationFrame(loop);
  }
  video.addEventListener("play", () => {
    state.playing = true;
    channel?.publish({ type: "play", time: video.currentTime });
    drawBar();
    loop();
  });
  video.addEventListener("pause", () => {
    state.playing = false;
    channel?.publish({ type: "pause", time: video.currentTime });
    onFrameTick();
    drawBar();
  });
  video.addEventListener("seeked", schedule);
  video.addEventListener("ended", () => finishRecording());
  video.addEventListener("loadedmetadata", () => {
    state.duration = state.duration || video.duration;
    state.framesCount = state.framesCount || framesIn(video.duration, fps);
    size();
    setFrame(state.frame, { publish: false });
  });
  video.addEventListener("loadeddata", () => {
    state.ready = true;
    stage.setAttribute("aria-busy", "false");
    performance.mark("video:first-frame");
    schedule();
  });
  video.playbackRate = state.speed;
  channel?.subscribe((m) => {
    if (m.type === "seek" && typeof m.time === "number") setFrame(frameAt(m.time, fps, state.framesCount), { publish: false });
    else if (m.type === "play") video.play().catch(() => {});
    else if (m.type === "pause") video.pause();
    else if (m.type === "speed" && m.speed) (video.playbackRate = m.speed), (state.speed = m.speed), drawBar();
  });
  fetchMeta(src).then((meta) => {
    const counted = framesFromMeta(meta, fps);
    if (meta && counted) {
      state.framesCount = counted;
      state.duration = Number(meta.duration) || state.duration;
      drawBar();
      schedule();
    }
    video.src = src;
  });

  // ---- tracks ----------------------------------------------------------------------------
  function armedBoxLabels() {
    const armed = store.armed(name);
    return armed && armed.type !== "timelinelabels" ? armed.labels : [];
  }
  /** @param {import("../lib/track.js").Box} box */
  function createTrack(box) {
    if (!rectControl) return;
    const labels = armedBoxLabels();
    const keyframe = { frame: state.frame, enabled: true, rotation: 0, x: box.x, y: box.y, width: box.width, height: box.height, time: keyframeTime(state.frame, fps) };
    /** @type {Record<string, any>} */
    const value = { framesCount: state.framesCount, duration: state.duration, sequence: [keyframe] };
    if (labels.length) value.labels = [...labels];
    store.createRegion({ from_name: String(rectControl.attrs.name), to_name: name, type: "videorectangle", value });
  }
  /** @param {string} id @param {(seq: any[]) => any[]} change */
  function editSequence(id, change) {
    const region = store.region(id);
    if (!region || region.locked || ctx.readOnly) return;
    const next = change(region.value.sequence || []);
    if (next !== region.value.sequence) store.updateRegion(id, { sequence: next });
  }
  // A Labels chip pressed on a selected track adds a `labels` item; Label Studio keeps a
  // track's labels inside its own value: fold them in.
  function foldLabels() {
    for (const region of store.regions(name)) {
      if (region.type !== "videorectangle") continue;
      const extra = region.items.find((it, i) => i > 0 && it.type === "labels" && Array.isArray(it.value?.labels));
      if (!extra || ctx.readOnly) continue;
      store.transact(() => {
        store.setRegionLabels(region.id, String(extra.from_name), "labels", []);
        const main = store.region(region.id)?.items[0];
        if (main) store.updateRegion(region.id, { labels: [...extra.value?.labels] });
      });
    }
  }

  // ---- zoom and pan of the frame (the overlay follows: its client rect is the zoomed frame) --
  function applyView() {
    const w = stage.clientWidth;
    const h = stage.clientHeight;
    state.panX = Math.min(0, Math.max(w - w * state.zoom, state.panX));
    state.panY = Math.min(0, Math.max(h - h * state.zoom, state.panY));
    frameWrap.style.transform = state.zoom === 1 ? "" : `translate(${state.panX}px, ${state.panY}px) scale(${state.zoom})`;
    drawBar();
  }
  /** @param {number} factor @param {number} [cx] @param {number} [cy] stage pixels to keep in place */
  function zoomBy(factor, cx = stage.clientWidth / 2, cy = stage.clientHeight / 2) {
    const next = Math.min(8, Math.max(1, state.zoom * factor));
    state.panX = cx - ((cx - state.panX) * next) / state.zoom;
    state.panY = cy - ((cy - state.panY) * next) / state.zoom;
    state.zoom = next;
    applyView();
  }
  stage.addEventListener("wheel", (e) => {
    if (!e.ctrlKey && !e.metaKey && state.zoom === 1) return; // plain wheel scrolls the page until zoomed in
    e.preventDefault();
    const r = stage.getBoundingClientRect();
    zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  // ---- pointer on the frame --------------------------------------------------------------
  /** @param {PointerEvent} e */
  const pct = (e) => {
    const r = overlay.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * 100, y: ((e.clientY - r.top) / r.height) * 100, px: e.clientX - r.left, py: e.clientY - r.top, w: r.width, h: r.height };
  };
  function hit(p) {
    for (const row of [...cachedRows].reverse()) {
      if (row.kind !== "track" || row.hidden) continue;
      const b = boxAt(row.sequence || [], state.frame);
      if (b && p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height) return { row, box: b };
    }
    return null;
  }
  function handleAt(p) {
    const track = selectedTrack();
    if (!track) return null;
    const b = boxAt(track.value.sequence || [], state.frame);
    if (!b) return null;
    const cs = corners((b.x / 100) * p.w, (b.y / 100) * p.h, (b.width / 100) * p.w, (b.height / 100) * p.h);
    const i = cs.findIndex(([cx, cy]) => Math.abs(cx - p.px) <= HANDLE && Math.abs(cy - p.py) <= HANDLE);
    return i >= 0 ? { track, box: b, corner: i } : null;
  }
  overlay.addEventListener("pointerdown", (e) => {
    if ((e.button === 1 || (e.button === 0 && e.altKey)) && state.zoom > 1) {
      e.preventDefault(); // middle button or Alt+drag pans a zoomed frame
      state.gesture = { kind: "pan", cx: e.clientX, cy: e.clientY, px: state.panX, py: state.panY };
      overlay.setPointerCapture(e.pointerId);
      return;
    }
    if (e.button !== 0 || !state.ready) return;
    if (state.playing) video.pause();
    const p = pct(e);
    const handle = ctx.readOnly ? null : handleAt(p);
    if (handle && !handle.track.locked) {
      const b = handle.box;
      const opposite = corners(b.x, b.y, b.width, b.height)[(handle.corner + 2) % 4];
      state.gesture = { kind: "resize", id: handle.track.id, ox: opposite[0], oy: opposite[1], box: { ...b } };
    } else {
      const found = hit(p);
      if (found) {
        store.select(found.row.id);
        const region = store.region(found.row.id);
        if (!ctx.readOnly && region && !region.locked) state.gesture = { kind: "move", id: found.row.id, sx: p.x, sy: p.y, start: found.box, box: found.box, moved: false };
      } else if (!ctx.readOnly && rectControl) {
        store.select(null);
        const labels = armedBoxLabels();
        state.gesture = { kind: "draw", x0: p.x, y0: p.y, x1: p.x, y1: p.y, color: labels[0] ? colorOf("", labels[0]) : "#5B8DEF" };
      } else store.select(null);
    }
    if (state.gesture) overlay.setPointerCapture(e.pointerId);
    schedule();
  });
  overlay.addEventListener("pointermove", (e) => {
    const g = state.gesture;
    if (!g) return;
    if (g.kind === "pan") {
      state.panX = g.px + e.clientX - g.cx;
      state.panY = g.py + e.clientY - g.cy;
      return applyView();
    }
    const p = pct(e);
    if (g.kind === "draw") (g.x1 = p.x), (g.y1 = p.y);
    else if (g.kind === "move") (g.box = moveBox(g.start, p.x - g.sx, p.y - g.sy)), (g.moved = g.moved || Math.abs(p.x - g.sx) + Math.abs(p.y - g.sy) > 0.2);
    else if (g.kind === "resize") g.box = { ...boxFromCorners(g.ox, g.oy, p.x, p.y), rotation: g.box.rotation };
    schedule();
  });
  const endGesture = () => {
    const g = state.gesture;
    state.gesture = null;
    if (!g) return;
    if (g.kind === "draw") {
      const box = boxFromCorners(g.x0, g.y0, g.x1, g.y1);
      if (box.width > 0.5 && box.height > 0.5) createTrack(box);
    } else if ((g.kind === "move" && g.moved) || (g.kind === "resize" && g.box.width > 0.2 && g.box.height > 0.2)) {
      editSequence(g.id, (seq) => setKeyframe(seq, state.frame, g.box, fps));
    }
    schedule();
  };
  overlay.addEventListener("pointerup", endGesture);
  overlay.addEventListener("pointercancel", () => ((state.gesture = null), schedule()));

  // ---- timeline ----------------------------------------------------------------------------
  function armedSegment() {
    const armed = store.armed(name);
    return armed && armed.type === "timelinelabels" && armed.labels.length ? armed : null;
  }
  /** @param {PointerEvent} e */
  const timelinePoint = (e) => {
    const r = timeline.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return { frame: frameAtX(x, r.width, state.framesCount || 1), row: y < RULER ? -1 : Math.floor((y - RULER) / ROW), x };
  };
  /** @type {any} */
  let scrub = null;
  timeline.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || !state.framesCount) return;
    if (state.playing) video.pause();
    const p = timelinePoint(e);
    const armed = ctx.readOnly ? null : armedSegment();
    timeline.setPointerCapture(e.pointerId);
    if (armed) {
      state.segmentDraft = { start: p.frame, end: p.frame, from_name: armed.from_name, labels: [...armed.labels], color: colorOf(armed.from_name, armed.labels[0]) };
      scrub = { kind: "segment" };
    } else {
      const row = cachedRows[p.row];
      if (row) store.select(row.id);
      scrub = { kind: "seek" };
    }
    setFrame(p.frame);
  });
  timeline.addEventListener("pointermove", (e) => {
    if (!scrub) return;
    const p = timelinePoint(e);
    if (scrub.kind === "segment" && state.segmentDraft) state.segmentDraft.end = p.frame;
    setFrame(p.frame);
  });
  timeline.addEventListener("pointerup", () => {
    if (scrub?.kind === "segment" && state.segmentDraft) {
      const d = state.segmentDraft;
      state.segmentDraft = null;
      createSegment(d.from_name, d.labels, d.start, d.end);
    }
    scrub = null;
    schedule();
  });
  timeline.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.preventDefault();
      step((e.key === "ArrowLeft" ? -1 : 1) * (e.shiftKey ? Math.round(fps) : 1));
    }
  });
  /** @param {string} from_name @param {string[]} labels @param {number} a @param {number} b */
  function createSegment(from_name, labels, a, b) {
    const range = frameRange(a, b, state.framesCount);
    store.createRegion({ from_name, to_name: name, type: "timelinelabels", value: { ranges: [range], timelinelabels: [...labels] } });
  }
  // A timeline label armed while playing starts a segment; disarming (the hotkey again) ends it.
  function finishRecording() {
    const r = state.recording;
    if (!r) return;
    state.recording = null;
    createSegment(r.from_name, r.labels, r.start, state.frame);
  }
  function onArm() {
    const armed = armedSegment();
    if (state.recording && (!armed || armed.labels.join("\n") !== state.recording.labels.join("\n"))) finishRecording();
    if (armed && state.playing && !state.recording && !ctx.readOnly) state.recording = { start: state.frame, from_name: armed.from_name, labels: [...armed.labels], color: colorOf(armed.from_name, armed.labels[0]) };
    schedule();
  }

  // ---- controls bar ----------------------------------------------------------------------
  function keyframeActions() {
    const track = selectedTrack();
    const seq = track?.value.sequence || [];
    const here = seq.find((/** @type {any} */ k) => k.frame === state.frame);
    const editable = Boolean(track && !track.locked && !ctx.readOnly);
    const shown = track ? boxAt(seq, state.frame) : null;
    return { track, seq, here, editable, shown };
  }
  function drawBar() {
    const k = keyframeActions();
    const interpolating = k.here ? k.here.enabled : null;
    render(
      html`<button type="button" aria-label=${state.playing ? "Pause" : "Play"} title="Play / pause (Ctrl+Alt+Space)" @click=${togglePlay}>${state.playing ? "❚❚ Pause" : "▶ Play"}</button>
        <button type="button" aria-label="Previous frame" title="Previous frame (Alt+←)" @click=${() => step(-1)}>◀︎ 1</button>
        <button type="button" aria-label="Next frame" title="Next frame (Alt+→)" @click=${() => step(1)}>1 ▶︎</button>
        <span class="lv-frame" aria-live="off">Frame <b data-frame=${state.frame}>${state.frame}</b> / ${state.framesCount || "…"} · ${formatTime((state.frame - 1) / fps)}</span>
        <label class="lv-hint" title="Playback speed">
          <select aria-label="Playback speed" @change=${(/** @type {Event} */ e) => {
            state.speed = Number(/** @type {HTMLSelectElement} */ (e.target).value);
            video.playbackRate = state.speed;
            channel?.publish({ type: "speed", speed: state.speed });
          }}>${speeds.map((s) => html`<option value=${s} ?selected=${s === state.speed}>${s}×</option>`)}</select></label>
        <button type="button" aria-pressed=${state.muted ? "true" : "false"} aria-label="Mute" @click=${() => {
          state.muted = !state.muted;
          video.muted = state.muted;
          drawBar();
        }}>${state.muted ? "Muted" : "Sound"}</button>
        <span class="lv-sep"></span>
        <button type="button" aria-label="Zoom out" title="Zoom out (Ctrl+wheel)" ?disabled=${state.zoom <= 1} @click=${() => zoomBy(1 / 1.25)}>−</button>
        <span class="lv-zoom" aria-label="Zoom">${Math.round(state.zoom * 100)}%</span>
        <button type="button" aria-label="Zoom in" title="Zoom in (Ctrl+wheel; Alt+drag or middle button pans)" ?disabled=${state.zoom >= 8} @click=${() => zoomBy(1.25)}>+</button>
        <button type="button" aria-label="Fit the frame" ?disabled=${state.zoom === 1} @click=${() => ((state.zoom = 1), (state.panX = state.panY = 0), applyView())}>Fit</button>
        ${rectControl
          ? html`<div class="lv-track-tools" role="group" aria-label="Keyframes of the selected track">
              <span class="lv-hint">${k.track ? `Track ${(k.track.value.labels || []).join(", ") || "(no label)"}` : "No track selected"}</span>
              <button type="button" aria-label="Previous keyframe" title="Previous keyframe (Ctrl+Alt+←)" @click=${() => jumpKeyframe(-1)}>◆◀︎</button>
              <button type="button" aria-label="Next keyframe" title="Next keyframe (Ctrl+Alt+→)" @click=${() => jumpKeyframe(1)}>▶︎◆</button>
              <button type="button" ?disabled=${!k.editable || !k.shown || Boolean(k.here)} title="Make this frame a keyframe of the selected track"
                @click=${() => k.track && k.shown && editSequence(k.track.id, (seq) => setKeyframe(seq, state.frame, k.shown, fps))}>Add keyframe</button>
              <button type="button" ?disabled=${!k.editable || !k.here || k.seq.length < 2} title="Delete the selected track's keyframe on this frame"
                @click=${() => k.track && editSequence(k.track.id, (seq) => deleteKeyframe(seq, state.frame))}>Delete keyframe</button>
              <button type="button" aria-pressed=${interpolating === null ? "false" : String(interpolating)} ?disabled=${!k.editable || (!k.here && !k.shown)}
                title="Interpolate the selected track from this keyframe to the next (off ends the track here)"
                @click=${() => k.track && editSequence(k.track.id, (seq) => toggleInterpolation(seq, state.frame, fps))}>Interpolation ${interpolating === false ? "off" : "on"}</button>
            </div>`
          : nothing}
        ${state.recording ? html`<span class="lv-hint" role="status">Recording “${state.recording.labels.join(", ")}” from frame ${state.recording.start}…</span>` : nothing}`,
      bar,
    );
  }
  /** @param {-1|1} direction */
  function jumpKeyframe(direction) {
    const track = selectedTrack();
    const seqs = track ? [track.value.sequence || []] : cachedRows.filter((r) => r.kind === "track").map((r) => r.sequence || []);
    const f = nearestKeyframe(seqs, state.frame, direction);
    if (f !== null) step(f - state.frame);
  }

  // ---- hotkeys (reference §9.1) ------------------------------------------------------------
  const group = "Video";
  ctx.hotkey("ctrl+alt+space", () => togglePlay(), { description: "Play / pause", group });
  ctx.hotkey("alt+left", () => step(-1), { description: "Previous frame", group });
  ctx.hotkey("alt+right", () => step(1), { description: "Next frame", group });
  ctx.hotkey("ctrl+alt+left", () => jumpKeyframe(-1), { description: "Previous keyframe", group });
  ctx.hotkey("ctrl+alt+right", () => jumpKeyframe(1), { description: "Next keyframe", group });
  ctx.hotkey("shift+ctrl+alt+left", () => step(1 - state.frame), { description: "First frame", group });
  ctx.hotkey("shift+ctrl+alt+right", () => step((state.framesCount || state.frame) - state.frame), { description: "Last frame", group });
  ctx.hotkey("shift+alt+left", () => step(-Math.round(fps)), { description: "Back one second", group });
  ctx.hotkey("shift+alt+right", () => step(Math.round(fps)), { description: "Forward one second", group });

  // ---- store -------------------------------------------------------------------------------
  const off = store.subscribe((change) => {
    if (change.kind === "arm") return onArm();
    if (change.kind === "edit") foldLabels();
    const before = cachedRows.length;
    cachedRows = rows();
    if (cachedRows.length !== before) size();
    drawBar();
    schedule();
  });
  const resize = new ResizeObserver(() => {
    size();
    schedule();
  });
  resize.observe(root);
  const theme = new MutationObserver(() => ((palette = colors()), schedule()));
  theme.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
  size();
  drawBar();
  schedule();

  return () => {
    off();
    resize.disconnect();
    theme.disconnect();
    cancelAnimationFrame(raf);
    state.playing = false;
    video.pause();
    video.removeAttribute("src");
    video.load();
    render(nothing, bar);
    root.remove();
  };
}

/**
 * The data manager's preview of a video value: a small muted player whose file is requested only
 * once the cell is on screen (ux.md P2: lists never load what they do not show).
 * @param {{el: HTMLElement, value: any}} args
 */
export function preview({ el, value }) {
  const v = document.createElement("video");
  v.muted = true;
  v.preload = "metadata";
  v.controls = false;
  v.style.maxWidth = "100%";
  v.style.maxHeight = "120px";
  v.setAttribute("aria-label", "Video");
  el.append(v);
  const load = () => (v.src = String(value ?? ""));
  const seen = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) (load(), seen?.disconnect());
      })
    : null;
  if (seen) seen.observe(v);
  else load();
  return () => {
    seen?.disconnect();
    v.removeAttribute("src");
    v.remove();
  };
}
