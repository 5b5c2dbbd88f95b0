/**
 * The `Succeeded` condition of Tekton's runs (knative's `apis.ConditionSucceeded`): how to find
 * it, the questions asked of it (done, succeeded, cancelled), and how to set it.
 *
 * @module
 */

import { rfc3339 } from "./time.js";
import { ConditionStatus, ConditionType, CustomRunReason, RunReason, TaskRunReason } from "./reasons.js";
import type { Condition } from "./types.js";

/** Anything with a status that may hold conditions (typed runs, or a plain `KubeObject`). */
export type WithConditions = object & { readonly status?: unknown };

const statusOf = (obj: WithConditions): unknown => (obj as { status?: unknown }).status;

/** The conditions of a status, or of an untyped object's `status`. */
function conditionsOf(status: unknown): readonly Condition[] {
  if (typeof status !== "object" || status === null) return [];
  const conditions = (status as { conditions?: unknown }).conditions;
  return Array.isArray(conditions) ? (conditions as Condition[]) : [];
}

/** The `Succeeded` condition of a status, if any. */
export function succeededCondition(status: unknown): Condition | undefined {
  return conditionsOf(status).find((c) => c.type === ConditionType.Succeeded);
}

/** `IsDone()`: the `Succeeded` condition is `True` or `False`. */
export function isDone(obj: WithConditions): boolean {
  const c = succeededCondition(statusOf(obj));
  return c !== undefined && c.status !== ConditionStatus.Unknown;
}

/** `IsSuccessful()`: the `Succeeded` condition is `True`. */
export function isSucceeded(obj: WithConditions): boolean {
  return succeededCondition(statusOf(obj))?.status === ConditionStatus.True;
}

/** The `Succeeded` condition is `False`. */
export function isFailed(obj: WithConditions): boolean {
  return succeededCondition(statusOf(obj))?.status === ConditionStatus.False;
}

/** Running: started and not done. */
export function isRunning(obj: WithConditions): boolean {
  const started = (statusOf(obj) as { startTime?: unknown } | undefined)?.startTime !== undefined;
  const c = succeededCondition(statusOf(obj));
  return started && (c === undefined || c.status === ConditionStatus.Unknown);
}

/** The reasons a run's condition carries once it was cancelled (TaskRun, CustomRun, Run, PipelineRun). */
export const CANCELLED_REASONS: ReadonlySet<string> = new Set([
  TaskRunReason.Cancelled,
  CustomRunReason.Cancelled,
  RunReason.Cancelled,
  "Cancelled",
]);

/** Done because it was cancelled (the condition's reason, not the `spec.status` request). */
export function isCancelled(obj: WithConditions): boolean {
  const c = succeededCondition(statusOf(obj));
  return c?.status === ConditionStatus.False && c.reason !== undefined && CANCELLED_REASONS.has(c.reason);
}

/** The condition to set: status, reason, message. */
export type ConditionChange = Pick<Condition, "status" | "reason" | "message">;

/**
 * How empty strings are written. Tekton omits an empty reason or message on the wire
 * (`omitempty`); tektite's TaskRun statuses have always kept `message: ""`, custom runs drop it.
 */
export const EmptyFields = { Keep: "keep", Omit: "omit" } as const;
/** One of {@link EmptyFields}'s values. */
export type EmptyFields = (typeof EmptyFields)[keyof typeof EmptyFields];

/**
 * Sets the `Succeeded` condition on a status (a new object), keeping `lastTransitionTime` when
 * status, reason and message are unchanged (knative's `SetCondition`).
 */
export function withSucceededCondition<S extends { conditions?: Condition[] }>(
  status: S,
  change: ConditionChange,
  now: Date,
  empty: EmptyFields,
): S {
  const previous = succeededCondition(status);
  const same = (a: string | undefined, b: string | undefined): boolean =>
    empty === EmptyFields.Omit ? (a ?? "") === (b ?? "") : a === b;
  const unchanged =
    previous !== undefined &&
    previous.status === change.status &&
    same(previous.reason, change.reason) &&
    same(previous.message, change.message);
  const present = (v: string | undefined): v is string =>
    v !== undefined && (empty === EmptyFields.Keep || v !== "");
  const next: Condition = {
    type: ConditionType.Succeeded,
    status: change.status,
    ...(present(change.reason) ? { reason: change.reason } : {}),
    ...(present(change.message) ? { message: change.message } : {}),
    lastTransitionTime:
      unchanged && previous.lastTransitionTime !== undefined ? previous.lastTransitionTime : rfc3339(now),
  };
  const others = (status.conditions ?? []).filter((c) => c.type !== ConditionType.Succeeded);
  return { ...status, conditions: [...others, next] };
}
