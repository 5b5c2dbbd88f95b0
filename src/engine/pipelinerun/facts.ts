/**
 * The state of a PipelineRun's tasks and the questions Tekton asks of it
 * (`pkg/reconciler/pipelinerun/resources/pipelinerunstate.go`, `pipelinerunresolution.go`):
 * which tasks are done, skipped (and why), which run next, and the PipelineRun's condition.
 * Pure: built from the objects the reconciler read and the current time.
 */
import { SkippingReason } from "../../api/reasons.js";
import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import {
  childCancelled,
  childCancelledForTimeout,
  childDone,
  childFailed,
  childSucceeded,
  conditionOf,
} from "./children.js";
import { candidateTasks, type Dag } from "../../api/dag.js";
import { hasEmptyArray } from "./matrix.js";
import { resolveRefs } from "./task-results.js";
import type { TaskState } from "./task-state.js";
import { pipelineTaskResultRefs as taskResultRefs } from "../../api/result-refs.js";
import { whenAllows } from "./when.js";

export interface Timeouts {
  startMs?: number;
  finallyStartMs?: number;
  /** 0 = no timeout */
  pipelineMs: number;
  tasksMs?: number;
  finallyMs?: number;
}

export interface Skip {
  skipped: boolean;
  reason: SkippingReason;
}

const NOT_SKIPPED: Skip = { skipped: false, reason: SkippingReason.None };

export class Facts {
  readonly byName: Map<string, TaskState>;
  /** Tasks whose results references failed when they were to be scheduled, with the error. */
  readonly validationFailed = new Map<string, string>();
  private skipCache = new Map<string, Skip>();

  constructor(
    readonly tasks: TaskState[],
    readonly graph: Dag,
    readonly finalGraph: Dag,
    readonly specStatus: string | undefined,
    readonly timeouts: Timeouts,
    readonly nowMs: number,
  ) {
    this.byName = new Map(tasks.map((t) => [t.pt.name, t]));
  }

  resetSkips(): void {
    this.skipCache = new Map();
  }

  isFinal(name: string): boolean {
    return this.finalGraph.nodes.has(name);
  }

  // --- per task ---------------------------------------------------------------------------

  scheduled(t: TaskState): boolean {
    return t.children.length > 0;
  }

  successful(t: TaskState): boolean {
    return t.children.length > 0 && t.children.every(childSucceeded);
  }

  failure(t: TaskState): boolean {
    return t.children.length > 0 && t.children.every(childDone) && t.children.some(childFailed);
  }

  cancelled(t: TaskState): boolean {
    return t.children.length > 0 && t.children.every(childDone) && t.children.some(childCancelled);
  }

  cancelledForTimeout(t: TaskState): boolean {
    return t.children.length > 0 && t.children.every(childDone) && t.children.some(childCancelledForTimeout);
  }

  running(t: TaskState): boolean {
    return t.children.length > 0 && !this.successful(t) && !this.failure(t);
  }

  isValidationFailed(t: TaskState): boolean {
    return this.validationFailed.has(t.pt.name);
  }

  done(t: TaskState): boolean {
    return this.skip(t).skipped || this.successful(t) || this.failure(t) || this.isValidationFailed(t);
  }

  /** The first non-successful child's reason, else the first child's (`$(tasks.<t>.reason)`). */
  reason(t: TaskState): string {
    const bad = t.children.find((c) => !childSucceeded(c) && conditionOf(c) !== undefined);
    return conditionOf(bad ?? t.children[0])?.reason ?? "";
  }

  private parentsDone(t: TaskState): boolean {
    if (this.isFinal(t.pt.name)) return true;
    return (this.graph.nodes.get(t.pt.name)?.prev ?? []).every((p) => {
      const s = this.byName.get(p);
      return s !== undefined && this.done(s);
    });
  }

  private elapsedSinceStart(): number | undefined {
    return this.timeouts.startMs === undefined ? undefined : this.nowMs - this.timeouts.startMs;
  }

  pipelineTimedOut(): boolean {
    const e = this.elapsedSinceStart();
    return this.timeouts.pipelineMs > 0 && e !== undefined && e > this.timeouts.pipelineMs;
  }

