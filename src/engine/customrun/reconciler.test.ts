/**
 * The custom-run contract as the engine enforces it for SDK controllers: one test per MUST/SHOULD of
 * Tekton's docs/customruns.md (CustomRun v1beta1); Tekton's docs/runs.md (Run v1alpha1) is in `run-v1alpha1.test.ts`.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { CustomRunStatus } from "../../api/types.js";
import { CustomTaskError, defineCustomReconciler, defineCustomTask } from "../../customtasks/sdk.js";
import { ResourceTypes } from "../../store/index.js";
import { customRun, startHarness, type Harness } from "./harness.js";

const EX = { apiVersion: "example.dev/v1alpha1", kind: "Example" };

function cond(status: CustomRunStatus | undefined): { status?: string; reason?: string; message?: string } {
  const c = status?.conditions?.find((x) => x.type === "Succeeded");
  return c === undefined
    ? {}
    : {
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      };
}

/** A task that waits until aborted or released, recording what it saw. */
function gatedTask(opts: { supports?: Record<string, boolean> } = {}) {
  const seen: { signals: AbortSignal[]; releases: Array<() => void> } = { signals: [], releases: [] };
  const controller = defineCustomTask({
    ...EX,
    ...(opts.supports ? { supports: opts.supports } : {}),
    run: ({ signal }) =>
      new Promise<{ results: Record<string, string> }>((resolve, reject) => {
        seen.signals.push(signal);
        seen.releases.push(() => resolve({ results: { done: "yes" } }));
        signal.addEventListener("abort", () => reject(new Error(`aborted: ${String(signal.reason)}`)));
      }),
  });
  return { controller, seen };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("CustomRun dispatch", () => {
  it("leaves a CustomRun whose custom task has no controller without any status", async () => {
    h = startHarness([defineCustomTask({ ...EX, run: () => ({}) })]);
    await h.create(customRun("orphan", { apiVersion: "other.dev/v1", kind: "Other" }));
    assert.equal(h.get("orphan").status, undefined);
  });

  it("dispatches on customRef apiVersion and kind, and on customSpec apiVersion and kind", async () => {
    const seen: unknown[] = [];
    h = startHarness([defineCustomTask({ ...EX, run: ({ target }) => void seen.push(target) })]);
    await h.create(customRun("by-ref", { ...EX, name: "my-example-task" }));
    await h.create(customRun("by-spec", { customSpec: { ...EX, spec: { field1: "value1" } } }));
    assert.deepEqual(seen, [
      {
        apiVersion: EX.apiVersion,
        kind: EX.kind,
        via: "ref",
        ref: { ...EX, name: "my-example-task" },
        name: "my-example-task",
      },
      { apiVersion: EX.apiVersion, kind: EX.kind, via: "spec", spec: { field1: "value1" } },
    ]);
    assert.equal(cond(h.status("by-ref")).status, "True");
    assert.equal(cond(h.status("by-spec")).status, "True");
  });

  it("answers an embedded customSpec with a validation error when the controller only supports customRef", async () => {
    h = startHarness([defineCustomTask({ ...EX, accepts: { spec: false }, run: () => ({}) })]);
    await h.create(customRun("emb", { customSpec: { ...EX } }));
    assert.deepEqual(cond(h.status("emb")), {
      status: "False",
      reason: "CustomRunValidationFailed",
      message:
        'CustomRun "emb" names its custom task by an embedded spec but custom task example.dev/v1alpha1/Example only supports a reference',
    });
  });

  it("passes an empty embedded spec through as undefined so the controller can default it", async () => {
    let spec: unknown = "unset";
    h = startHarness([defineCustomTask({ ...EX, run: ({ target }) => void (spec = target.spec) })]);
    await h.create(customRun("empty", { customSpec: { ...EX } }));
    assert.equal(spec, undefined);
    assert.equal(cond(h.status("empty")).status, "True");
  });
});

describe("CustomRun status reporting", () => {
  it("reports Unknown/Started then Unknown/Running with startTime when the operation begins", async () => {
    const { controller } = gatedTask();
    const events: Array<ReturnType<typeof cond>> = [];
    h = startHarness([controller]);
    h.store.watch(ResourceTypes.CustomRun, {}, (ev) => {
      events.push(cond((ev.object as { status?: CustomRunStatus }).status));
    });
    await h.create(customRun("r", EX));
    assert.deepEqual(events.slice(0, 3), [
      {},
      { status: "Unknown", reason: "Started" },
      { status: "Unknown", reason: "Running" },
    ]);
    assert.equal(h.status("r").startTime, "2026-01-01T00:00:00Z");
    assert.equal(h.status("r").completionTime, undefined);
  });

  it("reports True with the task's reason, message, string results, extraFields and arbitrary status fields", async () => {
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: () => ({
          reason: "ExampleComplete",
          message: "Yay, good times",
          results: { "first-name": "Bob", "last-name": "Smith" },
          extraFields: { listOfThings: ["a", "b", "c"] },
          statusFields: { arbitraryField: "hello world", startTime: "ignored" },
        }),
      }),
    ]);
    await h.create(customRun("ok", EX));
    const s = h.status("ok");
    assert.deepEqual(cond(s), { status: "True", reason: "ExampleComplete", message: "Yay, good times" });
    assert.deepEqual(s.results, [
      { name: "first-name", value: "Bob" },
      { name: "last-name", value: "Smith" },
    ]);
    assert.deepEqual(s.extraFields, { listOfThings: ["a", "b", "c"] });
    assert.equal(s["arbitraryField"], "hello world");
    assert.equal(s.startTime, "2026-01-01T00:00:00Z");
    assert.equal(s.completionTime, s.conditions?.[0]?.lastTransitionTime);
  });

  it("defaults the success reason to Succeeded", async () => {
    h = startHarness([defineCustomTask({ ...EX, run: () => undefined })]);
    await h.create(customRun("plain", EX));
    assert.deepEqual(cond(h.status("plain")), { status: "True", reason: "Succeeded" });
  });

  it("reports False with the CustomTaskError's reason and message, and Failed for any other error", async () => {
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: ({ params }) => {
          if (params["how"] === "typed") throw new CustomTaskError("ExampleFailed", "Oh no bad times");
          throw new Error("boom");
        },
      }),
    ]);
    await h.create(customRun("typed", EX, { params: [{ name: "how", value: "typed" }] }));
    await h.create(customRun("other", EX, { params: [{ name: "how", value: "other" }] }));
    assert.deepEqual(cond(h.status("typed")), {
      status: "False",
      reason: "ExampleFailed",
      message: "Oh no bad times",
    });
    assert.deepEqual(cond(h.status("other")), { status: "False", reason: "Failed", message: "boom" });
    assert.equal(h.status("other").completionTime, h.status("other").conditions?.[0]?.lastTransitionTime);
  });
});

