import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { succeededCondition } from "../../api/conditions.js";
import type { PipelineRun, PipelineSpec } from "../../api/pipeline-types.js";
import type { KubeObject, TaskRunResult } from "../../api/types.js";
import { ManualClock } from "../clock.js";
import { childNames } from "./build.js";
import { decide } from "./decide.js";
import type { Decision } from "./decision.js";
import { ResolutionError } from "./resolve.js";

const step = { name: "s", image: "busybox", script: "true" };

function pr(spec: PipelineSpec, extra: Partial<PipelineRun["spec"]> = {}): PipelineRun {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { name: "pr", namespace: "default", uid: "uid-1" },
    spec: { pipelineSpec: spec, ...extra },
  };
}

/** A tiny world: the PipelineRun and its children, advanced one decision at a time. */
class World {
  readonly clock = new ClockAt();
  readonly children = new Map<string, KubeObject>();
  constructor(public pr: PipelineRun) {}

  step(): Decision {
    const d = decide(
      {
        pr: this.pr,
        pipeline: () => {
          if (this.pr.spec.pipelineSpec === undefined)
            throw new ResolutionError(`pipelines.tekton.dev "x" not found`);
          return { name: "pr", spec: this.pr.spec.pipelineSpec, labels: {}, annotations: {} };
        },
        task: () => {
          throw new ResolutionError(`tasks.tekton.dev "missing" not found`);
        },
        child: (kind, name) => this.children.get(`${kind}/${name}`),
        defaultTimeoutMinutes: 60,
        celInWhen: false,
      },
      this.clock.now(),
    );
    for (const c of d.create) this.children.set(`${c.kind}/${c.metadata.name ?? ""}`, structuredClone(c));
    for (const c of d.cancel) {
      const obj = this.children.get(`${c.kind}/${c.name}`);
      if (obj !== undefined) this.finish(c.name, "False", "TaskRunCancelled", [], c.timeout);
    }
    if (d.status !== undefined) this.pr = { ...this.pr, status: d.status };
    return d;
  }

  finish(
    name: string,
    status: "True" | "False",
    reason: string,
    results: TaskRunResult[] = [],
    timeout = false,
  ): void {
    const obj = this.children.get(`TaskRun/${name}`);
    assert.ok(obj, `no child ${name}`);
    const spec = obj["spec"] as Record<string, unknown>;
    if (reason === "TaskRunCancelled")
      spec["statusMessage"] = timeout
        ? "TaskRun cancelled as the PipelineRun it belongs to has timed out."
        : "TaskRun cancelled as the PipelineRun it belongs to has been cancelled.";
    obj["status"] = { conditions: [{ type: "Succeeded", status, reason, message: "" }], results };
  }

  condition(): [string | undefined, string | undefined, string | undefined] {
    const c = succeededCondition(this.pr.status);
    return [c?.status, c?.reason, c?.message];
  }
}

class ClockAt extends ManualClock {}

const names = (d: Decision): string[] => d.create.map((c) => c.metadata.name ?? "");

