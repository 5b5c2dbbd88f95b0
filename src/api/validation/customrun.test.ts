import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";

const customRun = (spec: Record<string, unknown>, name = "cr"): KubeObject => ({
  apiVersion: "tekton.dev/v1beta1",
  kind: "CustomRun",
  metadata: { name },
  spec,
});
const run = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "tekton.dev/v1alpha1",
  kind: "Run",
  metadata: { name: "r" },
  spec,
});
const ref = { apiVersion: "wait.testing.tekton.dev/v1beta1", kind: "Wait" };

function check(obj: KubeObject, defaults = defaultConfigDefaults()): string {
  return validateResource(applyDefaults(obj, defaults), defaultFeatureFlags(), defaults)?.error() ?? "";
}

describe("CustomRun validation (first error only)", () => {
  const cases: Array<[string, KubeObject, string]> = [
    [
      "accepts a customRef run",
      customRun({ customRef: ref, params: [{ name: "duration", value: "1s" }] }),
      "",
    ],
    [
      "checks the name first",
      customRun({}, "Bad!"),
      'invalid resource name "Bad!": must be a valid DNS label: metadata.name',
    ],
    [
      "rejects both refs",
      customRun({ customRef: ref, customSpec: ref }),
      "expected exactly one, got both: spec.customRef, spec.customSpec",
    ],
    [
      "rejects neither ref",
      customRun({}),
      "expected exactly one, got neither: spec.customRef, spec.customSpec",
    ],
    [
      "requires customRef.apiVersion",
      customRun({ customRef: { kind: "Wait" } }),
      "missing field(s): spec.customRef.apiVersion",
    ],
    [
      "requires customRef.kind",
      customRun({ customRef: { apiVersion: "v" } }),
      "missing field(s): spec.customRef.kind",
    ],
    [
      "requires customSpec.apiVersion",
      customRun({ customSpec: { kind: "K" } }),
      "missing field(s): spec.customSpec.apiVersion",
    ],
    [
      "requires customSpec.kind",
      customRun({ customSpec: { apiVersion: "v" } }),
      "missing field(s): spec.customSpec.kind",
    ],
    [
      "rejects statusMessage without status (path without spec.)",
      customRun({ customRef: ref, statusMessage: "m" }),
      "invalid value: statusMessage should not be set if status is not set, but it is currently set to m: statusMessage",
    ],
    [
      "rejects duplicate params",
      customRun({
        customRef: ref,
        params: [
          { name: "a", value: "1" },
          { name: "A", value: "2" },
        ],
        workspaces: [{ name: "w" }],
      }),
      "expected exactly one, got both: spec.params[A].name",
    ],
    [
      "validates workspaces",
      customRun({ customRef: ref, workspaces: [{ name: "w", configMap: {} }] }),
      "missing field(s): spec.workspaces[0].configmap.name",
    ],
    [
      "does not validate status, timeout or retries",
      customRun({ customRef: ref, status: "Whatever", retries: -1, timeout: "-1s" }),
      "",
    ],
    [
      "reports a malformed timeout",
      customRun({ customRef: ref, timeout: "1x" }),
      'time: unknown unit "x" in duration "1x": spec.timeout',
    ],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.equal(check(obj), want));

  it("reports an empty spec when no service account default applies", () => {
    assert.equal(
      check(customRun({}), { ...defaultConfigDefaults(), defaultServiceAccount: "" }),
      "missing field(s): spec",
    );
  });
});

describe("Run validation", () => {
  const cases: Array<[string, KubeObject, string]> = [
    ["accepts a ref run", run({ ref }), ""],
    ["rejects both", run({ ref, spec: ref }), "expected exactly one, got both: spec.ref, spec.spec"],
    ["rejects neither", run({}), "expected exactly one, got neither: spec.ref, spec.spec"],
    ["requires ref.apiVersion", run({ ref: { kind: "K" } }), "missing field(s): spec.ref.apiVersion"],
    ["requires spec.kind", run({ spec: { apiVersion: "v" } }), "missing field(s): spec.spec.kind"],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.equal(check(obj), want));
});

describe("core kinds", () => {
  it("only checks the name", () => {
    const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad" } };
    assert.equal(
      check(cm),
      "Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'): metadata.name",
    );
    assert.equal(check({ apiVersion: "v1", kind: "Secret", metadata: { name: "ok.name" } }), "");
  });
});
