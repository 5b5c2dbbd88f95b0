/** The built-in Wait: the reference controller's reconcile, its unit-test expectations (docs/tekton-semantics.md#wait-controller). */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { CustomRun, CustomRunStatus } from "../../api/types.js";
import { alphaRun, customRun, startHarness, type Harness } from "../../engine/customrun/harness.js";
import { reconcileWait, waitTask, waitTaskV1alpha1 } from "./wait.js";

const WAIT = { apiVersion: "wait.testing.tekton.dev/v1beta1", kind: "Wait" };
const NOW = new Date("2026-01-02T00:00:00Z");

function run(spec: Partial<CustomRun["spec"]>, status?: CustomRunStatus): CustomRun {
  return {
    apiVersion: "tekton.dev/v1beta1",
    kind: "CustomRun",
    metadata: { name: "wait", namespace: "default" },
    spec: { customRef: { ...WAIT }, ...spec },
    ...(status ? { status } : {}),
  };
}

const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const running = (startTime: string): CustomRunStatus => ({
  startTime,
  conditions: [
    {
      type: "Succeeded",
      status: "Unknown",
      reason: "Running",
      message: "Waiting for duration to elapse",
      lastTransitionTime: startTime,
    },
  ],
});
const cond = (s: CustomRunStatus | undefined) => {
  const c = s?.conditions?.[0];
  return c ? [c.status, c.reason, c.message] : [];
};
const duration = (v: string) => [{ name: "duration", value: v }];

describe("reconcileWait (reference unit-test expectations)", () => {
  it("succeeds with DurationElapsed when duration 2s, timeout 5s and started 3s ago", () => {
    const r = reconcileWait(run({ params: duration("2s"), timeout: "5s" }, running(ago(3000))), NOW);
    assert.deepEqual(cond(r.status), ["True", "DurationElapsed", "The wait duration has elapsed"]);
    assert.equal(r.status?.completionTime, "2026-01-02T00:00:00Z");
    assert.equal(r.requeueAfterMs, undefined);
  });

  it("fails with TimedOut when started a day ago", () => {
    const r = reconcileWait(run({ params: duration("2s"), timeout: "5s" }, running(ago(86_400_000))), NOW);
    assert.deepEqual(cond(r.status), ["False", "TimedOut", "Wait Task failed as it times out."]);
  });

  it("retries on timeout with retries:1: Unknown/Retrying and retriesStatus[0] False/TimedOut with the old startTime", () => {
    const old = ago(86_400_000);
    const r = reconcileWait(run({ params: duration("2s"), timeout: "5s", retries: 1 }, running(old)), NOW);
    assert.deepEqual(cond(r.status), ["Unknown", "Retrying", undefined]);
    assert.equal(r.status?.startTime, undefined);
    assert.equal(r.requeueAfterMs, 0);
    const archived = r.status?.retriesStatus?.[0];
    assert.equal(archived?.startTime, old);
    assert.deepEqual(cond(archived), ["False", "TimedOut", undefined]);
    assert.equal(archived?.retriesStatus, undefined);
  });

  it("cancels with its own reason Cancelled and the statusMessage, or Wait Task cancelled.", () => {
    const a = reconcileWait(run({ params: duration("2s"), status: "RunCancelled" }, running(ago(1000))), NOW);
    assert.deepEqual(cond(a.status), ["False", "Cancelled", "Wait Task cancelled."]);
    const b = reconcileWait(
      run({ params: duration("2s"), status: "RunCancelled", statusMessage: "stop it" }, running(ago(1000))),
      NOW,
    );
    assert.deepEqual(cond(b.status), ["False", "Cancelled", "stop it"]);
  });

  it("starts a run cancelled before it started, then cancels it in the same reconcile", () => {
    const r = reconcileWait(run({ params: duration("2s"), status: "RunCancelled" }), NOW);
    assert.deepEqual(cond(r.status), ["False", "Cancelled", "Wait Task cancelled."]);
    assert.equal(r.status?.startTime, "2026-01-02T00:00:00Z");
  });

  const invalid: Array<[string, Partial<CustomRun["spec"]>, string, string]> = [
    [
      "a named customRef",
      { customRef: { ...WAIT, name: "foo" }, params: duration("1s") },
      "UnexpectedName",
      "Found unexpected ref name: foo",
    ],
    ["no duration param", { params: [] }, "MissingDuration", "The duration param was not passed"],
    ["an empty duration", { params: duration("") }, "MissingDuration", "The duration param was not passed"],
    [
      "extra params",
      { params: [...duration("1s"), { name: "a", value: "x" }, { name: "b", value: "y" }] },
      "UnexpectedParams",
      "Found unexpected params: [a b]",
    ],
    [
      "an invalid duration",
      { params: duration("blah") },
      "InvalidDuration",
      'The duration param was invalid: time: invalid duration "blah"',
    ],
    [
      "duration equal to the timeout",
      { params: duration("1h"), timeout: "60m" },
      "InvalidTimeOut",
      "Spec.Timeout shouldn't equal duration",
    ],
    [
      "duration equal to the default timeout",
      { params: duration("60m") },
      "InvalidTimeOut",
      "Spec.Timeout shouldn't equal duration",
    ],
  ];
  for (const [what, spec, reason, message] of invalid) {
    it(`fails ${what} with False/${reason} and no startTime`, () => {
      const r = reconcileWait(run(spec), NOW);
      assert.deepEqual(cond(r.status), ["False", reason, message]);
      assert.equal(r.status?.startTime, undefined);
      assert.equal(r.status?.completionTime, "2026-01-02T00:00:00Z");
    });
  }

  it("validates on every reconcile, before the done check", () => {
    const done: CustomRunStatus = {
      ...running(ago(5000)),
      conditions: [{ type: "Succeeded", status: "True", reason: "DurationElapsed" }],
    };
    const r = reconcileWait(run({ params: duration("nope") }, done), NOW);
    assert.deepEqual(cond(r.status).slice(0, 2), ["False", "InvalidDuration"]);
  });

  it("starts with Running/Waiting for duration to elapse and requeues after min(duration, timeout)", () => {
    const a = reconcileWait(run({ params: duration("3s"), timeout: "10s" }), NOW);
    assert.deepEqual(cond(a.status), ["Unknown", "Running", "Waiting for duration to elapse"]);
    assert.equal(a.status?.startTime, "2026-01-02T00:00:00Z");
    assert.equal(a.requeueAfterMs, 3001);
    const b = reconcileWait(run({ params: duration("30s"), timeout: "10s" }), NOW);
    assert.equal(b.requeueAfterMs, 10_001);
  });
});

