import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseResultValue,
  parseStepResultExpression,
  substituteStepResultsAtRuntime,
} from "./stepresults.js";

const files: Record<string, string> = {
  "s/str": "hello\n",
  "s/arr": '["a","b"]',
  "s/obj": '{"url":"U","digest":"D"}',
  "s/empty": "[]",
};
const read = (step: string, result: string) => files[`${step}/${result}`];

void test("types result files like Tekton's ParamValue.UnmarshalJSON", () => {
  assert.deepEqual(parseResultValue('["a","b"]'), ["a", "b"]);
  assert.deepEqual(parseResultValue('{"k":"v"}'), { k: "v" });
  assert.equal(parseResultValue('"quoted"'), "quoted");
  assert.equal(parseResultValue("[1,2]"), "[1,2]");
  assert.equal(parseResultValue("plain"), "plain");
});

void test("parses step result expressions", () => {
  assert.deepEqual(parseStepResultExpression("steps.s.results.r[2]"), {
    step: "s",
    result: "r",
    type: "array",
    index: 2,
  });
  assert.deepEqual(parseStepResultExpression("steps.s.results.r.k"), {
    step: "s",
    result: "r",
    type: "object",
    key: "k",
  });
  assert.equal(
    (parseStepResultExpression("steps.s.results.r.k.x") as Error).message,
    'must be one of the form 1). "steps.<stepName>.results.<resultName>"; 2). "steps.<stepName>.results.<objectResultName>.<individualAttribute>"',
  );
});

void test("replaces string, indexed, spliced and object references in command, args, env and when", () => {
  const { step, warnings } = substituteStepResultsAtRuntime(
    {
      command: ["echo", "$(steps.s.results.str)"],
      args: ["$(steps.s.results.arr[*])", "x-$(steps.s.results.arr[1])", "$(steps.s.results.obj.url)"],
      env: [{ name: "E", value: "$(steps.s.results.obj.digest)" }],
      when: [{ input: "$(steps.s.results.arr[0])", operator: "in", values: ["$(steps.s.results.arr[*])"] }],
    },
    read,
  );
  assert.deepEqual(warnings, []);
  assert.deepEqual(step.command, ["echo", "hello\n"]);
  assert.deepEqual(step.args, ["a", "b", "x-b", "U"]);
  assert.deepEqual(step.env, [{ name: "E", value: "D" }]);
  assert.deepEqual(step.when, [{ input: "a", operator: "in", values: ["a", "b"] }]);
});

void test("replaces an empty array reference by an empty string", () => {
  const { step } = substituteStepResultsAtRuntime({ args: ["$(steps.s.results.empty[*])"] }, read);
  assert.deepEqual(step.args, [""]);
});

void test("warns and leaves command and args unchanged when a result file is missing", () => {
  const { step, warnings } = substituteStepResultsAtRuntime(
    { command: ["$(steps.s.results.str)"], args: ["$(steps.s.results.missing)"] },
    read,
  );
  assert.deepEqual(step.command, ["$(steps.s.results.str)"]);
  assert.deepEqual(step.args, ["$(steps.s.results.missing)"]);
  assert.deepEqual(warnings, [
    'Error while substituting step results: error="failed to find replacement for $(steps.s.results.missing) to replace $(steps.s.results.missing)"',
  ]);
});

void test("stops at the first failing env variable and leaves the rest as typed", () => {
  const { step, warnings } = substituteStepResultsAtRuntime(
    {
      env: [
        { name: "A", value: "$(steps.s.results.str)" },
        { name: "B", value: "$(steps.x.results.none)" },
        { name: "C", value: "$(steps.s.results.str)" },
      ],
      args: ["$(steps.s.results.str)"],
    },
    read,
  );
  assert.deepEqual(
    step.env?.map((e) => e.value),
    ["hello\n", "$(steps.x.results.none)", "$(steps.s.results.str)"],
  );
  assert.deepEqual(step.args, ["$(steps.s.results.str)"]);
  assert.deepEqual(warnings, [
    'Error while substituting step results: error="open /tekton/steps/step-x/results/none: no such file or directory"',
  ]);
});

void test("refuses to splice an array that is not the whole argument", () => {
  const { step, warnings } = substituteStepResultsAtRuntime(
    { args: ["pre-$(steps.s.results.arr[*])"] },
    read,
  );
  assert.deepEqual(step.args, ["pre-$(steps.s.results.arr[*])"]);
  assert.deepEqual(warnings, [
    'Error while substituting step results: error="value must be in \\"$(steps.<step-name>.results.<result-name>[*])\\" format, when using array results"',
  ]);
});
