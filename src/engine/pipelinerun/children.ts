/** Questions about a PipelineRun's children (TaskRuns, CustomRuns, child PipelineRuns) by their status. */
import { isCancelled, isDone, isFailed, isSucceeded, succeededCondition } from "../../api/conditions.js";
import { CustomRunMessage, TaskRunMessage } from "../../api/reasons.js";
import type { Condition, KubeObject } from "../../api/types.js";

export const ChildKind = { TaskRun: "TaskRun", CustomRun: "CustomRun", PipelineRun: "PipelineRun" } as const;
export type ChildKind = (typeof ChildKind)[keyof typeof ChildKind];

export const conditionOf = (obj: KubeObject | undefined): Condition | undefined =>
  obj === undefined ? undefined : succeededCondition(obj["status"]);

export const childDone = (o: KubeObject): boolean => isDone(o);
export const childSucceeded = (o: KubeObject): boolean => isSucceeded(o);
export const childFailed = (o: KubeObject): boolean => isFailed(o);
export const childCancelled = (o: KubeObject): boolean => isCancelled(o);

const TIMEOUT_MESSAGES = new Set<string>([
  TaskRunMessage.CancelledByPipelineTimeout,
  CustomRunMessage.CancelledByPipelineTimeout,
]);

/** Cancelled because the PipelineRun (or its tasks/finally) timed out. */
export function childCancelledForTimeout(o: KubeObject): boolean {
  const spec = o["spec"] as { statusMessage?: string } | undefined;
  return childCancelled(o) && TIMEOUT_MESSAGES.has(spec?.statusMessage ?? "");
}
