/** PipelineRuns on `tektite serve`: created, cancelled and timed out through kubectl and the CLI. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { succeededCondition } from "../../src/api/conditions.js";
import type { KubeObject } from "../../src/api/types.js";
import { ResourceTypes } from "../../src/store/index.js";
import { finished, startCliHarness, type CliHarness } from "./harness.js";

const sleeper = (name: string, extra = ""): string => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
${extra}  pipelineSpec:
    tasks:
      - name: nap
        taskSpec:
          steps:
            - name: sleep
              image: busybox
              script: |
                echo napping
                sleep 60
    finally:
      - name: tidy
        taskSpec:
          steps:
            - image: busybox
              script: echo tidy
`;

const cond = (o: KubeObject): [string?, string?, string?] => {
  const c = succeededCondition(o["status"]);
  return [c?.status, c?.reason, c?.message];
};

void describe("PipelineRuns on tektite serve", () => {
  let c: CliHarness;
  before(async () => {
    c = await startCliHarness();
  });
  after(async () => {
    await c.close();
  });

  const running = async (name: string): Promise<void> => {
    await c.waitFor<KubeObject>(
      ResourceTypes.TaskRun,
      `${name}-nap`,
      (tr) => succeededCondition(tr["status"])?.reason === "Running",
    );
  };

  it("kubectl patch spec.status Cancelled cancels the running TaskRun and ends the PipelineRun Cancelled, without finally", async () => {
    const created = await c.h.kubectl(["create", "-f", "-"], sleeper("patched"));
    assert.equal(created.code, 0, created.stderr);
    await running("patched");
    const patch = await c.h.kubectl([
      "patch",
      "pipelinerun",
      "patched",
      "--type",
      "merge",
      "-p",
      '{"spec":{"status":"Cancelled"}}',
    ]);
    assert.equal(patch.code, 0, patch.stderr);
    const pr = await c.waitFor<KubeObject>(ResourceTypes.PipelineRun, "patched", finished);
    assert.deepEqual(cond(pr), ["False", "Cancelled", 'PipelineRun "patched" was cancelled']);
    const tr = await c.waitFor<KubeObject>(ResourceTypes.TaskRun, "patched-nap", finished);
    assert.equal(cond(tr)[1], "TaskRunCancelled");
    assert.equal(
      (tr["spec"] as { statusMessage?: string }).statusMessage,
      "TaskRun cancelled as the PipelineRun it belongs to has been cancelled.",
    );
    assert.equal(c.h.store.get(ResourceTypes.TaskRun, "default", "patched-tidy"), undefined);
    const got = await c.h.kubectl(["get", "pipelinerun", "patched"]);
    assert.match(got.stdout, /patched\s+False\s+Cancelled/);
  });

  it("CancelledRunFinally cancels the task and still runs finally, ending Cancelled", async () => {
    await c.h.kubectl(["create", "-f", "-"], sleeper("graceful"));
    await running("graceful");
    const patch = await c.h.kubectl([
      "patch",
      "pipelinerun",
      "graceful",
      "--type",
      "merge",
      "-p",
      '{"spec":{"status":"CancelledRunFinally"}}',
    ]);
    assert.equal(patch.code, 0, patch.stderr);
    const pr = await c.waitFor<KubeObject>(ResourceTypes.PipelineRun, "graceful", finished);
    assert.deepEqual(cond(pr), ["False", "Cancelled", 'PipelineRun "graceful" was cancelled']);
    const tidy = c.h.store.get<KubeObject>(ResourceTypes.TaskRun, "default", "graceful-tidy");
    assert.ok(tidy);
    assert.equal(cond(tidy)[0], "True");
  });

  it("tektite cancel pipelinerun cancels through the API", async () => {
    await c.h.kubectl(["create", "-f", "-"], sleeper("by-cli"));
    await running("by-cli");
    const r = await c.cli(["cancel", "pipelinerun", "by-cli"]);
    assert.equal(r.code, 0, r.stderr);
    const pr = await c.waitFor<KubeObject>(ResourceTypes.PipelineRun, "by-cli", finished);
    assert.equal(cond(pr)[1], "Cancelled");
  });

  it("timeouts.tasks cancels the running task with the timeout message, runs finally, then ends PipelineRunTimeout", async () => {
    await c.h.kubectl(
      ["create", "-f", "-"],
      sleeper("timed", "  timeouts:\n    pipeline: 1h\n    tasks: 2s\n"),
    );
    const pr = await c.waitFor<KubeObject>(ResourceTypes.PipelineRun, "timed", finished);
    assert.deepEqual(cond(pr), [
      "False",
      "PipelineRunTimeout",
      'PipelineRun "timed" failed due to tasks failed to finish within "2s"',
    ]);
    const nap = c.h.store.get<KubeObject>(ResourceTypes.TaskRun, "default", "timed-nap");
    assert.equal(
      (nap?.["spec"] as { statusMessage?: string }).statusMessage,
      "TaskRun cancelled as the PipelineRun it belongs to has timed out.",
    );
    const tidy = c.h.store.get<KubeObject>(ResourceTypes.TaskRun, "default", "timed-tidy");
    assert.equal(tidy && cond(tidy)[0], "True");
  });

  it("PipelineRunPending holds the run until spec.status is cleared", async () => {
    await c.h.kubectl(["create", "-f", "-"], sleeper("held", "  status: PipelineRunPending\n"));
    const held = await c.waitFor<KubeObject>(
      ResourceTypes.PipelineRun,
      "held",
      (o) => succeededCondition(o["status"])?.reason === "PipelineRunPending",
    );
    assert.deepEqual(cond(held), ["Unknown", "PipelineRunPending", 'PipelineRun "held" is pending']);
    assert.equal(c.h.store.get(ResourceTypes.TaskRun, "default", "held-nap"), undefined);
    const patch = await c.h.kubectl([
      "patch",
      "pipelinerun",
      "held",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/spec/status"}]',
    ]);
    assert.equal(patch.code, 0, patch.stderr);
    await running("held");
    await c.h.kubectl([
      "patch",
      "pipelinerun",
      "held",
      "--type",
      "merge",
      "-p",
      '{"spec":{"status":"Cancelled"}}',
    ]);
    await c.waitFor<KubeObject>(ResourceTypes.PipelineRun, "held", finished);
  });
});
