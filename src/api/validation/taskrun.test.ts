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

function taskRun(spec: Record<string, unknown>, name = "tr"): KubeObject {
  return { apiVersion: "tekton.dev/v1", kind: "TaskRun", metadata: { name }, spec };
}

const inline = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  taskSpec: { steps: [{ name: "s", image: "busybox", script: "echo hi" }] },
  ...extra,
});

function check(obj: KubeObject, features: FeatureFlags = beta): string {
  const err = validateResource(applyDefaults(obj, defaultConfigDefaults()), features, {
    ...defaultConfigDefaults(),
    defaultForbiddenEnv: ["SECRET"],
  });
  return err === undefined ? "" : err.error();
}

describe("TaskRun validation", () => {
  const cases: Array<[string, KubeObject, string, FeatureFlags?]> = [
    ["accepts a minimal inline TaskRun", taskRun(inline()), ""],
    [
      "rejects an invalid name",
      taskRun(inline(), "Bad_Name"),
      'invalid resource name "Bad_Name": must be a valid DNS label: metadata.name',
    ],
    [
      "rejects a name over 63 characters",
      taskRun(inline(), "a".repeat(64)),
      "Invalid resource name: length must be no more than 63 characters: metadata.name",
    ],
    [
      "requires taskRef or taskSpec",
      taskRun({}),
      "expected exactly one, got neither: spec.taskRef, spec.taskSpec",
    ],
    [
      "rejects both taskRef and taskSpec",
      taskRun(inline({ taskRef: { name: "t" } })),
      "expected exactly one, got both: spec.taskRef, spec.taskSpec",
    ],
    ["requires a taskRef name", taskRun({ taskRef: {} }), "missing field(s): spec.taskRef.name"],
    [
      "rejects a taskRef name that is not a qualified name",
      taskRun({ taskRef: { name: "a/b/c" } }),
      "invalid value: a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'): spec.taskRef.name",
    ],
    [
      "requires a resolver with taskRef params",
      taskRun({ taskRef: { params: [{ name: "a", value: "b" }] } }),
      "missing field(s): spec.taskRef.resolver",
    ],
    [
      "rejects taskRef name with params",
      taskRun({ taskRef: { name: "t", resolver: "git", params: [{ name: "a", value: "b" }] } }),
      "expected exactly one, got both: spec.taskRef.name, spec.taskRef.params\ninvalid value: invalid URI for request: spec.taskRef.name",
    ],
    [
      "needs the concise-resolver flag for URL-like names",
      taskRun({ taskRef: { name: "git://x/y" } }),
      "feature flag enable-concise-resolver-syntax should be set to true to use concise resolver syntax: spec.taskRef\nmissing field(s): spec.taskRef.resolver",
    ],
    [
      "gates resolvers behind beta",
      taskRun({ taskRef: { resolver: "git", params: [{ name: "url", value: "u" }] } }),
      'resolver params requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": \nresolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
      stable,
    ],
    [
      "rejects inline specs when disabled",
      taskRun(inline()),
      "must not set the field(s): spec.taskSpec",
      { ...beta, disableInlineSpec: ["taskrun"] },
    ],
    [
      "rejects duplicate params case-insensitively, keyed by the later name",
      taskRun(
        inline({
          params: [
            { name: "foo", value: "a" },
            { name: "FOO", value: "b" },
          ],
        }),
      ),
      "expected exactly one, got both: spec.params[FOO].name",
    ],
    [
      "rejects duplicate workspace bindings",
      taskRun(
        inline({
          workspaces: [
            { name: "w", emptyDir: {} },
            { name: "W", emptyDir: {} },
          ],
        }),
      ),
      "expected exactly one, got both: spec.workspaces[1].name",
    ],
    [
      "gates debug behind alpha",
      taskRun(inline({ debug: { breakpoints: { onFailure: "enabled" } } })),
      'debug requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
    ],
    [
      "rejects an empty onFailure breakpoint",
      taskRun(inline({ debug: { breakpoints: { onFailure: "" } } })),
      "invalid value: onFailure breakpoint is empty, it is only allowed to be set as enabled: spec.debug.breakpoints.onFailure",
      alpha,
    ],
    [
      "rejects an unknown onFailure breakpoint",
      taskRun(inline({ debug: { breakpoints: { onFailure: "yes", beforeSteps: ["a", "a"] } } })),
      "before step must be unique, the same step: a is defined multiple times at: spec.debug.breakpoints.beforeSteps[1]\ninvalid value: yes is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled: spec.debug.breakpoints.onFailure",
      alpha,
    ],
    [
      "gates stepSpecs behind beta",
      taskRun(inline({ stepSpecs: [{ name: "s" }] })),
      'stepSpecs requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
      stable,
    ],
    [
      "requires and dedupes stepSpecs names",
      taskRun(
        inline({
          stepSpecs: [{ name: "" }, { name: "a" }, { name: "a" }],
          sidecarSpecs: [{ name: "x" }, { name: "X" }],
        }),
      ),
      "expected exactly one, got both: spec.sidecarSpecs[1].name, spec.stepSpecs[1].name\nmissing field(s): spec.stepSpecs[0].name",
    ],
    [
      "rejects stepSpecs resources with task-level computeResources",
      taskRun(
        inline({
          stepSpecs: [{ name: "s", computeResources: { requests: { cpu: "1" } } }],
          computeResources: { limits: { cpu: "2" } },
        }),
      ),
      "expected exactly one, got both: spec.computeResources, spec.stepSpecs.resources",
    ],
    [
      "rejects an unknown spec.status",
      taskRun(inline({ status: "Nope" })),
      "invalid value: Nope should be TaskRunCancelled or TaskRunPending: spec.status",
    ],
    [
      "rejects a statusMessage without status",
      taskRun(inline({ statusMessage: "why" })),
      "invalid value: statusMessage should not be set if status is not set, but it is currently set to why: spec.statusMessage",
    ],
    [
      "rejects negative retries",
      taskRun(inline({ retries: -1 })),
      "invalid value: -1 should be >= 0: spec.retries",
    ],
    [
      "rejects a negative timeout",
      taskRun(inline({ timeout: "-90s" })),
      "invalid value: -1m30s should be >= 0: spec.timeout",
    ],
    [
      "reports a malformed timeout alone",
      taskRun({ timeout: "x" }),
      'time: invalid duration "x": spec.timeout',
    ],
    [
      "rejects forbidden podTemplate env",
      taskRun(inline({ podTemplate: { env: [{ name: "SECRET", value: "v" }] } })),
      "invalid value: PodTemplate cannot update a forbidden env: SECRET: spec.PodTemplate.Env",
    ],
    [
      "rejects Pending after start",
      { ...taskRun(inline({ status: "TaskRunPending" })), status: { startTime: "2024-01-01T00:00:00Z" } },
      "invalid value: TaskRun cannot be Pending after it is started: spec.status",
    ],
  ];
  for (const [name, obj, want, features] of cases) {
    it(name, () => assert.equal(check(obj, features ?? beta), want));
  }
});

