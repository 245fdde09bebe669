// @ts-check
/** uPlot, through the page's import map (web/tsconfig.json maps the bare name to its types). */
import uPlotModule from "uplot";

/** @typedef {import("uplot")} UPlot */
/** @typedef {import("uplot").Options} UPlotOptions */

export const uPlot = uPlotModule;