describe("decide", () => {
  it("starts the roots, then a task fed by a result gets the value, then the run succeeds", () => {
    const w = new World(
      pr({
        tasks: [
          { name: "a", taskSpec: { steps: [step], results: [{ name: "out" }] } },
          {
            name: "b",
            params: [{ name: "v", value: "$(tasks.a.results.out)" }],
            taskSpec: { params: [{ name: "v" }], steps: [step] },
          },
        ],
      }),
    );
    let d = w.step();
    assert.deepEqual(names(d), ["pr-a"]);
    assert.deepEqual(w.condition(), [
      "Unknown",
      "Running",
      "Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0",
    ]);
    const tr = d.create[0];
    assert.equal(tr?.metadata.labels?.["tekton.dev/pipelineRun"], "pr");
    assert.equal(tr?.metadata.labels?.["tekton.dev/pipelineTask"], "a");
    assert.equal(tr?.metadata.labels?.["tekton.dev/memberOf"], "tasks");
    assert.equal(tr?.metadata.ownerReferences?.[0]?.["uid"], "uid-1");
    w.finish("pr-a", "True", "Succeeded", [{ name: "out", type: "string", value: "42" }]);
    d = w.step();
    assert.deepEqual(names(d), ["pr-b"]);
    assert.deepEqual((d.create[0]?.["spec"] as { params: unknown }).params, [{ name: "v", value: "42" }]);
    w.finish("pr-b", "True", "Succeeded");
    w.step();
    assert.deepEqual(w.condition(), [
      "True",
      "Succeeded",
      "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
    ]);
    assert.deepEqual(
      w.pr.status?.childReferences?.map((c) => [c.kind, c.name, c.pipelineTaskName]),
      [
        ["TaskRun", "pr-a", "a"],
        ["TaskRun", "pr-b", "b"],
      ],
    );
  });

  it("a failed task stops the DAG, finally still runs and sees $(tasks.status)", () => {
    const w = new World(
      pr({
        tasks: [
          { name: "a", taskSpec: { steps: [step] } },
          { name: "b", runAfter: ["a"], taskSpec: { steps: [step] } },
        ],
        finally: [
          {
            name: "f",
            params: [{ name: "s", value: "$(tasks.status)/$(tasks.a.status)" }],
            taskSpec: { params: [{ name: "s" }], steps: [step] },
          },
        ],
      }),
    );
    w.step();
    w.finish("pr-a", "False", "Failed");
    const d = w.step();
    assert.deepEqual(names(d), ["pr-f"]);
    assert.deepEqual((d.create[0]?.["spec"] as { params: unknown }).params, [
      { name: "s", value: "Failed/Failed" },
    ]);
    assert.equal(d.create[0]?.metadata.labels?.["tekton.dev/memberOf"], "finally");
    assert.deepEqual(w.pr.status?.skippedTasks, [{ name: "b", reason: "PipelineRun was stopping" }]);
    w.finish("pr-f", "True", "Succeeded");
    w.step();
    assert.deepEqual(w.condition(), [
      "False",
      "Failed",
      "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1",
    ]);
  });

  it("a when that is false skips only that task; its dependants still run and the run is Completed", () => {
    const w = new World(
      pr({
        params: [{ name: "go", type: "string", default: "no" }],
        tasks: [
          {
            name: "a",
            when: [{ input: "$(params.go)", operator: "in", values: ["yes"] }],
            taskSpec: { steps: [step] },
          },
          { name: "b", runAfter: ["a"], taskSpec: { steps: [step] } },
        ],
      }),
    );
    const d = w.step();
    assert.deepEqual(names(d), ["pr-b"]);
    assert.deepEqual(w.pr.status?.skippedTasks, [
      {
        name: "a",
        reason: "When Expressions evaluated to false",
        whenExpressions: [{ input: "no", operator: "in", values: ["yes"] }],
      },
    ]);
    w.finish("pr-b", "True", "Succeeded");
    w.step();
    assert.deepEqual(w.condition(), [
      "True",
      "Completed",
      "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1",
    ]);
  });

  it("a task that needs a result of a skipped task is skipped with Results were missing", () => {
    const w = new World(
      pr({
        tasks: [
          {
            name: "a",
            when: [{ input: "x", operator: "notin", values: ["x"] }],
            taskSpec: { steps: [step], results: [{ name: "r" }] },
          },
          {
            name: "b",
            params: [{ name: "p", value: "$(tasks.a.results.r)" }],
            taskSpec: { params: [{ name: "p" }], steps: [step] },
          },
        ],
      }),
    );
    const d = w.step();
    assert.deepEqual(names(d), []);
    assert.deepEqual(
      w.pr.status?.skippedTasks?.map((s) => [s.name, s.reason]),
      [
        ["a", "When Expressions evaluated to false"],
        ["b", "Results were missing"],
      ],
    );
    assert.deepEqual(w.condition(), [
      "True",
      "Completed",
      "Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 2",
    ]);
  });

  it("times out: running children are cancelled with the timeout message and the run ends PipelineRunTimeout", () => {
    const w = new World(
      pr({ tasks: [{ name: "a", taskSpec: { steps: [step] } }] }, { timeouts: { pipeline: "1m" } }),
    );
    const first = w.step();
    assert.equal(first.wakeInMs, 60_001);
    w.clock.advance(61_000);
    const d = w.step();
    assert.deepEqual(d.cancel, [{ kind: "TaskRun", name: "pr-a", timeout: true }]);
    assert.deepEqual(w.condition(), [
      "False",
      "PipelineRunTimeout",
      'PipelineRun "pr" failed to finish within "1m0s"',
    ]);
  });

  it("spec.status Cancelled cancels every child and ends Cancelled at once", () => {
    const w = new World(pr({ tasks: [{ name: "a", taskSpec: { steps: [step] } }] }));
    w.step();
    w.pr = { ...w.pr, spec: { ...w.pr.spec, status: "Cancelled" } };
    const d = w.step();
    assert.deepEqual(d.cancel, [{ kind: "TaskRun", name: "pr-a", timeout: false }]);
    assert.deepEqual(w.condition(), ["False", "Cancelled", 'PipelineRun "pr" was cancelled']);
  });

  it("PipelineRunPending holds the run without a start time", () => {
    const w = new World(
      pr({ tasks: [{ name: "a", taskSpec: { steps: [step] } }] }, { status: "PipelineRunPending" }),
    );
    const d = w.step();
    assert.deepEqual(names(d), []);
    assert.equal(w.pr.status?.startTime, undefined);
    assert.deepEqual(w.condition(), ["Unknown", "PipelineRunPending", 'PipelineRun "pr" is pending']);
  });

  it("fails with ParameterMissing, CouldntGetTask and CouldntGetPipeline as Tekton words them", () => {
    let w = new World(
      pr({ params: [{ name: "x", type: "string" }], tasks: [{ name: "a", taskSpec: { steps: [step] } }] }),
    );
    w.step();
    assert.deepEqual(w.condition(), [
      "False",
      "ParameterMissing",
      "[User error] PipelineRun default/pr is missing some parameters required by Pipeline default/pr: pipelineRun missing parameters: [x]",
    ]);
    w = new World(pr({ tasks: [{ name: "a", taskRef: { name: "missing" } }] }));
    w.step();
    assert.deepEqual(w.condition(), [
      "False",
      "CouldntGetTask",
      'Pipeline default/pr can\'t be Run; it contains Tasks that don\'t exist: Couldn\'t retrieve Task "missing": tasks.tekton.dev "missing" not found',
    ]);
    w = new World({ ...pr({}), spec: { pipelineRef: { name: "x" } } });
    w.step();
    assert.deepEqual(w.condition(), [
      "False",
      "CouldntGetPipeline",
      'Error retrieving pipeline for pipelinerun default/pr: error when getting Pipeline for PipelineRun pr: pipelines.tekton.dev "x" not found',
    ]);
  });

  it("fans a matrix out into <pr>-<task>-<i> children with one combination each", () => {
    const w = new World(
      pr({
        tasks: [
          {
            name: "m",
            matrix: {
              params: [
                { name: "os", value: ["linux", "mac"] },
                { name: "v", value: ["1", "2"] },
              ],
            },
            taskSpec: { params: [{ name: "os" }, { name: "v" }], steps: [step] },
          },
        ],
      }),
    );
    const d = w.step();
    assert.deepEqual(names(d), ["pr-m-0", "pr-m-1", "pr-m-2", "pr-m-3"]);
    assert.deepEqual(
      d.create.map((c) =>
        (c["spec"] as { params: Array<{ value: string }> }).params.map((p) => p.value).join("/"),
      ),
      ["linux/1", "mac/1", "linux/2", "mac/2"],
    );
  });
});

describe("childNames", () => {
  it("hashes a name longer than 63 characters as kmeta.ChildName does", () => {
    const long = "a".repeat(60);
    const [n] = childNames(long, "task", 1);
    assert.equal(n?.length, 63);
    assert.ok(n?.endsWith("-task"));
    assert.equal(childNames("pr", "task", 1)[0], "pr-task");
  });
});