  tasksTimedOut(): boolean {
    const e = this.elapsedSinceStart();
    const t = this.timeouts.tasksMs;
    return t !== undefined && t > 0 && e !== undefined && e > t;
  }

  finallyTimedOut(): boolean {
    const s = this.timeouts.finallyStartMs;
    const t = this.timeouts.finallyMs;
    return s !== undefined && t !== undefined && t > 0 && this.nowMs - s > t;
  }

  private missingResults(t: TaskState): boolean {
    if (!this.parentsDone(t) || taskResultRefs(t.pt).length === 0) return false;
    const res = resolveRefs(this, t);
    if (!("error" in res)) return false;
    const referenced = this.byName.get(res.task);
    if (referenced === undefined) return false;
    return (
      t.pt.onError === "continue" ||
      this.isFinal(t.pt.name) ||
      this.skip(referenced).reason === SkippingReason.WhenExpressions
    );
  }

  private parentSkipped(t: TaskState): boolean {
    for (const p of this.graph.nodes.get(t.pt.name)?.prev ?? []) {
      const s = this.byName.get(p);
      if (s === undefined) continue;
      const skip = this.skip(s);
      if (skip.skipped && skip.reason !== SkippingReason.WhenExpressions) return true;
    }
    return false;
  }

  private computeSkip(t: TaskState): SkippingReason {
    if (this.isFinal(t.pt.name) || this.scheduled(t) || this.isValidationFailed(t))
      return SkippingReason.None;
    if (this.stopping()) return SkippingReason.Stopping;
    if (this.specStatus === PipelineRunSpecStatus.CancelledRunFinally)
      return SkippingReason.GracefullyCancelled;
    if (this.specStatus === PipelineRunSpecStatus.StoppedRunFinally) return SkippingReason.GracefullyStopped;
    if (this.parentsDone(t) && !whenAllows(t.pt.when, t.cel)) return SkippingReason.WhenExpressions;
    if (this.parentSkipped(t)) return SkippingReason.ParentTasks;
    if (this.missingResults(t)) return SkippingReason.MissingResults;
    if (this.parentsDone(t) && this.pipelineTimedOut()) return SkippingReason.PipelineTimedOut;
    if (this.parentsDone(t) && this.tasksTimedOut()) return SkippingReason.TasksTimedOut;
    if (hasEmptyArray(t.pt.matrix)) return SkippingReason.EmptyArrayInMatrixParams;
    return SkippingReason.None;
  }

  /** Why a DAG task is skipped (memoised until {@link resetSkips}). */
  skip(t: TaskState): Skip {
    const cached = this.skipCache.get(t.pt.name);
    if (cached !== undefined) return cached;
    // A provisional entry stops recursion through a cycle of questions.
    this.skipCache.set(t.pt.name, NOT_SKIPPED);
    const reason = this.computeSkip(t);
    const skip = { skipped: reason !== SkippingReason.None, reason };
    this.skipCache.set(t.pt.name, skip);
    return skip;
  }

  /** Why a finally task is skipped. */
  finallySkip(t: TaskState): Skip {
    if (this.scheduled(t) || !this.isFinal(t.pt.name) || !this.dagDone()) return NOT_SKIPPED;
    let reason: SkippingReason = SkippingReason.None;
    if (this.missingResults(t)) reason = SkippingReason.MissingResults;
    else if (!whenAllows(t.pt.when, t.cel)) reason = SkippingReason.WhenExpressions;
    else if (this.pipelineTimedOut()) reason = SkippingReason.PipelineTimedOut;
    else if (this.finallyTimedOut()) reason = SkippingReason.FinallyTimedOut;
    else if (hasEmptyArray(t.pt.matrix)) reason = SkippingReason.EmptyArrayInMatrixParams;
    return { skipped: reason !== SkippingReason.None, reason };
  }

  // --- whole run --------------------------------------------------------------------------

  dagTasks(): TaskState[] {
    return this.tasks.filter((t) => !t.final);
  }

  finalTasks(): TaskState[] {
    return this.tasks.filter((t) => t.final);
  }

