// @ts-check
/**
 * The label stream's history in this browser session (sessionStorage, per project): the tasks
 * opened so far and where the annotator is among them, so "previous task" can go back.
 */

/** @typedef {{ids: number[], pos: number}} StreamPosition */

/**
 * @param {() => number|string|undefined} projectId
 */
export function streamHistory(projectId) {
  const storageKey = () => `labelloom.stream.${projectId()}`;

  /** @returns {StreamPosition} */
  function read() {
    try {
      const h = JSON.parse(sessionStorage.getItem(storageKey()) || "null");
      if (h && Array.isArray(h.ids)) return h;
    } catch {
      // corrupted: start a new history
    }
    return { ids: [], pos: -1 };
  }

  /** @param {StreamPosition} h */
  function write(h) {
    sessionStorage.setItem(storageKey(), JSON.stringify({ ids: h.ids.slice(-200), pos: Math.min(h.pos, 199) }));
  }

  /** A newly opened task: forward history is dropped, the task moves to the end. @param {number} taskId */
  function push(taskId) {
    const h = read();
    const ids = h.ids.slice(0, h.pos + 1).filter((id) => id !== taskId);
    ids.push(taskId);
    write({ ids, pos: ids.length - 1 });
  }

  return { read, write, push };
}

/** @typedef {ReturnType<typeof streamHistory>} StreamHistory */
