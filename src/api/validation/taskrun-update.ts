/**
 * Tekton's update rules for TaskRuns (docs/tekton-semantics.md#validation): a finished TaskRun's spec is
 * frozen, a started one may only change `status`/`statusMessage`, and it can never go back to
 * pending. Both objects are already defaulted, so unchanged specs compare equal.
 */
import { isDone } from "../conditions.js";
import type { TaskRun } from "../types.js";
import { isDeepStrictEqual } from "node:util";

/** Tekton's message (with its path) when `next` may not replace `previous`, else undefined. */
export function validateTaskRunUpdate(previous: TaskRun, next: TaskRun): string | undefined {
  if (isDeepStrictEqual(previous.spec, next.spec)) return undefined;
  if (isDone(previous)) {
    return "invalid value: Once the TaskRun is complete, no updates are allowed: spec";
  }
  if (previous.status?.startTime === undefined) return undefined;
  if (next.spec.status === "TaskRunPending") {
    return "invalid value: TaskRun cannot be Pending after it is started: spec.status";
  }
  const strip = (tr: TaskRun): unknown => {
    const { status: _status, statusMessage: _message, ...rest } = tr.spec;
    return rest;
  };
  if (!isDeepStrictEqual(strip(previous), strip(next))) {
    return "invalid value: Once the TaskRun has started, only status and statusMessage updates are allowed: spec";
  }
  return undefined;
}