describe("TaskRun workspace bindings", () => {
  const ws = (b: Record<string, unknown>): KubeObject => taskRun(inline({ workspaces: [b] }));
  const all =
    "spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate";
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["an empty binding", {}, "missing field(s): spec.workspaces[0]"],
    ["no source", { name: "w" }, `expected exactly one, got neither: ${all}`],
    [
      "two sources",
      { name: "w", emptyDir: {}, secret: { secretName: "s" } },
      `expected exactly one, got both: ${all}`,
    ],
    [
      "a PVC without claimName",
      { name: "w", persistentVolumeClaim: {} },
      "missing field(s): spec.workspaces[0].persistentvolumeclaim.claimname",
    ],
    [
      "a configMap without name",
      { name: "w", configMap: {} },
      "missing field(s): spec.workspaces[0].configmap.name",
    ],
    [
      "a secret without secretName",
      { name: "w", secret: {} },
      "missing field(s): spec.workspaces[0].secret.secretName",
    ],
    [
      "projected without sources",
      { name: "w", projected: {} },
      "missing field(s): spec.workspaces[0].projected.sources",
    ],
    ["csi without driver", { name: "w", csi: {} }, "missing field(s): spec.workspaces[0].csi.driver"],
    ["a valid emptyDir", { name: "w", emptyDir: {} }, ""],
  ];
  for (const [name, b, want] of cases) it(`rejects ${name}`, () => assert.equal(check(ws(b)), want));
});
