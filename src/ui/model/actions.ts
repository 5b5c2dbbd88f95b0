/**
 * The spec changes behind the run actions: what `spec.status` a cancel or a graceful stop sets
 * for each kind (Tekton's wire strings), as merge patches.
 *
 * @module
 */

import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import { cancelSpecStatus } from "../../api/cancel.js";

/** The merge patch that cancels a run of `kind`, or undefined for kinds that do not run. */
export function cancelPatch(kind: string): { spec: { status: string } } | undefined {
  const status = cancelSpecStatus(kind);
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
