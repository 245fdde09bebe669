// @ts-check
/**
 * Label changes between two configs, as the save flow of the labeling setup sees them (P7:
 * config changes are migrations, not walls). DOM-free (node-tested).
 *
 * Per control, the labels of the old config that the new one lacks are *vanished*; each needs a
 * decision: renamed to a label the new config adds, merged into a label both configs have, or
 * removed from results. Renames the visual editor recorded decide their label up front; a
 * control that gained exactly one label suggests renaming to it. The server's
 * `POST /api/projects/{id}/label-changes/preview` then says which of them results use.
 */
import { describeConfig } from "./config-model.js";

/** @typedef {import("./config-model.js").Rename} Rename */
/** @typedef {import("../catalogue.js").TagCatalogue} TagCatalogue */

/**
 * @typedef {object} Candidate  a vanished label of one control and what it becomes
 * @property {string} from_name
 * @property {string} from
 * @property {string} decision   "" (undecided), "remove", or the target label
 * @property {string[]} renames  labels only the new config has (a rename target)
 * @property {string[]} merges   labels both configs have (a merge target)
 */

/**
 * @typedef {{from_name: string, from: string, to: string} | {from_name: string, remove: string}} Change
 */

/**
 * Labels per control (controls whose labels come from task data are left out). A label is its
 * `alias` when it has one, as on the server.
 * @param {string} text @param {TagCatalogue} tags @returns {Map<string, string[]>|null} null: not well-formed XML
 */
export function labelsByControl(text, tags) {
  const model = describeConfig(text, tags);
  if (!model.ok) return null;
  /** @type {Map<string, string[]>} */
  const out = new Map();
  for (const control of model.controls) {
    if (control.dynamic || !control.name) continue;
    const labels = control.items.map((item) => item.alias || item.value).filter(Boolean);
    out.set(control.name, [...new Set(labels)]);
  }
  return out;
}

/**
 * The vanished labels of every control, with a first decision.
 * @param {Map<string, string[]>} before @param {Map<string, string[]>} after @param {Rename[]} [renames]
 * @returns {Candidate[]}
 */
export function vanishedLabels(before, after, renames = []) {
  /** @type {Candidate[]} */
  const out = [];
  for (const [name, oldLabels] of before) {
    const newLabels = after.get(name) ?? [];
    const kept = new Set(newLabels);
    const gone = oldLabels.filter((label) => !kept.has(label));
    if (!gone.length) continue;
    const had = new Set(oldLabels);
    const added = newLabels.filter((label) => !had.has(label));
    const merges = newLabels.filter((label) => had.has(label));
    const recorded = new Map(renames.filter((r) => r.from_name === name && kept.has(r.to)).map((r) => [r.from, r.to]));
    const claimed = new Set(recorded.values());
    const free = added.filter((label) => !claimed.has(label));
    const undecided = gone.filter((label) => !recorded.has(label));
    for (const label of gone) {
      let decision = recorded.get(label) ?? "";
      // one label out, one label in: most likely a rename typed in the XML
      if (!decision && undecided.length === 1 && free.length === 1) decision = free[0];
      out.push({ from_name: name, from: label, decision, renames: added, merges });
    }
  }
  return out;
}

/**
 * The API's change list. Undecided candidates are left out, or sent as removals with
 * `countUndecided` (counts do not depend on the decision: a preview can count them all).
 * @param {Candidate[]} candidates @param {{countUndecided?: boolean}} [options] @returns {Change[]}
 */
export function toChanges(candidates, options = {}) {
  /** @type {Change[]} */
  const out = [];
  for (const c of candidates) {
    if (c.decision === "remove" || (!c.decision && options.countUndecided)) out.push({ from_name: c.from_name, remove: c.from });
    else if (c.decision) out.push({ from_name: c.from_name, from: c.from, to: c.decision });
  }
  return out;
}

