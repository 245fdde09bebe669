// @ts-check
/**
 * Loading a TimeSeries' data: inline JSON from the task (`valueType="json"`), or a CSV/TSV file
 * fetched through `ctx.mediaUrl` and parsed in a module worker (../lib/worker.js) so a large
 * file never blocks the page. Either way the result is typed columns plus their decimation
 * pyramids.
 */
import { fromJson, parseDelimited, SeriesError } from "../lib/parse.js";
import { buildPyramid } from "../lib/decimate.js";

/** @typedef {import("../lib/parse.js").Series} Series */
/** @typedef {import("../lib/decimate.js").Pyramid} Pyramid */
/** @typedef {{series: Series, pyramids: Record<string, Pyramid>}} Loaded */

/**
 * @param {Record<string, any>} attrs the TimeSeries' attributes
 * @param {import("@labelloom/sdk").WidgetContext} ctx
 * @param {string[]} columns the channels' columns
 * @returns {Promise<Loaded>}
 */
export async function loadSeries(attrs, ctx, columns) {
  const raw = ctx.resolve(attrs.value);
  const options = {
    sep: attrs.sep,
    timeColumn: attrs.timeColumn ?? null,
    timeFormat: attrs.timeFormat ?? null,
    columns,
  };
  if (raw == null || raw === "") throw new SeriesError(`The task has no data for ${String(attrs.value)}.`);
  if (attrs.valueType === "json" || (typeof raw === "object" && raw !== null)) {
    const series = fromJson(raw, options);
    /** @type {Record<string, Pyramid>} */
    const pyramids = {};
    for (const [name, values] of Object.entries(series.columns)) pyramids[name] = buildPyramid(values);
    return { series, pyramids };
  }
  const url = ctx.mediaUrl(String(raw));
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new SeriesError(`Could not load ${String(raw)} (HTTP ${response.status}).`);
  return parseInWorker(response, options);
}

let nextId = 1;

/**
 * Stream the response into the parsing worker (parsing overlaps the download), in pieces of
 * about a megabyte; without module workers, parse here.
 * @param {Response} response @param {import("../lib/parse.js").ParseOptions} options
 * @returns {Promise<Loaded>}
 */
async function parseInWorker(response, options) {
  /** @type {Worker} */
  let worker;
  try {
    worker = new Worker(new URL("../lib/worker.js", import.meta.url), { type: "module" });
  } catch {
    const series = parseDelimited(new Uint8Array(await response.arrayBuffer()), options);
    /** @type {Record<string, Pyramid>} */
    const pyramids = {};
    for (const [name, values] of Object.entries(series.columns)) pyramids[name] = buildPyramid(values);
    return { series, pyramids };
  }
  const id = nextId++;
  const result = new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const data = event.data;
      if (data?.id !== id) return;
      worker.terminate();
      if (data.error) reject(new SeriesError(data.error, { row: data.row, column: data.column }));
      else {
        const now = performance.now();
        performance.measure("timeseries:worker-parse", { start: now - data.timing.parse - data.timing.pyramids, duration: data.timing.parse });
        performance.measure("timeseries:worker-pyramids", { start: now - data.timing.pyramids, duration: data.timing.pyramids });
        resolve(/** @type {Loaded} */ ({ series: data.series, pyramids: data.pyramids }));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new SeriesError(`The file could not be parsed: ${event.message || "the parsing worker failed"}.`));
    };
  });
  const size = Number(response.headers.get("content-length")) || 0;
  worker.postMessage({ id, start: { options, size } });
  const reader = response.body?.getReader();
  if (!reader) {
    const bytes = await response.arrayBuffer();
    worker.postMessage({ id, chunk: bytes }, [bytes]);
  } else {
    /** @type {Uint8Array[]} */
    let pieces = [];
    let held = 0;
    const flush = () => {
      if (!held) return;
      const joined = new Uint8Array(held);
      let at = 0;
      for (const p of pieces) {
        joined.set(p, at);
        at += p.length;
      }
      worker.postMessage({ id, chunk: joined.buffer }, [joined.buffer]);
      pieces = [];
      held = 0;
    };
    let failed = false;
    result.catch(() => (failed = true));
    for (;;) {
      const { done, value } = await reader.read();
      if (done || failed) break;
      pieces.push(value);
      held += value.length;
      if (held >= 1 << 20) flush();
    }
    if (failed) reader.cancel().catch(() => {});
    flush();
  }
  performance.mark("timeseries:fetched");
  worker.postMessage({ id, end: true });
  return result;
}
