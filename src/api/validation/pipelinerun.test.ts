import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import type { FeatureFlags } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { PipelineRun } from "../pipeline-types.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";
import { validatePipelineRunUpdate } from "./pipelinerun-update.js";

const beta = defaultFeatureFlags();
const cfg = { ...defaultConfigDefaults(), defaultForbiddenEnv: ["SECRET"] };

function run(spec: Record<string, unknown>, name = "pr"): KubeObject {
  return { apiVersion: "tekton.dev/v1", kind: "PipelineRun", metadata: { name }, spec };
}

const step = { name: "s", image: "busybox", script: "echo hi" };
const inline = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  pipelineSpec: { tasks: [{ name: "a", taskSpec: { steps: [step] } }] },
  ...extra,
});

function check(obj: KubeObject, features: FeatureFlags = beta): string {
  const err = validateResource(applyDefaults(obj, cfg), features, cfg);
  return err === undefined ? "" : err.error();
}

describe("PipelineRun validation", () => {
  const cases: Array<[string, KubeObject, string]> = [
    ["accepts an inline PipelineRun", run(inline()), ""],
    ["accepts a pipelineRef", run({ pipelineRef: { name: "p" } }), ""],
    [
      "requires pipelineRef or pipelineSpec",
      run({}),
      "expected exactly one, got neither: spec.pipelineRef, spec.pipelineSpec",
    ],
    [
      "rejects both pipelineRef and pipelineSpec",
      run(inline({ pipelineRef: { name: "p" } })),
      "expected exactly one, got both: spec.pipelineRef, spec.pipelineSpec",
    ],
    [
      "validates the embedded spec",
      run({ pipelineSpec: { tasks: [{ name: "a", taskSpec: { steps: [step] }, runAfter: ["b"] }] } }),
      "invalid value: couldn't add link between a and b: task a depends on b but b wasn't present in Pipeline: spec.pipelineSpec.tasks",
    ],
    [
      "accepts params propagated into embedded steps",
      run({
        params: [{ name: "who", value: "world" }],
        pipelineSpec: {
          tasks: [{ name: "a", taskSpec: { steps: [{ ...step, script: "echo $(params.who)" }] } }],
        },
      }),
      "",
    ],
    [
      "rejects a param nobody declares or passes",
      run({
        pipelineSpec: {
          tasks: [{ name: "a", taskSpec: { steps: [{ ...step, script: "echo $(params.who)" }] } }],
        },
      }),
      'non-existent variable in "echo $(params.who)": spec.steps[0].script',
    ],
    [
      "rejects result references in params",
      run({ pipelineRef: { name: "p" }, params: [{ name: "x", value: "$(tasks.a.results.r)" }] }),
      "invalid value: cannot use result expressions in [tasks.a.results.r] as PipelineRun parameter values: spec.params[x].value",
    ],
    [
      "rejects duplicate params",
      run({
        pipelineRef: { name: "p" },
        params: [
          { name: "x", value: "1" },
          { name: "x", value: "2" },
        ],
      }),
      "expected exactly one, got both: spec.params[x].name",
    ],
    [
      "rejects an unknown spec.status",
      run({ pipelineRef: { name: "p" }, status: "Paused" }),
      "invalid value: Paused should be Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending: spec.status",
    ],
    [
      "rejects a negative timeout",
      run({ pipelineRef: { name: "p" }, timeouts: { pipeline: "-1h" } }),
      "invalid value: -1h0m0s should be >= 0: spec.timeouts.pipeline",
    ],
    [
      "rejects timeouts.tasks over timeouts.pipeline",
      run({ pipelineRef: { name: "p" }, timeouts: { pipeline: "1h", tasks: "2h" } }),
      "invalid value: 2h0m0s should be <= pipeline duration: spec.timeouts.tasks",
    ],
    [
      "rejects timeouts.tasks plus timeouts.finally over timeouts.pipeline",
      run({ pipelineRef: { name: "p" }, timeouts: { pipeline: "1h", tasks: "40m", finally: "30m" } }),
      "invalid value: 40m0s + 30m0s should be <= pipeline duration: spec.timeouts.finally, spec.timeouts.tasks",
    ],
    [
      "rejects no-timeout tasks within a bounded pipeline",
      run({ pipelineRef: { name: "p" }, timeouts: { pipeline: "1h", tasks: "0s" } }),
      "invalid value: 0s (no timeout) should be <= pipeline duration: spec.timeouts.tasks",
    ],
    [
      "compares with the default timeout when only tasks is given",
      run({ pipelineRef: { name: "p" }, timeouts: { tasks: "2h" } }),
      "invalid value: 2h0m0s should be <= pipeline duration: spec.timeouts.tasks",
    ],
    [
      "rejects a taskRunSpecs timeout over timeouts.tasks",
      run({
        pipelineRef: { name: "p" },
        timeouts: { pipeline: "2h", tasks: "1h" },
        taskRunSpecs: [{ pipelineTaskName: "a", timeout: "90m" }],
      }),
      "invalid value: 1h30m0s should be <= pipeline tasks duration 1h0m0s: spec.taskRunSpecs[0].timeout",
    ],
    [
      "requires names in taskRunSpecs stepSpecs",
      run({ pipelineRef: { name: "p" }, taskRunSpecs: [{ pipelineTaskName: "a", stepSpecs: [{}] }] }),
      "missing field(s): spec.taskRunSpecs[0].stepSpecs[0].name",
    ],
    [
      "rejects a workspace bound twice",
      run({
        pipelineRef: { name: "p" },
        workspaces: [
          { name: "w", emptyDir: {} },
          { name: "w", emptyDir: {} },
        ],
      }),
      'workspace "w" provided by pipelinerun more than once, at index 0 and 1: spec.workspaces[1].name',
    ],
    [
      "rejects a workspace binding without a source",
      run({ pipelineRef: { name: "p" }, workspaces: [{ name: "w", subPath: "x" }] }),
      "expected exactly one, got neither: spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate",
    ],
    [
      "rejects a forbidden env in taskRunTemplate",
      run({
        pipelineRef: { name: "p" },
        taskRunTemplate: { podTemplate: { env: [{ name: "SECRET", value: "x" }] } },
      }),
      "invalid value: PodTemplate cannot update a forbidden env: SECRET: spec.taskRunTemplate.PodTemplate.Env",
    ],
    [
      "reports a malformed duration alone",
      run({ pipelineRef: { name: "p" }, timeouts: { pipeline: "soon" } }),
      'time: invalid duration "soon": spec.timeouts.pipeline',
    ],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => assert.equal(check(obj), want));
  }

  it("rejects inline specs when disable-inline-spec names pipelinerun", () => {
    assert.equal(
      check(run(inline()), { ...beta, disableInlineSpec: ["pipelinerun"] }),
      "must not set the field(s): spec.pipelineSpec",
    );
  });

  it("rejects Pending once started", () => {
    const pr = {
      ...run({ pipelineRef: { name: "p" }, status: "PipelineRunPending" }),
      status: { startTime: "2026-01-01T00:00:00Z" },
    };
    assert.equal(check(pr), "invalid value: PipelineRun cannot be Pending after it is started: spec.status");
  });
});

