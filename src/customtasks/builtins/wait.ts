/**
 * The built-in `Wait` custom task, exactly as Tekton's reference controller
 * (`test/custom-task-ctrls/wait-task-beta`, docs/tekton-semantics.md#wait-controller): it handles `wait.testing.tekton.dev/v1beta1`
 * `Wait` referenced by `customRef` (embedded `customSpec` Waits are ignored: no status) and, for the
 * v1alpha1 `Run` form, `wait.testing.tekton.dev/v1alpha1` `Wait` by `ref`.
 *
 * It owns its status (a `raw` controller), so its reasons are the reference controller's own:
 * `Running`, `DurationElapsed`, `Cancelled` (not `CustomRunCancelled`), `TimedOut` (not
 * `CustomRunTimedOut`), `Retrying`, and the validation reasons `UnexpectedName`, `MissingDuration`,
 * `UnexpectedParams`, `InvalidDuration`, `InvalidTimeOut`.
 *
 * @module
 */
import { EmptyFields, isDone, succeededCondition, withSucceededCondition } from "../../api/conditions.js";
import { rfc3339 } from "../../api/time.js";
import { DurationError, parseGoDuration } from "../../api/duration.js";
import { Defaults } from "../../api/reasons.js";
import type { Condition, CustomRunStatus } from "../../api/types.js";
import type { RawControllerDefinition, RawReconcileResult } from "../controller.js";
import { defineRawController } from "../sdk.js";
import { hasRunStarted, isRunCancelled, paramsOf, targetOf, type AnyCustomRun } from "../run-view.js";

/** The reference controller's reasons. */
export const WaitReason = {
  UnexpectedName: "UnexpectedName",
  MissingDuration: "MissingDuration",
  UnexpectedParams: "UnexpectedParams",
  InvalidDuration: "InvalidDuration",
  InvalidTimeOut: "InvalidTimeOut",
  Started: "Started",
  Running: "Running",
  DurationElapsed: "DurationElapsed",
  Cancelled: "Cancelled",
  TimedOut: "TimedOut",
  Retrying: "Retrying",
} as const;
/** One of {@link WaitReason}'s values. */
export type WaitReason = (typeof WaitReason)[keyof typeof WaitReason];

/** The reference controller's messages. */
export const WaitMessage = {
  Running: "Waiting for duration to elapse",
  DurationElapsed: "The wait duration has elapsed",
  Cancelled: "Wait Task cancelled.",
  TimedOut: "Wait Task failed as it times out.",
  MissingDuration: "The duration param was not passed",
  InvalidTimeOut: "Spec.Timeout shouldn't equal duration",
} as const;

/** `wait.testing.tekton.dev/v1beta1` (CustomRun) and `…/v1alpha1` (the v1alpha1 Run form). */
export const WaitApiVersion = {
  V1beta1: "wait.testing.tekton.dev/v1beta1",
  V1alpha1: "wait.testing.tekton.dev/v1alpha1",
} as const;

/** knative `SetCondition`: lastTransitionTime changes only when the condition does. */
function setCondition(
  status: CustomRunStatus,
  cond: Pick<Condition, "status" | "reason" | "message">,
  now: Date,
): CustomRunStatus {
  return withSucceededCondition(status, cond, now, EmptyFields.Omit);
}

/** `MarkCustomRunFailed` / `MarkCustomRunSucceeded`: also `completionTime = lastTransitionTime`. */
function markDone(
  status: CustomRunStatus,
  ok: boolean,
  reason: string,
  message: string,
  now: Date,
): CustomRunStatus {
  const next = setCondition(status, { status: ok ? "True" : "False", reason, message }, now);
  const t = succeededCondition(next)?.lastTransitionTime;
  return t !== undefined ? { ...next, completionTime: t } : next;
}

/** Go's `%v` of a `[]string`: `[a b]`. */
function goList(items: string[]): string {
  return `[${items.join(" ")}]`;
}

/** `GetTimeout()`: `spec.timeout`, else the constant 60 minutes, in nanoseconds (0 stays 0). */
function timeoutNs(run: AnyCustomRun): bigint {
  const t = run.spec?.timeout;
  return t === undefined || t === "" ? BigInt(Defaults.TimeoutMinutes) * 60_000_000_000n : parseGoDuration(t);
}