describe("Wait through the engine", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("runs the reference example: retries 2, timeout 10s, duration 3s ⇒ True/DurationElapsed after 3s", async () => {
    h = startHarness([waitTask, waitTaskV1alpha1]);
    await h.create(customRun("wait-customrun", WAIT, { retries: 2, timeout: "10s", params: duration("3s") }));
    assert.deepEqual(cond(h.status("wait-customrun")), [
      "Unknown",
      "Running",
      "Waiting for duration to elapse",
    ]);
    await h.advance(3000);
    assert.deepEqual(cond(h.status("wait-customrun")), [
      "Unknown",
      "Running",
      "Waiting for duration to elapse",
    ]);
    await h.advance(1);
    assert.deepEqual(cond(h.status("wait-customrun")), [
      "True",
      "DurationElapsed",
      "The wait duration has elapsed",
    ]);
  });

  it("times out with retries 1: one retriesStatus entry False/TimedOut, then False/TimedOut", async () => {
    h = startHarness([waitTask]);
    await h.create(customRun("to", WAIT, { retries: 1, timeout: "1s", params: duration("5s") }));
    await h.advance(1001);
    assert.deepEqual(cond(h.status("to")), ["Unknown", "Running", "Waiting for duration to elapse"]);
    assert.equal(h.status("to").retriesStatus?.length, 1);
    await h.advance(1001);
    const s = h.status("to");
    assert.deepEqual(cond(s), ["False", "TimedOut", "Wait Task failed as it times out."]);
    assert.deepEqual(cond(s.retriesStatus?.[0]), ["False", "TimedOut", undefined]);
  });

  it("cancels with False/Cancelled when spec.status is set (as a PipelineRun timeout does)", async () => {
    h = startHarness([waitTask]);
    await h.create(customRun("c", WAIT, { params: duration("30m") }));
    await h.cancel("c", "CustomRun cancelled as the PipelineRun it belongs to has timed out.");
    assert.deepEqual(cond(h.status("c")), [
      "False",
      "Cancelled",
      "CustomRun cancelled as the PipelineRun it belongs to has timed out.",
    ]);
  });

  it("ignores an embedded customSpec Wait: no status", async () => {
    h = startHarness([waitTask]);
    await h.create(customRun("emb", { customSpec: { ...WAIT } }, { params: duration("1s") }));
    assert.equal(h.get("emb").status, undefined);
  });

  it("runs the v1alpha1 Run form (ref wait.testing.tekton.dev/v1alpha1)", async () => {
    h = startHarness([waitTask, waitTaskV1alpha1]);
    await h.create(
      alphaRun(
        "alpha",
        { apiVersion: "wait.testing.tekton.dev/v1alpha1", kind: "Wait" },
        { params: duration("2s") },
      ),
    );
    await h.advance(2001);
    assert.deepEqual(cond(h.status("alpha", "Run")), [
      "True",
      "DurationElapsed",
      "The wait duration has elapsed",
    ]);
  });
});
