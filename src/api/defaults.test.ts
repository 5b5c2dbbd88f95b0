import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultConfigDefaults } from "../config/features.js";
import { applyDefaults, defaultParamSpec, defaultResult, stripStatus } from "./defaults.js";
import type { KubeObject, ParamSpec } from "./types.js";

const cfg = defaultConfigDefaults();
const tr = (
  spec: Record<string, unknown>,
  metadata: KubeObject["metadata"] = { name: "tr" },
): KubeObject => ({
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata,
  spec,
});

describe("TaskRun defaults", () => {
  it("sets timeout 1h0m0s, the default service account, taskRef kind and the managed-by label", () => {
    const out = applyDefaults(tr({ taskRef: { name: "t" } }), cfg);
    assert.deepEqual(out.metadata, {
      name: "tr",
      labels: { "app.kubernetes.io/managed-by": "tekton-pipelines" },
    });
    assert.deepEqual(out["spec"], {
      taskRef: { name: "t", kind: "Task" },
      timeout: "1h0m0s",
      serviceAccountName: "default",
    });
  });

  it("uses the configured timeout minutes", () => {
    const out = applyDefaults(tr({ taskRef: { name: "t" } }), { ...cfg, defaultTimeoutMinutes: 5 });
    assert.equal((out["spec"] as { timeout: string }).timeout, "5m0s");
  });

  it("keeps user values, normalizing the timeout", () => {
    const out = applyDefaults(
      tr(
        { taskRef: { resolver: "git" }, timeout: "90s", serviceAccountName: "me" },
        { name: "x", labels: { "app.kubernetes.io/managed-by": "me" } },
      ),
      cfg,
    );
    assert.deepEqual(out["spec"], {
      taskRef: { resolver: "git" },
      timeout: "1m30s",
      serviceAccountName: "me",
    });
    assert.deepEqual(out.metadata.labels, { "app.kubernetes.io/managed-by": "me" });
  });

  it("leaves a malformed timeout for validation", () => {
    assert.equal(
      (applyDefaults(tr({ timeout: "soon" }), cfg)["spec"] as { timeout: string }).timeout,
      "soon",
    );
  });

  it("defaults the inline taskSpec and normalizes step timeouts", () => {
    const out = applyDefaults(
      tr({
        taskSpec: {
          params: [{ name: "a", default: ["x"] }],
          results: [{ name: "r" }],
          steps: [{ image: "i", timeout: "60s" }],
        },
      }),
      cfg,
    );
    assert.deepEqual((out["spec"] as { taskSpec: unknown }).taskSpec, {
      params: [{ name: "a", default: ["x"], type: "array" }],
      results: [{ name: "r", type: "string" }],
      steps: [{ image: "i", timeout: "1m0s" }],
    });
  });

  it("drops status and chains annotations on create only", () => {
    const obj = {
      ...tr(
        { taskRef: { name: "t" } },
        { name: "x", annotations: { "chains.tekton.dev/signed": "true", keep: "1" } },
      ),
      status: { podName: "p" },
    };
    const created = applyDefaults(obj, cfg, { create: true });
    assert.equal("status" in created, false);
    assert.deepEqual(created.metadata.annotations, { keep: "1" });
    const updated = applyDefaults(obj, cfg);
    assert.deepEqual(updated["status"], { podName: "p" });
    assert.equal(updated.metadata.annotations?.["chains.tekton.dev/signed"], "true");
  });

  it("does not modify its input", () => {
    const obj = tr({ taskSpec: { params: [{ name: "a" }], steps: [{ image: "i" }] } });
    const before = structuredClone(obj);
    applyDefaults(obj, cfg, { create: true });
    assert.deepEqual(obj, before);
  });
});

describe("param type inference", () => {
  const cases: Array<[string, ParamSpec, ParamSpec]> = [
    ["keeps an explicit type", { name: "p", type: "array" }, { name: "p", type: "array" }],
    [
      "object when properties are given",
      { name: "p", properties: { k: {} } },
      { name: "p", type: "object", properties: { k: { type: "string" } } },
    ],
    ["string without a default", { name: "p" }, { name: "p", type: "string" }],
    [
      "the default's type (array)",
      { name: "p", default: ["a"] },
      { name: "p", type: "array", default: ["a"] },
    ],
    [
      "the default's type (object)",
      { name: "p", default: { k: "v" } },
      { name: "p", type: "object", default: { k: "v" } },
    ],
    ["the default's type (string)", { name: "p", default: "v" }, { name: "p", type: "string", default: "v" }],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.deepEqual(defaultParamSpec(input), want));
});

describe("result defaults", () => {
  it("uses string, or object with properties", () => {
    assert.deepEqual(defaultResult({ name: "r" }), { name: "r", type: "string" });
    assert.deepEqual(defaultResult({ name: "r", properties: { a: {} } }), {
      name: "r",
      type: "object",
      properties: { a: { type: "string" } },
    });
  });
});

describe("other kinds", () => {
  it("defaults Task and StepAction params and results", () => {
    const task = applyDefaults(
      {
        apiVersion: "tekton.dev/v1",
        kind: "Task",
        metadata: { name: "t" },
        spec: { params: [{ name: "a" }], steps: [] },
      },
      cfg,
    );
    assert.deepEqual(task["spec"], { params: [{ name: "a", type: "string" }], steps: [] });
    const sa = applyDefaults(
      {
        apiVersion: "tekton.dev/v1beta1",
        kind: "StepAction",
        metadata: { name: "s" },
        spec: { results: [{ name: "r" }] },
      },
      cfg,
    );
    assert.deepEqual(sa["spec"], { results: [{ name: "r", type: "string" }] });
    assert.deepEqual(task.metadata, { name: "t" });
  });

  it("sets the service account on CustomRun and Run", () => {
    for (const kind of ["CustomRun", "Run"]) {
      const out = applyDefaults(
        { apiVersion: "tekton.dev/v1beta1", kind, metadata: { name: "c" }, spec: { timeout: "60s" } },
        cfg,
      );
      assert.deepEqual(out["spec"], { serviceAccountName: "default", timeout: "1m0s" });
    }
  });

  it("stripStatus removes status", () => {
    assert.deepEqual(stripStatus({ apiVersion: "v1", kind: "ConfigMap", metadata: {}, status: {} }), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {},
    });
  });
});
