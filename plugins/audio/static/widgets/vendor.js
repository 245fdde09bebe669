// @ts-check
/**
 * wavesurfer.js, through the page's import map. The type checker (web/tsconfig.json) has no path
 * for the bare name from this folder, so the values are typed from web/node_modules here, once.
 */
// @ts-ignore -- resolved by the import map in the browser
import WaveSurferModule from "wavesurfer.js";

/** @typedef {import("../../../../web/node_modules/wavesurfer.js/dist/wavesurfer.js").default} WaveSurfer */

export const WaveSurferClass = /** @type {typeof import("../../../../web/node_modules/wavesurfer.js/dist/wavesurfer.js").default} */ (WaveSurferModule);

/** wavesurfer's spectrogram plugin, loaded only when a config asks for it. */
export async function loadSpectrogram() {
  // @ts-ignore -- resolved by the import map in the browser
  const module = await import("wavesurfer.js/dist/plugins/spectrogram.esm.js");
  return /** @type {typeof import("../../../../web/node_modules/wavesurfer.js/dist/plugins/spectrogram.js").default} */ (module.default);
}
