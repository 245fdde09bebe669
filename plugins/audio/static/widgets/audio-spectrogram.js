// @ts-check
/** `spectrogram="true"`: wavesurfer's spectrogram plugin under the waveform (decoded audio only). */
import { loadSpectrogram } from "./vendor.js";

/** @param {import("./vendor.js").WaveSurfer} ws @param {HTMLElement} root @param {boolean} split */
export async function addSpectrogram(ws, root, split) {
  const Spectrogram = await loadSpectrogram();
  ws.registerPlugin(Spectrogram.create({ height: 128, labels: true, splitChannels: split }));
  root.classList.add("has-spectrogram");
}
