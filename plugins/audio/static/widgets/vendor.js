// @ts-check
/** wavesurfer.js, through the page's import map (web/tsconfig.json maps the bare names to its types). */
import WaveSurferModule from "wavesurfer.js";

/** @typedef {import("wavesurfer.js").default} WaveSurfer */

export const WaveSurferClass = WaveSurferModule;

/** wavesurfer's spectrogram plugin, loaded only when a config asks for it. */
export async function loadSpectrogram() {
  const module = await import("wavesurfer.js/dist/plugins/spectrogram.esm.js");
  return module.default;
}
