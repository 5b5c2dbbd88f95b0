import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeStepTemplate } from "./steptemplate.js";

void test("merges env by name with the step's entries first and its values winning", () => {
  const merged = mergeStepTemplate(
    {
      env: [
        { name: "KEEP_THIS", value: "A_VALUE" },
        { name: "SOME_KEY", value: "ORIGINAL_VALUE" },
      ],
    },
    {
      image: "i",
      env: [
        { name: "NEW_KEY", value: "A_VALUE" },
        { name: "SOME_KEY", value: "NEW_VALUE" },
      ],
    },
  );
  assert.deepEqual(merged.env, [
    { name: "NEW_KEY", value: "A_VALUE" },
    { name: "KEEP_THIS", value: "A_VALUE" },
    { name: "SOME_KEY", value: "NEW_VALUE" },
  ]);
});

void test("fills fields the step leaves empty and keeps the step's own ones", () => {
  const merged = mergeStepTemplate(
    {
      image: "tmpl",
      command: ["/bin/tmpl"],
      workingDir: "/t",
      volumeMounts: [{ name: "data", mountPath: "/workspace/data" }],
      computeResources: { requests: { cpu: "1" }, limits: { memory: "1Gi" } },
    },
    {
      name: "s",
      image: "own",
      script: "echo",
      timeout: "1s",
      computeResources: { requests: { memory: "2Gi" } },
    },
  );
  assert.deepEqual(merged, {
    name: "s",
    image: "own",
    script: "echo",
    timeout: "1s",
    command: ["/bin/tmpl"],
    workingDir: "/t",
    volumeMounts: [{ name: "data", mountPath: "/workspace/data" }],
    computeResources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "1Gi" } },
  });
});

void test("uses the step's env entry when the merge would carry both value and valueFrom", () => {
  const merged = mergeStepTemplate(
    { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] },
    { env: [{ name: "X", value: "plain" }] },
  );
  assert.deepEqual(merged.env, [{ name: "X", value: "plain" }]);
});

void test("returns the step unchanged without a template", () => {
  const step = { image: "i" };
  assert.equal(mergeStepTemplate(undefined, step), step);
});
