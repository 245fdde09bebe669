// @ts-check
/**
 * Who is labeling, so the tabs can say "you": fetched once per page (the data manager opens many
 * tasks) and kept on the project as `__me`. A failure only costs that nicety.
 */

/** The signed-in user. @type {Promise<any>|null} */
let whoami = null;

/** @param {import("../runtime.js").LabelingApi} api @param {Record<string, any>|null} project */
export async function markCurrentUser(api, project) {
  try {
    whoami ||= api.get("/api/current-user/whoami");
    const me = await whoami;
    if (project && me?.id !== undefined) project.__me = me.id;
  } catch {
    whoami = null; // who made an annotation is a nicety on the tabs
  }
}
