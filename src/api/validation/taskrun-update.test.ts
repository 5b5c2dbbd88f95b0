import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskRun } from "../types.js";
import { validateTaskRunUpdate } from "./taskrun-update.js";

const base: TaskRun = {
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata: { name: "tr" },
  spec: { timeout: "1h0m0s", taskRef: { name: "t", kind: "Task" } },
};
const started: TaskRun = {
  ...base,
  status: {
    startTime: "2026-01-01T00:00:00Z",
    conditions: [{ type: "Succeeded", status: "Unknown", reason: "Running" }],
  },
};
const done: TaskRun = {
  ...base,
  status: {
    startTime: "2026-01-01T00:00:00Z",
    conditions: [{ type: "Succeeded", status: "True", reason: "Succeeded" }],
  },
};

void test("a TaskRun that has not started may change its spec", () => {
  assert.equal(validateTaskRunUpdate(base, { ...base, spec: { ...base.spec, timeout: "5m0s" } }), undefined);
});

void test("a started TaskRun may only change status and statusMessage", () => {
  assert.equal(
    validateTaskRunUpdate(started, {
      ...started,
      spec: { ...started.spec, status: "TaskRunCancelled", statusMessage: "stop" },
    }),
    undefined,
  );
  assert.equal(
    validateTaskRunUpdate(started, { ...started, spec: { ...started.spec, timeout: "5m0s" } }),
    "invalid value: Once the TaskRun has started, only status and statusMessage updates are allowed: spec",
  );
  assert.equal(
    validateTaskRunUpdate(started, { ...started, spec: { ...started.spec, status: "TaskRunPending" } }),
    "invalid value: TaskRun cannot be Pending after it is started: spec.status",
  );
});

void test("a finished TaskRun accepts no spec change, but the same spec again", () => {
  assert.equal(validateTaskRunUpdate(done, { ...done, spec: { ...done.spec } }), undefined);
  assert.equal(
    validateTaskRunUpdate(done, { ...done, spec: { ...done.spec, status: "TaskRunCancelled" } }),
    "invalid value: Once the TaskRun is complete, no updates are allowed: spec",
  );
});
