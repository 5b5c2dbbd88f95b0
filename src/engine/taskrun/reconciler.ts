/**
 * The TaskRun reconciler: a level-triggered state machine over the store. `reconcile(key)` reads
 * the latest object, decides with the pure functions of `status.ts`, and writes status with a
 * resourceVersion precondition. Attempts run in the background; their end triggers a final write.
 * Re-running reconcile on every stored TaskRun after a restart converges.
 */
import { isDone, succeededCondition } from "../../api/conditions.js";
import { TaskRunReason } from "../../api/reasons.js";
import type { Task, TaskRun, TaskRunStatus } from "../../api/types.js";
import { provenanceFeatureFlags, provenanceInStatus } from "../../config/provenance-flags.js";
import { defaultResolverSettings } from "../../config/resolvers.js";
import { RemoteResolver } from "../resolution/remote.js";
import { needsRemote, type RemoteContent } from "./remote-refs.js";
import { Resolutions } from "./resolutions.js";
import { ResourceTypes, type Store } from "../../store/index.js";
import { ReconcileLoop, refOf, type ObjectRef } from "../reconcile/loop.js";
import { AbortKind } from "./abort.js";
import { anyStepStarted, attemptDirFor, removeAttemptDirs } from "./attempt-dir.js";
import { AttemptRunner } from "./attempt-runner.js";
import { DEFAULT_RUN_LIMITS, retryBackoffMs } from "./limits.js";
import { effectiveTimeout, type TaskRunEngineOptions } from "./options.js";
import type { PreparedRun } from "./plan.js";
import { prepareAttempt } from "./prepare.js";
import { applyTaskMetadata, withReleaseAnnotation } from "./task-metadata.js";
import {
  FailureKind,
  failure,
  failureCondition,
  toFailureCondition,
  type FailureCondition,
} from "./failure.js";
import {
  hasStarted,
  isCancelRequested,
  isPendingRequested,
  markAborted,
  markFailed,
  markPending,
  markResolving,
  markRunning,
  markStarted,
  podNameFor,
  prepareRetry,
  retryCount,
  shouldRetry,
} from "./status.js";

const refFor = (ns: string, name: string): ObjectRef => refOf(ResourceTypes.TaskRun, ns, name);

export class TaskRunReconciler {
  private readonly loop: ReconcileLoop;
  private readonly attempts: AttemptRunner;
  private readonly resolutions: Resolutions;

  constructor(
    private readonly opts: TaskRunEngineOptions,
    remote: RemoteResolver = new RemoteResolver({
      store: opts.store,
      clock: opts.clock,
      features: opts.features,
      defaults: opts.defaults,
      settings: opts.resolvers ?? defaultResolverSettings(),
      dataDir: opts.dataDir,
    }),
  ) {
    this.attempts = new AttemptRunner({
      opts,
      writeStatus: (ns, name, next) => this.writeStatus(ns, name, next),
      enqueue: (ns, name) => this.enqueue(ns, name),
      maybeRetry: (tr) => this.maybeRetry(tr),
      failUnexpectedly: (ns, name, err) => this.failUnexpectedly(ns, name, err),
      finishWithFailure: (ns, name, cond) => this.finishWithFailure(ns, name, cond),
    });
    this.resolutions = new Resolutions(remote);
    this.loop = new ReconcileLoop({
      store: opts.store,
      clock: opts.clock,
      types: [ResourceTypes.TaskRun],
      reconcile: async (ref) => {
        try {
          await this.reconcile(ref.namespace, ref.name);
        } catch (err) {
          this.failUnexpectedly(ref.namespace, ref.name, err);
          throw err;
        }
      },
      ignoreAdded: (obj) => isDone(obj),
      onDeleted: (ref) => this.deleted(ref.namespace, ref.name, ref.key),
      runningWork: () => [...this.attempts.running(), ...this.resolutions.inFlight()],
      ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
      ...(opts.onReconcile !== undefined ? { onReconcile: opts.onReconcile } : {}),
    });
  }

  /** Watches TaskRuns and reconciles each one that is added or changed (including existing ones). */
  start(): void {
    this.loop.start();
  }

  enqueue(namespace: string, name: string): void {
    this.loop.enqueue(refFor(namespace, name));
  }

  /**
   * Stops watching and ends every running attempt. With `cancelRunning` (a one-shot run being
   * interrupted) they end as cancelled; otherwise (a server shutting down) their status is left
   * as it is, and the next start settles them.
   */
  async stop(opts: { cancelRunning?: boolean } = {}): Promise<void> {
    this.loop.stop();
    await this.resolutions.stopAll();
    await this.attempts.abortAll(opts.cancelRunning === false ? AbortKind.Shutdown : AbortKind.Cancel);
  }

  /** Resolves once no reconcile is queued and no attempt is running. */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** Aborts the running attempt of a run (the key of its ref), if any. */
  private forget(k: string, kind: AbortKind): void {
    this.resolutions.drop(k);
    this.attempts.abort(k, kind);
  }

