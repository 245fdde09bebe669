// @ts-check
/**
 * uPlot, through the page's import map. The type checker (web/tsconfig.json) has no path for the
 * bare name from this folder, so the value is typed from web/node_modules here, once.
 */
// @ts-ignore -- resolved by the import map in the browser
import uPlotModule from "uplot";

/** @typedef {import("../../../../web/node_modules/uplot/dist/uPlot.js")} UPlot */
/** @typedef {import("../../../../web/node_modules/uplot/dist/uPlot.js").Options} UPlotOptions */

export const uPlot = /** @type {typeof import("../../../../web/node_modules/uplot/dist/uPlot.js")} */ (uPlotModule);