describe("CustomRun cancellation", () => {
  it("aborts the task's AbortSignal on spec.status RunCancelled and ends False/CustomRunCancelled with the statusMessage", async () => {
    const { controller, seen } = gatedTask();
    h = startHarness([controller]);
    await h.create(customRun("c", EX));
    await h.cancel("c", "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.");
    assert.equal(seen.signals[0]?.aborted, true);
    assert.equal(seen.signals[0]?.reason, "cancel");
    assert.deepEqual(cond(h.status("c")), {
      status: "False",
      reason: "CustomRunCancelled",
      message: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
    });
    assert.ok(h.status("c").completionTime);
  });

  it("cancels without a statusMessage with a default message, and never retries a cancelled run", async () => {
    const { controller } = gatedTask();
    h = startHarness([controller]);
    await h.create(customRun("c2", EX, { retries: 3 }));
    await h.cancel("c2");
    assert.deepEqual(cond(h.status("c2")), {
      status: "False",
      reason: "CustomRunCancelled",
      message: 'CustomRun "c2" was cancelled',
    });
    assert.equal(h.status("c2").retriesStatus, undefined);
  });

  it("cancels a low-level reconciler's run and lets it record its final extraFields", async () => {
    h = startHarness([
      defineCustomReconciler({
        ...EX,
        reconcile: () => ({ running: { message: "waiting", extraFields: { state: "open" } } }),
        onAbort: (_run, _ctx, cause) => ({ extraFields: { state: `closed by ${cause}` } }),
      }),
    ]);
    await h.create(customRun("lr", EX));
    assert.deepEqual(cond(h.status("lr")), { status: "Unknown", reason: "Running", message: "waiting" });
    await h.cancel("lr");
    assert.deepEqual(cond(h.status("lr")), {
      status: "False",
      reason: "CustomRunCancelled",
      message: 'CustomRun "lr" was cancelled',
    });
    assert.deepEqual(h.status("lr").extraFields, { state: "closed by cancel" });
  });
});

