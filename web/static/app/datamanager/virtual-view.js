// @ts-check
/**
 * What the list and the grid share: a scroller drawn once, repainted at most once a frame
 * (scroll and resize events come faster than frames), and torn down with its page requests.
 */
import { render, nothing } from "lit";
import * as m from "./model.js";

/** @typedef {import("./store.js").DMStore} DMStore */
/** @typedef {import("./table.js").TableHandlers} TableHandlers */

export class VirtualView {
  /** @param {HTMLElement} host @param {DMStore} store @param {TableHandlers} handlers */
  constructor(host, store, handlers) {
    this.host = host;
    this.store = store;
    this.handlers = handlers;
    /** @type {number|null} */
    this.activeTaskId = null;
    this.focusIndex = 0;
    this.firstIndex = 0; // the first task in view at the last paint
    this.scheduled = false;
    /** @type {ResizeObserver|null} */
    this.resizeObserver = null;
  }

  /** Repaint when the scroller changes size. @param {HTMLElement} scroller */
  observe(scroller) {
    this.resizeObserver = new ResizeObserver(() => this.schedule());
    this.resizeObserver.observe(scroller);
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.store.cancelRequest();
    render(nothing, this.host);
  }

  /** Paint on the next frame. */
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.frame();
    });
  }

  /** One frame's work; the list and the grid each paint their own. */
  frame() {}

  get total() {
    return this.store.rowCount;
  }

  /** Scroll so a task is in view. @param {number} index */
  reveal(index) {}

  /** @param {number} index */
  focusRow(index) {
    this.focusIndex = Math.max(0, Math.min(index, this.total - 1));
    this.reveal(this.focusIndex);
  }

  /** Enter opens the focused task, Space toggles its selection; false for any other key. @param {string} key */
  actOnFocused(key) {
    if (key !== "Enter" && key !== " ") return false;
    const task = this.store.row(this.focusIndex);
    if (task && key === "Enter") this.handlers.onOpen(task, this.focusIndex);
    if (task && key === " ") this.handlers.onSelection(m.toggle(this.store.selection, task.id));
    return true;
  }
}
