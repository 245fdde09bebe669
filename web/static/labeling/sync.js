// @ts-check
/**
 * The media sync channel: objects sharing a `sync="group"` attribute (Audio, Video, TimeSeries,
 * Paragraphs ...) tell each other where they are. One hub per mounted interface, so a preview
 * and a labeling view never drive each other. DOM-free (node-tested).
 *
 * A message is `{type, time, source, ...}`: `type` is "seek" (jump to `time`), "play" / "pause"
 * (at `time`), "speed" (`speed`), or "range" (`time` to `end`: a selection to show); `time` and
 * `end` are seconds. The sender never receives its own messages.
 */

/** @typedef {{type: "seek"|"play"|"pause"|"speed"|"range", time?: number, end?: number, speed?: number, source?: string}} SyncMessage */
/** @typedef {{publish: (message: SyncMessage) => void, subscribe: (listener: (message: SyncMessage) => void) => () => void}} SyncChannel */

export function createSyncHub() {
  /** @type {Map<string, Set<{source: string, listener: (message: SyncMessage) => void}>>} */
  const groups = new Map();
  return {
    /**
     * The channel of one group for one member (`source`, e.g. the object's name).
     * @param {string} group @param {string} source @returns {SyncChannel}
     */
    channel(group, source) {
      let members = groups.get(group);
      if (!members) groups.set(group, (members = new Set()));
      const set = members;
      return {
        publish(message) {
          for (const member of [...set]) {
            if (member.source === source) continue;
            try {
              member.listener({ ...message, source });
            } catch (error) {
              console.error(`sync listener of ${member.source} failed`, error); // one bad member never stops the others
            }
          }
        },
        subscribe(listener) {
          const member = { source, listener };
          set.add(member);
          return () => set.delete(member);
        },
      };
    },
  };
}