describe("CustomRun timeout", () => {
  it("times out an attempt after spec.timeout, aborting its signal, with False/CustomRunTimedOut", async () => {
    const { controller, seen } = gatedTask();
    h = startHarness([controller]);
    await h.create(customRun("t", EX, { timeout: "10s" }));
    await h.advance(10_000);
    assert.equal(cond(h.status("t")).status, "Unknown", "not timed out at exactly the timeout");
    await h.advance(1);
    assert.equal(seen.signals[0]?.reason, "timeout");
    assert.deepEqual(cond(h.status("t")), {
      status: "False",
      reason: "CustomRunTimedOut",
      message: 'CustomRun "t" failed to finish within "10s"',
    });
  });

  it("uses the constant 60 minutes when spec.timeout is absent, and no timeout for 0", async () => {
    const { controller } = gatedTask();
    h = startHarness([controller]);
    await h.create(customRun("default", EX));
    await h.create(customRun("none", EX, { timeout: "0s" }));
    await h.advance(60 * 60_000 + 1);
    assert.deepEqual(cond(h.status("default")), {
      status: "False",
      reason: "CustomRunTimedOut",
      message: 'CustomRun "default" failed to finish within "1h0m0s"',
    });
    assert.deepEqual(cond(h.status("none")), { status: "Unknown", reason: "Running" });
  });

  it("rejects a run that sets a timeout when the controller does not support timeouts", async () => {
    h = startHarness([defineCustomTask({ ...EX, supports: { timeout: false }, run: () => ({}) })]);
    await h.create(customRun("nt", EX, { timeout: "5m" }));
    await h.create(customRun("zero", EX, { timeout: "0s" }));
    assert.deepEqual(cond(h.status("nt")), {
      status: "False",
      reason: "CustomRunTimeoutNotSupported",
      message:
        'CustomRun "nt" sets spec.timeout "5m" but custom task example.dev/v1alpha1/Example does not support timeouts; remove spec.timeout or set it to 0',
    });
    assert.equal(h.status("nt").startTime, undefined);
    assert.equal(cond(h.status("zero")).status, "True");
  });

  it("applies the timeout to each retry attempt", async () => {
    const { controller, seen } = gatedTask();
    h = startHarness([controller]);
    await h.create(customRun("per", EX, { timeout: "10s", retries: 1 }));
    await h.advance(10_001);
    assert.deepEqual(cond(h.status("per")), { status: "Unknown", reason: "Running" });
    assert.equal(h.status("per").startTime, "2026-01-01T00:00:10Z");
    await h.advance(9_000);
    seen.releases[1]?.();
    await h.idle();
    assert.deepEqual(cond(h.status("per")), { status: "True", reason: "Succeeded" });
  });
});

