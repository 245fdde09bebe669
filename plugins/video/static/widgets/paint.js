// @ts-check
/**
 * Painting of the Video widget: the boxes of every track on the current frame (one canvas,
 * cost linear in the tracks shown) and the timeline (tracks with their lifespans and keyframes,
 * timeline segments, the playhead).
 */
import { boxAt, lifespans } from "../lib/track.js";

/** @typedef {{id: string, kind: "track"|"segment", label: string, color: string, sequence?: any[], ranges?: {start: number, end: number}[], hidden: boolean, selected: boolean}} Row */

/** Paint timings of the Video widget (read by bench/ui_video_bench.py). */
export const paintStats = { frames: 0, total: 0, max: 0 };

export const RULER = 20;
export const ROW = 18;
export const GUTTER = 110;
export const HANDLE = 7;

/** @param {string} color @param {number} alpha */
function tint(color, alpha) {
  if (/^#[0-9a-f]{6}$/i.test(color)) {
    const n = parseInt(color.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

/**
 * @param {CanvasRenderingContext2D} g @param {number} w @param {number} h
 * @param {Row[]} rows @param {number} frame
 * @param {{x: number, y: number, width: number, height: number, color: string}|null} draft
 * @param {boolean} showLabels
 */
export function paintBoxes(g, w, h, rows, frame, draft, showLabels) {
  g.clearRect(0, 0, w, h);
  g.font = "12px system-ui, sans-serif";
  g.textBaseline = "bottom";
  for (const row of rows) {
    if (row.kind !== "track" || row.hidden || !row.sequence) continue;
    const box = boxAt(row.sequence, frame);
    if (!box) continue;
    const x = (box.x / 100) * w;
    const y = (box.y / 100) * h;
    const bw = (box.width / 100) * w;
    const bh = (box.height / 100) * h;
    g.save();
    if (box.rotation) {
      g.translate(x, y);
      g.rotate((box.rotation * Math.PI) / 180);
      g.translate(-x, -y);
    }
    g.fillStyle = tint(row.color, row.selected ? 0.28 : 0.16);
    g.fillRect(x, y, bw, bh);
    g.lineWidth = row.selected ? 3 : 2;
    g.strokeStyle = row.color;
    g.setLineDash(box.keyframe ? [] : [6, 4]);
    g.strokeRect(x, y, bw, bh);
    g.setLineDash([]);
    if (row.selected) {
      g.fillStyle = "#fff";
      for (const [cx, cy] of corners(x, y, bw, bh)) {
        g.fillRect(cx - HANDLE / 2, cy - HANDLE / 2, HANDLE, HANDLE);
        g.strokeRect(cx - HANDLE / 2, cy - HANDLE / 2, HANDLE, HANDLE);
      }
    }
    if (showLabels && row.label) {
      const text = row.label;
      const tw = g.measureText(text).width + 8;
      g.fillStyle = row.color;
      g.fillRect(x, Math.max(0, y - 16), tw, 16);
      g.fillStyle = "#fff";
      g.fillText(text, x + 4, Math.max(16, y) - 2);
    }
    g.restore();
  }
  if (draft) {
    g.setLineDash([4, 3]);
    g.lineWidth = 2;
    g.strokeStyle = draft.color;
    g.strokeRect((draft.x / 100) * w, (draft.y / 100) * h, (draft.width / 100) * w, (draft.height / 100) * h);
    g.setLineDash([]);
  }
}

/** Corners of a box, clockwise from the top-left. */
export function corners(x, y, w, h) {
  return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
}

/** The frame under an x position of the timeline (1..framesCount). */
export function frameAtX(px, width, framesCount) {
  const area = Math.max(1, width - GUTTER);
  const f = Math.floor(((px - GUTTER) / area) * framesCount) + 1;
  return Math.min(framesCount, Math.max(1, f));
}

/** Left edge of a frame on the timeline. */
export function xOfFrame(frame, width, framesCount) {
  return GUTTER + ((frame - 1) / Math.max(1, framesCount)) * (width - GUTTER);
}

/**
 * @param {CanvasRenderingContext2D} g @param {number} w @param {number} h
 * @param {Row[]} rows @param {number} frame @param {number} framesCount @param {number} fps
 * @param {{start: number, end: number, color: string}|null} pending
 * @param {{fg: string, muted: string, line: string, accent: string, bg: string}} colors
 */
export function paintTimeline(g, w, h, rows, frame, framesCount, fps, pending, colors) {
  g.clearRect(0, 0, w, h);
  const n = Math.max(1, framesCount);
  const fw = (w - GUTTER) / n;
  g.font = "11px system-ui, sans-serif";
  g.textBaseline = "middle";
  // Ruler: a tick per second, a label every few seconds.
  g.strokeStyle = colors.line;
  g.fillStyle = colors.muted;
  g.beginPath();
  g.moveTo(0, RULER + 0.5);
  g.lineTo(w, RULER + 0.5);
  const seconds = n / fps;
  const every = Math.max(1, Math.ceil(seconds / Math.max(1, (w - GUTTER) / 70)));
  for (let s = 0; s <= seconds; s += every) {
    const x = Math.round(GUTTER + s * fps * fw) + 0.5;
    g.moveTo(x, RULER - 6);
    g.lineTo(x, RULER);
    g.fillText(`${s}s`, x + 3, RULER / 2);
  }
  g.stroke();
  g.fillText("frames", 6, RULER / 2);
  rows.forEach((row, i) => {
    const top = RULER + i * ROW;
    if (row.selected) {
      g.fillStyle = tint(colors.accent, 0.12);
      g.fillRect(0, top, w, ROW);
    }
    g.fillStyle = row.color;
    g.fillRect(6, top + 5, 8, 8);
    g.fillStyle = colors.fg;
    g.fillText(clip(g, row.label || (row.kind === "track" ? "Track" : "Segment"), GUTTER - 24), 20, top + ROW / 2);
    const spans = row.kind === "track" ? lifespans(row.sequence || [], n) : row.ranges || [];
    g.fillStyle = tint(row.color, row.hidden ? 0.2 : row.kind === "track" ? 0.35 : 0.6);
    for (const s of spans) g.fillRect(GUTTER + (s.start - 1) * fw, top + 4, Math.max(2, (s.end - s.start + 1) * fw), ROW - 8);
    if (row.kind === "track") {
      for (const k of row.sequence || []) {
        const cx = GUTTER + (k.frame - 0.5) * fw;
        const cy = top + ROW / 2;
        g.beginPath();
        g.moveTo(cx, cy - 5);
        g.lineTo(cx + 5, cy);
        g.lineTo(cx, cy + 5);
        g.lineTo(cx - 5, cy);
        g.closePath();
        g.fillStyle = k.enabled ? row.color : colors.bg;
        g.fill();
        g.strokeStyle = row.color;
        g.lineWidth = 1.5;
        g.stroke();
      }
    }
  });
  if (pending) {
    const a = Math.min(pending.start, pending.end);
    const b = Math.max(pending.start, pending.end);
    g.fillStyle = tint(pending.color, 0.45);
    g.fillRect(GUTTER + (a - 1) * fw, RULER + 1, (b - a + 1) * fw, h - RULER - 1);
  }
  const px = GUTTER + (frame - 0.5) * fw;
  g.strokeStyle = colors.accent;
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(px, 0);
  g.lineTo(px, h);
  g.stroke();
}

/** @param {CanvasRenderingContext2D} g @param {string} text @param {number} max */
function clip(g, text, max) {
  if (g.measureText(text).width <= max) return text;
  let t = text;
  while (t.length > 1 && g.measureText(`${t}…`).width > max) t = t.slice(0, -1);
  return `${t}…`;
}
