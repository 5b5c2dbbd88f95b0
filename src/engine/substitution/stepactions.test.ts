import { test } from "node:test";
import assert from "node:assert/strict";
import type { ParamSpec, StepAction, StepActionSpec, TaskSpec } from "../../api/types.js";
import { resolveParams } from "./params.js";
import { StepActionResolutionError, inlineStepActions } from "./stepactions.js";

function action(name: string, spec: StepActionSpec): StepAction {
  return { apiVersion: "tekton.dev/v1beta1", kind: "StepAction", metadata: { name }, spec };
}

function lookupOf(...actions: StepAction[]) {
  return (name: string) => actions.find((a) => a.metadata.name === name);
}

function bindError(
  params: ParamSpec[],
  given: Array<{ name: string; value: string | string[] }>,
  script = "x",
): string {
  const spec: TaskSpec = { steps: [{ name: "s", ref: { name: "sa" }, params: given }] };
  try {
    inlineStepActions(spec, lookupOf(action("sa", { image: "i", params, script })));
  } catch (err) {
    assert.ok(err instanceof StepActionResolutionError);
    assert.equal(err.stepName, "s");
    assert.equal(err.index, 0);
    return err.message;
  }
  assert.fail("expected a StepActionResolutionError");
}

void test("replaces a ref step by the StepAction and clears ref and params", () => {
  const spec: TaskSpec = {
    steps: [
      { name: "plain", image: "alpine" },
      {
        name: "run",
        ref: { name: "sa" },
        params: [{ name: "msg", value: "hi" }],
        workspaces: [{ name: "w" }],
      },
    ],
  };
  const sa = action("sa", {
    image: "img",
    command: ["echo"],
    args: ["$(params.msg)"],
    env: [{ name: "M", value: "$(params.msg)" }],
    workingDir: "/wd",
    params: [{ name: "msg" }],
    results: [{ name: "out" }],
  });
  const out = inlineStepActions(spec, lookupOf(sa));
  assert.deepEqual(out.steps, [
    { name: "plain", image: "alpine" },
    {
      name: "run",
      workspaces: [{ name: "w" }],
      image: "img",
      command: ["echo"],
      args: ["hi"],
      workingDir: "/wd",
      env: [{ name: "M", value: "hi" }],
      results: [{ name: "out" }],
    },
  ]);
});

void test("reports a missing StepAction with Tekton's message", () => {
  const spec: TaskSpec = { steps: [{ image: "i" }, { name: "x", ref: { name: "nope" } }] };
  assert.throws(() => inlineStepActions(spec, lookupOf()), {
    name: "StepActionResolutionError",
    message: 'failed to resolve step ref for step "x" (index 1): stepactions.tekton.dev "nope" not found',
  });
});

void test("rejects extra and missing step params with exact messages", () => {
  assert.equal(
    bindError(
      [{ name: "a", default: "d" }],
      [
        { name: "b", value: "1" },
        { name: "c", value: "2" },
      ],
    ),
    'failed to resolve step ref for step "s" (index 0): extra params passed by Step to StepAction: [b c]',
  );
  assert.equal(
    bindError([{ name: "a" }, { name: "b" }, { name: "c", default: "x" }], []),
    'failed to resolve step ref for step "s" (index 0): non-existent params in Step: [a b]',
  );
});

void test("resolves defaults that reference other params iteratively", () => {
  const spec: TaskSpec = {
    steps: [{ name: "s", ref: { name: "sa" }, params: [{ name: "first", value: "F" }] }],
  };
  const sa = action("sa", {
    image: "i",
    params: [
      { name: "third", default: "$(params.second)-3" },
      { name: "second", default: "$(params.first)-2" },
      { name: "first" },
    ],
    script: "$(params.third)",
  });
  assert.equal(inlineStepActions(spec, lookupOf(sa)).steps?.[0]?.script, "F-2-3");
});

void test("reports references to unknown params and cycles with exact messages", () => {
  assert.equal(
    bindError([{ name: "a", default: "$(params.zzz)" }], []),
    'failed to resolve step ref for step "s" (index 0): parameter "a" references non-existent parameter "zzz"',
  );
  assert.equal(
    bindError(
      [
        { name: "a", default: "$(params.b)" },
        { name: "b", default: "$(params.a)" },
      ],
      [],
    ),
    'failed to resolve step ref for step "s" (index 0): circular dependency detected in parameter references',
  );
});

