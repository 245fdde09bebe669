// @ts-check
/**
 * The parsing worker (a module worker): CSV/TSV bytes in, typed columns and their decimation
 * pyramids out, so a large file never blocks the page. The file is parsed while it downloads:
 * in  `{id, start: {options, size}}`, then `{id, chunk: ArrayBuffer}` as bytes arrive, then
 *     `{id, end: true}` (or `{id, bytes, options}`: a whole file at once);
 * out `{id, series, pyramids, timing}` or `{id, error, row, column}`; buffers are transferred.
 */
import { createDelimitedParser } from "./parse.js";
import { buildPyramid } from "./decimate.js";

/** @type {Map<number, {parser: ReturnType<typeof createDelimitedParser>, parse: number, failed: boolean}>} */
const jobs = new Map();

/** @param {number} id @param {unknown} error */
function fail(id, error) {
  const e = /** @type {any} */ (error);
  self.postMessage({ id, error: String(e?.message ?? e), row: e?.row, column: e?.column });
}

/** @param {number} id @param {ReturnType<typeof createDelimitedParser>} parser @param {number} parseMs */
function done(id, parser, parseMs) {
  let t0 = performance.now();
  const series = parser.finish();
  const t1 = performance.now();
  parseMs += t1 - t0;
  /** @type {Record<string, import("./decimate.js").Pyramid>} */
  const pyramids = {};
  /** @type {ArrayBuffer[]} */
  const transfer = [/** @type {ArrayBuffer} */ (series.time.buffer)];
  for (const [name, values] of Object.entries(series.columns)) {
    pyramids[name] = buildPyramid(values);
    transfer.push(/** @type {ArrayBuffer} */ (values.buffer));
    for (const level of pyramids[name].levels) transfer.push(/** @type {ArrayBuffer} */ (level.min.buffer), /** @type {ArrayBuffer} */ (level.max.buffer));
  }
  const pyramidMs = performance.now() - t1;
  /** @type {any} */ (self).postMessage({ id, series, pyramids, timing: { parse: parseMs, pyramids: pyramidMs } }, transfer);
}

/** @param {MessageEvent} event */
self.onmessage = (event) => {
  const { id } = event.data;
  try {
    if (event.data.bytes) {
      const parser = createDelimitedParser(event.data.options, event.data.bytes.byteLength);
      const t0 = performance.now();
      parser.push(new Uint8Array(event.data.bytes));
      done(id, parser, performance.now() - t0);
      return;
    }
    if (event.data.start) {
      jobs.set(id, { parser: createDelimitedParser(event.data.start.options, event.data.start.size || 0), parse: 0, failed: false });
      return;
    }
    const job = jobs.get(id);
    if (!job || job.failed) return;
    if (event.data.chunk) {
      const t0 = performance.now();
      job.parser.push(new Uint8Array(event.data.chunk));
      job.parse += performance.now() - t0;
    } else if (event.data.end) {
      jobs.delete(id);
      done(id, job.parser, job.parse);
    }
  } catch (error) {
    const job = jobs.get(id);
    if (job) job.failed = true; // the rest of the file is ignored; the first error is reported
    fail(id, error);
  }
};
