import { test } from "node:test";
import assert from "node:assert/strict";
import { marshalArtifactValues, substituteStepArtifactsAtRuntime } from "./artifacts.js";

const provenance = JSON.stringify({
  inputs: [
    {
      name: "input-artifacts",
      values: [{ uri: "pkg:example.github.com/inputs", digest: { sha256: "b35c" } }],
    },
  ],
  outputs: [
    {
      name: "image",
      buildOutput: true,
      values: [{ uri: "pkg:github/x", digest: { sha256: "df85", sha1: "9558" } }],
    },
  ],
});
const read = (step: string) => (step === "producer" ? provenance : undefined);

void test("marshals artifact values like Go: digest first with sorted keys, then uri", () => {
  assert.equal(
    marshalArtifactValues([{ uri: "u<&>", digest: { sha256: "b", sha1: "a" } }]),
    '[{"digest":{"sha1":"a","sha256":"b"},"uri":"u\\u003c\\u0026\\u003e"}]',
  );
  assert.equal(marshalArtifactValues(undefined), "null");
});

void test("replaces artifact references in the script and env", () => {
  const { step, warnings } = substituteStepArtifactsAtRuntime(
    {
      script: "echo $(steps.producer.inputs.input-artifacts)",
      env: [{ name: "OUT", value: "$(steps.producer.outputs.image)" }],
    },
    read,
  );
  assert.deepEqual(warnings, []);
  assert.equal(step.script, 'echo [{"digest":{"sha256":"b35c"},"uri":"pkg:example.github.com/inputs"}]');
  assert.equal(step.env?.[0]?.value, '[{"digest":{"sha1":"9558","sha256":"df85"},"uri":"pkg:github/x"}]');
});

void test("warns when an artifact is not found and leaves the text unchanged", () => {
  const { step, warnings } = substituteStepArtifactsAtRuntime(
    { args: ["$(steps.producer.outputs.nope)"] },
    read,
  );
  assert.deepEqual(step.args, ["$(steps.producer.outputs.nope)"]);
  assert.deepEqual(warnings, [
    'Error while substituting step artifacts: error="values for template $(steps.producer.outputs.nope) not found"',
  ]);
});
