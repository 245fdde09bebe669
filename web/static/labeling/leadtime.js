// @ts-check
/**
 * `lead_time`: seconds of active work on an annotation. Time counts while the page is visible
 * and the annotator did something (key, pointer, wheel) in the last `idleAfter` seconds, so a tab
 * left open over lunch does not inflate it. DOM-free: the caller feeds activity and visibility.
 */
export class LeadTimer {
  /** @param {{now?: () => number, idleAfter?: number, base?: number}} [options] base: seconds already spent (previous sessions, the draft) */
  constructor(options = {}) {
    this.now = options.now || (() => Date.now());
    this.idleAfter = (options.idleAfter ?? 60) * 1000;
    this.base = options.base || 0;
    this.activeMs = 0;
    this.visible = true;
    this.lastActivity = this.now();
    this.lastTick = this.now();
  }

  /** Account for the time since the last tick (called before every state change and read). */
  tick() {
    const now = this.now();
    if (this.visible) {
      // Only the part of the interval within idleAfter of the last activity counts.
      const activeUntil = Math.min(now, this.lastActivity + this.idleAfter);
      if (activeUntil > this.lastTick) this.activeMs += activeUntil - this.lastTick;
    }
    this.lastTick = now;
  }

  activity() {
    this.tick();
    this.lastActivity = this.now();
  }

  /** @param {boolean} visible */
  setVisible(visible) {
    this.tick();
    this.visible = visible;
    if (visible) this.lastActivity = this.now();
  }

  /** Total seconds (base + active), rounded to milliseconds as Label Studio stores them. */
  seconds() {
    this.tick();
    return Math.round((this.base + this.activeMs / 1000) * 1000) / 1000;
  }

  /** Start over for another annotation. @param {number} [base] */
  reset(base = 0) {
    this.base = base;
    this.activeMs = 0;
    this.lastActivity = this.lastTick = this.now();
  }
}
