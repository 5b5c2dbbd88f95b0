/**
 * The spec changes behind the run actions: what `spec.status` a cancel or a graceful stop sets
 * for each kind (Tekton's wire strings), as merge patches.
 *
 * @module
 */

import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import { CustomRunSpecStatus, RunSpecStatus } from "../../api/reasons.js";
import { TaskRunSpecStatus } from "../../api/types.js";

const CANCEL: Readonly<Record<string, string>> = {
  TaskRun: TaskRunSpecStatus.Cancelled,
  CustomRun: CustomRunSpecStatus.Cancelled,
  Run: RunSpecStatus.Cancelled,
  PipelineRun: PipelineRunSpecStatus.Cancelled,
};

/** The merge patch that cancels a run of `kind`, or undefined for kinds that do not run. */
export function cancelPatch(kind: string): { spec: { status: string } } | undefined {
  const status = CANCEL[kind];
  return status === undefined ? undefined : { spec: { status } };
}

/**
 * The merge patch that stops a PipelineRun gracefully: no new tasks start, running ones finish,
 * then the finally tasks run (`StoppedRunFinally`).
 */
export function gracefulStopPatch(): { spec: { status: string } } {
  return { spec: { status: PipelineRunSpecStatus.StoppedRunFinally } };
}

/** Content type of the patches above. */
export const MERGE_PATCH = "application/merge-patch+json";
