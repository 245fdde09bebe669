import assert from "node:assert/strict";
import { test } from "node:test";

test("placeholder until pure modules land", () => assert.equal(1, 1));
