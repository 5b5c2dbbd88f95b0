/**
 * The TaskRun attempts running in the background: at most `maxParallel` at once, their step
 * progress coalesced into few status writes, and their end turned into the run's final status.
 */
import { performance } from "node:perf_hooks";
import { isDone } from "../../api/conditions.js";
import { PipelineLabel } from "../../api/reasons.js";
import type { StepState, TaskRun, TaskRunStatus } from "../../api/types.js";
import { Semaphore } from "../reconcile/keyed-queue.js";
import { refOf } from "../reconcile/loop.js";
import { ResourceTypes } from "../../store/index.js";
import { AbortKind, AttemptAborted, abortKindOf } from "./abort.js";
import { runAttempt } from "./attempt.js";
import type { AttemptInput, AttemptResult } from "./attempt-types.js";
import { FailureKind, failure, failureCondition, type FailureCondition } from "./failure.js";
import { finalStatus } from "./finish.js";
import { effectiveTimeout, type TaskRunEngineOptions } from "./options.js";
import type { PreparedRun } from "./plan.js";
import { withProvenance } from "./resolutions.js";
import { isCancelRequested, markAborted } from "./status.js";

interface ActiveAttempt {
  controller: AbortController;
  podName: string;
  done: Promise<void>;
}

/** What the runner needs from its reconciler. */
export interface AttemptRunnerHost {
  readonly opts: TaskRunEngineOptions;
  /** Writes a new status computed from the latest object, retrying on conflicts. */
  writeStatus(
    ns: string,
    name: string,
    next: (tr: TaskRun) => TaskRunStatus | undefined,
  ): TaskRun | undefined;
  enqueue(ns: string, name: string): void;
  /** The attempt's final status was written: a retry may follow. */
  maybeRetry(tr: TaskRun): void;
  failUnexpectedly(ns: string, name: string, err: unknown): void;
  finishWithFailure(ns: string, name: string, cond: FailureCondition): void;
}

const keyOf = (ns: string, name: string): string => refOf(ResourceTypes.TaskRun, ns, name).key;

/**
 * The least time between two progress writes of one run. A step transition after a quiet spell
 * is written on the next event-loop turn; a burst of short steps is written at most this often
 * (every write copies and re-serialises the whole TaskRun, so a write per step would make a
 * TaskRun's cost grow with the square of its step count).
 */
const PROGRESS_INTERVAL_MS = 50;

export class AttemptRunner {
  private readonly active = new Map<string, ActiveAttempt>();
  /** Step states waiting to be written, at most one write per run per {@link PROGRESS_INTERVAL_MS}. */
  private readonly progress = new Map<string, StepState[]>();
  /** When each running attempt's progress was last written (`performance.now()`). */
  private readonly progressWritten = new Map<string, number>();
  private readonly slots: Semaphore;

  constructor(private readonly host: AttemptRunnerHost) {
    this.slots = new Semaphore(host.opts.maxParallel ?? Number.MAX_SAFE_INTEGER);
  }

  /** Whether an attempt of the run (the key of its ref) is running. */
  isActive(k: string): boolean {
    return this.active.has(k);
  }

  /** Settles when the run's attempt has ended (at once when none runs). */
  done(k: string): Promise<void> {
    return this.active.get(k)?.done ?? Promise.resolve();
  }

  /** Every running attempt's end. */
  running(): Promise<void>[] {
    return [...this.active.values()].map((a) => a.done);
  }

  /** Aborts the running attempt of a run, if any. */
  abort(k: string, kind: AbortKind): void {
    this.active.get(k)?.controller.abort(new AttemptAborted(kind));
  }

  /** Aborts every running attempt and waits until all have ended. */
  async abortAll(kind: AbortKind): Promise<void> {
    const running = [...this.active.values()];
    for (const a of running) a.controller.abort(new AttemptAborted(kind));
    await Promise.allSettled(running.map((a) => a.done));
  }

