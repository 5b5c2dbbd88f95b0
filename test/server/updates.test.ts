/** Tekton's update rules, as kubectl users meet them. */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { TASK_AND_RUN_YAML, startHarness, succeeded, writeStatus, type Harness } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

void it("refuses spec changes to a finished TaskRun and non-status changes to a started one", async () => {
  const run = TASK_AND_RUN_YAML.split("---\n")[1] ?? "";
  await h.kubectl(["create", "-f", "-"], run.replace("hello-run", "finished"));
  writeStatus(h.store, "default", "finished", {
    conditions: succeeded("True", "Succeeded"),
    startTime: "2026-01-01T00:00:00Z",
  });
  const frozen = await h.kubectl([
    "patch",
    "taskrun",
    "finished",
    "--type",
    "merge",
    "-p",
    '{"spec":{"timeout":"5m"}}',
  ]);
  assert.notEqual(frozen.code, 0);
  assert.match(frozen.stderr, /Once the TaskRun is complete, no updates are allowed: spec/);

  await h.kubectl(["create", "-f", "-"], run.replace("hello-run", "started"));
  writeStatus(h.store, "default", "started", {
    conditions: succeeded("Unknown", "Running"),
    startTime: "2026-01-01T00:00:00Z",
  });
  const changed = await h.kubectl([
    "patch",
    "taskrun",
    "started",
    "--type",
    "merge",
    "-p",
    '{"spec":{"timeout":"5m"}}',
  ]);
  assert.match(
    changed.stderr,
    /Once the TaskRun has started, only status and statusMessage updates are allowed: spec/,
  );
  const cancelled = await h.kubectl([
    "patch",
    "taskrun",
    "started",
    "--type",
    "merge",
    "-p",
    '{"spec":{"status":"TaskRunCancelled"}}',
  ]);
  assert.equal(cancelled.code, 0, cancelled.stderr);
});