describe("PipelineRun update rules", () => {
  const base = (): PipelineRun =>
    applyDefaults(
      run({ pipelineRef: { name: "p" }, params: [{ name: "x", value: "1" }] }),
      cfg,
    ) as PipelineRun;
  const running = (): PipelineRun => ({
    ...base(),
    status: {
      startTime: "2026-01-01T00:00:00Z",
      conditions: [{ type: "Succeeded", status: "Unknown", reason: "Running" }],
    },
  });
  const done = (): PipelineRun => ({
    ...base(),
    status: { conditions: [{ type: "Succeeded", status: "True", reason: "Succeeded" }] },
  });

  it("lets a running PipelineRun be cancelled", () => {
    const next = { ...running(), spec: { ...running().spec, status: "Cancelled" } };
    assert.equal(validatePipelineRunUpdate(running(), next, cfg), undefined);
  });

  it("refuses other spec changes of a running PipelineRun", () => {
    const next = { ...running(), spec: { ...running().spec, params: [{ name: "x", value: "2" }] } };
    assert.equal(
      validatePipelineRunUpdate(running(), next, cfg),
      "invalid value: Once the PipelineRun has started, only status updates are allowed: spec",
    );
  });

  it("freezes a finished PipelineRun", () => {
    const next = { ...done(), spec: { ...done().spec, status: "Cancelled" } };
    assert.equal(
      validatePipelineRunUpdate(done(), next, cfg),
      "invalid value: Once the PipelineRun is complete, no updates are allowed: spec",
    );
    assert.equal(validatePipelineRunUpdate(done(), done(), cfg), undefined);
  });

  it("keeps managedBy immutable", () => {
    const next = { ...running(), spec: { ...running().spec, managedBy: "someone" } };
    assert.equal(
      validatePipelineRunUpdate(running(), next, cfg),
      "invalid value: managedBy is immutable: spec.spec.managedBy",
    );
  });
});
