import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { condition, runTaskRuns } from "../helpers/cli.js";

const taskRun = (name: string, spec: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${spec}`;

void test("a TaskRun whose steps all succeed ends Succeeded with Tekton's message, step states and pod name", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "ok",
      `  taskSpec:
    steps:
      - name: first
        image: busybox
        script: echo one
      - image: busybox
        command: [sh, -c, "echo two"]`,
    ),
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = r.objects();
  assert.deepEqual(condition(tr!), {
    type: "Succeeded",
    status: "True",
    reason: "Succeeded",
    message: "All Steps have completed executing",
    lastTransitionTime: tr!.status.completionTime,
  });
  assert.equal(tr!.status.podName, "ok-pod");
  assert.ok(tr!.status.startTime);
  assert.deepEqual(
    tr!.status.steps.map((s: any) => [
      s.name,
      s.container,
      s.terminated.exitCode,
      s.terminated.reason,
      s.terminationReason,
    ]),
    [
      ["first", "step-first", 0, "Completed", "Completed"],
      ["unnamed-1", "step-unnamed-1", 0, "Completed", "Completed"],
    ],
  );
  assert.equal(tr!.metadata.labels["app.kubernetes.io/managed-by"], "tekton-pipelines");
  assert.equal(tr!.spec.timeout, "1h0m0s");
  assert.equal(tr!.spec.serviceAccountName, "default");
});

void test("a failing step fails the TaskRun with reason StepFailed and skips the later steps", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "bad",
      `  taskSpec:
    steps:
      - name: fails
        image: busybox
        script: exit 7
      - name: after
        image: busybox
        script: echo never`,
    ),
  );
  assert.equal(r.code, 1);
  const [tr] = r.objects();
  assert.equal(condition(tr!).status, "False");
  assert.equal(condition(tr!).reason, "StepFailed");
  assert.equal(condition(tr!).message, '"step-fails" exited with code 7: Error');
  const [fails, after] = tr!.status.steps;
  assert.equal(fails.terminated.exitCode, 7);
  assert.equal(fails.terminated.reason, "Error");
  assert.equal(after.terminated.exitCode, 1);
  assert.equal(after.terminationReason, "Skipped");
  // A skipped step's container still ran (its entrypoint skipped it): it reports its image.
  assert.equal(after.imageID, "docker.io/library/busybox:latest");
  assert.doesNotMatch(r.stderr, /never/);
});

void test("onError continue records the exit code in the exitCode path file and the run still succeeds", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "cont",
      `  taskSpec:
    steps:
      - name: exit-with-1
        image: alpine
        onError: continue
        script: exit 1
      - name: check
        image: alpine
        script: |
          test "$(cat $(steps.step-exit-with-1.exitCode.path))" = 1`,
    ),
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [tr] = r.objects();
  assert.equal(tr!.status.steps[0].terminated.exitCode, 1);
  assert.equal(tr!.status.steps[0].terminationReason, "Continued");
});

void test("a step that outlives its timeout is killed and the TaskRun fails with Tekton's step-timeout message", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "steptimeout",
      `  taskSpec:
    steps:
      - name: slow
        image: busybox
        timeout: 200ms
        script: sleep 30
      - name: after
        image: busybox
        script: "true"`,
    ),
  );
  assert.equal(r.code, 1);
  const [tr] = r.objects();
  assert.equal(
    condition(tr!).message,
    '"step-slow" exited because the step exceeded the specified timeout limit',
  );
  assert.equal(tr!.status.steps[0].terminationReason, "TimeoutExceeded");
  assert.equal(tr!.status.steps[1].terminationReason, "Skipped");
});

void test("a TaskRun that outlives spec.timeout is stopped with reason TaskRunTimeout", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "slowrun",
      `  timeout: 1s
  taskSpec:
    steps:
      - name: sleeper
        image: busybox
        script: sleep 60
      - name: never
        image: alpine
        script: "true"`,
    ),
  );
  assert.equal(r.code, 1);
  const [tr] = r.objects();
  assert.equal(condition(tr!).reason, "TaskRunTimeout");
  assert.equal(condition(tr!).message, 'TaskRun "slowrun" failed to finish within "1s"');
  const step = tr!.status.steps[0];
  assert.equal(step.terminated.reason, "TaskRunTimeout");
  assert.equal(step.terminationReason, "TaskRunTimeout");
  // Tekton's terminateStepsInPod names the step (not its container); every step keeps its image.
  assert.equal(step.terminated.message, "Step sleeper terminated as pod slowrun-pod is terminated");
  assert.equal(step.imageID, "docker.io/library/busybox:latest");
  const never = tr!.status.steps[1];
  assert.equal(never.terminated.reason, "TaskRunTimeout");
  assert.equal(never.terminated.message, "Step never terminated as pod slowrun-pod is terminated");
  assert.equal(never.imageID, "docker.io/library/alpine:latest");
});

void test("retries re-run the whole attempt, archive each failure and name the pods -pod-retryN", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "flaky",
      `  retries: 2
  taskSpec:
    steps:
      - name: count
        image: busybox
        script: |
          echo "attempt $(context.task.retry-count)"
          test "$(context.task.retry-count)" = 2`,
    ),
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [tr] = r.objects();
  assert.equal(condition(tr!).reason, "Succeeded");
  assert.equal(tr!.status.podName, "flaky-pod-retry2");
  assert.equal(tr!.status.retriesStatus.length, 2);
  assert.equal(tr!.status.retriesStatus[0].podName, "flaky-pod");
  assert.equal(tr!.status.retriesStatus[1].podName, "flaky-pod-retry1");
  assert.equal(condition({ status: tr!.status.retriesStatus[0] }).reason, "StepFailed");
  assert.equal(tr!.status.retriesStatus[0].retriesStatus, undefined);
  assert.match(r.stderr, /\[flaky\/count\] attempt 0/);
  assert.match(r.stderr, /\[flaky\/count\] attempt 2/);
});

void test("every step's output is kept in a log file per step under the data dir", async (t) => {
  const r = await runTaskRuns(
    t,
    taskRun(
      "logs",
      `  taskSpec:
    steps:
      - name: speak
        image: busybox
        script: |
          echo to-stdout
          echo to-stderr >&2`,
    ),
  );
  assert.equal(r.code, 0, r.stderr);
  const log = join(r.dataDir, "pods", "default", "logs-pod", "logs", "step-speak.log");
  assert.ok(existsSync(log));
  const text = readFileSync(log, "utf8");
  assert.match(text, /to-stdout/);
  assert.match(text, /to-stderr/);
  assert.match(r.stderr, /\[logs\/speak\] to-stdout/);
});
