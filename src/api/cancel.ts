/**
 * The `spec.status` values that ask a run to stop, per kind (Tekton's wire strings): the one
 * table the CLI, the dashboard, `tektite run`'s interrupt and the PipelineRun reconciler read.
 *
 * @module
 */
import { PipelineRunSpecStatus } from "./pipeline-types.js";
import { CustomRunSpecStatus, RunSpecStatus } from "./reasons.js";
import { TaskRunSpecStatus } from "./types.js";

/** The run kinds that can be cancelled. */
export type CancellableKind = "TaskRun" | "PipelineRun" | "CustomRun" | "Run";

/** The `spec.status` that cancels a run, by kind. */
export const CancelSpecStatus: Readonly<Record<CancellableKind, string>> = {
  TaskRun: TaskRunSpecStatus.Cancelled,
  PipelineRun: PipelineRunSpecStatus.Cancelled,
  CustomRun: CustomRunSpecStatus.Cancelled,
  Run: RunSpecStatus.Cancelled,
};

/** The `spec.status` that cancels a run of `kind`, or undefined for kinds that do not run. */
export function cancelSpecStatus(kind: string): string | undefined {
  return Object.hasOwn(CancelSpecStatus, kind) ? CancelSpecStatus[kind as CancellableKind] : undefined;
}

/**
 * The graceful stops of a PipelineRun: `CancelledRunFinally` cancels running tasks then runs the
 * finally tasks; `StoppedRunFinally` starts no new task, lets running ones finish, then runs finally.
 */
export const GracefulPipelineRunStop = [
  PipelineRunSpecStatus.CancelledRunFinally,
  PipelineRunSpecStatus.StoppedRunFinally,
] as const;
/** One of {@link GracefulPipelineRunStop}. */
export type GracefulPipelineRunStop = (typeof GracefulPipelineRunStop)[number];
