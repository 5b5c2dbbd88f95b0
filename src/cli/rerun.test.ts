import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/types.js";
import { latestOf, rerunOf, rerunPrefix } from "./rerun.js";

void test("a rerun keeps the spec and the user's labels, drops cancel and Tekton's own labels", () => {
  const old = {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      name: "build-r-abcde",
      namespace: "ci",
      uid: "u",
      labels: { team: "blue", "tekton.dev/task": "build" },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", note: "x" },
    },
    spec: { taskRef: { name: "build" }, status: "TaskRunCancelled", statusMessage: "m" },
    status: { podName: "p" },
  } as unknown as KubeObject;
  assert.equal(rerunPrefix("build-r-abcde"), "build-r-");
  assert.deepEqual(rerunOf(old, rerunPrefix("build-r-abcde")), {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      generateName: "build-r-",
      namespace: "ci",
      labels: { team: "blue" },
      annotations: { note: "x" },
    },
    spec: { taskRef: { name: "build" } },
  });
});

void test("the latest run is the last created", () => {
  const at = (name: string, t: string) =>
    ({ metadata: { name, creationTimestamp: t } }) as unknown as KubeObject;
  assert.equal(
    latestOf([at("b", "2026-01-02T00:00:00Z"), at("a", "2026-01-03T00:00:00Z")])?.metadata.name,
    "a",
  );
  assert.equal(latestOf([]), undefined);
});
