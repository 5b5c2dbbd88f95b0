/**
 * The PipelineRun's Succeeded condition from the state of its tasks (Tekton's
 * `GetPipelineConditionStatus`): timed out, completed with counts, or still running and why.
 */
import { PipelineRunReason } from "../../api/reasons.js";
import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import type { Facts } from "./facts.js";

export interface RunCondition {
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

/** The PipelineRun's Succeeded condition (GetPipelineConditionStatus). */
export function pipelineCondition(
  facts: Facts,
  name: string,
  texts: { pipelineTimeout: string; tasksTimeout: string },
): RunCondition {
  if (facts.pipelineTimedOut()) {
    return {
      status: "False",
      reason: PipelineRunReason.TimedOut,
      message: `PipelineRun ${JSON.stringify(name)} failed to finish within ${JSON.stringify(texts.pipelineTimeout)}`,
    };
  }
  const hasFinal = facts.finalTasks().length > 0;
  if (facts.tasksTimedOut() && (!hasFinal || facts.finalDone())) {
    return {
      status: "False",
      reason: PipelineRunReason.TimedOut,
      message: `PipelineRun ${JSON.stringify(name)} failed due to tasks failed to finish within ${JSON.stringify(texts.tasksTimeout)}`,
    };
  }
  const s = facts.counts();
  const completed = s.succeeded + s.failed + s.cancelled + s.ignoredFailed;
  const totalFailed = s.failed + s.ignoredFailed;
  const spec = facts.specStatus;
  const graceful =
    spec === PipelineRunSpecStatus.CancelledRunFinally || spec === PipelineRunSpecStatus.StoppedRunFinally;
  if (s.incomplete === 0) {
    let status: RunCondition["status"] = "True";
    let reason: string = s.skipped > 0 ? PipelineRunReason.Completed : PipelineRunReason.Successful;
    let message =
      s.ignoredFailed > 0
        ? `Tasks Completed: ${completed} (Failed: ${totalFailed} (Ignored: ${s.ignoredFailed}), Cancelled ${s.cancelled}), Skipped: ${s.skipped}`
        : `Tasks Completed: ${completed} (Failed: ${totalFailed}, Cancelled ${s.cancelled}), Skipped: ${s.skipped}`;
    if (s.validationFailed > 0) {
      message += `, Failed Validation: ${s.validationFailed}`;
      const errs = [...facts.validationFailed.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, e]) => e);
      let text = errs.join("; ");
      if (text.length > 1024) text = text.slice(0, 1024) + "...";
      if (errs.length > 0) message += ` (${text})`;
    }
    if (s.validationFailed > 0) {
      reason = PipelineRunReason.FailedValidation;
      status = "False";
    } else if (s.failed > 0 || s.skippedDueToTimeout > 0) {
      reason = PipelineRunReason.Failed;
      status = "False";
    } else if (graceful) {
      reason = PipelineRunReason.Cancelled;
      status = "False";
      message = `PipelineRun ${JSON.stringify(name)} was cancelled`;
    } else if (s.cancelled > 0) {
      reason = PipelineRunReason.Cancelled;
      status = "False";
    }
    return { status, reason, message };
  }
  let reason: string = PipelineRunReason.Running;
  if (facts.tasksTimedOut() && hasFinal && !facts.finalDone())
    reason = PipelineRunReason.TimedOutRunningFinally;
  else if (spec === PipelineRunSpecStatus.CancelledRunFinally)
    reason = PipelineRunReason.CancelledRunningFinally;
  else if (spec === PipelineRunSpecStatus.StoppedRunFinally) reason = PipelineRunReason.StoppedRunningFinally;
  else if (s.cancelled > 0 || (s.failed > 0 && facts.finalDone())) reason = PipelineRunReason.Stopping;
  return {
    status: "Unknown",
    reason,
    message: `Tasks Completed: ${completed} (Failed: ${s.failed}, Cancelled ${s.cancelled}), Incomplete: ${s.incomplete}, Skipped: ${s.skipped}`,
  };
}
