import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";

const sa = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "tekton.dev/v1beta1",
  kind: "StepAction",
  metadata: { name: "sa" },
  spec,
});

function check(obj: KubeObject): string {
  return (
    validateResource(
      applyDefaults(obj, defaultConfigDefaults()),
      defaultFeatureFlags(),
      defaultConfigDefaults(),
    )?.error() ?? ""
  );
}

describe("StepAction validation", () => {
  const cases: Array<[string, KubeObject, string]> = [
    [
      "accepts a valid StepAction",
      sa({
        image: "i",
        params: [{ name: "p" }],
        args: ["$(params.p)"],
        env: [{ name: "E", value: "$(params.p)" }],
      }),
      "",
    ],
    ["requires an image (capital I)", sa({}), "missing field(s): spec.Image"],
    [
      "rejects script with command and params in scripts",
      sa({ image: "i", params: [{ name: "p" }], script: "echo $(params.p)", command: ["sh"] }),
      "param substitution in scripts is not allowed.: spec.script\nscript cannot be used with command: spec.script",
    ],
    [
      "rejects undeclared params",
      sa({ image: "$(params.x)" }),
      'non-existent variable in "$(params.x)": spec.image',
    ],
    [
      "rejects a whole array in env and unisolated args",
      sa({
        image: "i",
        params: [{ name: "a", type: "array" }],
        args: ["-$(params.a[*])"],
        env: [{ name: "E", value: "$(params.a)" }],
      }),
      'variable is not properly isolated in "-$(params.a[*])": spec.args[0]\nvariable type invalid in "$(params.a)": spec.env[E]',
    ],
    [
      "rejects undeclared results in the script",
      sa({ image: "i", results: [{ name: "r" }], script: "echo > $(results.x.path) $(step.results.r.path)" }),
      'non-existent variable in "echo > $(results.x.path) $(step.results.r.path)": spec.script',
    ],
    [
      "requires volumeMount names to be a single param reference",
      sa({ image: "i", params: [{ name: "v" }], volumeMounts: [{ name: "x-$(params.v)", mountPath: "/m" }] }),
      "invalid value: x-$(params.v): spec.volumeMounts[0].name\nexpect the Name to be a single param reference",
    ],
    [
      "accepts a param volumeMount name",
      sa({ image: "i", params: [{ name: "v" }], volumeMounts: [{ name: "$(params.v)", mountPath: "/m" }] }),
      "",
    ],
    [
      "validates results",
      sa({ image: "i", results: [{ name: "o", type: "object", properties: { k: { type: "array" } } }] }),
      "the value type specified for these keys [k] is invalid, the type must be string: spec.results[0].o.properties",
    ],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.equal(check(obj), want));
});