  /**
   * A deleted TaskRun takes its pods with it, as Kubernetes garbage-collects owned Pods: its
   * attempt is stopped, then every attempt directory (logs, results, emptyDirs) is removed.
   */
  private deleted(ns: string, name: string, k: string): void {
    const running = this.attempts.done(k);
    this.forget(k, AbortKind.Cancel);
    void running.then(() => {
      // A TaskRun created again under the same name meanwhile owns these directories now.
      if (this.store.get(ResourceTypes.TaskRun, ns, name) !== undefined) return;
      const maxRetries = (this.opts.limits ?? DEFAULT_RUN_LIMITS).maxRetries;
      try {
        removeAttemptDirs(this.opts.dataDir, ns, name, maxRetries);
      } catch (err) {
        this.opts.onError?.(k, err);
      }
    });
  }

  private get store(): Store {
    return this.opts.store;
  }

  /** Writes a new status computed from the latest object, retrying on conflicts. */
  private writeStatus(
    ns: string,
    name: string,
    next: (tr: TaskRun) => TaskRunStatus | undefined,
  ): TaskRun | undefined {
    return this.loop.writeStatus<TaskRun>(refFor(ns, name), next);
  }

  async reconcile(ns: string, name: string): Promise<void> {
    const ref = refFor(ns, name);
    const k = ref.key;
    let tr = this.store.get<TaskRun>(ResourceTypes.TaskRun, ns, name);
    if (tr === undefined) {
      this.loop.clearRequeue(ref);
      return this.forget(k, AbortKind.Cancel);
    }
    const now = (): Date => this.opts.clock.now();
    if (isDone(tr)) {
      this.loop.clearRequeue(ref);
      this.resolutions.drop(k);
      return;
    }
    tr = withReleaseAnnotation(this.store, tr, this.opts.features.tektonVersion);
    const active = this.attempts.isActive(k);
    if (isCancelRequested(tr)) {
      if (active) return this.forget(k, AbortKind.Cancel);
      await this.releaseAbandoned(tr);
      this.writeStatus(ns, name, (t) =>
        isDone(t)
          ? undefined
          : markAborted(
              t,
              t.status ?? {},
              AbortKind.Cancel,
              effectiveTimeout(t, this.opts.defaults).text,
              now(),
            ),
      );
      return;
    }
    if (isPendingRequested(tr) && !hasStarted(tr)) {
      if (succeededCondition(tr.status)?.reason !== TaskRunReason.Pending) {
        this.writeStatus(ns, name, (t) => markPending(t.status, name, now()));
      }
      return;
    }
    if (!hasStarted(tr)) {
      tr = this.writeStatus(ns, name, (t) => (hasStarted(t) ? undefined : markStarted(t.status, now())));
      if (tr === undefined) return;
    }
    const timeout = effectiveTimeout(tr, this.opts.defaults);
    if (timeout.ms > 0) {
      const elapsed = now().getTime() - Date.parse(tr.status?.startTime ?? now().toISOString());
      if (elapsed > timeout.ms) {
        if (active) return this.forget(k, AbortKind.Timeout);
        this.resolutions.drop(k);
        await this.releaseAbandoned(tr);
        this.writeStatus(ns, name, (t) =>
          isDone(t) ? undefined : markAborted(t, t.status ?? {}, AbortKind.Timeout, timeout.text, now()),
        );
        return;
      }
      this.loop.requeueAfter(ref, timeout.ms - elapsed + 1);
    }
    if (active) return;
    const localTask =
      tr.spec.taskRef?.name !== undefined && !tr.spec.taskRef.resolver
        ? this.store.get<Task>(ResourceTypes.Task, ns, tr.spec.taskRef.name)
        : undefined;
    let remote: RemoteContent | undefined;
    if (needsRemote(tr, localTask)) {
      const outcome = this.resolutions.outcome(k);
      if (outcome.state === "absent") return this.startResolution(tr, localTask);
      if (outcome.state === "pending") return;
      if (outcome.state === "failed") {
        this.resolutions.drop(k);
        const cond = toFailureCondition(outcome.error, name);
        if (cond === undefined) throw outcome.error;
        this.finishWithFailure(ns, name, cond);
        return;
      }
      remote = outcome.content;
    }
    if (tr.status?.podName && succeededCondition(tr.status)?.reason === TaskRunReason.Running) {
      // The attempt's steps belonged to a previous tektite process that is gone: remove what
      // is left of it (containers keep running without their process) and settle the run.
      if (await this.resume(tr, tr.status.podName, remote)) return;
      const dir = attemptDirFor(this.opts.dataDir, ns, tr.status.podName);
      await this.opts.executor.releasePod?.(ns, tr.status.podName, dir);
      if (!anyStepStarted(tr, dir)) {
        // It was only waiting for a slot (or its sidecars): nothing ran, so it simply starts now.
        this.begin(tr, remote);
        return;
      }
      this.finishWithFailure(
        ns,
        name,
        failureCondition(failure(FailureKind.Interrupted, tr.status.podName), name),
      );
      return;
    }
    this.begin(tr, remote);
  }