/** Validation, in the reference order; a failure is `MarkCustomRunFailed(reason, message)`. */
function validate(
  run: AnyCustomRun,
): { reason: WaitReason; message: string } | { duration: bigint; timeout: bigint } {
  const target = targetOf(run);
  if (target?.name !== undefined) {
    return { reason: WaitReason.UnexpectedName, message: `Found unexpected ref name: ${target.name}` };
  }
  const params = paramsOf(run);
  const expr = params.find((p) => p.name === "duration");
  // GetParam(...).Value.StringVal: an array or object value has an empty StringVal.
  const text = typeof expr?.value === "string" ? expr.value : "";
  if (expr === undefined || text === "")
    return { reason: WaitReason.MissingDuration, message: WaitMessage.MissingDuration };
  if (params.length !== 1) {
    const found = params.filter((p) => p.name !== "duration").map((p) => p.name);
    return { reason: WaitReason.UnexpectedParams, message: `Found unexpected params: ${goList(found)}` };
  }
  let duration: bigint;
  try {
    duration = parseGoDuration(text);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    return { reason: WaitReason.InvalidDuration, message: `The duration param was invalid: ${err.message}` };
  }
  const timeout = timeoutNs(run);
  if (duration === timeout) return { reason: WaitReason.InvalidTimeOut, message: WaitMessage.InvalidTimeOut };
  return { duration, timeout };
}

const NS_PER_MS = 1_000_000n;

/**
 * One reconcile of the reference Wait controller (`ReconcileKind`), pure: the new status and an
 * optional requeue. Requeues are one millisecond past the reference's `min(duration, timeout)` so
 * that the next reconcile sees `elapsed > duration` strictly, as a real requeue always does.
 */
export function reconcileWait(run: Readonly<AnyCustomRun>, now: Date): RawReconcileResult {
  let status: CustomRunStatus = structuredClone(run.status ?? {});
  const checked = validate(run as AnyCustomRun);
  if ("reason" in checked) return { status: markDone(status, false, checked.reason, checked.message, now) };
  const { duration, timeout } = checked;
  if (!hasRunStarted({ status })) {
    // InitializeConditions(), then StartTime = now, then MarkCustomRunRunning.
    const hadCondition = succeededCondition(status) !== undefined;
    status.startTime = rfc3339(now);
    if (!hadCondition) status = setCondition(status, { status: "Unknown" }, now);
    const prev = succeededCondition(status);
    status = setCondition(
      status,
      { status: "Unknown", reason: WaitReason.Started, message: prev?.message ?? "" },
      now,
    );
    status = setCondition(
      status,
      { status: "Unknown", reason: WaitReason.Running, message: WaitMessage.Running },
      now,
    );
  }
  if (isDone({ status })) return { status };
  if (isRunCancelled(run as AnyCustomRun)) {
    const msg = run.spec?.statusMessage ? run.spec.statusMessage : WaitMessage.Cancelled;
    status.completionTime = rfc3339(now);
    return { status: markDone(status, false, WaitReason.Cancelled, msg, now) };
  }
  const elapsed = BigInt(now.getTime() - Date.parse(status.startTime ?? rfc3339(now))) * NS_PER_MS;
  if (elapsed <= duration && elapsed <= timeout) {
    const wait = timeout < duration ? timeout : duration;
    return { status, requeueAfterMs: Number(wait / NS_PER_MS) + 1 };
  }
  if (elapsed > duration && elapsed <= timeout) {
    return { status: markDone(status, true, WaitReason.DurationElapsed, WaitMessage.DurationElapsed, now) };
  }
  if ((run.spec?.retries ?? 0) > (status.retriesStatus?.length ?? 0)) {
    // retryCustomRun: archive a copy with retriesStatus cleared and condition False/TimedOut.
    const { retriesStatus, ...rest } = status;
    const archived = setCondition(
      structuredClone(rest),
      { status: "False", reason: WaitReason.TimedOut },
      now,
    );
    status = { ...rest, retriesStatus: [...(retriesStatus ?? []), archived] };
    delete status.startTime;
    return {
      status: setCondition(status, { status: "Unknown", reason: WaitReason.Retrying, message: "" }, now),
      requeueAfterMs: 0,
    };
  }
  return { status: markDone(status, false, WaitReason.TimedOut, WaitMessage.TimedOut, now) };
}

/** The Wait controller for CustomRuns (`customRef` only). */
export const waitTask: RawControllerDefinition = defineRawController({
  apiVersion: WaitApiVersion.V1beta1,
  kind: "Wait",
  accepts: { ref: true, spec: false },
  reconcile: (run, ctx) => reconcileWait(run, ctx.now()),
});

/** The Wait controller for the v1alpha1 `Run` form (`ref` only). */
export const waitTaskV1alpha1: RawControllerDefinition = defineRawController({
  apiVersion: WaitApiVersion.V1alpha1,
  kind: "Wait",
  accepts: { ref: true, spec: false },
  reconcile: (run, ctx) => reconcileWait(run, ctx.now()),
});