/** The kind of a decision, for wording. @param {Candidate} c @returns {"rename"|"merge"|"remove"|""} */
export function kindOf(c) {
  if (!c.decision) return "";
  if (c.decision === "remove") return "remove";
  return c.merges.includes(c.decision) ? "merge" : "rename";
}

/**
 * @typedef {object} Usage  one change of a preview answer
 * @property {string} from_name
 * @property {string} [from]
 * @property {string} [remove]
 * @property {number} annotations
 * @property {number} predictions
 * @property {number} drafts
 * @property {Example[]} examples
 */
/**
 * @typedef {object} Example
 * @property {string} source   annotation | prediction | draft
 * @property {number} id
 * @property {number} task
 * @property {any} before
 * @property {any} after      null when the item is deleted
 */

/** @param {Usage} u */
const labelOf = (u) => u.from ?? u.remove ?? "";
/** @param {{from_name: string}} u @param {string} label */
const keyOf = (u, label) => `${u.from_name}\u0000${label}`;

/**
 * Preview usage by candidate.
 * @param {Usage[]} changes the preview's `changes` @returns {Map<string, Usage>}
 */
export function usageByLabel(changes) {
  return new Map((changes || []).map((u) => [keyOf(u, labelOf(u)), u]));
}

/** @param {Map<string, Usage>} usage @param {Candidate} c @returns {Usage|undefined} */
export function usageOf(usage, c) {
  return usage.get(keyOf(c, c.from));
}

/** Rows a usage touches. @param {Usage|undefined} u */
export function touched(u) {
  return u ? u.annotations + u.predictions + u.drafts : 0;
}

/**
 * The candidates results use (the ones the dialog asks about).
 * @param {Candidate[]} candidates @param {Map<string, Usage>} usage
 */
export function inUse(candidates, usage) {
  return candidates.filter((c) => touched(usageOf(usage, c)) > 0);
}

/** "12 annotations · 1 prediction · 3 drafts" (zero counts left out; "nothing" when all zero). @param {Usage|undefined} u */
export function countsText(u) {
  if (!u) return "";
  /** @param {number} n @param {string} word */
  const part = (n, word) => (n ? `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}` : "");
  const parts = [part(u.annotations, "annotation"), part(u.predictions, "prediction"), part(u.drafts, "draft")].filter(Boolean);
  return parts.join(" · ") || "not used";
}

/** Every candidate results use has a decision. @param {Candidate[]} candidates @param {Map<string, Usage>} usage */
export function allDecided(candidates, usage) {
  return inUse(candidates, usage).every((c) => c.decision);
}

/**
 * Whether saving needs the migration dialog: some change touches results. Renames of unused
 * labels and vanished labels nobody used save as a plain config update.
 * @param {Candidate[]} candidates @param {Map<string, Usage>} usage
 */
export function needsMigration(candidates, usage) {
  return inUse(candidates, usage).length > 0;
}

/**
 * The labels of a result item, for a compact before/after line ("PER, ORG").
 * @param {any} item @returns {string}
 */
export function itemLabels(item) {
  if (!item || typeof item !== "object") return "";
  const value = item.value || {};
  /** @type {string[]} */
  const found = [];
  for (const key of [item.type, "labels"]) {
    const list = value[key];
    if (Array.isArray(list)) for (const l of list) if (typeof l === "string" && !found.includes(l)) found.push(l);
  }
  return found.join(", ");
}

/**
 * Where an item is, in words ("text 0–4 “Anna”", "x 10 y 20"), so users recognise it.
 * @param {any} item @returns {string}
 */
export function itemWhere(item) {
  const value = item?.value || {};
  if (typeof value.start === "number" || typeof value.start === "string") {
    const text = typeof value.text === "string" ? ` “${value.text.length > 40 ? value.text.slice(0, 39) + "…" : value.text}”` : "";
    return `${value.start}–${value.end}${text}`;
  }
  if (typeof value.x === "number" && typeof value.y === "number") return `x ${Math.round(value.x)} y ${Math.round(value.y)}`;
  return "";
}
