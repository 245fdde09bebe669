// @ts-check
/**
 * The data manager's thumbnail of an Image column: the image (the first of a list, with a
 * count of the others), lazy-loaded; the file name when it cannot be shown.
 */
import { ensureImageStyles } from "./ui.js";

/**
 * A thumbnail for the data manager's table and grid: the image (the first of a list, with a
 * count), lazy-loaded.
 * @param {{el: HTMLElement, value: any, ctx?: any}} args
 */
export function preview({ el, value }) {
  ensureImageStyles();
  const list = Array.isArray(value) ? value.map(String) : [String(value ?? "")];
  const url = list[0] || "";
  const wrap = document.createElement("span");
  wrap.className = "li-thumb";
  if (/^(https?:|\/|data:image)/.test(url)) {
    const image = document.createElement("img");
    image.loading = "lazy";
    image.decoding = "async";
    image.alt = "";
    image.src = url;
    image.addEventListener("error", () => {
      wrap.textContent = url.startsWith("data:") ? "image" : url.split("/").pop() || url;
      wrap.classList.add("is-broken");
    });
    wrap.append(image);
  } else {
    wrap.textContent = url;
    wrap.classList.add("is-broken");
  }
  if (list.length > 1) {
    const badge = document.createElement("span");
    badge.className = "li-thumb-count";
    badge.textContent = `+${list.length - 1}`;
    wrap.append(badge);
  }
  wrap.title = list.join("\n").slice(0, 2000);
  el.replaceChildren(wrap);
  return () => wrap.remove();
}