describe("CustomRun retries", () => {
  it("never reports False before retries are exhausted and archives every attempt in retriesStatus", async () => {
    let attempts = 0;
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: ({ retryCount }) => {
          attempts++;
          throw new CustomTaskError("ExampleFailed", `attempt ${retryCount} failed`);
        },
      }),
    ]);
    const seenFalse: number[] = [];
    h.store.watch(ResourceTypes.CustomRun, {}, (ev) => {
      const s = (ev.object as { status?: CustomRunStatus }).status;
      if (cond(s).status === "False") seenFalse.push(s?.retriesStatus?.length ?? 0);
    });
    await h.create(customRun("re", EX, { retries: 2 }));
    assert.equal(attempts, 3);
    assert.deepEqual(seenFalse, [2], "False only once, after both retries");
    const s = h.status("re");
    assert.deepEqual(cond(s), { status: "False", reason: "ExampleFailed", message: "attempt 2 failed" });
    assert.equal(s.retriesStatus?.length, 2);
    for (const [i, r] of (s.retriesStatus ?? []).entries()) {
      assert.deepEqual(cond(r), { status: "False", reason: "ExampleFailed", message: `attempt ${i} failed` });
      assert.equal(r.retriesStatus, undefined);
      assert.ok(r.startTime && r.completionTime);
    }
  });

  it("shows Unknown/Retrying with the failure message between attempts", async () => {
    const { controller, seen } = gatedTask();
    h = startHarness([controller]);
    const reasons: string[] = [];
    h.store.watch(ResourceTypes.CustomRun, {}, (ev) => {
      const c = cond((ev.object as { status?: CustomRunStatus }).status);
      if (c.reason) reasons.push(`${c.status}/${c.reason}${c.message ? `: ${c.message}` : ""}`);
    });
    await h.create(customRun("rr", EX, { retries: 1, timeout: "1s" }));
    await h.advance(1001);
    seen.releases[1]?.();
    await h.idle();
    assert.deepEqual(reasons, [
      "Unknown/Started",
      "Unknown/Running",
      'Unknown/Retrying: CustomRun "rr" failed to finish within "1s"',
      'Unknown/Started: CustomRun "rr" failed to finish within "1s"',
      "Unknown/Running",
      "True/Succeeded",
    ]);
  });

  it("ignores spec.retries when the controller does not support retries", async () => {
    h = startHarness([
      defineCustomTask({ ...EX, supports: { retries: false }, run: () => Promise.reject(new Error("no")) }),
    ]);
    await h.create(customRun("nr", EX, { retries: 3 }));
    assert.deepEqual(cond(h.status("nr")), { status: "False", reason: "Failed", message: "no" });
    assert.equal(h.status("nr").retriesStatus, undefined);
  });
});

describe("CustomRun params, workspaces and service account", () => {
  it("validates params against the declarations, applying defaults", async () => {
    const got: unknown[] = [];
    h = startHarness([
      defineCustomTask({
        ...EX,
        params: { name: {}, greeting: { default: "Hello" }, tags: { type: "array", default: [] } },
        run: ({ params }) => void got.push(params),
      }),
    ]);
    await h.create(customRun("good", EX, { params: [{ name: "name", value: "Ada" }] }));
    await h.create(
      customRun("bad", EX, {
        params: [
          { name: "nme", value: "Ada" },
          { name: "tags", value: "x" },
        ],
      }),
    );
    assert.deepEqual(got, [{ name: "Ada", greeting: "Hello", tags: [] }]);
    assert.deepEqual(cond(h.status("bad")), {
      status: "False",
      reason: "CustomRunValidationFailed",
      message:
        'CustomRun "bad" has invalid params: unexpected param "nme"; param "tags" must be an array, got a string; missing param "name"',
    });
  });

  it("rejects workspaces with CustomRunWorkspaceNotSupported unless the controller supports them", async () => {
    const got: unknown[] = [];
    const ws = [{ name: "my-workspace", emptyDir: {} }];
    h = startHarness([
      defineCustomTask({ ...EX, run: () => ({}) }),
      defineCustomTask({
        apiVersion: "ws.dev/v1",
        kind: "WS",
        supports: { workspaces: true },
        run: ({ workspaces }) => void got.push(workspaces),
      }),
    ]);
    await h.create(customRun("nows", EX, { workspaces: ws }));
    await h.create(customRun("ws", { apiVersion: "ws.dev/v1", kind: "WS" }, { workspaces: ws }));
    assert.deepEqual(cond(h.status("nows")), {
      status: "False",
      reason: "CustomRunWorkspaceNotSupported",
      message:
        'CustomRun "nows" specifies workspaces but custom task example.dev/v1alpha1/Example does not support workspaces',
    });
    assert.deepEqual(got, [ws]);
  });

  it("gives the controller the run read-only, including serviceAccountName", async () => {
    let sa: unknown;
    let mutated = false;
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: ({ run }) => {
          sa = run.spec.serviceAccountName;
          try {
            (run.spec as { serviceAccountName?: string }).serviceAccountName = "x";
            mutated = true;
          } catch {
            mutated = false;
          }
        },
      }),
    ]);
    await h.create(customRun("sa", EX, { serviceAccountName: "my-account" }));
    assert.equal(sa, "my-account");
    assert.equal(mutated, false);
  });
});
