/**
 * The CustomRun and Run reconciler: a level-triggered state machine over the store, one per engine.
 * It watches both kinds, dispatches each run to the controller registered for its target
 * (`apiVersion` + `kind`) and leaves runs without one untouched (no status, Tekton's docs/customruns.md and docs/runs.md).
 *
 * For SDK controllers (`task` and `reconciler` styles) it enforces the custom-run contract:
 * `Unknown/Started` then `Unknown/Running` when work starts; `True`/`False` with reason and message
 * at the end, `completionTime = lastTransitionTime`; timeout per attempt (`CustomRunTimedOut` /
 * `RunTimedOut`); retries (never `False` before they are exhausted, each attempt archived in
 * `retriesStatus`); cancel (`spec.status: RunCancelled` aborts the work's AbortSignal and ends
 * `CustomRunCancelled` / `RunCancelled`). `raw` controllers compute their status themselves.
 *
 * @module
 */
import { isDone } from "../../api/conditions.js";
import type { CustomRunStatus } from "../../api/types.js";
import type {
  CustomReconcilerDefinition,
  CustomTaskDefinition,
  RawControllerDefinition,
  ReconcileContext,
  ReconcileDecision,
} from "../../customtasks/controller.js";
import { AbortCause } from "../../customtasks/controller.js";
import {
  hasRunStarted,
  isRunCancelled,
  paramsOf,
  retryCountOf,
  runKey,
  type AnyCustomRun,
} from "../../customtasks/run-view.js";
import { ResourceTypes, type ResourceType, type Store } from "../../store/index.js";
import type { Clock } from "../clock.js";
import { ReconcileLoop, refOf, type ObjectRef } from "../reconcile/loop.js";
import { baseContext, frozenCopy, toFailure } from "./contexts.js";
import type { CustomRunDispatcher } from "./dispatcher.js";
import { preflight } from "./preflight.js";
import { createRunLogger, type CustomRunLogEvent } from "./run-log.js";
import { abortStatus, decisionStatus } from "./decisions.js";
import { markFailed, markStarted, reasonsFor, timeLeftMs, withObservedGeneration } from "./status.js";
import { continueTask, type ActiveAttempt, type TaskAttemptHost } from "./task-attempt.js";

/** Options of {@link CustomRunReconciler}. */
export interface CustomRunEngineOptions {
  store: Store;
  clock: Clock;
  dispatcher: CustomRunDispatcher;
  /** Root of the per-run log files (`customruns/<ns>/<name>/attempt-<N>.log`); none when unset. */
  dataDir?: string;
  onLog?: (event: CustomRunLogEvent) => void;
  /** Errors the reconciler could not turn into a status (store failures, raw controllers throwing). */
  onError?: (key: string, err: unknown) => void;
  /** How long `stop()` waits for aborted attempts to settle (default 5000 ms on the engine clock). */
  stopGraceMs?: number;
}

type ManagedController = CustomTaskDefinition | CustomReconcilerDefinition;

const typeOfKind = (kind: string): ResourceType =>
  kind === "Run" ? ResourceTypes.Run : ResourceTypes.CustomRun;

export class CustomRunReconciler {
  private readonly loop: ReconcileLoop;
  private readonly active = new Map<string, ActiveAttempt>();
  private readonly draining = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly taskHost: TaskAttemptHost;

  constructor(private readonly opts: CustomRunEngineOptions) {
    this.taskHost = {
      clock: opts.clock,
      active: this.active,
      writeStatus: (type, ns, name, next) => this.writeStatus(type, ns, name, next),
      logger: (run, k) => this.logger(run, k),
      enqueue: (kind, ns, name) => this.enqueue(kind, ns, name),
      onError: opts.onError,
    };
    this.loop = new ReconcileLoop({
      store: opts.store,
      clock: opts.clock,
      types: [ResourceTypes.CustomRun, ResourceTypes.Run],
      reconcile: (ref) => this.reconcile(ref.type.kind, ref.namespace, ref.name),
      onDeleted: (ref) => this.forget(ref),
      runningWork: () => [...this.active.values()].map((a) => a.done),
      skipUnchangedWrites: true,
      ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
    });
  }

  private get store(): Store {
    return this.opts.store;
  }

  /** Watches CustomRuns and Runs and reconciles each one added or changed (existing ones too). */
  start(): void {
    this.loop.start();
  }

  /** Schedules a reconcile of one run (`kind` is `CustomRun` or `Run`). */
  enqueue(kind: string, namespace: string, name: string): void {
    this.loop.enqueue(refOf(typeOfKind(kind), namespace, name));
  }

  /** Resolves once no reconcile is queued and no attempt is running. */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** Resolves once no reconcile is queued (running attempts may go on). */
  async settled(): Promise<void> {
    await this.loop.settled();
  }

