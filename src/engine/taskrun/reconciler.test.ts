import { succeededCondition } from "../../api/conditions.js";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { TaskRun } from "../../api/types.js";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import { HostExecutor } from "../../executors/host.js";
import { ResourceTypes, openMemoryStore, type Store } from "../../store/index.js";
import { ManualClock } from "../clock.js";
import { TaskRunReconciler } from "./reconciler.js";

function setup(t: { after: (fn: () => void) => void }): {
  store: Store;
  clock: ManualClock;
  engine: TaskRunReconciler;
} {
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-reconciler-"));
  const store = openMemoryStore();
  const clock = new ManualClock();
  const engine = new TaskRunReconciler({
    store,
    executor: new HostExecutor({ sandbox: "none", hostEnv: { PATH: "/usr/bin:/bin" } }),
    clock,
    features: defaultFeatureFlags(),
    defaults: defaultConfigDefaults(),
    dataDir,
  });
  engine.start();
  t.after(() => {
    void engine.stop().then(() => {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
  });
  return { store, clock, engine };
}

const taskRun = (name: string, spec: Partial<TaskRun["spec"]>, script = "true"): TaskRun => ({
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata: { name, namespace: "default" },
  spec: { timeout: "1h0m0s", taskSpec: { steps: [{ name: "main", image: "busybox", script }] }, ...spec },
});

const get = (store: Store, name: string): TaskRun =>
  store.get<TaskRun>(ResourceTypes.TaskRun, "default", name)!;

/** Waits (without touching the clock) until the step has started running. */
async function untilRunning(store: Store, name: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (get(store, name).status?.steps?.[0]?.running) return;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("step never started");
}

void test("the TaskRun timeout is measured on the injected clock and stops the running step", async (t) => {
  const { store, clock, engine } = setup(t);
  store.create(ResourceTypes.TaskRun, taskRun("slow", { timeout: "10s" }, "sleep 60"));
  await untilRunning(store, "slow");
  clock.advance(10_999);
  assert.equal(succeededCondition(get(store, "slow").status)?.status, "Unknown");
  clock.advance(2_000);
  await engine.idle();
  const c = succeededCondition(get(store, "slow").status);
  assert.equal(c?.reason, "TaskRunTimeout");
  assert.equal(c?.message, 'TaskRun "slow" failed to finish within "10s"');
});

void test("a pending TaskRun gets no startTime and starts when spec.status is cleared", async (t) => {
  const { store, engine } = setup(t);
  store.create(ResourceTypes.TaskRun, taskRun("later", { status: "TaskRunPending" }));
  await engine.idle();
  const pending = get(store, "later");
  assert.equal(pending.status?.startTime, undefined);
  assert.deepEqual(
    [succeededCondition(pending.status)?.reason, succeededCondition(pending.status)?.message],
    ["TaskRunPending", 'TaskRun "later" is pending'],
  );
  const { status: _status, ...spec } = pending.spec;
  store.update(ResourceTypes.TaskRun, { ...pending, spec });
  await engine.idle();
  assert.equal(succeededCondition(get(store, "later").status)?.reason, "Succeeded");
});

void test("cancelling a TaskRun that has not started yet marks it TaskRunCancelled with the statusMessage", async (t) => {
  const { store, engine } = setup(t);
  store.create(
    ResourceTypes.TaskRun,
    taskRun("never", { status: "TaskRunCancelled", statusMessage: "not today" }),
  );
  await engine.idle();
  const c = succeededCondition(get(store, "never").status);
  assert.deepEqual(
    [c?.status, c?.reason, c?.message],
    ["False", "TaskRunCancelled", 'TaskRun "never" was cancelled. not today'],
  );
});

/** Leaves `name` as a crashed process would: Running with a pod, no attempt, `steps` as given. */
function orphan(store: Store, name: string, steps: NonNullable<TaskRun["status"]>["steps"]): void {
  const latest = get(store, name);
  store.update(
    ResourceTypes.TaskRun,
    {
      ...latest,
      status: {
        startTime: "2026-01-01T00:00:00Z",
        podName: `${name}-pod`,
        conditions: [
          {
            type: "Succeeded",
            status: "Unknown",
            reason: "Running",
            message: "Not all Steps in the Task have finished executing",
          },
        ],
        ...(steps !== undefined ? { steps } : {}),
      },
    },
    { subresource: "status" },
  );
}

function freshReconciler(store: Store, t: { after: (fn: () => void) => void }): TaskRunReconciler {
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-reconciler-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  return new TaskRunReconciler({
    store,
    executor: new HostExecutor({ sandbox: "none", hostEnv: { PATH: "/usr/bin:/bin" } }),
    clock: new ManualClock(),
    features: defaultFeatureFlags(),
    defaults: defaultConfigDefaults(),
    dataDir,
  });
}

void test("a run left Running by a previous process with a step started fails with a clear reason", async (t) => {
  const { store, engine } = setup(t);
  store.create(ResourceTypes.TaskRun, taskRun("orphaned", { retries: 0 }));
  await engine.stop();
  orphan(store, "orphaned", [
    { name: "main", container: "step-main", running: { startedAt: "2026-01-01T00:00:01Z" } },
  ]);
  const fresh = freshReconciler(store, t);
  fresh.start();
  await fresh.idle();
  const c = succeededCondition(get(store, "orphaned").status);
  assert.equal(c?.status, "False");
  assert.match(c?.message ?? "", /was interrupted/);
  await fresh.stop();
});

void test("a run left Running by a previous process before any step started simply runs", async (t) => {
  const { store, engine } = setup(t);
  store.create(ResourceTypes.TaskRun, taskRun("queued", {}, "echo ran"));
  await engine.stop();
  orphan(store, "queued", [{ name: "main", container: "step-main", waiting: { reason: "PodInitializing" } }]);
  const fresh = freshReconciler(store, t);
  fresh.start();
  await fresh.idle();
  const c = succeededCondition(get(store, "queued").status);
  assert.deepEqual([c?.status, c?.reason], ["True", "Succeeded"]);
  await fresh.stop();
});
