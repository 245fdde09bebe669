// @ts-check
/**
 * Waveform peaks computed once on the server (GET /api/plugins/audio/peaks?src=...): the
 * browser then streams the media element and draws these peaks instead of downloading and
 * decoding the whole file. Only uploaded files are read by the server; other sources are
 * decoded by the browser.
 */
import { decodePeaks } from "../lib/timeline.js";

/** @typedef {import("../lib/timeline.js").Peaks} Peaks */

/** Whether the server can compute peaks for this task value. @param {unknown} src */
export function serverReadable(src) {
  return typeof src === "string" && src.startsWith("/data/upload/");
}

/**
 * @param {string} src the task's value (`/data/upload/...`)
 * @param {AbortSignal} signal
 * @returns {Promise<{peaks: Peaks} | {error: string, decoder: boolean}>} `decoder`: the file
 *   itself could not be decoded (rather than the server being unreachable)
 */
export async function fetchPeaks(src, signal) {
  let response;
  try {
    response = await fetch(`/api/plugins/audio/peaks?src=${encodeURIComponent(src)}`, { signal, credentials: "same-origin" });
  } catch (error) {
    if (signal.aborted) throw error;
    return { error: `the server could not be reached (${error instanceof Error ? error.message : error})`, decoder: false };
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      detail = (await response.json()).detail || detail;
    } catch {
      /* not JSON */
    }
    return { error: detail, decoder: response.status === 422 };
  }
  try {
    return { peaks: decodePeaks(await response.arrayBuffer()) };
  } catch (error) {
    if (signal.aborted) throw error;
    return { error: String(error instanceof Error ? error.message : error), decoder: false };
  }
}
