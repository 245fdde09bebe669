// @ts-check
/**
 * A tracked job's progress in a small card (bottom right) until it ends: a data-manager action
 * that hands its work to a job (Retrieve predictions) answers `{job: {id, ...}}`; this follows
 * `GET /api/jobs/{id}` and says how it went.
 */
import { html, render } from "lit";
import { api, errorText } from "../api.js";
import { toast } from "../ui.js";

const POLL_MS = 500;

/** One sentence about a finished job's result. @param {any} result */
export function resultText(result) {
  if (!result || typeof result !== "object") return "";
  const parts = [];
  if (typeof result.predicted === "number") parts.push(`${result.predicted} predicted`);
  if (result.skipped) parts.push(`${result.skipped} already had this model version`);
  if (result.failed) parts.push(`${result.failed} failed`);
  return parts.join(", ");
}

/**
 * @param {{id: number}} job
 * @param {{title: string, onDone?: () => void}} options
 * @returns {Promise<any>} the job's final state
 */
export async function followJob(job, { title, onDone }) {
  const card = document.createElement("div");
  card.className = "job-progress card";
  card.setAttribute("role", "status");
  card.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:50;min-width:280px;padding:12px 14px;box-shadow:var(--shadow-lg, 0 6px 24px rgba(0,0,0,.18))";
  document.body.append(card);
  /** @param {number} progress @param {string} message */
  const draw = (progress, message) => render(html`<strong>${title}</strong>
    <progress style="display:block;width:100%;margin:8px 0 4px" max="1" .value=${progress} aria-label="${title} progress"></progress>
    <span class="muted">${Math.round(progress * 100)}% · ${message}</span>`, card);
  draw(0, "Queued");
  try {
    for (;;) {
      const state = await api.get(`/api/jobs/${job.id}`);
      if (state.status === "complete") {
        toast(`${title}: ${resultText(state.result) || "done"}`, { kind: state.result?.failed ? "error" : "success" });
        return state;
      }
      if (state.status === "failed" || state.status === "aborted") {
        toast(`${title} failed: ${state.error || state.status}`, { kind: "error" });
        return state;
      }
      draw(state.progress || 0, state.message || "Working");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    toast(`${title}: ${errorText(error)}`, { kind: "error" });
    return null;
  } finally {
    card.remove();
    onDone?.();
  }
}
