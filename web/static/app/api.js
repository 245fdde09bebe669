// @ts-check
/**
 * The REST client every page and the labeling runtime use. Same-origin; the session cookie
 * authenticates and the CSRF cookie is echoed in a header on writes (as Django/Label Studio do).
 * Errors become ApiError with the server's `detail`, `validation_errors` and whole body.
 */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {any} body parsed JSON body (or {detail: text})
   */
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    /** @type {Record<string, string[]>|undefined} */
    this.validationErrors = body && body.validation_errors;
  }
}

/** @param {string} name */
function cookie(name) {
  const hit = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : "";
}

/**
 * @param {string} method
 * @param {string} path absolute path starting with /api/ (or any same-origin URL)
 * @param {{json?: any, body?: BodyInit, query?: Record<string, any>, signal?: AbortSignal, raw?: boolean}} [options]
 *   raw: return the Response itself (downloads, streams)
 * @returns {Promise<any>}
 */
export async function request(method, path, options = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(options.query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
  }
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = cookie("csrftoken");
  const response = await fetch(url, { method, headers, body, signal: options.signal, credentials: "same-origin" });
  if (!response.ok) {
    const text = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text || response.statusText };
    }
    const error = new ApiError(response.status, parsed);
    if (response.status === 401) window.dispatchEvent(new CustomEvent("labelloom:unauthorized", { detail: error }));
    throw error;
  }
  if (options.raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const api = {
  /** @param {string} path @param {Record<string, any>} [query] @param {{signal?: AbortSignal}} [opts] */
  get: (path, query, opts = {}) => request("GET", path, { query, ...opts }),
  /** @param {string} path @param {any} [json] */
  post: (path, json) => request("POST", path, { json }),
  /** @param {string} path @param {any} json */
  patch: (path, json) => request("PATCH", path, { json }),
  /** @param {string} path @param {any} json */
  put: (path, json) => request("PUT", path, { json }),
  /** @param {string} path @param {any} [json] */
  delete: (path, json) => request("DELETE", path, json === undefined ? {} : { json }),
  /** Multipart upload (imports). @param {string} path @param {FormData} form @param {Record<string, any>} [query] */
  upload: (path, form, query) => request("POST", path, { body: form, query }),
  request,
};

/** One readable sentence from any thrown value (for toasts and inline errors). @param {unknown} error */
export function errorText(error) {
  if (error instanceof ApiError) {
    const fields = error.validationErrors;
    if (fields && typeof fields === "object") {
      const first = Object.entries(fields)[0];
      if (first && !error.message.includes(String(first[1]))) return `${error.message}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
