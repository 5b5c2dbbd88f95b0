/**
 * Pure TaskRun status transitions (docs/tekton-semantics.md#taskrun-status, #timeouts-cancel-retries): every condition, reason and message
 * the engine writes comes from here.
 */
import {
  EmptyFields,
  succeededCondition,
  withSucceededCondition,
  type ConditionChange,
} from "../../api/conditions.js";
import { createHash } from "node:crypto";
import { AbortKind } from "./abort.js";
import { ConditionStatus, TaskRunMessage, TaskRunReason, USER_ERROR_PREFIX } from "../../api/reasons.js";
import { TaskRunSpecStatus, type StepState, type TaskRun, type TaskRunStatus } from "../../api/types.js";
import { rfc3339 } from "../../api/time.js";

const MAX_NAME = 63;
const MD5_HEX_LEN = 32;

/** knative `kmeta.ChildName`: `<parent><suffix>`, hashed when longer than 63 characters. */
export function childName(parent: string, suffix: string): string {
  if (parent.length + suffix.length <= MAX_NAME) return parent + suffix;
  const head = MAX_NAME - suffix.length - MD5_HEX_LEN;
  const digest = createHash("md5").update(parent).digest("hex");
  return parent.slice(0, Math.max(0, head)) + digest + suffix;
}

/** Pod name of an attempt: `<tr>-pod`, then `<tr>-pod-retry<N>` for retry N. */
export function podNameFor(taskRunName: string, retryCount: number): string {
  return childName(taskRunName, retryCount === 0 ? "-pod" : `-pod-retry${retryCount}`);
}

export function isCancelRequested(tr: TaskRun): boolean {
  return tr.spec.status === TaskRunSpecStatus.Cancelled;
}

export function isPendingRequested(tr: TaskRun): boolean {
  return tr.spec.status === TaskRunSpecStatus.Pending;
}

export function hasStarted(tr: TaskRun): boolean {
  return tr.status?.startTime !== undefined;
}

function setCondition(status: TaskRunStatus, cond: ConditionChange, now: Date): TaskRunStatus {
  return withSucceededCondition(status, cond, now, EmptyFields.Keep);
}

/** First reconcile: `startTime=now`, `Unknown/Started` with an empty message. */
export function markStarted(status: TaskRunStatus | undefined, now: Date): TaskRunStatus {
  const base: TaskRunStatus = { ...(status ?? {}), startTime: status?.startTime ?? rfc3339(now) };
  const prev = succeededCondition(status);
  // After a retry the ToBeRetried message stays until Running replaces it (docs/tekton-semantics.md#timeouts-cancel-retries).
  const message = prev?.reason === TaskRunReason.ToBeRetried ? (prev.message ?? "") : "";
  return setCondition(base, { status: "Unknown", reason: TaskRunReason.Started, message }, now);
}

export function markPending(status: TaskRunStatus | undefined, name: string, now: Date): TaskRunStatus {
  return setCondition(
    { ...(status ?? {}) },
    { status: "Unknown", reason: TaskRunReason.Pending, message: `TaskRun "${name}" is pending` },
    now,
  );
}

/** While a remote Task or StepAction is being resolved (docs/tekton-semantics.md#taskrun-status: ResolvingTaskRef, ResolvingStepActionRef). */
export function markResolving(
  status: TaskRunStatus | undefined,
  reason: typeof TaskRunReason.ResolvingTaskRef | typeof TaskRunReason.ResolvingStepActionRef,
  namespace: string,
  name: string,
  now: Date,
): TaskRunStatus {
  const what = reason === TaskRunReason.ResolvingTaskRef ? "remote resource" : "remote StepAction";
  return setCondition(
    { ...(status ?? {}) },
    { status: "Unknown", reason, message: `TaskRun ${namespace}/${name} awaiting ${what}` },
    now,
  );
}

export function markRunning(status: TaskRunStatus, podName: string, now: Date): TaskRunStatus {
  return setCondition(
    { ...status, podName },
    { status: "Unknown", reason: TaskRunReason.Running, message: TaskRunMessage.Running },
    now,
  );
}

export function markSucceeded(status: TaskRunStatus, now: Date): TaskRunStatus {
  return {
    ...setCondition(
      status,
      { status: "True", reason: TaskRunReason.Successful, message: TaskRunMessage.Succeeded },
      now,
    ),
    completionTime: rfc3339(now),
  };
}

