/**
 * `tektite logs -f` following a TaskRun while it runs, `--retry`, and `tektite cancel` ending a
 * running TaskRun as TaskRunCancelled.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { readUntil } from "../server/harness.js";
import { ResourceTypes, collect, finished, outcome, startCliHarness, type CliHarness } from "./harness.js";

function gatedRun(gate: string): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: gated
spec:
  taskSpec:
    steps:
      - name: first
        image: alpine
        script: |
          echo first
          while [ ! -f ${gate} ]; do sleep 0.05; done
          echo first again
      - name: second
        image: alpine
        script: |
          echo second
`;
}

const SLEEPER = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: sleeper
spec:
  taskSpec:
    steps:
      - name: nap
        image: alpine
        script: |
          echo going to sleep
          sleep 300
`;

const FLAKY = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: flaky
spec:
  retries: 1
  taskSpec:
    steps:
      - name: try
        image: alpine
        script: |
          echo trying
          exit 1
`;

describe("following and cancelling TaskRuns on the server", () => {
  let c: CliHarness;
  before(async () => {
    c = await startCliHarness();
  });
  after(async () => {
    await c.close();
  });

  it("follows a running TaskRun step by step, the second step after the first, and exits 0", async () => {
    const gate = join(c.h.dataDir, "go");
    await c.apply(gatedRun(gate));
    const child = c.spawnCli(["logs", "taskrun", "gated", "-f"]);
    const out = collect(child);
    const seen = await readUntil(child, (s) => s.includes("[first] first\n"));
    assert.equal(seen, "[first] first\n");
    writeFileSync(gate, "");
    const result = await out.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "[first] first\n[first] first again\n[second] second\n");
  });

  it("cancels a sleeping TaskRun, which ends TaskRunCancelled; a follower exits 1", async () => {
    await c.apply(SLEEPER);
    await c.waitFor<TaskRun>(
      ResourceTypes.TaskRun,
      "sleeper",
      (tr) => tr.status?.steps?.[0]?.running !== undefined,
    );
    const follower = c.spawnCli(["logs", "tr", "sleeper", "-f"]);
    const followed = collect(follower);
    await readUntil(follower, (s) => s.includes("[nap] going to sleep\n"));

    const cancel = await c.cli(["cancel", "taskrun", "sleeper"]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(cancel.stdout, "TaskRun cancelled: sleeper\n");
    const done = await c.waitFor<TaskRun>(ResourceTypes.TaskRun, "sleeper", finished);
    assert.deepEqual(outcome(done), { status: "False", reason: "TaskRunCancelled" });

    const result = await followed.done;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "[nap] going to sleep\n");
    const get = await c.cli(["get", "taskrun", "sleeper"]);
    assert.match(get.stdout, /\nsleeper\s+False\s+TaskRunCancelled\s/);
    const describe = await c.cli(["describe", "taskrun", "sleeper"]);
    assert.match(describe.stdout, /Cancelled\(TaskRunCancelled\)/);
  });

  it("refuses to cancel a finished TaskRun, with exit code 1", async () => {
    const again = await c.cli(["cancel", "taskrun", "sleeper"]);
    assert.equal(again.code, 1);
    assert.equal(
      again.stderr,
      'error: failed to cancel TaskRun "sleeper": it has already finished (Cancelled(TaskRunCancelled))\n',
    );
  });

  it("shows the log of an earlier attempt with --retry", async () => {
    await c.apply(FLAKY);
    const tr = await c.waitFor<TaskRun>(ResourceTypes.TaskRun, "flaky", finished);
    assert.equal(tr.status?.retriesStatus?.length, 1);
    const first = await c.cli(["logs", "taskrun", "flaky", "--retry", "0"]);
    assert.equal(first.code, 1);
    assert.equal(first.stdout, "[try] trying\n");
    const missing = await c.cli(["logs", "taskrun", "flaky", "--retry", "5"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /has no attempt 5 \(it has 2\)/);
    const described = await c.cli(["describe", "taskrun", "flaky"]);
    assert.match(
      described.stdout,
      /\nRetries\n\n ATTEMPT\s+STARTED\s+DURATION\s+STATUS\s+POD\n ∙ 0\s+.*flaky-pod\n/,
    );
  });
});