  /**
   * Stops watching. Running attempts are aborted; they are recorded as cancelled unless
   * `cancelRunning` is false (a server shutting down leaves them for its next start, which fails
   * them as interrupted, retrying when retries remain). Runs of `reconciler` and `raw` controllers
   * keep their state in status and simply continue at the next start.
   */
  async stop(opts: { cancelRunning?: boolean } = {}): Promise<void> {
    this.loop.stop();
    this.shutdown.abort(AbortCause.Shutdown);
    await this.loop.settled();
    for (const [k, a] of [...this.active]) {
      const [kind = "", ns = "", name = ""] = k.split("/");
      const run = this.store.get<AnyCustomRun>(typeOfKind(kind), ns, name);
      const controller = run && this.opts.dispatcher.controllerFor(run);
      if (
        opts.cancelRunning !== false &&
        run !== undefined &&
        controller !== undefined &&
        controller.style !== "raw"
      ) {
        this.abortAttempt(k, a.type, run, controller, AbortCause.Shutdown);
      } else {
        this.release(k, AbortCause.Shutdown);
      }
    }
    const pending = [...this.draining];
    if (pending.length === 0) return;
    await new Promise<void>((resolve) => {
      const cancel = this.opts.clock.setTimer(this.opts.stopGraceMs ?? 5000, resolve);
      void Promise.allSettled(pending).then(() => {
        cancel();
        resolve();
      });
    });
  }

  /** A deleted run: abort its work silently and drop its timer. */
  private forget(ref: ObjectRef): void {
    this.loop.clearRequeue(ref);
    this.release(ref.key, AbortCause.Cancel);
  }

  /** Aborts and forgets the active attempt of a key, if any. */
  private release(k: string, cause: AbortCause): void {
    const a = this.active.get(k);
    if (a === undefined) return;
    this.active.delete(k);
    a.abort.abort(cause);
    this.draining.add(a.done);
    void a.done.finally(() => this.draining.delete(a.done));
  }

  private writeStatus(
    type: ResourceType,
    ns: string,
    name: string,
    next: (run: AnyCustomRun) => CustomRunStatus | undefined,
  ): AnyCustomRun | undefined {
    return this.loop.writeStatus<AnyCustomRun>(refOf(type, ns, name), (t) => {
      const status = next(t);
      return status === undefined ? undefined : withObservedGeneration(t, status);
    });
  }

  /** Writes a decided status; on a conflict the run is reconciled again and false returned. */
  private writeDecided(type: ResourceType, run: AnyCustomRun, status: CustomRunStatus): boolean {
    const { namespace, name } = runKey(run);
    return this.loop.writeDecided(refOf(type, namespace, name), run, withObservedGeneration(run, status));
  }

  private refOfRun(type: ResourceType, run: AnyCustomRun): ObjectRef {
    const { namespace, name } = runKey(run);
    return refOf(type, namespace, name);
  }

  private logger(run: AnyCustomRun, k: string): ReturnType<typeof createRunLogger> {
    const { namespace, name } = runKey(run);
    return createRunLogger({
      dataDir: this.opts.dataDir,
      event: {
        runKind: run.kind,
        namespace,
        name,
        container: this.opts.dispatcher.controllerFor(run)?.kind ?? "custom-task",
        retryCount: retryCountOf(run.status),
      },
      ...(this.opts.onLog !== undefined ? { onLog: this.opts.onLog } : {}),
      onError: (err) => this.opts.onError?.(k, err),
    });
  }

  /** Reconciles one run: read latest, dispatch, decide, write. */
  async reconcile(kind: string, ns: string, name: string): Promise<void> {
    const type = typeOfKind(kind);
    const ref = refOf(type, ns, name);
    const k = ref.key;
    const run = this.store.get<AnyCustomRun>(type, ns, name);
    if (run === undefined) return this.forget(ref);
    const controller = this.opts.dispatcher.controllerFor(run);
    if (controller === undefined) return;
    if (controller.style === "raw") return this.reconcileRaw(k, type, run, controller);
    return this.reconcileManaged(k, type, run, controller);
  }

  private reconcileRaw(
    k: string,
    type: ResourceType,
    run: AnyCustomRun,
    controller: RawControllerDefinition,
  ): void {
    const result = controller.reconcile(frozenCopy(run), {
      now: () => this.opts.clock.now(),
      log: this.logger(run, k),
    });
    if (result.status !== undefined && !this.writeDecided(type, run, structuredClone(result.status))) return;
    const ref = this.refOfRun(type, run);
    if (result.requeueAfterMs !== undefined) this.loop.requeueAfter(ref, result.requeueAfterMs);
    else if (isDone({ status: result.status ?? run.status })) this.loop.clearRequeue(ref);
  }