  launch(
    ns: string,
    name: string,
    podName: string,
    prepared: PreparedRun,
    controller: AbortController,
    resume: AttemptInput["resume"],
  ): void {
    const { opts } = this.host;
    const attempt: ActiveAttempt = { controller, podName, done: Promise.resolve() };
    const k = keyOf(ns, name);
    this.active.set(k, attempt);
    attempt.done = this.slots
      .run(() =>
        controller.signal.aborted
          ? Promise.resolve<AttemptResult | undefined>(undefined)
          : runAttempt({
              ...prepared.attempt,
              executor: opts.executor,
              clock: opts.clock,
              features: opts.features,
              signal: controller.signal,
              onProgress: (steps) =>
                this.queueProgress(ns, name, withProvenance(steps, prepared.initialSteps)),
              ...(resume !== undefined ? { resume } : {}),
            }),
      )
      .then(
        async (result) => {
          try {
            this.finishAttempt(ns, name, attempt, prepared, result);
          } catch (err) {
            opts.onError?.(k, err);
            this.host.failUnexpectedly(ns, name, err);
          }
          try {
            await result?.cleanup;
          } catch (err) {
            opts.onError?.(k, err);
          }
        },
        (err: unknown) =>
          this.failSafely(
            ns,
            name,
            failureCondition(
              failure(
                FailureKind.PodCreation,
                `failed to create task run pod "${name}": ${err instanceof Error ? err.message : String(err)}`,
              ),
              name,
            ),
          ),
      )
      .finally(() => {
        if (this.active.get(k) === attempt) this.active.delete(k);
        if (abortKindOf(controller.signal) !== AbortKind.Shutdown) this.host.enqueue(ns, name);
      });
  }

  private failSafely(ns: string, name: string, cond: FailureCondition): void {
    try {
      this.host.finishWithFailure(ns, name, cond);
    } catch (err) {
      this.host.opts.onError?.(keyOf(ns, name), err);
    }
  }

  /** Coalesces step-state updates: a burst of step transitions becomes one status write. */
  private queueProgress(ns: string, name: string, steps: StepState[]): void {
    const k = keyOf(ns, name);
    const first = !this.progress.has(k);
    this.progress.set(k, steps);
    if (!first) return;
    const wait = (this.progressWritten.get(k) ?? -Infinity) + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(() => this.flushProgress(ns, name));
    else setTimeout(() => this.flushProgress(ns, name), wait).unref(); // the final write supersedes it
  }

  private flushProgress(ns: string, name: string): void {
    const k = keyOf(ns, name);
    const steps = this.progress.get(k);
    if (steps === undefined) return;
    this.progress.delete(k);
    this.progressWritten.set(k, performance.now());
    this.host.writeStatus(ns, name, (t) => (isDone(t) ? undefined : { ...t.status, steps }));
  }

  private finishAttempt(
    ns: string,
    name: string,
    attempt: ActiveAttempt,
    prepared: PreparedRun,
    result: AttemptResult | undefined,
  ): void {
    this.progress.delete(keyOf(ns, name));
    this.progressWritten.delete(keyOf(ns, name));
    const aborted = abortKindOf(attempt.controller.signal);
    if (aborted === AbortKind.Shutdown) return;
    const { opts } = this.host;
    const now = opts.clock.now();
    const after = this.host.writeStatus(ns, name, (t) => {
      if (isDone(t)) return undefined;
      const base: TaskRunStatus = {
        ...(t.status ?? {}),
        ...(result ? { steps: withProvenance(result.steps, prepared.initialSteps) } : {}),
        ...(result && result.sidecars.length > 0 ? { sidecars: result.sidecars } : {}),
      };
      if (attempt.controller.signal.aborted || result === undefined || result.aborted) {
        const kind =
          aborted === AbortKind.Timeout || (aborted === undefined && !isCancelRequested(t))
            ? AbortKind.Timeout
            : AbortKind.Cancel;
        return markAborted(t, base, kind, effectiveTimeout(t, opts.defaults).text, now);
      }
      const ignored = t.metadata.annotations?.[PipelineLabel.OnErrorAnnotation] === "continue";
      return finalStatus(base, result, prepared, now, ignored);
    });
    if (after !== undefined) this.host.maybeRetry(after);
  }
}
