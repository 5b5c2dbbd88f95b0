import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { alphaFeatureFlags, defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import type { FeatureFlags } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";

const stable: FeatureFlags = { ...defaultFeatureFlags(), enableApiFields: "stable" };
const beta = defaultFeatureFlags();
const alpha = alphaFeatureFlags();

function pipeline(spec: Record<string, unknown>, name = "p"): KubeObject {
  return { apiVersion: "tekton.dev/v1", kind: "Pipeline", metadata: { name }, spec };
}

const step = { name: "s", image: "busybox", script: "echo hi" };
const t = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  taskSpec: { steps: [step] },
  ...extra,
});

function check(obj: KubeObject, features: FeatureFlags = beta): string {
  const err = validateResource(
    applyDefaults(obj, defaultConfigDefaults()),
    features,
    defaultConfigDefaults(),
  );
  return err === undefined ? "" : err.error();
}

describe("Pipeline validation", () => {
  const cases: Array<[string, KubeObject, string, FeatureFlags?]> = [
    ["accepts a one-task pipeline", pipeline({ tasks: [t("a")] }), ""],
    [
      "rejects an empty spec",
      pipeline({}),
      "expected at least one, got none: spec.description, spec.params, spec.resources, spec.tasks, spec.workspaces",
    ],
    [
      "reports a cycle",
      pipeline({ tasks: [t("a", { runAfter: ["b"] }), t("b", { runAfter: ["a"] })] }),
      'invalid value: cycle detected; task "a" depends on "b": spec.tasks',
    ],
    [
      "reports a cycle through result references",
      pipeline({
        tasks: [
          t("a", { params: [{ name: "x", value: "$(tasks.b.results.r)" }] }),
          t("b", { params: [{ name: "y", value: "$(tasks.a.results.r)" }] }),
        ],
      }),
      'invalid value: cycle detected; task "a" depends on "b": spec.tasks',
    ],
    [
      "reports an unknown runAfter",
      pipeline({ tasks: [t("a", { runAfter: ["nope"] })] }),
      "invalid value: couldn't add link between a and nope: task a depends on nope but nope wasn't present in Pipeline: spec.tasks",
    ],
    [
      "reports a result reference to an unknown task",
      pipeline({ tasks: [t("a", { params: [{ name: "x", value: "$(tasks.ghost.results.r)" }] })] }),
      "invalid value: couldn't add link between a and ghost: task a depends on ghost but ghost wasn't present in Pipeline: spec.tasks",
    ],
    [
      "rejects duplicate task names",
      pipeline({ tasks: [t("a"), t("a")] }),
      "expected exactly one, got both: spec.tasks[1].name\n" +
        "invalid value: task a is already present in Graph, can't add it again: duplicate pipeline task: spec.tasks",
    ],
    [
      "rejects a task name that is not a DNS label",
      pipeline({ tasks: [t("Bad_Name")] }),
      'invalid value "Bad_Name": spec.tasks[0].name\nPipeline Task name must be a valid DNS Label.For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
    ],
    [
      "requires taskRef or taskSpec",
      pipeline({ tasks: [{ name: "a" }] }),
      "expected exactly one, got neither: spec.tasks[0].taskRef, spec.tasks[0].taskSpec",
    ],
    [
      "names pipelineRef and pipelineSpec too under the alpha gate",
      pipeline({ tasks: [{ name: "a" }] }),
      "expected exactly one, got neither: spec.tasks[0].pipelineRef, spec.tasks[0].pipelineSpec, spec.tasks[0].taskRef, spec.tasks[0].taskSpec",
      alpha,
    ],
    [
      "rejects taskRef with taskSpec",
      pipeline({ tasks: [t("a", { taskRef: { name: "x" } })] }),
      "expected exactly one, got multiple: spec.tasks[0].taskRef, spec.tasks[0].taskSpec",
    ],
    [
      "gates pipelineSpec in a task behind alpha",
      pipeline({ tasks: [{ name: "a", pipelineSpec: { tasks: [t("b")] } }] }),
      'pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
    ],
    [
      "rejects a param used but not declared",
      pipeline({ tasks: [t("a", { params: [{ name: "x", value: "$(params.missing)" }] })] }),
      'non-existent variable in "$(params.missing)": spec.tasks[0].params[x]',
    ],
    [
      "rejects an undeclared param in an embedded step",
      pipeline({ tasks: [{ name: "a", taskSpec: { steps: [{ ...step, script: "echo $(params.nope)" }] } }] }),
      'non-existent variable in "echo $(params.nope)": spec.tasks[0].steps[0].script',
    ],
    [
      "rejects an array param used as a string",
      pipeline({
        params: [{ name: "arr", type: "array" }],
        tasks: [t("a", { params: [{ name: "x", value: "prefix $(params.arr[*])" }] })],
      }),
      'variable type invalid in "prefix $(params.arr[*])": spec.tasks[0].params[x]',
    ],
    [
      "rejects duplicate params on a task",
      pipeline({
        tasks: [
          t("a", {
            params: [
              { name: "x", value: "1" },
              { name: "x", value: "2" },
            ],
          }),
        ],
      }),
      'parameter names must be unique, the parameter "x" is also defined at: spec.tasks[0].params[1].name',
    ],
    [
      "rejects duplicate pipeline params",
      pipeline({ params: [{ name: "x" }, { name: "x" }], tasks: [t("a")] }),
      // Tekton checks the declarations once per section, under its path.
      "parameter appears more than once: spec.finally.params[x], spec.tasks.params[x]",
    ],
    [
      "rejects a default of the wrong type",
      pipeline({ params: [{ name: "x", type: "array", default: "s" }], tasks: [t("a")] }),
      '"array" type does not match default value\'s type: "string": spec.finally.params.x.default.type, spec.finally.params.x.type, spec.tasks.params.x.default.type, spec.tasks.params.x.type',
    ],
    [
      "rejects a workspace the pipeline does not declare",
      pipeline({ tasks: [t("a", { workspaces: [{ name: "src", workspace: "ghost" }] })] }),
      'invalid value: pipeline task "a" expects workspace with name "ghost" but none exists in pipeline spec: spec.tasks[0].workspaces[0]',
    ],
    [
      "rejects a workspace declared twice",
      pipeline({ workspaces: [{ name: "w" }, { name: "w" }], tasks: [t("a")] }),
      'invalid value: workspace with name "w" appears more than once: spec.workspaces[1]',
    ],
    [
      "rejects runAfter in finally",
      pipeline({ tasks: [t("a")], finally: [t("f", { runAfter: ["a"] })] }),
      "invalid value: no runAfter allowed under spec.finally, final task f has runAfter specified: spec.finally[0]",
    ],
    [
      "rejects finally without tasks",
      pipeline({ finally: [t("f")] }),
      "invalid value: spec.tasks is empty but spec.finally has 1 tasks: spec.finally",
    ],
    [
      "rejects a finally task reading another finally task's result",
      pipeline({
        tasks: [t("a")],
        finally: [t("f"), t("g", { params: [{ name: "x", value: "$(finally.f.results.r)" }] })],
      }),
      "invalid value: invalid task result reference, final task has task result reference from a final task f: spec.finally[1].params[x].value",
    ],
    [
      "rejects a finally task reading a result of an unknown task",
      pipeline({
        tasks: [t("a")],
        finally: [t("f", { params: [{ name: "x", value: "$(tasks.b.results.r)" }] })],
      }),
      "invalid value: invalid task result reference, final task has task result reference from a task b which is not defined in the pipeline: spec.finally[0].params[x].value",
    ],
    [
      "rejects execution status in a main task",
      pipeline({ tasks: [t("a"), t("b", { params: [{ name: "x", value: "$(tasks.a.status)" }] })] }),
      "invalid value: pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks: spec.tasks[1].params[x].value",
    ],
    [
      "rejects the status of an unknown task in finally",
      pipeline({
        tasks: [t("a")],
        finally: [t("f", { params: [{ name: "x", value: "$(tasks.zz.status)" }] })],
      }),
      "invalid value: pipeline task zz is not defined in the pipeline: spec.finally[0].params[x].value",
    ],
    [
      "accepts the aggregate status and a task's status in finally",
      pipeline({
        tasks: [t("a")],
        finally: [
          t("f", {
            params: [
              { name: "x", value: "$(tasks.status)" },
              { name: "y", value: "$(tasks.a.status)" },
            ],
          }),
        ],
      }),
      "",
    ],
    [
      "rejects a pipeline result that is not a task result",
      pipeline({ tasks: [t("a")], results: [{ name: "r", value: "plain" }] }),
      "invalid value: expected pipeline results to be task result expressions but an invalid expressions was found: spec.results[0].value\n" +
        "invalid value: expected pipeline results to be task result expressions but no expressions were found: spec.results[0].value\n" +
        "invalid value: referencing a nonexistent task: spec.results[0].value",
    ],
    [
      "rejects a pipeline result from a nonexistent task",
      pipeline({ tasks: [t("a")], results: [{ name: "r", value: "$(tasks.b.results.x)" }] }),
      "invalid value: referencing a nonexistent task: spec.results[0].value",
    ],
    [
      "rejects an unknown when operator",
      pipeline({ tasks: [t("a", { when: [{ input: "a", operator: "is", values: ["a"] }] })] }),
      'invalid value: operator "is" is not recognized. valid operators: in,notin: spec.tasks[0].when[0]',
    ],
    [
      "rejects a when without values",
      pipeline({ tasks: [t("a", { when: [{ input: "a", operator: "in", values: [] }] })] }),
      "invalid value: expecting non-empty values field: spec.tasks[0].when[0]",
    ],
    [
      "gates CEL in when",
      pipeline({ tasks: [t("a", { when: [{ cel: "'a' == 'a'" }] })] }),
      "feature flag enable-cel-in-whenexpression should be set to true to use CEL: 'a' == 'a' in WhenExpression: spec.tasks[0].when[0]",
    ],
    [
      "gates matrix behind beta",
      pipeline({ tasks: [t("a", { matrix: { params: [{ name: "x", value: ["1", "2"] }] } })] }),
      'matrix requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
      stable,
    ],
    [
      "rejects a param both in matrix and params",
      pipeline({
        tasks: [
          t("a", {
            params: [{ name: "x", value: "1" }],
            matrix: { params: [{ name: "x", value: ["1", "2"] }] },
          }),
        ],
      }),
      "expected exactly one, got both: spec.tasks[0].matrix[x], spec.tasks[0].params[x]",
    ],
    [
      "rejects more than 256 matrix combinations",
      pipeline({
        tasks: [
          t("a", {
            matrix: {
              params: [
                { name: "x", value: Array.from({ length: 20 }, (_, i) => String(i)) },
                { name: "y", value: Array.from({ length: 20 }, (_, i) => String(i)) },
              ],
            },
          }),
        ],
      }),
      "expected 0 <= 400 <= 256: spec.tasks[0].matrix",
    ],
    [
      "requires whole-array consumption of a matrixed task's results",
      pipeline({
        tasks: [
          t("a", { matrix: { params: [{ name: "x", value: ["1", "2"] }] } }),
          t("b", { params: [{ name: "y", value: "$(tasks.a.results.r)" }] }),
        ],
      }),
      "A matrixed pipelineTask can only be consumed in aggregate using [*] notation, but is currently set to tasks.a.results.r: ",
    ],
    [
      "rejects onError values other than continue and stopAndFail",
      pipeline({ tasks: [t("a", { onError: "ignore" })] }),
      'invalid value: ignore: spec.tasks[0].OnError\nPipelineTask OnError must be either "continue" or "stopAndFail"',
    ],
    [
      "rejects onError continue with retries",
      pipeline({ tasks: [t("a", { onError: "continue", retries: 2 })] }),
      'PipelineTask OnError cannot be set to "continue" when Retries is greater than 0: ',
    ],
    [
      "requires a custom task ref's apiVersion",
      pipeline({ tasks: [{ name: "a", taskRef: { kind: "Wait", name: "w" } }] }),
      "invalid value: custom task ref must specify apiVersion: spec.tasks[0].taskRef.apiVersion",
    ],
    [
      "rejects a malformed custom task apiVersion",
      pipeline({ tasks: [{ name: "a", taskRef: { apiVersion: "example.dev", kind: "Wait" } }] }),
      'invalid value: invalid apiVersion format "example.dev", must be in the format "group/version": spec.tasks[0].taskRef.apiVersion',
    ],
    [
      "accepts an embedded custom task spec",
      pipeline({
        tasks: [{ name: "a", taskSpec: { apiVersion: "example.dev/v1", kind: "Wait", spec: { d: "1s" } } }],
      }),
      "",
    ],
    [
      "rejects apiVersion next to steps in an embedded spec",
      pipeline({ tasks: [{ name: "a", taskSpec: { apiVersion: "example.dev/v1", steps: [step] } }] }),
      "invalid value: custom task spec must specify kind: spec.tasks[0].taskSpec.kind\n" +
        "taskSpec.apiVersion cannot be specified when using taskSpec.steps: spec.tasks[0].taskSpec.apiVersion",
    ],
    [
      "rejects an unknown variable prefix",
      pipeline({ tasks: [t("a", { params: [{ name: "x", value: "$(foo.bar)" }] })] }),
      'invalid value: invalid variable reference "$(foo.bar)", must start with a valid prefix: params, tasks, finally, context, workspaces, or results; if you meant a shell variable, use ${VAR} instead: spec.tasks[0].params[x].value',
    ],
    [
      "rejects an unknown context.pipelineRun key",
      pipeline({ tasks: [t("a", { params: [{ name: "x", value: "$(context.pipelineRun.foo)" }] })] }),
      'non-existent variable in "$(context.pipelineRun.foo)": spec.tasks.value',
    ],
    [
      "disallows inline task specs when disable-inline-spec has pipeline",
      pipeline({ tasks: [t("a")] }),
      "must not set the field(s): spec.tasks[0].taskSpec",
      { ...beta, disableInlineSpec: ["pipeline"] },
    ],
    [
      "gates resolver taskRefs behind beta",
      pipeline({
        tasks: [{ name: "a", taskRef: { resolver: "git", params: [{ name: "url", value: "u" }] } }],
      }),
      'resolver params requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": \n' +
        'resolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": \n' +
        'taskref.params requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": \n' +
        'taskref.resolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
      stable,
    ],
  ];
  for (const [name, obj, want, features] of cases) {
    it(name, () => assert.equal(check(obj, features), want));
  }
});
