// @ts-check
/** Counters of the widget's paint work, read by bench/ui_image_bench.py (through image.js). */

/** Time spent drawing frames, and region-layer redraws; reset freely. */
export const paintStats = { frames: 0, total: 0, max: 0, scenes: 0 };
