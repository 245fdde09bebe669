// Pure rules of Settings › Cloud storage: status words, summaries, problems, request bodies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initialValues, locationOf, problemsOf, statusOf, storageBody, syncSummary } from "../static/app/projects/storage-model.js";

const S3 = {
  name: "s3", title: "Amazon S3", schemes: ["s3"],
  fields: [
    { name: "bucket", title: "Bucket", description: "", type: "string", default: null, required: true, secret: false, options: null },
    { name: "prefix", title: "Prefix", description: "", type: "string", default: null, required: false, secret: false, options: null },
    { name: "aws_secret_access_key", title: "Secret", description: "", type: "string", default: null, required: false, secret: true, options: null },
  ],
};

test("statuses read as words, with a badge kind", () => {
  assert.deepEqual(statusOf({ status: "initialized" }), { text: "Not synced yet", kind: "" });
  assert.equal(statusOf({ status: "in_progress" }).text, "Syncing…");
  assert.equal(statusOf({ status: "completed_with_errors" }).kind, "warning");
  assert.equal(statusOf({ status: "failed" }).kind, "danger");
});

test("location and summaries", () => {
  assert.equal(locationOf({ type: "s3", bucket: "b", prefix: "/img" }), "s3://b/img");
  assert.equal(locationOf({ type: "localfiles", path: "/data/x" }), "/data/x");
  assert.equal(syncSummary({ status: "completed", last_sync_count: 1, meta: { objects_skipped: 3 } }, "import"),
    "1 task added · 3 files already imported or filtered out");
  assert.equal(syncSummary({ status: "in_progress", meta: { objects_listed: 2000, tasks_created: 1000 } }, "import"),
    "2,000 files checked, 1,000 tasks added so far");
  assert.equal(syncSummary({ status: "completed", last_sync_count: 2, meta: {} }, "export"), "2 annotations written");
  assert.equal(syncSummary({ status: "initialized", last_sync_count: null }, "import"), "");
});

test("problems: the failure's first line, or the files a sync could not import", () => {
  const failed = problemsOf({ status: "failed", traceback: "S3 bucket 'x' does not exist.\nmore", meta: {} });
  assert.equal(failed.summary, "S3 bucket 'x' does not exist.");
  const partial = problemsOf({ status: "completed_with_errors", meta: { errors: ["'a.json' is not valid JSON"], error_count: 3 } });
  assert.deepEqual(partial, { summary: "3 files or rows could not be imported:", items: ["'a.json' is not valid JSON"], more: 2 });
  assert.equal(problemsOf({ status: "completed", meta: {} }).summary, "");
});

test("a new storage's body: fields by name, empty text as null, common options", () => {
  const values = { ...initialValues(S3, "import", null), bucket: " data ", aws_secret_access_key: "k", regex_filter: ".*" };
  const body = storageBody(S3, values, "import", 7, false);
  assert.equal(body.project, 7);
  assert.equal(body.bucket, "data");
  assert.equal(body.prefix, null);
  assert.equal(body.aws_secret_access_key, "k");
  assert.equal(body.regex_filter, ".*");
  assert.equal(body.use_blob_urls, true);
  assert.equal(body.presign_ttl, 15);
  assert.ok(!("can_delete_objects" in body));
});

test("editing keeps a stored secret unless a new one is typed", () => {
  const stored = { type: "s3", bucket: "b", prefix: "p", aws_secret_access_key: "__stored__", presign: false, presign_ttl: 5, title: "T" };
  const values = initialValues(S3, "import", stored);
  assert.equal(values.aws_secret_access_key, "");
  assert.equal(values.presign, false);
  assert.ok(!("aws_secret_access_key" in storageBody(S3, values, "import", 1, true)));
  assert.equal(storageBody(S3, { ...values, aws_secret_access_key: "new" }, "import", 1, true).aws_secret_access_key, "new");
});
