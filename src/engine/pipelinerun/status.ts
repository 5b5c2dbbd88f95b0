/** PipelineRun status transitions and questions (`pipelinerun_types.go`). */
import { PipelineRunReason } from "../../api/reasons.js";
import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import { EmptyFields, isDone, withSucceededCondition, type ConditionChange } from "../../api/conditions.js";
import { rfc3339 } from "../../api/time.js";
import type { PipelineRun, PipelineRunStatus } from "../../api/pipeline-types.js";

export const isPipelineRunDone = (pr: Pick<PipelineRun, "status">): boolean => isDone(pr);

export function isPipelineRunPending(pr: PipelineRun): boolean {
  return pr.spec.status === PipelineRunSpecStatus.Pending;
}

/** Sets the Succeeded condition; once it is True or False, `completionTime` too. */
export function withCondition(
  status: PipelineRunStatus,
  cond: ConditionChange,
  now: Date,
): PipelineRunStatus {
  const out = withSucceededCondition(status, cond, now, EmptyFields.Omit);
  if (cond.status !== "Unknown") out.completionTime = status.completionTime ?? rfc3339(now);
  return out;
}

export function markStarted(status: PipelineRunStatus | undefined, now: Date): PipelineRunStatus {
  return withCondition(
    { ...(status ?? {}), startTime: rfc3339(now) },
    { status: "Unknown", reason: PipelineRunReason.Started, message: "" },
    now,
  );
}

export function pendingCondition(name: string): { status: "Unknown"; reason: string; message: string } {
  return {
    status: "Unknown",
    reason: PipelineRunReason.Pending,
    message: `PipelineRun ${JSON.stringify(name)} is pending`,
  };
}

export function cancelledCondition(name: string): { status: "False"; reason: string; message: string } {
  return {
    status: "False",
    reason: PipelineRunReason.Cancelled,
    message: `PipelineRun ${JSON.stringify(name)} was cancelled`,
  };
}