void test("reports a type conflict between default and passed value", () => {
  assert.equal(
    bindError([{ name: "arr", type: "array", default: ["x"] }], [{ name: "arr", value: "str" }]),
    'failed to resolve step ref for step "s" (index 0): invalid parameter substitution: arr. Please check the types of the default value and the passed value',
  );
  assert.equal(
    bindError([{ name: "my-arr", type: "array", default: ["x"] }], [{ name: "my-arr", value: "str" }]),
    'failed to resolve step ref for step "s" (index 0): invalid parameter substitution: inputs.params.my-arr. Please check the types of the default value and the passed value',
  );
});

void test("binds TaskRun params, whole arrays and whole objects as in stepaction-params.yaml", () => {
  const sa = action("step-action", {
    image: "ubuntu",
    params: [
      { name: "string-param", default: "a string param" },
      { name: "array-param", type: "array", default: ["an", "array", "param"] },
      {
        name: "object-param",
        type: "object",
        properties: { key1: {}, key2: {}, key3: {} },
        default: { key1: "d1", key2: "d2", key3: "d3" },
      },
      { name: "enum-param", type: "object", properties: { v1: {} }, default: { v1: "enum1" } },
    ],
    env: [
      { name: "a0", value: "$(params.array-param[0])" },
      { name: "s", value: "$(params.string-param)" },
      { name: "k1", value: "$(params.object-param.key1)" },
      { name: "k2", value: "$(params.object-param.key2)" },
      { name: "k3", value: "$(params.object-param.key3)" },
      { name: "e1", value: "$(params.enum-param.v1)" },
    ],
    args: ["$(params.array-param[*])"],
  });
  const taskSpecParams: ParamSpec[] = [
    {
      name: "objectparam",
      properties: { key1: {}, key2: {} },
      default: { key1: "taskspec key1", key2: "taskspec key2" },
    },
  ];
  const taskParams = resolveParams(
    taskSpecParams,
    [
      { name: "stringparam", value: "taskrun string" },
      { name: "arrayparam", value: ["taskrun", "array"] },
      { name: "objectparam", value: { key2: "taskrun key2" } },
      { name: "enumparam", value: "enum1" },
    ],
    { propagate: true },
  );
  const spec: TaskSpec = {
    params: taskSpecParams,
    steps: [
      {
        name: "action-runner",
        ref: { name: "step-action" },
        params: [
          { name: "string-param", value: "$(params.stringparam)" },
          { name: "array-param", value: "$(params.arrayparam[*])" },
          { name: "object-param", value: "$(params.objectparam[*])" },
          { name: "enum-param", value: "$(params.enumparam[*])" },
        ],
      },
    ],
  };
  const step = inlineStepActions(spec, lookupOf(sa), taskParams).steps?.[0];
  assert.deepEqual(
    step?.env?.map((e) => e.value),
    ["taskrun", "taskrun string", "taskspec key1", "taskrun key2", "d3", "enum1"],
  );
  assert.deepEqual(step?.args, ["taskrun", "array"]);
});

void test("rewrites params fed by step results to runtime references as in stepaction-passing-results.yaml", () => {
  const sa = action("step-action", {
    image: "bash",
    params: [
      { name: "param1", type: "array" },
      { name: "param2", type: "string" },
      { name: "param3", type: "object", properties: { IMAGE_URL: {}, IMAGE_DIGEST: {} } },
    ],
    env: [{ name: "STRINGPARAM", value: "$(params.param2)" }],
    args: [
      "$(params.param1[*])",
      "$(params.param1[0])",
      "$(params.param3.IMAGE_URL)",
      "$(params.param3.IMAGE_DIGEST)",
    ],
  });
  const spec: TaskSpec = {
    steps: [
      {
        name: "action-runner",
        ref: { name: "step-action" },
        params: [
          { name: "param1", value: "$(steps.inline-step.results.result1[*])" },
          { name: "param2", value: "$(steps.inline-step.results.result2)" },
          { name: "param3", value: "$(steps.inline-step.results.result3[*])" },
        ],
      },
    ],
  };
  const step = inlineStepActions(spec, lookupOf(sa)).steps?.[0];
  assert.deepEqual(step?.args, [
    "$(steps.inline-step.results.result1[*])",
    "$(steps.inline-step.results.result1[0])",
    "$(steps.inline-step.results.result3.IMAGE_URL)",
    "$(steps.inline-step.results.result3.IMAGE_DIGEST)",
  ]);
  assert.deepEqual(step?.env, [{ name: "STRINGPARAM", value: "$(steps.inline-step.results.result2)" }]);
});

void test("leaves a spec without refs untouched", () => {
  const spec: TaskSpec = { steps: [{ image: "i" }] };
  assert.equal(inlineStepActions(spec, lookupOf()), spec);
});
