// Pure rules of the project settings forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { changedFields, pick, validate } from "../static/app/projects/settings-forms.js";

test("pick takes only the section's fields", () => {
  const project = { title: "A", description: "d", color: "#fff", sampling: "Uniform sampling", label_config: "<View/>" };
  assert.deepEqual(pick("general", project), { title: "A", description: "d", color: "#fff", sampling: "Uniform sampling" });
  assert.deepEqual(pick("nothing", project), {});
});

test("changedFields sends only what differs", () => {
  assert.deepEqual(changedFields({ title: "B", color: "#fff" }, { title: "A", color: "#fff" }), { title: "B" });
  assert.deepEqual(changedFields({ title: "A" }, { title: "A" }), {});
});

test("validate mirrors the server's rules", () => {
  assert.deepEqual(validate({ title: "  " }), { title: "The project needs a name." });
  assert.equal(validate({ title: "x".repeat(201) }).title, "At most 200 characters.");
  assert.deepEqual(validate({ maximum_annotations: 0, overlap_cohort_percentage: 101 }), {
    maximum_annotations: "A whole number, 1 or more.",
    overlap_cohort_percentage: "A whole number from 0 to 100.",
  });
  assert.deepEqual(validate({ maximum_annotations: 3, overlap_cohort_percentage: 50, title: "ok" }), {});
  assert.ok(validate({ maximum_annotations: 1.5 }).maximum_annotations);
});
