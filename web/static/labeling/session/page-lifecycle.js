// @ts-check
/**
 * The page around the session: activity and visibility feed the lead time, and leaving the page
 * (hidden tab, pagehide, beforeunload) writes the draft first; coming back online sends it.
 */

/** @typedef {import("./state.js").SessionState} SessionState */
/** @typedef {import("../leadtime.js").LeadTimer} LeadTimer */
/** @typedef {import("./draft-autosave.js").DraftAutosave} DraftAutosave */

/**
 * @param {{state: SessionState, timer: LeadTimer, autosave: DraftAutosave}} ctx
 * @returns {() => void} stop listening
 */
export function watchPage({ state, timer, autosave }) {
  const onActivity = () => timer.activity();
  const onVisibility = () => {
    timer.setVisible(document.visibilityState === "visible");
    if (document.visibilityState === "hidden") autosave.saveNow();
  };
  const onPageHide = () => autosave.saveNow();
  const onBeforeUnload = (/** @type {BeforeUnloadEvent} */ event) => {
    autosave.saveNow();
    if (autosave.hasUnsynced()) {
      state.sync?.flush();
      event.preventDefault();
      event.returnValue = "";
    }
  };
  const onOnline = () => state.sync?.flush();

  window.addEventListener("pagehide", onPageHide);
  document.addEventListener("pointerdown", onActivity, true);
  document.addEventListener("keydown", onActivity, true);
  document.addEventListener("wheel", onActivity, { capture: true, passive: true });
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("beforeunload", onBeforeUnload);
  window.addEventListener("online", onOnline);
  return () => {
    window.removeEventListener("pagehide", onPageHide);
    document.removeEventListener("pointerdown", onActivity, true);
    document.removeEventListener("keydown", onActivity, true);
    document.removeEventListener("wheel", onActivity, true);
    document.removeEventListener("visibilitychange", onVisibility);
    window.removeEventListener("beforeunload", onBeforeUnload);
    window.removeEventListener("online", onOnline);
  };
}
