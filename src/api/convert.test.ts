import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { coerceParamValue } from "./convert-params.js";
import {
  ConversionError,
  configMapValues,
  convertToV1,
  secretStringValues,
  TASK_DEPRECATIONS_ANNOTATION,
} from "./convert.js";
import { loadDocuments } from "./load.js";
import type { KubeObject } from "./types.js";
import { tektonExamples } from "../../test/helpers/examples.js";

const EXAMPLES = tektonExamples("taskruns");

const obj = (apiVersion: string, kind: string, rest: Record<string, unknown>, name = "x"): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
  ...rest,
});

function conversionError(fn: () => unknown): ConversionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConversionError) return err;
    throw err;
  }
  return assert.fail("expected a ConversionError");
}

void describe("coerceParamValue", () => {
  void it("decodes values like Tekton's ParamValue.UnmarshalJSON", () => {
    assert.equal(coerceParamValue(true), "true");
    assert.equal(coerceParamValue(1), "1");
    assert.equal(coerceParamValue(1.5), "1.5");
    assert.equal(coerceParamValue(null), "");
    assert.deepEqual(coerceParamValue(["a", null]), ["a", ""]);
    assert.deepEqual(coerceParamValue({ k: "v" }), { k: "v" });
    assert.equal(coerceParamValue([1, "a"]), '[1,"a"]');
    assert.equal(coerceParamValue({ b: 1, a: "<x>" }), '{"a":"\\u003cx\\u003e","b":1}');
  });
});

void describe("convertToV1: Task", () => {
  const v1beta1Task = obj("tekton.dev/v1beta1", "Task", {
    spec: {
      params: [
        { name: "flag", default: true },
        { name: "list", default: ["a", "b"] },
        { name: "obj", properties: { k: {} } },
        { name: "plain" },
      ],
      stepTemplate: { image: "alpine", resources: { limits: { cpu: "1" } } },
      steps: [{ name: "s", image: "alpine", resources: { requests: { memory: "1Gi" } }, script: "echo" }],
      sidecars: [{ name: "sc", image: "alpine", resources: { limits: { memory: "1Gi" } } }],
      results: [{ name: "r" }],
    },
  });

  void it("renames resources to computeResources and infers param types before conversion", () => {
    const out = convertToV1(v1beta1Task);
    assert.deepEqual(out, {
      apiVersion: "tekton.dev/v1",
      kind: "Task",
      metadata: { name: "x" },
      spec: {
        params: [
          { name: "flag", default: "true", type: "string" },
          { name: "list", default: ["a", "b"], type: "array" },
          { name: "obj", properties: { k: {} }, type: "object" },
          { name: "plain", type: "string" },
        ],
        stepTemplate: { image: "alpine", computeResources: { limits: { cpu: "1" } } },
        steps: [
          { name: "s", image: "alpine", computeResources: { requests: { memory: "1Gi" } }, script: "echo" },
        ],
        sidecars: [{ name: "sc", image: "alpine", computeResources: { limits: { memory: "1Gi" } } }],
        results: [{ name: "r" }],
      },
    });
  });

  void it("does not modify its input", () => {
    const before = structuredClone(v1beta1Task);
    convertToV1(v1beta1Task);
    assert.deepEqual(v1beta1Task, before);
  });

  void it("moves v1beta1-only step fields into the task-deprecations annotation", () => {
    const out = convertToV1(
      obj("tekton.dev/v1beta1", "Task", {
        spec: {
          stepTemplate: { name: "tmpl", image: "alpine" },
          steps: [
            { name: "a", image: "alpine", ports: [{ containerPort: 80 }], tty: true },
            { name: "b", image: "alpine" },
          ],
        },
      }),
    );
    assert.deepEqual(out["spec"], {
      stepTemplate: { image: "alpine" },
      steps: [
        { name: "a", image: "alpine" },
        { name: "b", image: "alpine" },
      ],
    });
    assert.equal(
      out.metadata.annotations?.[TASK_DEPRECATIONS_ANNOTATION],
      '{"x":{"deprecatedSteps":[{"name":"","ports":[{"containerPort":80}],"resources":{},"tty":true},{"name":"","resources":{}}],"deprecatedStepTemplate":{"name":"tmpl","resources":{}}}}',
    );
  });

  void it("rejects v1beta1 PipelineResources like Tekton's admission does", () => {
    const err = conversionError(() =>
      convertToV1(obj("tekton.dev/v1beta1", "Task", { spec: { resources: { inputs: [] }, steps: [] } })),
    );
    assert.equal(err.message, "must not set the field(s): spec.resources");
  });

  void it("coerces scalar defaults in a v1 Task and leaves it otherwise unchanged", () => {
    const out = convertToV1(obj("tekton.dev/v1", "Task", { spec: { params: [{ name: "n", default: 3 }] } }));
    assert.deepEqual(out["spec"], { params: [{ name: "n", default: "3" }] });
  });
});

