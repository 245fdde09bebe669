// @ts-check
/**
 * The widget's DOM skeleton: the frame holding the focusable stage (with its canvas) and the
 * toolbar, and the status line under it, sized from the Image tag's width / maxWidth / height.
 */

/**
 * @typedef {object} StageDom
 * @property {HTMLDivElement} frame
 * @property {HTMLDivElement} stage    focusable, receives every pointer and key event
 * @property {HTMLCanvasElement} canvas
 * @property {CanvasRenderingContext2D} g
 * @property {HTMLDivElement} toolbar
 * @property {HTMLDivElement} status
 */

/** @param {HTMLElement} el the widget's element @param {Record<string, any>} attrs @returns {StageDom} */
export function createStageDom(el, attrs) {
  el.classList.add("li-image");
  const frame = document.createElement("div");
  frame.className = "li-frame";
  const stage = document.createElement("div");
  stage.className = "li-stage";
  stage.tabIndex = 0;
  stage.setAttribute("role", "application");
  stage.setAttribute("aria-roledescription", "image annotation canvas");
  const canvas = document.createElement("canvas");
  canvas.className = "li-canvas";
  canvas.setAttribute("aria-hidden", "true");
  stage.append(canvas);
  const toolbar = document.createElement("div");
  toolbar.className = "li-toolbar";
  const status = document.createElement("div");
  status.className = "li-status";
  frame.append(stage, toolbar);
  el.append(frame, status);
  const maxWidth = String(attrs.maxWidth || "750px");
  frame.style.maxWidth = /^\d+$/.test(maxWidth) ? `${maxWidth}px` : maxWidth;
  if (attrs.width && attrs.width !== "100%") frame.style.width = String(attrs.width);
  if (attrs.height) stage.style.height = /^\d+$/.test(String(attrs.height)) ? `${attrs.height}px` : String(attrs.height);
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  return { frame, stage, canvas, g, toolbar, status };
}