export function markFailed(status: TaskRunStatus, reason: string, message: string, now: Date): TaskRunStatus {
  return { ...setCondition(status, { status: "False", reason, message }, now), completionTime: rfc3339(now) };
}

/** `"\nPrevious status: [<reason>] <message>"` when the previous condition said something worth keeping. */
function previousConditionContext(status: TaskRunStatus | undefined): string {
  const prev = succeededCondition(status);
  if (prev === undefined || !prev.message) return "";
  const quiet: string[] = [TaskRunReason.Started, TaskRunReason.Running, TaskRunReason.Pending];
  if (prev.reason !== undefined && quiet.includes(prev.reason)) return "";
  return `\nPrevious status: [${prev.reason ?? ""}] ${prev.message}`;
}

export function cancelMessage(tr: TaskRun): string {
  return `TaskRun "${tr.metadata.name ?? ""}" was cancelled. ${tr.spec.statusMessage ?? ""}`;
}

export function timeoutMessage(tr: TaskRun, timeout: string): string {
  return `TaskRun "${tr.metadata.name ?? ""}" failed to finish within "${timeout}"`;
}

/**
 * Cancel or timeout: condition False, completionTime, and every step that had not finished is
 * terminated with the reason (docs/tekton-semantics.md#taskrun-status).
 */
export function markAborted(
  tr: TaskRun,
  status: TaskRunStatus,
  kind: typeof AbortKind.Cancel | typeof AbortKind.Timeout,
  timeout: string,
  now: Date,
): TaskRunStatus {
  const reason = kind === AbortKind.Cancel ? TaskRunReason.Cancelled : TaskRunReason.TimedOut;
  const message =
    (kind === AbortKind.Cancel ? cancelMessage(tr) : timeoutMessage(tr, timeout)) +
    previousConditionContext(status);
  const finishedAt = rfc3339(now);
  const podName = status.podName ?? "";
  const steps = status.steps?.map((s): StepState => {
    if (s.terminated) return s;
    const startedAt = s.running?.startedAt ?? tr.metadata.creationTimestamp ?? finishedAt;
    return {
      name: s.name,
      ...(s.container !== undefined ? { container: s.container } : {}),
      ...(s.imageID !== undefined ? { imageID: s.imageID } : {}),
      terminated: {
        exitCode: 1,
        reason,
        message: `Step ${s.name} terminated as pod ${podName} is terminated`,
        startedAt,
        finishedAt,
      },
      terminationReason: reason,
    };
  });
  const next = markFailed({ ...status, ...(steps ? { steps } : {}) }, reason, message, now);
  return next;
}

/** Whether a failed attempt is retried: not cancelled, and retries remain (docs/tekton-semantics.md#timeouts-cancel-retries). */
export function shouldRetry(tr: TaskRun, status: TaskRunStatus): boolean {
  if (isCancelRequested(tr)) return false;
  const c = succeededCondition(status);
  if (c?.status !== ConditionStatus.False || c.reason === TaskRunReason.Cancelled) return false;
  return (status.retriesStatus?.length ?? 0) < (tr.spec.retries ?? 0);
}

/**
 * Archive the failed attempt and reset for the next one: retriesStatus gains a full copy (with its
 * own retriesStatus cleared), startTime/completionTime/podName/results are cleared, and the
 * condition becomes `Unknown/ToBeRetried` with the failure message.
 */
export function prepareRetry(status: TaskRunStatus, now: Date): TaskRunStatus {
  const { retriesStatus, ...attempt } = status;
  const failed = succeededCondition(status);
  const archived: TaskRunStatus = structuredClone(attempt);
  const next: TaskRunStatus = {
    ...attempt,
    retriesStatus: [...(retriesStatus ?? []), archived],
  };
  delete next.startTime;
  delete next.completionTime;
  delete next.podName;
  delete next.results;
  return setCondition(
    next,
    { status: "Unknown", reason: TaskRunReason.ToBeRetried, message: failed?.message ?? "" },
    now,
  );
}

export function retryCount(status: TaskRunStatus | undefined): number {
  return status?.retriesStatus?.length ?? 0;
}

/** `[User error] ` + message, as Tekton renders wrapped user errors. */
export function userError(message: string): string {
  return USER_ERROR_PREFIX + message;
}
