import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/types.js";
import { cancelPatch, gracefulStopPatch } from "./actions.js";
import { fieldPath, fieldProblems, lineOfField } from "./admission.js";
import { RERUN_OF_LABEL, rerunOf } from "./rerun.js";

test("finds the fields an admission denial names", () => {
  const message =
    'admission webhook "validation.webhook.pipeline.tekton.dev" denied the request: validation failed: invalid value: Bad_Name: spec.taskSpec.steps[0].name\nexpected exactly one, got neither: spec.taskRef, spec.taskSpec';
  assert.deepEqual(fieldProblems(message), [
    { message: "invalid value: Bad_Name", fields: ["spec.taskSpec.steps[0].name"] },
    { message: "expected exactly one, got neither", fields: ["spec.taskRef", "spec.taskSpec"] },
  ]);
  assert.deepEqual(fieldProblems("something else went wrong"), [
    { message: "something else went wrong", fields: [] },
  ]);
});

test("points a field at its line in the YAML, or at its nearest parent there", () => {
  const yaml =
    "apiVersion: tekton.dev/v1\nkind: TaskRun\nspec:\n  taskSpec:\n    steps:\n      - image: x\n        name: Bad_Name\n";
  assert.deepEqual(fieldPath("spec.taskSpec.steps[0].name"), ["spec", "taskSpec", "steps", 0, "name"]);
  assert.equal(lineOfField(yaml, "spec.taskSpec.steps[0].name"), 7);
  assert.equal(lineOfField(yaml, "spec.taskRef"), 3);
});

test("a rerun keeps the spec and user labels, drops status, the cancel request and engine labels", () => {
  const run: KubeObject = {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      name: "build-r-ab12c",
      namespace: "ci",
      uid: "u",
      resourceVersion: "7",
      labels: { app: "web", "tekton.dev/task": "build" },
    },
    spec: { taskRef: { name: "build" }, status: "TaskRunCancelled" },
    status: { podName: "p" },
  };
  assert.deepEqual(rerunOf(run), {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      generateName: "build-r-",
      namespace: "ci",
      labels: { app: "web", [RERUN_OF_LABEL]: "build-r-ab12c" },
    },
    spec: { taskRef: { name: "build" } },
  });
});

test("cancels each kind with its own spec.status and stops PipelineRuns gracefully", () => {
  assert.deepEqual(cancelPatch("TaskRun"), { spec: { status: "TaskRunCancelled" } });
  assert.deepEqual(cancelPatch("CustomRun"), { spec: { status: "RunCancelled" } });
  assert.deepEqual(cancelPatch("PipelineRun"), { spec: { status: "Cancelled" } });
  assert.equal(cancelPatch("Task"), undefined);
  assert.deepEqual(gracefulStopPatch(), { spec: { status: "StoppedRunFinally" } });
});
