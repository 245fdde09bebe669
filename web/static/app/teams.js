// @ts-check
/**
 * The signed-in user's organization role and permissions (GET /api/current-user/permissions),
 * fetched once per sign-in; pages and the router ask `can("projects.manage")` to hide what the
 * server would refuse anyway (the server checks every request: docs/permissions.md).
 */
import { api } from "./api.js";

/** @typedef {{role: string, role_label: string, permissions: string[], all_projects: boolean}} Permissions */

/** Label Studio Enterprise's role codes, in rank order. */
export const ROLES = [
  { value: "OW", label: "Owner" },
  { value: "AD", label: "Administrator" },
  { value: "MA", label: "Manager" },
  { value: "RE", label: "Reviewer" },
  { value: "AN", label: "Annotator" },
  { value: "DI", label: "Deactivated" },
];

/** @param {string} code */
export const roleLabel = (code) => ROLES.find((r) => r.value === code)?.label || code;

/** @type {Promise<Permissions>|null} */
let mine = null;
/** @type {Permissions|null} what `mine` resolved to, for synchronous checks while drawing */
let known = null;
/** @type {number|null} */
let mineFor = null;

/** The caller's permissions (cached per user id). @param {number} userId */
export function myPermissions(userId) {
  if (!mine || mineFor !== userId) {
    mineFor = userId;
    known = null;
    mine = api.get("/api/current-user/permissions").then(
      (/** @type {Permissions} */ out) => (known = out),
      (error) => ((mine = null), Promise.reject(error)),
    );
  }
  return /** @type {Promise<Permissions>} */ (mine);
}

/** Whether the signed-in user holds `permission`. @param {number} userId @param {string} permission */
export async function can(userId, permission) {
  try {
    return (await myPermissions(userId)).permissions.includes(permission);
  } catch {
    return true; // the server still decides; never lock the UI on a failed lookup
  }
}

/**
 * Whether the signed-in user holds `permission`, from what was fetched already (the frame loads
 * it before every page); true while unknown — the server refuses what the role may not do.
 * @param {string} permission
 */
export function canNow(permission) {
  return known ? known.permissions.includes(permission) : true;
}

export function forgetPermissions() {
  mine = null;
  known = null;
  mineFor = null;
}
