/** Seed 000 (Run tekton.dev/v1alpha1): the same controllers, the Run's own shape and reasons. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { CustomRunStatus } from "../../api/types.js";
import { CustomTaskError, defineCustomTask } from "../../customtasks/sdk.js";
import { alphaRun, startHarness, type Harness } from "./harness.js";

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

const gated = (supports: Record<string, boolean> = {}) =>
  defineCustomTask({
    ...EX,
    supports,
    run: ({ signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
  });

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("Run v1alpha1", () => {
  it("leaves a Run without a controller with no status", async () => {
    h = startHarness([gated()]);
    await h.create(alphaRun("orphan", { apiVersion: "nope.dev/v1", kind: "Nope" }));
    assert.equal(h.get("orphan", "Run").status, undefined);
  });

  it("runs a Run through the same controller, by ref (with name) and by embedded spec", async () => {
    const seen: unknown[] = [];
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: ({ target, run }) => void seen.push([run.kind, target.via, target.name ?? target.spec]),
      }),
    ]);
    await h.create(alphaRun("by-ref", { ...EX, name: "my-example" }));
    h.store.create(
      {
        group: "tekton.dev",
        version: "v1alpha1",
        resource: "runs",
        kind: "Run",
        namespaced: true,
        statusSubresource: true,
      },
      {
        apiVersion: "tekton.dev/v1alpha1",
        kind: "Run",
        metadata: { name: "embedded-run" },
        spec: { spec: { ...EX, spec: { field1: "value1" } } },
      },
    );
    await h.idle();
    assert.deepEqual(seen, [
      ["Run", "ref", "my-example"],
      ["Run", "spec", { field1: "value1" }],
    ]);
    assert.deepEqual(cond(h.status("by-ref", "Run")), { status: "True", reason: "Succeeded" });
    assert.ok(h.status("by-ref", "Run").startTime && h.status("by-ref", "Run").completionTime);
  });

  it("reports RunCancelled with the statusMessage telling a pipeline cancel from a user cancel", async () => {
    h = startHarness([gated()]);
    await h.create(alphaRun("c", EX));
    await h.cancel("c", "Run cancelled as the PipelineRun it belongs to has been cancelled.", "Run");
    assert.deepEqual(cond(h.status("c", "Run")), {
      status: "False",
      reason: "RunCancelled",
      message: "Run cancelled as the PipelineRun it belongs to has been cancelled.",
    });
  });

  it("reports RunTimedOut, and the timeout covers all retries of a Run", async () => {
    h = startHarness([gated()]);
    await h.create(alphaRun("t", EX, { timeout: "10s", retries: 3 }));
    await h.advance(10_001);
    const s = h.status("t", "Run");
    assert.deepEqual(cond(s), {
      status: "False",
      reason: "RunTimedOut",
      message: 'Run "t" failed to finish within "10s"',
    });
    assert.equal(s.retriesStatus, undefined, "no time is left for a retry");
  });

  it("retries a failed Run within the timeout and archives each attempt", async () => {
    let n = 0;
    h = startHarness([
      defineCustomTask({
        ...EX,
        run: () => {
          if (n++ < 1) throw new CustomTaskError("Flaky", "first attempt fails");
          return { results: { attempt: String(n) } };
        },
      }),
    ]);
    await h.create(alphaRun("r", EX, { retries: 2 }));
    const s = h.status("r", "Run");
    assert.deepEqual(cond(s), { status: "True", reason: "Succeeded" });
    assert.deepEqual(s.results, [{ name: "attempt", value: "2" }]);
    assert.deepEqual(cond(s.retriesStatus?.[0]), {
      status: "False",
      reason: "Flaky",
      message: "first attempt fails",
    });
  });

  it("rejects a podTemplate with RunPodTemplateNotSupported unless the controller supports it", async () => {
    h = startHarness([
      gated(),
      defineCustomTask({
        apiVersion: "pt.dev/v1",
        kind: "PT",
        supports: { podTemplate: true },
        run: () => ({}),
      }),
    ]);
    const podTemplate = { securityContext: { runAsUser: 1001 } };
    await h.create(alphaRun("pt", EX, { podTemplate }));
    await h.create(alphaRun("pt-ok", { apiVersion: "pt.dev/v1", kind: "PT" }, { podTemplate }));
    assert.deepEqual(cond(h.status("pt", "Run")), {
      status: "False",
      reason: "RunPodTemplateNotSupported",
      message:
        'Run "pt" specifies a podTemplate but custom task example.dev/v1alpha1/Example does not support podTemplate',
    });
    assert.deepEqual(cond(h.status("pt-ok", "Run")), { status: "True", reason: "Succeeded" });
  });

  it("rejects workspaces with RunWorkspaceNotSupported and timeouts with RunTimeoutNotSupported", async () => {
    h = startHarness([gated({ timeout: false })]);
    await h.create(alphaRun("ws", EX, { workspaces: [{ name: "w", emptyDir: {} }] }));
    await h.create(alphaRun("to", EX, { timeout: "1m" }));
    assert.equal(cond(h.status("ws", "Run")).reason, "RunWorkspaceNotSupported");
    assert.equal(cond(h.status("to", "Run")).reason, "RunTimeoutNotSupported");
  });

  it("rejects params the controller does not declare with RunValidationFailed", async () => {
    h = startHarness([defineCustomTask({ ...EX, params: { "my-first-param": {} }, run: () => ({}) })]);
    await h.create(
      alphaRun("p", EX, {
        params: [
          { name: "my-first-param", value: "i'm number one" },
          { name: "my-second-param", value: "close second" },
        ],
      }),
    );
    assert.deepEqual(cond(h.status("p", "Run")), {
      status: "False",
      reason: "RunValidationFailed",
      message: 'Run "p" has invalid params: unexpected param "my-second-param"',
    });
  });
});