void describe("convertToV1: TaskRun", () => {
  void it("converts stepOverrides/sidecarOverrides to stepSpecs/sidecarSpecs and coerces every param", () => {
    const out = convertToV1(
      obj("tekton.dev/v1beta1", "TaskRun", {
        spec: {
          params: [{ name: "n", value: 1 }],
          taskRef: { resolver: "git", params: [{ name: "depth", value: 1 }] },
          stepOverrides: [{ name: "s", resources: { limits: { cpu: "1" } } }],
          sidecarOverrides: [{ name: "sc", resources: { limits: { cpu: "2" } } }],
          managedBy: "someone",
          podTemplate: { nodeSelector: { a: "b" } },
          timeout: "1h",
        },
        status: { podName: "p" },
      }),
    );
    assert.deepEqual(out, {
      apiVersion: "tekton.dev/v1",
      kind: "TaskRun",
      metadata: { name: "x" },
      spec: {
        params: [{ name: "n", value: "1" }],
        taskRef: { resolver: "git", params: [{ name: "depth", value: "1" }] },
        stepSpecs: [{ name: "s", computeResources: { limits: { cpu: "1" } } }],
        sidecarSpecs: [{ name: "sc", computeResources: { limits: { cpu: "2" } } }],
        podTemplate: { nodeSelector: { a: "b" } },
        timeout: "1h",
      },
    });
  });

  void it("converts an inline taskSpec, coercing defaults, step params and step ref params", () => {
    const out = convertToV1(
      obj("tekton.dev/v1beta1", "TaskRun", {
        spec: {
          taskSpec: {
            params: [{ name: "b", default: false }],
            steps: [
              { name: "s", image: "alpine", resources: { limits: { cpu: "1" } } },
              {
                name: "r",
                ref: { resolver: "git", params: [{ name: "n", value: 2 }] },
                params: [{ name: "p", value: true }],
              },
            ],
          },
        },
      }),
    );
    assert.deepEqual(out["spec"], {
      taskSpec: {
        params: [{ name: "b", default: "false", type: "string" }],
        steps: [
          { name: "s", image: "alpine", computeResources: { limits: { cpu: "1" } } },
          {
            name: "r",
            ref: { resolver: "git", params: [{ name: "n", value: "2" }] },
            params: [{ name: "p", value: "true" }],
          },
        ],
      },
    });
  });

  void it("rejects v1beta1 resources and taskRef.bundle with one merged message", () => {
    const err = conversionError(() =>
      convertToV1(
        obj("tekton.dev/v1beta1", "TaskRun", {
          spec: { resources: {}, taskRef: { name: "t", bundle: "reg/x:1" } },
        }),
      ),
    );
    assert.equal(err.message, "must not set the field(s): spec.resources, spec.taskRef.bundle");
  });

  void it('turns the YAML boolean default of alpha/produce-consume-artifacts.yaml into the string "true"', async () => {
    const [doc] = await loadDocuments([`${EXAMPLES}/alpha/produce-consume-artifacts.yaml`]);
    assert.ok(doc);
    const spec = convertToV1(doc.object)["spec"] as { taskSpec: { params: Array<{ default: unknown }> } };
    assert.equal(spec.taskSpec.params[0]?.default, "true");
  });
});

void describe("convertToV1: StepAction, CustomRun, Run", () => {
  void it("serves a v1alpha1 StepAction as v1beta1 with string defaults", () => {
    const out = convertToV1(
      obj("tekton.dev/v1alpha1", "StepAction", { spec: { image: "a", params: [{ name: "p", default: 1 }] } }),
    );
    assert.equal(out.apiVersion, "tekton.dev/v1beta1");
    assert.deepEqual(out["spec"], { image: "a", params: [{ name: "p", default: "1" }] });
  });

  void it("keeps CustomRun and Run in their own versions, coercing params and ref params", () => {
    const cr = convertToV1(
      obj("tekton.dev/v1beta1", "CustomRun", {
        spec: {
          customRef: { apiVersion: "w/v1", kind: "Wait", params: [{ name: "a", value: 1 }] },
          params: [{ name: "duration", value: 5 }],
        },
      }),
    );
    assert.equal(cr.apiVersion, "tekton.dev/v1beta1");
    assert.deepEqual(cr["spec"], {
      customRef: { apiVersion: "w/v1", kind: "Wait", params: [{ name: "a", value: "1" }] },
      params: [{ name: "duration", value: "5" }],
    });
    const run = convertToV1(
      obj("tekton.dev/v1alpha1", "Run", {
        spec: { ref: { kind: "K" }, params: [{ name: "b", value: false }] },
      }),
    );
    assert.equal(run.apiVersion, "tekton.dev/v1alpha1");
    assert.deepEqual(run["spec"], { ref: { kind: "K" }, params: [{ name: "b", value: "false" }] });
  });
});

void describe("secretStringValues and configMapValues", () => {
  void it("decodes Secret data and lets stringData win", () => {
    const secret = obj("v1", "Secret", {
      data: { user: Buffer.from("admin").toString("base64"), pass: Buffer.from("old").toString("base64") },
      stringData: { pass: "new" },
    });
    assert.deepEqual(secretStringValues(secret), { user: "admin", pass: "new" });
  });

  void it("rejects invalid base64 and non-string values, naming the key", () => {
    assert.throws(() => secretStringValues(obj("v1", "Secret", { data: { k: "not base64!" } }, "s")), {
      message: 'Secret "s": data.k: illegal base64 data',
    });
    assert.throws(() => configMapValues(obj("v1", "ConfigMap", { data: { port: 80 } }, "c")), {
      message: 'ConfigMap "c": data.port: must be a string, got number (quote it in YAML)',
    });
  });

  void it("merges ConfigMap data with decoded binaryData", () => {
    const cm = obj("v1", "ConfigMap", {
      data: { a: "1" },
      binaryData: { b: Buffer.from("two").toString("base64") },
    });
    assert.deepEqual(configMapValues(cm), { a: "1", b: "two" });
  });
});
