// @ts-check
/**
 * Pure helpers of the Cloud storage settings (no DOM): how a storage is named and what its
 * status means in words, and the request body a storage form becomes.
 */

export const SECRET_MARKER = "__stored__";
export const ACTIVE = new Set(["queued", "in_progress"]);

/** @typedef {{name: string, title: string, description: string, type: string, default: any, required: boolean, secret: boolean, options: any[]|null}} StorageField */
/** @typedef {{name: string, title: string, schemes: string[], fields: StorageField[]}} StorageType */

/** Label Studio's common fields, as the form shows them. */
export const COMMON = {
  import: [
    ["regex_filter", "File filter", "text", "A regular expression the object's key must match from its start, e.g. .*\\.(jpg|png). Empty: every object."],
    ["use_blob_urls", "Treat every object as a source file", "bool", "One task per image, audio or video file. Off: objects are JSON/JSONL task files."],
    ["recursive_scan", "Scan sub-folders too", "bool", "Off: only the objects directly under the prefix or folder."],
    ["presign", "Use pre-signed URLs", "bool", "The browser loads media straight from the bucket. Off: media goes through this server."],
    ["presign_ttl", "Pre-signed URLs expire after (minutes)", "number", ""],
  ],
  export: [
    ["can_delete_objects", "Delete objects when annotations are deleted", "bool", "Off: deleting an annotation leaves its object in the storage."],
  ],
};

/**
 * The status in words a non-engineer understands, and a badge style.
 * @param {Record<string, any>} storage
 * @returns {{text: string, kind: ""|"accent"|"success"|"danger"|"warning"}}
 */
export function statusOf(storage) {
  switch (storage.status) {
    case "queued": return { text: "Waiting to sync", kind: "accent" };
    case "in_progress": return { text: "Syncing…", kind: "accent" };
    case "completed": return { text: "Synced", kind: "success" };
    case "completed_with_errors": return { text: "Synced with problems", kind: "warning" };
    case "failed": return { text: "Failed", kind: "danger" };
    case "cancelled": return { text: "Stopped", kind: "" };
    default: return { text: "Not synced yet", kind: "" };
  }
}

/** What the storage connects to, for its card ("s3://bucket/prefix", a folder). @param {Record<string, any>} storage */
export function locationOf(storage) {
  if (storage.bucket) return `${storage.type}://${storage.bucket}${storage.prefix ? `/${String(storage.prefix).replace(/^\/+/, "")}` : ""}`;
  if (storage.container) return `${storage.container}${storage.prefix ? `/${storage.prefix}` : ""}`;
  if (storage.path) return String(storage.path);
  return storage.type;
}

/**
 * One line about the last sync ("120 tasks added"), or what a running sync has done so far.
 * @param {Record<string, any>} storage @param {"import"|"export"} role
 */
export function syncSummary(storage, role) {
  const meta = storage.meta || {};
  const noun = role === "import" ? "task" : "annotation";
  const verb = role === "import" ? "added" : "written";
  if (ACTIVE.has(storage.status)) {
    if (role === "export") return meta.annotations_written ? `${plural(meta.annotations_written, noun)} ${verb} so far` : "Starting…";
    if (!meta.objects_listed) return "Starting…";
    return `${plural(meta.objects_listed, "file")} checked, ${plural(meta.tasks_created || 0, noun)} ${verb} so far`;
  }
  if (storage.last_sync_count == null) return "";
  const parts = [`${plural(storage.last_sync_count, noun)} ${verb}`];
  if (role === "import" && meta.objects_skipped) parts.push(`${plural(meta.objects_skipped, "file")} already imported or filtered out`);
  return parts.join(" · ");
}

/** @param {number} count @param {string} noun */
export function plural(count, noun) {
  return `${Number(count).toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * The problems to show: the sync's per-file errors, else the first line of its failure.
 * @param {Record<string, any>} storage @returns {{summary: string, items: string[], more: number}}
 */
export function problemsOf(storage) {
  const meta = storage.meta || {};
  const items = Array.isArray(meta.errors) ? meta.errors.map(String) : [];
  if (storage.status === "failed" || (storage.status !== "completed_with_errors" && meta.last_write_error)) {
    const first = String(meta.last_write_error || storage.traceback || "The sync failed.").split("\n")[0];
    return { summary: first, items: items.filter((item) => item !== first), more: 0 };
  }
  if (storage.status === "completed_with_errors" && items.length) {
    const count = meta.error_count || items.length;
    return { summary: `${plural(count, "file")} or rows could not be imported:`, items, more: Math.max(0, count - items.length) };
  }
  return { summary: "", items: [], more: 0 };
}

/**
 * The request body of a storage form: the kind's fields by name (secrets left out when the
 * user kept the stored one), common fields, and the project.
 * @param {StorageType} kind @param {Record<string, any>} values @param {"import"|"export"} role
 * @param {number} project @param {boolean} editing
 */
export function storageBody(kind, values, role, project, editing) {
  /** @type {Record<string, any>} */
  const body = { project, title: String(values.title ?? "").trim(), description: String(values.description ?? "") };
  for (const field of kind.fields) {
    let value = values[field.name];
    if (field.secret && (value === "" || value === undefined || value === SECRET_MARKER)) {
      if (editing) continue; // keep the stored secret
      value = null;
    }
    if (field.type === "integer" || field.type === "number") value = value === "" || value == null ? null : Number(value);
    else if (field.type === "boolean") value = Boolean(value);
    else if (typeof value === "string") value = value.trim() === "" ? null : value.trim();
    body[field.name] = value ?? null;
  }
  for (const [name, , type] of COMMON[role]) {
    if (!(name in values)) continue;
    const value = values[name];
    body[name] = type === "bool" ? Boolean(value) : type === "number" ? Number(value) : String(value ?? "");
  }
  return body;
}

/** The form's starting values: a storage being edited, or the defaults of a new one. @param {StorageType} kind @param {"import"|"export"} role @param {Record<string, any>|null} storage */
export function initialValues(kind, role, storage) {
  /** @type {Record<string, any>} */
  const values = storage
    ? { title: storage.title || "", description: storage.description || "" }
    : { title: "", description: "", regex_filter: "", use_blob_urls: true, recursive_scan: false, presign: true, presign_ttl: 15, can_delete_objects: false };
  for (const field of kind.fields) {
    const stored = storage ? storage[field.name] : field.default;
    values[field.name] = field.secret ? "" : stored ?? "";
  }
  if (storage) for (const [name] of COMMON[role]) values[name] = storage[name] ?? "";
  return values;
}