  stopping(): boolean {
    return this.dagTasks().some(
      (t) => (this.failure(t) || this.isValidationFailed(t)) && t.pt.onError !== "continue",
    );
  }

  dagRunning(): boolean {
    return this.dagTasks().some((t) => this.running(t));
  }

  dagDone(): boolean {
    return this.dagTasks().every((t) => this.done(t));
  }

  finalDone(): boolean {
    return this.finalTasks().every((t) => this.done(t) || this.finallySkip(t).skipped);
  }

  beforeFirstChild(): boolean {
    return this.tasks.every((t) => t.children.length === 0);
  }

  /** DAG tasks to start now (DAGExecutionQueue). */
  dagQueue(): TaskState[] {
    const s = this.specStatus;
    if (s === PipelineRunSpecStatus.Cancelled || s === PipelineRunSpecStatus.CancelledRunFinally) return [];
    if (this.stopping() || s === PipelineRunSpecStatus.StoppedRunFinally) return [];
    const doneSet = new Set(
      this.dagTasks()
        .filter((t) => this.done(t))
        .map((t) => t.pt.name),
    );
    const next = candidateTasks(this.graph, doneSet);
    return this.dagTasks().filter((t) => next.has(t.pt.name) && !this.scheduled(t));
  }

  /** Finally tasks to start now: only once every DAG task is done. */
  finalQueue(): TaskState[] {
    if (!this.dagDone()) return [];
    return this.finalTasks().filter((t) => !this.scheduled(t));
  }

  /** `$(tasks.<t>.status)`, `$(tasks.<t>.reason)` and `$(tasks.status)` (final tasks see these). */
  taskStatuses(): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of this.dagTasks()) {
      const s = this.successful(t) ? "Succeeded" : t.children.some(childFailed) ? "Failed" : "None";
      out.set(`tasks.${t.pt.name}.status`, s);
      out.set(`tasks.${t.pt.name}.reason`, this.reason(t));
    }
    let aggregate = "None";
    if (this.dagDone()) {
      aggregate = "Succeeded";
      for (const t of this.dagTasks()) {
        if (t.children.some(childFailed)) {
          aggregate = "Failed";
          break;
        }
        if (this.skip(t).skipped) aggregate = "Completed";
      }
    }
    out.set("tasks.status", aggregate);
    return out;
  }

  /** `$(tasks.<finally>.status)` for pipeline results. */
  finalStatuses(): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of this.finalTasks()) {
      const s = this.successful(t) ? "Succeeded" : t.children.some(childFailed) ? "Failed" : "None";
      out.set(`tasks.${t.pt.name}.status`, s);
    }
    return out;
  }

  counts(): Counts {
    const c: Counts = {
      skipped: 0,
      succeeded: 0,
      failed: 0,
      ignoredFailed: 0,
      cancelled: 0,
      incomplete: 0,
      skippedDueToTimeout: 0,
      validationFailed: 0,
    };
    const timeoutReasons = new Set<string>([
      SkippingReason.PipelineTimedOut,
      SkippingReason.TasksTimedOut,
      SkippingReason.FinallyTimedOut,
    ]);
    for (const t of this.tasks) {
      const skip = this.skip(t);
      const fskip = this.finallySkip(t);
      if (this.successful(t)) c.succeeded++;
      else if (this.cancelledForTimeout(t)) c.failed++;
      else if (this.cancelled(t)) c.cancelled++;
      else if (this.failure(t)) {
        if (t.pt.onError === "continue") c.ignoredFailed++;
        else c.failed++;
      } else if (this.isValidationFailed(t)) c.validationFailed++;
      else if (timeoutReasons.has(skip.reason) || timeoutReasons.has(fskip.reason)) {
        c.skipped++;
        c.skippedDueToTimeout++;
      } else if (skip.skipped || fskip.skipped) c.skipped++;
      else c.incomplete++;
    }
    return c;
  }
}

export interface Counts {
  skipped: number;
  succeeded: number;
  failed: number;
  ignoredFailed: number;
  cancelled: number;
  incomplete: number;
  skippedDueToTimeout: number;
  validationFailed: number;
}