  private async reconcileManaged(
    k: string,
    type: ResourceType,
    read: AnyCustomRun,
    controller: ManagedController,
  ): Promise<void> {
    const now = (): Date => this.opts.clock.now();
    const { namespace: ns, name } = runKey(read);
    let run: AnyCustomRun | undefined = read;
    if (isDone(run)) {
      this.loop.clearRequeue(this.refOfRun(type, run));
      return;
    }
    if (isRunCancelled(run)) return this.abortAttempt(k, type, run, controller, AbortCause.Cancel);
    if (!hasRunStarted(run)) {
      const pre = preflight(run, controller);
      if (!pre.ok) {
        this.writeStatus(type, ns, name, (t) =>
          isDone(t) || hasRunStarted(t)
            ? undefined
            : markFailed(t.status ?? {}, { reason: pre.reason, message: pre.message }, now()),
        );
        return;
      }
      const reasons = reasonsFor(run);
      run = this.writeStatus(type, ns, name, (t) =>
        hasRunStarted(t) ? undefined : markStarted(t.status, reasons, now()),
      );
      if (run === undefined || isDone(run)) return;
    }
    if (controller.supports.timeout) {
      const left = timeLeftMs(run, now());
      if (left !== undefined) {
        if (left < 0) return this.abortAttempt(k, type, run, controller, AbortCause.Timeout);
        this.loop.requeueAfter(refOf(type, ns, name), left + 1);
      }
    }
    if (controller.style === "task") return continueTask(this.taskHost, k, type, run, controller);
    return this.continueReconciler(k, type, run, controller);
  }

  /** Cancel, timeout or shutdown of the current attempt: abort its work and write the outcome now. */
  private abortAttempt(
    k: string,
    type: ResourceType,
    run: AnyCustomRun,
    controller: ManagedController,
    cause: AbortCause,
  ): void {
    this.release(k, cause);
    const now = this.opts.clock.now();
    const { namespace: ns, name } = runKey(run);
    let extraFields: CustomRunStatus["extraFields"];
    if (
      controller.style === "reconciler" &&
      controller.onAbort !== undefined &&
      hasRunStarted(run) &&
      !isDone(run)
    ) {
      const ctx = this.reconcileContext(k, run, controller);
      extraFields = controller.onAbort(
        ctx.run,
        ctx,
        cause === AbortCause.Timeout ? "timeout" : "cancel",
      )?.extraFields;
    }
    const opts = {
      retriesSupported: controller.supports.retries,
      now,
      ...(extraFields !== undefined ? { extraFields } : {}),
    };
    const after = this.writeStatus(type, ns, name, (t) => abortStatus(t, cause, opts));
    if (after !== undefined && isDone(after)) this.loop.clearRequeue(refOf(type, ns, name));
    else if (after !== undefined) this.enqueue(type.kind, ns, name);
  }

  private reconcileContext(
    k: string,
    run: AnyCustomRun,
    controller: CustomReconcilerDefinition,
  ): ReconcileContext {
    const now = (): Date => this.opts.clock.now();
    const pre = preflight(run, controller);
    const params = pre.ok ? pre.params : Object.fromEntries(paramsOf(run).map((p) => [p.name, p.value]));
    const base = baseContext(run, { now, log: this.logger(run, k) });
    return {
      ...base,
      status: base.run.status ?? {},
      extraFields: base.run.status?.extraFields,
      params: frozenCopy(params),
      signal: this.shutdown.signal,
    };
  }

  private async continueReconciler(
    k: string,
    type: ResourceType,
    run: AnyCustomRun,
    controller: CustomReconcilerDefinition,
  ): Promise<void> {
    const reasons = reasonsFor(run);
    const ctx = this.reconcileContext(k, run, controller);
    let decision: ReconcileDecision;
    try {
      decision = await controller.reconcile(ctx.run, ctx);
    } catch (err) {
      decision = { failed: toFailure(err, reasons) };
    }
    const { namespace: ns, name } = runKey(run);
    const next = decisionStatus(run, decision, {
      retriesSupported: controller.supports.retries,
      now: this.opts.clock.now(),
    });
    if (isDone({ status: next })) {
      if (this.writeDecided(type, run, next)) this.loop.clearRequeue(refOf(type, ns, name));
      return;
    }
    if (retryCountOf(next) > retryCountOf(run.status)) {
      if (this.writeDecided(type, run, next)) this.enqueue(type.kind, ns, name);
      return;
    }
    if ("succeeded" in decision || "failed" in decision) return;
    if (!this.writeDecided(type, run, next)) return;
    if (decision.requeueAfterMs !== undefined)
      this.loop.requeueAfter(refOf(type, ns, name), decision.requeueAfterMs);
  }
}