  /** A run timed out or cancelled while the server was down: remove what its pod left in the engine. */
  private async releaseAbandoned(tr: TaskRun): Promise<void> {
    const podName = tr.status?.podName;
    if (!podName || succeededCondition(tr.status)?.reason !== TaskRunReason.Running) return;
    const ns = tr.metadata.namespace ?? "default";
    await this.opts.executor.releasePod?.(ns, podName, attemptDirFor(this.opts.dataDir, ns, podName));
  }

  /** Resolves the run's remote Task/StepActions in the background; its end triggers a reconcile. */
  private startResolution(tr: TaskRun, localTask: Task | undefined): void {
    const ns = tr.metadata.namespace ?? "default";
    const name = tr.metadata.name ?? "";
    this.resolutions.start(
      refFor(ns, name).key,
      tr,
      localTask,
      (reason) =>
        this.writeStatus(ns, name, (t) =>
          isDone(t) || succeededCondition(t.status)?.reason === reason
            ? undefined
            : markResolving(t.status, reason, ns, name, this.opts.clock.now()),
        ),
      () => this.enqueue(ns, name),
    );
  }

  /**
   * An error nothing anticipated (a bug, a full disk) fails that run with what happened, so it
   * neither stays Running forever nor takes other runs with it. Errors writing that status are
   * only reported.
   */
  private failUnexpectedly(ns: string, name: string, err: unknown): void {
    if (this.loop.isStopped) return;
    const what = err instanceof Error ? err.message : String(err);
    try {
      this.finishWithFailure(ns, name, failureCondition(failure(FailureKind.Internal, what), name));
    } catch (again) {
      this.opts.onError?.(refFor(ns, name).key, again);
    }
  }

  private finishWithFailure(ns: string, name: string, cond: FailureCondition): void {
    const now = this.opts.clock.now();
    const after = this.writeStatus(ns, name, (t) =>
      isDone(t) ? undefined : markFailed(t.status ?? {}, cond.reason, cond.message, now),
    );
    if (after !== undefined) this.maybeRetry(after);
  }

  private maybeRetry(tr: TaskRun): void {
    if (!tr.status || !shouldRetry(tr, tr.status)) return;
    // A run refused for asking too many retries is not retried at all.
    if ((tr.spec.retries ?? 0) > (this.opts.limits ?? DEFAULT_RUN_LIMITS).maxRetries) return;
    const ns = tr.metadata.namespace ?? "default";
    const name = tr.metadata.name ?? "";
    this.writeStatus(ns, name, (t) =>
      t.status && shouldRetry(t, t.status) ? prepareRetry(t.status, this.opts.clock.now()) : undefined,
    );
    this.loop.requeueAfter(refFor(ns, name), retryBackoffMs(retryCount(tr.status) + 1));
  }

  private begin(tr: TaskRun, remote: RemoteContent | undefined): void {
    const ns = tr.metadata.namespace ?? "default";
    const name = tr.metadata.name ?? "";
    const podName = podNameFor(name, retryCount(tr.status));
    let prepared: PreparedRun;
    try {
      prepared = prepareAttempt(this.opts, tr, podName, false, remote);
    } catch (err) {
      const cond = toFailureCondition(err, name);
      if (cond === undefined) throw err;
      this.finishWithFailure(ns, name, cond);
      return;
    }
    applyTaskMetadata(this.store, tr, prepared);
    this.writeStatus(ns, name, (t) => ({
      ...markRunning(
        {
          ...(t.status ?? {}),
          steps: prepared.initialSteps,
          taskSpec: prepared.statusSpec,
          ...(provenanceInStatus(this.opts.features)
            ? {
                provenance: {
                  ...(remote?.task !== undefined ? { refSource: remote.task.refSource } : {}),
                  featureFlags: provenanceFeatureFlags(this.opts.features),
                },
              }
            : {}),
        },
        podName,
        this.opts.clock.now(),
      ),
    }));
    this.attempts.launch(ns, name, podName, prepared, new AbortController(), undefined);
  }

  /**
   * After a restart: adopt the attempt an earlier process left running (a container executor
   * finds its pod and the running step). False when there is nothing to adopt.
   */
  private async resume(tr: TaskRun, podName: string, remote: RemoteContent | undefined): Promise<boolean> {
    const steps = tr.status?.steps ?? [];
    const from = steps.findIndex((s) => s.running !== undefined);
    if (this.opts.executor.resumePod === undefined || from < 0) return false;
    let prepared: PreparedRun;
    try {
      prepared = prepareAttempt(this.opts, tr, podName, true, remote);
    } catch (err) {
      if (toFailureCondition(err, tr.metadata.name ?? "") === undefined) throw err;
      return false;
    }
    const controller = new AbortController();
    const pod = await this.opts.executor.resumePod(prepared.attempt.pod, controller.signal);
    if (pod === undefined) return false;
    this.attempts.launch(
      tr.metadata.namespace ?? "default",
      tr.metadata.name ?? "",
      podName,
      prepared,
      controller,
      {
        pod,
        from,
        states: steps,
      },
    );
    return true;
  }
}
