import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { defaultConfigDefaults } from "../config/features.js";
import { ConversionError, TASK_DEPRECATIONS_ANNOTATION, convertToV1 } from "./convert.js";
import { applyDefaults } from "./defaults.js";
import type { KubeObject } from "./types.js";

const v1beta1 = (kind: string, spec: Record<string, unknown>, name = "x"): KubeObject => ({
  apiVersion: "tekton.dev/v1beta1",
  kind,
  metadata: { name },
  spec,
});

function rejected(obj: KubeObject): string {
  try {
    convertToV1(obj);
  } catch (err) {
    if (err instanceof ConversionError) return err.message;
    throw err;
  }
  return assert.fail("expected a ConversionError");
}

describe("PipelineRun v1beta1 → v1", () => {
  it("moves timeout, serviceAccountName and podTemplate and renames taskRunSpecs fields", () => {
    const out = convertToV1(
      v1beta1("PipelineRun", {
        pipelineRef: { name: "p" },
        timeout: "1h",
        serviceAccountName: "builder",
        podTemplate: { nodeSelector: { os: "linux" } },
        taskRunSpecs: [
          {
            pipelineTaskName: "build",
            taskServiceAccountName: "sa-build",
            taskPodTemplate: { nodeSelector: { a: "b" } },
            stepOverrides: [{ name: "s", resources: { requests: { memory: "1Gi" } } }],
          },
        ],
        serviceAccountNames: [{ taskName: "test", serviceAccountName: "sa-test" }],
        params: [{ name: "n", value: 3 }],
        managedBy: "someone",
      }),
    );
    assert.equal(out.apiVersion, "tekton.dev/v1");
    assert.deepEqual(out["spec"], {
      pipelineRef: { name: "p" },
      timeouts: { pipeline: "1h" },
      taskRunTemplate: { podTemplate: { nodeSelector: { os: "linux" } }, serviceAccountName: "builder" },
      taskRunSpecs: [
        {
          pipelineTaskName: "build",
          serviceAccountName: "sa-build",
          podTemplate: { nodeSelector: { a: "b" } },
          stepSpecs: [{ name: "s", computeResources: { requests: { memory: "1Gi" } } }],
        },
        { pipelineTaskName: "test", serviceAccountName: "sa-test" },
      ],
      params: [{ name: "n", value: "3" }],
    });
  });

  it("converts embedded task specs and keeps deprecated step fields in the annotation", () => {
    const out = convertToV1(
      v1beta1("PipelineRun", {
        pipelineSpec: {
          params: [{ name: "list", default: ["a"] }],
          tasks: [
            {
              name: "t",
              taskSpec: { steps: [{ image: "x", resources: { limits: { cpu: "1" } }, tty: true }] },
            },
          ],
        },
      }),
    );
    const spec = out["spec"] as {
      pipelineSpec: { params: unknown[]; tasks: Array<{ taskSpec: { steps: unknown[] } }> };
    };
    assert.deepEqual(spec.pipelineSpec.params, [{ name: "list", default: ["a"], type: "array" }]);
    assert.deepEqual(spec.pipelineSpec.tasks[0]?.taskSpec.steps, [
      { image: "x", computeResources: { limits: { cpu: "1" } } },
    ]);
    assert.equal(
      out.metadata.annotations?.[TASK_DEPRECATIONS_ANNOTATION],
      '{"t":{"deprecatedSteps":[{"name":"","resources":{},"tty":true}]}}',
    );
  });

  it("rejects what v1beta1 admission rejects", () => {
    assert.equal(
      rejected(v1beta1("PipelineRun", { pipelineRef: { name: "p", bundle: "reg/x:1" }, resources: [] })),
      "must not set the field(s): spec.pipelineRef.bundle, spec.resources",
    );
    assert.equal(
      rejected(
        v1beta1("PipelineRun", { pipelineRef: { name: "p" }, timeout: "1h", timeouts: { pipeline: "1h" } }),
      ),
      "must not set the field(s): spec.timeout, spec.timeouts",
    );
    assert.equal(
      rejected(
        v1beta1("Pipeline", {
          resources: [{ name: "src", type: "git" }],
          tasks: [{ name: "a", taskRef: { name: "t", bundle: "reg/t:1" }, resources: { inputs: [] } }],
        }),
      ),
      "must not set the field(s): spec.resources, spec.tasks[0].resources, spec.tasks[0].taskRef.bundle",
    );
  });
});

describe("Pipeline and PipelineRun defaults", () => {
  it("default timeouts, service account, task kinds and param types", () => {
    const pr = applyDefaults(
      {
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        metadata: { name: "pr", annotations: { "chains.tekton.dev/signed": "true", keep: "x" } },
        spec: {
          timeouts: { tasks: "30m" },
          pipelineSpec: {
            params: [
              { name: "a", default: ["x"] },
              { name: "o", properties: { k: {} } },
            ],
            tasks: [{ name: "t", taskRef: { name: "build" }, timeout: "90s" }],
            finally: [{ name: "f", taskRef: { resolver: "git" } }],
          },
        },
      },
      defaultConfigDefaults(),
      { create: true },
    );
    assert.deepEqual(pr.metadata.annotations, { keep: "x" });
    assert.deepEqual(pr["spec"], {
      timeouts: { tasks: "30m0s", pipeline: "1h0m0s" },
      taskRunTemplate: { serviceAccountName: "default" },
      pipelineSpec: {
        params: [
          { name: "a", default: ["x"], type: "array" },
          { name: "o", type: "object", properties: { k: { type: "string" } } },
        ],
        tasks: [{ name: "t", taskRef: { name: "build", kind: "Task" }, timeout: "1m30s" }],
        finally: [{ name: "f", taskRef: { resolver: "git" } }],
      },
    });
  });
});
