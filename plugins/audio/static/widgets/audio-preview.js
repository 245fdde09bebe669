// @ts-check
/** The data manager's cell and card preview of an audio value: a compact player. */

/** @param {{el: HTMLElement, value: unknown}} args */
export function preview({ el, value }) {
  if (typeof value !== "string" || !value) {
    el.textContent = String(value ?? "");
    return () => el.replaceChildren();
  }
  const player = document.createElement("audio");
  player.controls = true;
  player.preload = "none";
  player.src = value;
  player.className = "la-preview";
  player.style.maxWidth = "100%";
  player.style.height = "32px";
  player.addEventListener("click", (e) => e.stopPropagation());
  el.append(player);
  return () => player.remove();
}
