// @ts-check
/**
 * Which picture the widget shows: the task's image URL (or `valueList` of URLs), loading the
 * current one into an <img> (the stage is aria-busy until it is in), and paging through a
 * multi-image task.
 */

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */

/**
 * The image URLs of the task, and whether it is a multi-image task.
 * @param {Record<string, any>} attrs the Image tag's attributes @param {WidgetContext} ctx
 * @returns {{urls: string[], multi: boolean}}
 */
export function imageUrls(attrs, ctx) {
  const raw = attrs.valueList ? ctx.resolve(attrs.valueList) : ctx.resolve(attrs.value);
  const urls = (Array.isArray(raw) ? raw : raw == null || raw === "" ? [] : [raw]).map((u) => ctx.mediaUrl(String(u)));
  return { urls, multi: Boolean(attrs.valueList) || urls.length > 1 };
}

/**
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {Record<string, any>} deps.attrs the Image tag's attributes (crossOrigin)
 * @param {string} deps.name the Image tag's name (in the li-image-loaded event)
 * @param {string[]} deps.urls
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits a page change drops the shape being drawn
 * @param {HTMLElement} deps.el the widget's element (dispatches li-image-loaded)
 * @param {HTMLElement} deps.stage
 * @param {() => void} deps.onLoaded the picture is in (state.width / height are set)
 * @param {() => void} deps.onFailed there is no picture (state.error says why)
 * @param {() => void} deps.drawStatus
 */
export function createImageSource({ ctx, attrs, name, urls, state, edits, el, stage, onLoaded, onFailed, drawStatus }) {
  const img = new Image();
  img.decoding = "async";
  if (attrs.crossOrigin && attrs.crossOrigin !== "none") img.crossOrigin = String(attrs.crossOrigin);

  /** Load the current page's picture. */
  function load() {
    state.loaded = false;
    state.error = "";
    // Busy until the picture is in: clicks and drags before that are ignored.
    stage.setAttribute("aria-busy", "true");
    const url = urls[state.page];
    if (!url) {
      state.error = "This task has no image.";
      stage.setAttribute("aria-busy", "false");
      onFailed();
      return;
    }
    img.onload = () => {
      performance.mark("image:loaded");
      state.width = img.naturalWidth || img.width || 1;
      state.height = img.naturalHeight || img.height || 1;
      state.loaded = true;
      stage.setAttribute("aria-busy", "false");
      onLoaded();
      el.dispatchEvent(new CustomEvent("li-image-loaded", { bubbles: true, detail: { name, width: state.width, height: state.height } }));
    };
    img.onerror = () => {
      state.error = `The image could not be loaded (${url.startsWith("data:") ? "inline data" : url}).`;
      stage.setAttribute("aria-busy", "false");
      onFailed();
    };
    img.src = url;
  }

  /** Show another image of a multi-image task. @param {number} page */
  function goPage(page) {
    if (page < 0 || page >= urls.length || page === state.page) return;
    state.page = page;
    edits.draft = null;
    ctx.store.select(null);
    load();
    drawStatus();
  }

  return {
    img,
    load,
    goPage,
    dispose() {
      img.onload = img.onerror = null;
    },
  };
}
