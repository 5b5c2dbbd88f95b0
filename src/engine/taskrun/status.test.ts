import { isDone, succeededCondition } from "../../api/conditions.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskRun } from "../../api/types.js";
import {
  childName,
  markAborted,
  markFailed,
  markRunning,
  markStarted,
  markSucceeded,
  podNameFor,
  prepareRetry,
  shouldRetry,
} from "./status.js";

const t0 = new Date("2026-01-01T10:00:00Z");
const t1 = new Date("2026-01-01T10:00:05Z");

const tr = (spec: Partial<TaskRun["spec"]> = {}): TaskRun => ({
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata: { name: "build", namespace: "default", creationTimestamp: "2026-01-01T09:59:59Z" },
  spec: { taskSpec: { steps: [] }, ...spec },
});

void test("the first reconcile sets startTime and Unknown/Started with an empty message", () => {
  const s = markStarted(undefined, t0);
  assert.equal(s.startTime, "2026-01-01T10:00:00Z");
  assert.deepEqual(succeededCondition(s), {
    type: "Succeeded",
    status: "Unknown",
    reason: "Started",
    message: "",
    lastTransitionTime: "2026-01-01T10:00:00Z",
  });
});

void test("running, success and failure carry Tekton's reasons and messages; done runs get completionTime", () => {
  const running = markRunning(markStarted(undefined, t0), "build-pod", t0);
  assert.equal(running.podName, "build-pod");
  assert.equal(succeededCondition(running)?.message, "Not all Steps in the Task have finished executing");
  const ok = markSucceeded(running, t1);
  assert.equal(succeededCondition(ok)?.reason, "Succeeded");
  assert.equal(succeededCondition(ok)?.message, "All Steps have completed executing");
  assert.equal(ok.completionTime, "2026-01-01T10:00:05Z");
  assert.ok(isDone({ status: ok }));
  const bad = markFailed(running, "Failed", '"step-a" exited with code 1', t1);
  assert.equal(succeededCondition(bad)?.status, "False");
  assert.equal(bad.completionTime, "2026-01-01T10:00:05Z");
});

void test("cancel without a statusMessage keeps Tekton's trailing space and terminates unfinished steps", () => {
  const status = {
    ...markRunning(markStarted(undefined, t0), "build-pod", t0),
    steps: [
      { name: "a", container: "step-a", terminated: { exitCode: 0, reason: "Completed" } },
      { name: "b", container: "step-b", running: { startedAt: "2026-01-01T10:00:01Z" } },
      { name: "c", container: "step-c", waiting: { reason: "PodInitializing" } },
    ],
  };
  const s = markAborted(tr({ status: "TaskRunCancelled" }), status, "cancel", "1h0m0s", t1);
  assert.equal(succeededCondition(s)?.reason, "TaskRunCancelled");
  assert.equal(succeededCondition(s)?.message, 'TaskRun "build" was cancelled. ');
  assert.equal(s.steps?.[0]?.terminated?.reason, "Completed");
  assert.deepEqual(s.steps?.[1], {
    name: "b",
    container: "step-b",
    terminated: {
      exitCode: 1,
      reason: "TaskRunCancelled",
      message: "Step b terminated as pod build-pod is terminated",
      startedAt: "2026-01-01T10:00:01Z",
      finishedAt: "2026-01-01T10:00:05Z",
    },
    terminationReason: "TaskRunCancelled",
  });
  assert.equal(s.steps?.[2]?.terminated?.startedAt, "2026-01-01T09:59:59Z");
});

void test("a timeout after a retry-worthy failure appends the previous status to the message", () => {
  const failed = markFailed(markStarted(undefined, t0), "Pending", "pod is pending", t0);
  const s = markAborted(tr({ timeout: "10s" }), failed, "timeout", "10s", t1);
  assert.equal(
    succeededCondition(s)?.message,
    'TaskRun "build" failed to finish within "10s"\nPrevious status: [Pending] pod is pending',
  );
});

void test("a failed attempt with retries left is archived and the run becomes ToBeRetried", () => {
  const run = tr({ retries: 1 });
  const failed = markFailed(markRunning(markStarted(undefined, t0), "build-pod", t0), "Failed", "boom", t1);
  assert.ok(shouldRetry(run, failed));
  const next = prepareRetry(failed, t1);
  assert.equal(next.retriesStatus?.length, 1);
  assert.equal(next.retriesStatus?.[0]?.podName, "build-pod");
  assert.equal(next.retriesStatus?.[0]?.retriesStatus, undefined);
  assert.equal(next.startTime, undefined);
  assert.equal(next.podName, undefined);
  assert.deepEqual(
    [succeededCondition(next)?.status, succeededCondition(next)?.reason, succeededCondition(next)?.message],
    ["Unknown", "ToBeRetried", "boom"],
  );
  assert.equal(shouldRetry(run, { ...failed, retriesStatus: next.retriesStatus }), false);
  const restarted = markStarted(next, t1);
  assert.equal(succeededCondition(restarted)?.message, "boom");
});

void test("cancelled runs are never retried", () => {
  const failed = markFailed(markStarted(undefined, t0), "TaskRunCancelled", "x", t1);
  assert.equal(shouldRetry(tr({ retries: 3, status: "TaskRunCancelled" }), failed), false);
});

void test("pod names follow kmeta.ChildName, hashing names that would pass 63 characters", () => {
  assert.equal(podNameFor("build", 0), "build-pod");
  assert.equal(podNameFor("build", 2), "build-pod-retry2");
  const long = "a".repeat(60);
  const name = childName(long, "-pod");
  assert.equal(name.length, 63);
  assert.ok(name.endsWith("-pod"));
  assert.match(name, /^a{27}[0-9a-f]{32}-pod$/);
});
